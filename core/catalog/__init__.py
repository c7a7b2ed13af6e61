"""The catalog: the source of truth for what the archive holds.

- ``models`` (SQLAlchemy 2) and ``migrations`` (Alembic, run on open by ``db.Catalog``);
- ``history``: the event log, every action on a document an append-only row;
- ``lookups``: finding a document the way people name it (id or unique prefix);
- ``mapping``: rows → the public shapes of ``schemas`` (the boundary of core).

May import: ``core.errors``, ``schemas`` and SQLAlchemy/Alembic; nothing else in core.
"""

from core.catalog.db import Catalog
from core.catalog.models import (
    Base,
    Document,
    DocumentStatus,
    DocumentText,
    Event,
    Job,
    JobState,
    Project,
    Receipt,
)

__all__ = [
    "Base",
    "Catalog",
    "Document",
    "DocumentStatus",
    "DocumentText",
    "Event",
    "Job",
    "JobState",
    "Project",
    "Receipt",
]
