"""Storage primitives under the catalog: the store of originals and the small files beside it.

- ``blobstore``: originals, content-addressed by sha256, written once and fsynced, never modified;
- ``atomic_files``: replacing a small file (audit head, saved searches) so a crash leaves old or new;
- ``locks``: one writer per archive home, or an advisory lock in a PostgreSQL catalog (``writer_lock``), and a
  lock around a small file;
- ``full``: a write that failed on a full disk, as one ``DiskFull`` naming the path;
- ``confine``: temporaries and library caches of a jiandang process kept inside its home.

May import: ``core.errors``, the standard library and SQLAlchemy (for the advisory lock). Nothing here knows about documents.
"""
