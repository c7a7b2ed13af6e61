"""Backups of a running archive, bringing one back on another machine, repairing from one.

- ``layout``: the backup folder (snapshots, one content-addressed store of originals, ``LATEST``),
  its lock, and the sweep of what an interrupted backup left;
- ``engines``: the catalog's consistent snapshot, one engine at a time (SQLite's online backup
  API; PostgreSQL is refused with what to use instead) and reading a snapshot without opening it
  as a live catalog;
- ``copying``: originals copied by content address, each copy hashed and checked;
- ``taking``: ``jiandang backup``; ``checking``: ``jiandang verify-backup``;
- ``restoring``: the file half of ``jiandang restore`` (the service rebuilds the index after it);
- ``repair``: a damaged or missing original put back from a backup, recorded in its history.

May import: ``core.catalog``, ``core.storage``, ``core.security`` (the audit chain's check), ``core.indexing``
(the index rebuilt on restore), ``core.settings``,
``core.fixity`` (hashing, fixity events), ``core.errors``, ``schemas``.
"""
