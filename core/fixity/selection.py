"""Which documents a fixity run re-hashes.

The daily slice is decided by the content hash, not by remembered state: document *d* belongs
to slice ``int(sha256[:8], 16) mod cycle_days``, and day *n* (days since 0001-01-01) checks
slice ``n mod cycle_days``. Every document is therefore re-hashed once per cycle, a new document
joins a slice without bookkeeping, and slices are about equal in size (sha256 is uniform).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from core.catalog import Catalog, Document


@dataclass(frozen=True)
class Target:
    """One document to check: what the catalog recorded when its original arrived."""

    document_id: str
    sha256: str
    size: int
    original_name: str


def _targets(catalog: Catalog, since: date | None = None) -> list[Target]:
    query = select(Document.id, Document.sha256, Document.size, Document.original_name).order_by(Document.id)
    if since is not None:
        query = query.where(Document.received_at >= datetime(since.year, since.month, since.day, tzinfo=UTC))
    with catalog.session() as session:
        return [Target(*row) for row in session.execute(query).all()]


def everything(catalog: Catalog) -> list[Target]:
    return _targets(catalog)


def received_since(catalog: Catalog, since: date) -> list[Target]:
    return _targets(catalog, since)


def sample(catalog: Catalog, count: int, rng: random.Random | None = None) -> list[Target]:
    targets = _targets(catalog)
    if count >= len(targets):
        return targets
    chosen = (rng or random.SystemRandom()).sample(targets, count)
    return sorted(chosen, key=lambda target: target.document_id)


def slice_of(sha256: str, cycle_days: int) -> int:
    return int(sha256[:8], 16) % cycle_days


def daily_slices(catalog: Catalog, days: list[date], cycle_days: int) -> list[Target]:
    """The documents of the slices that ``days`` check (several days: catching up after a pause)."""
    wanted = {day.toordinal() % cycle_days for day in days}
    return [target for target in _targets(catalog) if slice_of(target.sha256, cycle_days) in wanted]


def targets_for(catalog: Catalog, scope: str, count: int | None = None, since: date | None = None) -> list[Target]:
    """The documents of a ``jiandang verify`` run: all, a random sample of ``count``, or received since."""
    if scope == "sample":
        return sample(catalog, count or 0)
    if scope == "since":
        assert since is not None
        return received_since(catalog, since)
    return everything(catalog)
