"""Taking one file into the archive: store first, then read, then record (``Ingestor``).

- ``ingestor``: an ``Arrival`` becomes a stored original with its receipt, then a read (here, under
  the time limit, or elsewhere), then a recorded document or a quarantined one, with its events;
- ``walk``: the files under the paths a batch names, in a stable order, with their folder hints,
  and a refusal for every link, pipe, socket or over-long path (nothing is followed out);
- ``entries``: the report reason for what is not a regular file (shared with the watcher);
- ``batch``: one ``jiandang ingest`` batch, indexing as it goes and stopping cleanly at a full disk;
- ``drawing_revisions``: revision chains of drawings with the same 图号.

May import: ``core.catalog``, ``core.storage``, ``core.reading``, ``core.indexing``, ``core.settings``/``errors``.
The folder watcher and the service's batch ingest both call the ``Ingestor``.
"""
