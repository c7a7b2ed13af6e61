"""What ``jiandang migrate-catalog`` reports: per table, rows on both sides and whether they match."""

from __future__ import annotations

from pydantic import Field

from schemas.base import Schema


class CatalogTableCopy(Schema):
    name: str
    source_rows: int
    copied: int = Field(description="rows copied by this run (a resumed run copies only the rest)")
    target_rows: int
    checksums_match: bool


class CatalogMoveReport(Schema):
    target: str = Field(description="the target database, password hidden")
    resumed: bool = Field(description="an earlier, interrupted copy was continued")
    verified: bool = Field(description="every table's count and checksum match and the audit chain verifies")
    audit_valid: bool
    audit_problems: list[str] = Field(default_factory=list)
    tables: list[CatalogTableCopy] = Field(default_factory=list)
