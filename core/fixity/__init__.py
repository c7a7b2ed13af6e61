"""Fixity of the store: re-hash stored originals, compare with the catalog, record what was found.

- ``hashing``: streaming sha256 of many files on every core (hashlib releases the GIL);
- ``selection``: which documents a run checks (all, a sample, since a date, the day's slice);
- ``checker``: the run itself, a PREMIS-style fixity event per document, the store searched for
  files nobody recorded;
- ``status``: the last runs and the open damage, for the dashboard;
- ``daily``: the slice ``jiandang serve`` checks each day so the whole store is re-hashed every
  ``fixity_cycle_days``.

May import: ``core.catalog``, ``core.storage``, ``core.errors``, ``schemas``. Repairing a damaged
original from a backup lives in ``core.backup`` (it needs a backup); this room only finds damage.
"""
