"""The one error tree of jiandang. The CLI maps it to exit codes, the API to HTTP statuses.

::

    ArchiveError                      anything jiandang reports instead of a traceback
    ├── ConfigError                   settings or data files are unusable (taxonomy, config)
    ├── InputError                    the caller asked for something malformed
    │   ├── PathNotFound              a path given to ingest/classify does not exist
    │   ├── InvalidQuery              a search query that does not parse (says where)
    │   ├── StateConflict             the thing is not in a state that allows this (a disclosure not yet approved)
    │   └── TooLarge                  an upload over the configured size limit
    ├── NotFound                      a thing that does not exist
    │   ├── DocumentNotFound
    │   └── ProjectNotFound
    ├── StorageError                  the catalog or the store of originals failed
    │   ├── FixityError               a stored original no longer matches its checksum
    │   └── DiskFull                  a disk the archive writes to is full (names the path)
    ├── SearchIndexError              the search index failed (it can be rebuilt: ``reindex``)
    └── AccessError                   who is asking may not do this (accounts, core/security/accounts.py)
        ├── AuthenticationFailed      no, unknown, revoked or expired credentials
        ├── TooManyAttempts           login rate limit reached; try again later
        └── PermissionDenied          known user, but the role does not allow this

Per-file ingest problems (corrupt, encrypted, empty, unsupported, too large) are *not* errors of a
command: they become quarantine records in the batch report, and the batch goes on.
Errors carry their subject as fields (``path``, ``doc_id``) so both skins can word them.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of everything jiandang reports to a user instead of a traceback."""

    def __init__(self, message: str, **subject: object) -> None:
        super().__init__(message)
        self.message = message
        self.subject = subject


class ConfigError(ArchiveError):
    """Settings, the taxonomy or another data file cannot be used."""


class InputError(ArchiveError):
    """The caller's input is malformed."""


class PathNotFound(InputError):
    """A path named on the command line or in a request does not exist."""


class InvalidQuery(InputError):
    """A search query does not parse; ``position`` says where it went wrong."""


class StateConflict(InputError):
    """The thing exists but its state does not allow this step (publishing an unapproved
    disclosure, editing a published one).
    """


class NotFound(ArchiveError):
    """The named thing does not exist."""


class DocumentNotFound(NotFound):
    """No document with this id."""


class ProjectNotFound(NotFound):
    """No project with this code."""


class StorageError(ArchiveError):
    """The catalog or the store of originals failed."""


class FixityError(StorageError):
    """A stored original does not match its recorded checksum (damage or tampering)."""


class DiskFull(StorageError):
    """A write failed because the disk is full; nothing half-written was kept (``core.storage.full``)."""


class SearchIndexError(ArchiveError):
    """The search index failed; it is derived data and ``jiandang reindex`` rebuilds it."""


# --- accounts, roles and uploads (api/, core/security/accounts.py) ------------------------------------
class AlreadyExists(InputError):
    """The thing to create is there already (a user name taken)."""


class TooLarge(InputError):
    """A request body or upload is over the configured size limit."""


class AccessError(ArchiveError):
    """The caller may not do this: unknown, unauthenticated or not allowed."""


class AuthenticationFailed(AccessError):
    """No credentials, wrong password, or an unknown, revoked or expired token."""


class TooManyAttempts(AccessError):
    """Too many failed logins for this account in the rate-limit window."""


class PermissionDenied(AccessError):
    """The account is known but its role does not grant this permission."""
