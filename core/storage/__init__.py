"""Storage primitives under the catalog: the store of originals and the small files beside it.

- ``blobstore``: originals, content-addressed by sha256, written once and fsynced, never modified;
- ``atomic_files``: replacing a small file (audit head, saved searches) so a crash leaves old or new;
- ``locks``: one writer per archive home (``writer_lock``) and a lock around a small file.

May import: ``core.errors`` and the standard library. Nothing here knows about documents.
"""
