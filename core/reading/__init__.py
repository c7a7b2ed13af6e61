"""Reading one stored original into a document: the pipeline, its time limit, its processes.

- ``outcomes``: ``ReadRequest`` in, ``ReadOutcome`` out (plain values; cross process boundaries);
- ``pipelines``: the Haystack reading pipeline (converters → clean → fields → classify);
- ``reader``: ``DocumentReader``, the warmed-up pipeline behind ``read(path, name, meta)``;
- ``direct_run``: the pipeline's graph run once in topological order, without Haystack's
  per-step scheduling and input copies (what ``DocumentReader`` runs; same result as ``Pipeline.run``);
- ``time_limit``: the per-file limit on the main thread (an alarm);
- ``memory``: the per-file memory limit (the data-segment rlimit while one file is read);
- ``pool`` and ``worker``: reader processes (forkserver) that read on every core and are killed
  when stuck in C; ``pooled``: one such process for reads off the main thread (API uploads).

May import: ``core.settings``, ``core.errors``, ``ingest``, ``classify``, ``schemas``. It never
touches the catalog: what a reading means for the archive is decided in ``core.intake``.
"""
