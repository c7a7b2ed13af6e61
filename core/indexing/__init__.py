"""Keeping the derived search index in step with the catalog (the catalog is the truth).

- ``search_index``: the configured engine, opened on first use; recreated by the first writer
  when of an older schema; rebuilt on purpose by ``jiandang reindex``;
- ``indexer``: documents whose row says processed but not yet indexed are written, in batches;
- ``upkeep``: drift checks and repairs (``check-index``), rebuilds on a schema change, resumable
  reindexing.

May import: ``core.catalog``, ``core.settings``/``errors``, ``search`` and ``schemas``.
"""
