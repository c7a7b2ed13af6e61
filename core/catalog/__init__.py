"""The catalog database: models, engine set-up and migrations."""

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
