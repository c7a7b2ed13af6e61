"""The folder watcher: files landing in shares become documents, each exactly once.

How a watched file becomes a document: ``watcher.FolderWatcher`` (the loop) feeds events to the
stability tracker (``ingest.watch``); a stable file becomes a durable row (``jobs``), is stored by
the ``Ingestor`` (``core.intake``), read in a reader process (``core.reading.pool``), recorded
with its row settled in one commit, and indexed on ``index_thread``. ``files`` holds the rules of
a root (filters, project mapping, tidying up), ``batches`` the per-folder batch and its checksum
manifest, ``lock`` the one-watcher-per-home lock.

May import: ``core.intake``, ``core.reading``, ``core.indexing``, ``core.catalog``,
``core.storage``, ``ingest.watch``, ``schemas``. It never imports the service: the service builds
the watcher and hands it the catalog, the settings and a way to become the archive's writer.
"""
