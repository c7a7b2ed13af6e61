"""Copying a catalog to another database (``jiandang migrate-catalog --to URL``): resumable, verified.

The usual move is an embedded SQLite archive to PostgreSQL, when an agency outgrows one machine.
The target is migrated to the newest schema first (with the checks of ``db.Catalog.migrate``),
then every table is copied in the order of its foreign keys, in batches of rows in primary-key
order, each batch committed. A copy that stops (Ctrl-C, a lost connection, ``kill -9``) goes on
from the last committed key of each table when run again; rows are never copied twice.

Then it is verified: the same number of rows in every table, the same checksum over each
table's rows (sha256 over every column of every row, in key order, on both sides), and the
audit chain of the target verifies. Integer keys of PostgreSQL tables get their sequences moved
past the copied rows, so the next insert does not collide. The originals are not copied: they
stay where ``originals_dir`` points (shared storage, for several app nodes).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, func, select, text

from core.catalog.db import Catalog
from core.catalog.engines import safe_url
from core.catalog.models import Base
from schemas.catalog_move import CatalogMoveReport, CatalogTableCopy

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass
class TableCopy:
    """One table: rows in the source, rows copied by this run, rows in the target, checksums."""

    name: str
    source_rows: int = 0
    copied: int = 0
    target_rows: int = 0
    source_sha256: str = ""
    target_sha256: str = ""

    @property
    def same(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sha256 == self.target_sha256


@dataclass
class MoveReport:
    target: str
    tables: list[TableCopy] = field(default_factory=list)
    resumed: bool = False

    @property
    def verified(self) -> bool:
        return all(table.same for table in self.tables)

    def report(self, audit_valid: bool, audit_problems: list[str]) -> CatalogMoveReport:
        """The public report, with the target's audit verification (done by the caller, in core.security)."""
        return CatalogMoveReport(
            target=self.target, resumed=self.resumed, verified=self.verified and audit_valid,
            audit_valid=audit_valid, audit_problems=audit_problems,
            tables=[CatalogTableCopy(name=t.name, source_rows=t.source_rows, copied=t.copied, target_rows=t.target_rows,
                                     checksums_match=t.source_sha256 == t.target_sha256) for t in self.tables],
        )


# Derived state each catalog keeps for itself, not archive records: the generation counter only
# says "something changed" to the caches of the nodes on that catalog (core/catalog/generation.py).
NOT_COPIED = frozenset({"catalog_generation"})


def tables_in_order() -> list[Table]:
    """Every catalog table to copy, parents before children (what a foreign key needs)."""
    return [table for table in Base.metadata.sorted_tables if table.name not in NOT_COPIED]


def _key(table: Table) -> Any:
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise ValueError(f"table {table.name} has no single-column primary key to copy by")
    return keys[0]


def _canonical(value: Any) -> str:
    """One value as text the same way on both engines (dates as ISO, JSON with sorted keys)."""
    if value is None:
        return "\x00"
    if isinstance(value, datetime):  # aware (PostgreSQL) or naive UTC (SQLite): the same instant
        return (value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _rows(catalog: Catalog, table: Table, after: Any = None) -> Iterator[list[dict[str, Any]]]:
    key = _key(table)
    while True:
        query = select(table).order_by(key).limit(BATCH)
        if after is not None:
            query = query.where(key > after)
        with catalog.engine.connect() as connection:
            batch = [dict(row._mapping) for row in connection.execute(query)]
        if not batch:
            return
        yield batch
        after = batch[-1][key.name]


def table_checksum(catalog: Catalog, table: Table) -> tuple[int, str]:
    """(rows, sha256 over every column of every row in key order)."""
    digest = hashlib.sha256()
    rows = 0
    columns = [column.name for column in table.columns]
    for batch in _rows(catalog, table):
        for row in batch:
            rows += 1
            for column in columns:
                digest.update(_canonical(row[column]).encode("utf-8"))
                digest.update(b"\x1f")
            digest.update(b"\x1e")
    return rows, digest.hexdigest()


def _last_key(catalog: Catalog, table: Table) -> Any:
    with catalog.engine.connect() as connection:
        return connection.execute(select(func.max(_key(table)))).scalar()


def copy_catalog(source: Catalog, target: Catalog, progress: Callable[[str, int], None] | None = None) -> MoveReport:
    """Copy ``source`` into ``target`` (migrated first), resuming where a previous run stopped, then verify."""
    target.migrate()
    report = MoveReport(target=safe_url(target.url))
    for table in tables_in_order():
        copy = TableCopy(table.name)
        after = _last_key(target, table)
        report.resumed = report.resumed or after is not None
        for batch in _rows(source, table, after):
            with target.engine.begin() as connection:
                connection.execute(table.insert(), batch)
            copy.copied += len(batch)
            if progress:
                progress(table.name, len(batch))
        report.tables.append(copy)
        logger.info("copied %d row(s) of %s", copy.copied, table.name)
    if target.is_postgres:
        _move_sequences(target)
    for copy in report.tables:
        table = Base.metadata.tables[copy.name]
        copy.source_rows, copy.source_sha256 = table_checksum(source, table)
        copy.target_rows, copy.target_sha256 = table_checksum(target, table)
    return report


def _move_sequences(target: Catalog) -> None:
    """Integer keys: the next generated value comes after the copied rows."""
    with target.engine.begin() as connection:
        for table in tables_in_order():
            key = _key(table)
            if key.type.python_type is not int or not key.autoincrement:
                continue
            sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": table.name, "c": key.name}).scalar()
            if sequence:
                connection.execute(text(f"SELECT setval('{sequence}', COALESCE((SELECT max({key.name}) FROM "
                                        f"{table.name}), 0) + 1, false)"))
