"""What ``jiandang demo`` reports: the sample project's journey through the archive."""

from __future__ import annotations

from pydantic import Field

from schemas.base import Schema
from schemas.ingest import IngestCounts


class DemoSearch(Schema):
    query: str
    total: int
    top: list[str] = Field(default_factory=list)


class DemoClassRow(Schema):
    class_code: str
    expected: int
    filed_correctly: int


class DemoLogin(Schema):
    """The first administrator account, created by the demo only when there is none yet."""

    username: str
    password: str


class DemoReport(Schema):
    project: str
    project_name: str
    source_dir: str
    files: int
    counts: IngestCounts
    class_accuracy: float
    subclass_accuracy: float
    needs_review: int
    by_class: list[DemoClassRow] = Field(default_factory=list)
    searches: list[DemoSearch] = Field(default_factory=list)
    first_login: DemoLogin | None = Field(default=None, description="shown once: the archive had no accounts")
