"""Fixity of the store: what ``jiandang verify`` found, and what the dashboard shows of it.

A fixity check re-hashes stored originals and compares each with the sha256 the catalog recorded
when the file arrived. Every checked document gets a PREMIS-style event in its history (when, the
outcome, the agent that checked); a run's summary says what was checked and every problem found,
each naming the document and the file in the store.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas.base import Schema
from schemas.timestamps import UtcDateTime


class FixityScope(StrEnum):
    """Which originals a run re-hashes."""

    ALL = "all"  # every document, and the store is searched for files nobody recorded
    SAMPLE = "sample"  # N documents drawn at random
    SINCE = "since"  # documents received on or after a date
    DAILY = "daily"  # the day's slice of the cycle (``jiandang serve``)


class ProblemKind(StrEnum):
    DAMAGED = "damaged"  # same size, different bytes (a flipped bit, an edit)
    TRUNCATED = "truncated"  # shorter (or longer) than when it was stored
    MISSING = "missing"  # the catalog names it, the store does not have it
    STRAY = "stray"  # a file in the store that no document names
    UNREADABLE = "unreadable"  # there, but the disk refused to give its bytes


class FixityProblem(Schema):
    """One thing wrong in the store, named so an administrator can act on it."""

    kind: ProblemKind
    path: str
    document_id: str | None = None
    original_name: str | None = None
    expected_sha256: str | None = None
    actual_sha256: str | None = None
    expected_size: int | None = None
    actual_size: int | None = None
    message: str


class FixityReport(Schema):
    """The ``--json`` shape of ``jiandang verify``: what was checked and what was wrong."""

    run_id: str
    scope: FixityScope
    started_at: UtcDateTime
    finished_at: UtcDateTime
    documents: int = Field(description="documents re-hashed")
    bytes: int = Field(description="bytes read and hashed")
    seconds: float
    problems: list[FixityProblem] = Field(default_factory=list)
    repaired: list[str] = Field(default_factory=list, description="document ids restored from a backup")

    @property
    def ok(self) -> bool:
        return not self.problems


class FixityRunSummary(Schema):
    """A past run as the catalog remembers it."""

    run_id: str
    scope: FixityScope
    finished_at: UtcDateTime
    documents: int
    bytes: int
    seconds: float
    problems: int


class FixityStatus(Schema):
    """What the dashboard shows: the last checks, how far the daily cycle has come, and open damage.

    ``damaged`` lists the problems of documents whose most recent check failed and that have not
    been repaired or passed a check since; ``stray`` the unexpected files the last full run found.
    """

    last_run: FixityRunSummary | None = None
    last_full_run: FixityRunSummary | None = None
    last_daily_run: FixityRunSummary | None = None
    cycle_days: int
    days_covered: int = Field(description="daily slices checked within the last cycle_days days")
    documents: int = Field(description="documents in the catalog")
    damaged: list[FixityProblem] = Field(default_factory=list)
    stray: list[FixityProblem] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.stray
