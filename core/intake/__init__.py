"""Taking one file into the archive: store first, then read, then record (``Ingestor``).

- ``ingestor``: an ``Arrival`` becomes a stored original with its receipt, then a read (here, under
  the time limit, or elsewhere), then a recorded document or a quarantined one, with its events;
- ``walk``: the files under the paths a batch names, in a stable order, with their folder hints;
- ``drawing_revisions``: revision chains of drawings with the same 图号.

May import: ``core.catalog``, ``core.storage``, ``core.reading``, ``core.settings``/``errors``.
The folder watcher and the service's batch ingest both call the ``Ingestor``.
"""
