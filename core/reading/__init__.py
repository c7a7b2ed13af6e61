"""Reading one stored original into a document: the pipeline, its time limit, its processes.

- ``outcomes``: ``ReadRequest`` in, ``ReadOutcome`` out (plain values; cross process boundaries);
- ``pipelines``: the Haystack reading pipeline (converters → clean → fields → classify);
- ``reader``: ``DocumentReader``, the warmed-up pipeline behind ``read(path, name, meta)``;
- ``time_limit``: the per-file limit on the main thread (an alarm);
- ``pool`` and ``worker``: reader processes (forkserver) that read on every core and are killed
  when stuck in C; ``pooled``: one such process for reads off the main thread (API uploads).

May import: ``core.settings``, ``core.errors``, ``ingest``, ``classify``, ``schemas``. It never
touches the catalog: what a reading means for the archive is decided in ``core.intake``.
"""
