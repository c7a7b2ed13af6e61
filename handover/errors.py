"""What can go wrong while writing a bundle. Core maps these onto its own error tree.

``handover`` may not import ``core``, so it has its own small tree; every error names its subject
(``path``) so the CLI and the API can word it.
"""

from __future__ import annotations


class HandoverError(Exception):
    """Base of the bundle builder's errors."""

    def __init__(self, message: str, **subject: object) -> None:
        super().__init__(message)
        self.message = message
        self.subject = subject


class OutputExists(HandoverError):
    """The output path already holds something that is not this bundle's interrupted run."""


class OriginalMissing(HandoverError):
    """A stored original the catalog lists is not in the store."""


class OriginalDamaged(HandoverError):
    """A stored original does not hash to the checksum recorded at ingest."""


class BundleNotFound(HandoverError):
    """``verify-bundle`` was given a path that is neither a bag folder nor a zipped bag."""


class ManifestInvalid(HandoverError):
    """The manifest about to be written breaks its own schema (a bug, never the user's fault)."""
