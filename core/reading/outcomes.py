"""What goes into a reader and what comes out: plain values that cross process boundaries.

Kept apart from the reader itself so that the time limit, the reader pool and the ingestor can
name them without importing the reading pipeline (Haystack and every converter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemas.ingest import QuarantineCode

if TYPE_CHECKING:
    from haystack import Document


@dataclass(frozen=True)
class ReadRequest:
    """A stored, not-yet-read original: everything a reader needs, and nothing that cannot be pickled.

    The folder watcher sends these to reader processes; ``jiandang ingest`` reads them in place.
    """

    document_id: str
    blob: Path
    name: str
    size: int
    meta: dict[str, Any] = field(default_factory=dict)



@dataclass(frozen=True)
class ReadOutcome:
    """Either a read document or the reason it could not be read."""

    document: Document | None = None
    code: QuarantineCode | None = None
    reason: str | None = None
