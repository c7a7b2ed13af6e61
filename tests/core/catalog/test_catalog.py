"""The catalog: migrations from nothing, WAL mode, append-only history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from core.catalog import Catalog
from core.catalog.history import EventKind, record


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    cat.migrate()
    return cat


def test_migration_creates_every_table_and_is_idempotent(catalog: Catalog) -> None:
    catalog.migrate()
    tables = set(inspect(catalog.engine).get_table_names())
    assert {"projects", "documents", "document_texts", "receipts", "events", "alembic_version"} <= tables


def test_sqlite_runs_in_wal_mode(catalog: Catalog) -> None:
    with catalog.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_events_are_append_only(catalog: Catalog) -> None:
    with catalog.session() as session:
        record(session, None, EventKind.RECEIVED, path="监理规划.docx")
    with pytest.raises(DatabaseError, match="append-only"), catalog.engine.begin() as conn:
        conn.execute(text("UPDATE events SET kind = 'forged'"))
    with pytest.raises(DatabaseError, match="append-only"), catalog.engine.begin() as conn:
        conn.execute(text("DELETE FROM events"))
    with catalog.engine.connect() as conn:
        assert conn.execute(text("SELECT kind FROM events")).scalars().all() == ["received"]
