"""The catalog on a real PostgreSQL: migrations, append-only triggers, refusals at start, locks.

The server is started by the ``pg_server`` fixture (tests/pgserver.py); nothing is mocked.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from core import ArchiveService, Settings
from core.catalog import Catalog
from core.catalog.history import EventKind, record
from core.errors import ConfigError, StorageError
from core.storage.locks import writer_lock
from tests.pgserver import PgServer, free_port

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def test_every_migration_runs_on_an_empty_database_and_again(pg_empty_url: str) -> None:
    catalog = Catalog(pg_empty_url)
    catalog.migrate()
    catalog.migrate()
    tables = set(inspect(catalog.engine).get_table_names())
    assert {"projects", "documents", "document_texts", "receipts", "events", "jobs", "users", "audit_log",
            "project_profiles", "waivers", "confirmations", "alembic_version"} <= tables
    columns = {c["name"]: c for c in inspect(catalog.engine).get_columns("jobs")}
    assert "owner" in columns and str(columns["mtime_ns"]["type"]) == "BIGINT", "nanoseconds need 64 bits"
    catalog.dispose()


@pytest.mark.parametrize("table", ["events", "audit_log"])
def test_history_tables_refuse_update_delete_and_truncate(pg_url: str, table: str) -> None:
    catalog = Catalog(pg_url)
    with catalog.session() as session:
        record(session, None, EventKind.RECEIVED, path="监理规划.docx")
    if table == "audit_log":
        from core.security.audit import AuditLog

        AuditLog(catalog).append("张三", "search", None, query={"text": "防水"})
    for statement in (f"UPDATE {table} SET at = at", f"DELETE FROM {table}", f"TRUNCATE {table} CASCADE"):
        with pytest.raises(DatabaseError, match="append-only"), catalog.engine.begin() as conn:
            conn.execute(text(statement))
    with catalog.engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
    catalog.dispose()


def test_auditors_corrections_and_published_disclosures_cannot_change(pg_url: str) -> None:
    """The append-only rules of issues 17 and 18 hold in the database itself, on PostgreSQL too."""
    catalog = Catalog(pg_url)
    with catalog.engine.begin() as conn:
        project = conn.execute(text("INSERT INTO projects (code, name, created_at) VALUES ('PG-审', '审计楼', now()) RETURNING id")).scalar()
        conn.execute(text("INSERT INTO oversight_corrections (project_id, name, value, reason, who, at) "
                          "VALUES (:p, 'approved_budget', '100', '核对原件', '审计员', '2026-12-07T00:00:00Z')"),
                     {"p": project})
        conn.execute(text("INSERT INTO disclosure_versions (project_id, number, state, content, decisions, created_at, "
                          "created_by) VALUES (:p, 1, 'published', '{}', '{}', now(), '档案员')"), {"p": project})
    for statement in ("UPDATE oversight_corrections SET reason = '改'", "DELETE FROM oversight_corrections",
                      "TRUNCATE oversight_corrections", "UPDATE disclosure_versions SET content = '{\"a\": 1}'",
                      "DELETE FROM disclosure_versions"):
        with pytest.raises(DatabaseError, match=r"append-only|cannot change"), catalog.engine.begin() as conn:
            conn.execute(text(statement))
    catalog.dispose()


# --- bad configuration is refused at start, naming the setting ---------------------------------------
def test_an_unreachable_server_is_refused_naming_database_url(tmp_path: Path) -> None:
    url = f"postgresql://jiandang@127.0.0.1:{free_port()}/jiandang"
    with pytest.raises(ConfigError, match="database_url") as refused:
        ArchiveService(Settings(home=tmp_path / "home", database_url=url))
    assert "cannot connect" in refused.value.message


def test_a_database_with_the_c_ctype_is_refused(pg_server: PgServer) -> None:
    pg_server.sql("CREATE DATABASE ctype_c ENCODING 'UTF8' LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0")
    try:
        with pytest.raises(ConfigError, match="database_url") as refused:
            Catalog(pg_server.url("ctype_c")).migrate()
        assert "LC_CTYPE 'C'" in refused.value.message and "C.UTF-8" in refused.value.message
    finally:
        pg_server.sql("DROP DATABASE ctype_c WITH (FORCE)")


def test_a_schema_newer_than_the_program_is_refused(pg_url: str) -> None:
    catalog = Catalog(pg_url)
    with catalog.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(ConfigError, match="newer") as refused:
        catalog.migrate()
    assert "database_url" in refused.value.message and "'9999'" in refused.value.message
    catalog.dispose()


def test_a_user_who_may_not_create_tables_is_refused(pg_server: PgServer, pg_empty_url: str) -> None:
    database = pg_empty_url.rsplit("/", 1)[1]
    pg_server.sql("DO $$ BEGIN CREATE ROLE reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    pg_server.sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC", database=database)
    with pytest.raises(ConfigError, match="database_url") as refused:
        Catalog(pg_server.url(database, user="reader")).migrate()
    assert "may not create" in refused.value.message


# --- the audit chain with concurrent appenders ---------------------------------------------------------
def _append_many(url: str, who: str, count: int) -> None:
    from core.security.audit import AuditLog

    catalog = Catalog(url)
    log = AuditLog(catalog)
    for n in range(count):
        log.append(who, "search", None, n=n)
    catalog.dispose()


def test_concurrent_appenders_in_four_processes_keep_the_chain_gap_free(pg_url: str) -> None:
    from core.security.audit import AuditLog

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(pg_url, f"节点{i}", 40)) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    catalog = Catalog(pg_url)
    report = AuditLog(catalog).verify()
    assert report.valid, report.problems
    assert report.checked == 160 and report.head_seq == 160
    catalog.dispose()


# --- the writer lock is an advisory lock ---------------------------------------------------------------
def _hold_writer_lock(url: str, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    catalog = Catalog(url)
    with writer_lock(Path("/nonexistent"), database=catalog.engine):
        ready.set()
        time.sleep(600)


def test_the_writer_lock_waits_for_a_holder_and_a_killed_holder_lets_go(pg_url: str, tmp_path: Path) -> None:
    catalog = Catalog(pg_url)
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    holder = context.Process(target=_hold_writer_lock, args=(pg_url, ready))
    holder.start()
    try:
        assert ready.wait(60)
        with pytest.raises(StorageError, match="timed out"), writer_lock(tmp_path, 0.5, database=catalog.engine):
            pass
        holder.kill()  # SIGKILL: the server notices the connection is gone and drops the lock
        holder.join(10)
        with writer_lock(tmp_path, 30, database=catalog.engine):
            pass
    finally:
        holder.kill()
        catalog.dispose()


def test_shared_writers_work_side_by_side_and_a_rebuild_waits_for_them(pg_url: str, tmp_path: Path) -> None:
    catalog = Catalog(pg_url)
    inside = threading.Barrier(2, timeout=10)

    def writer() -> None:
        with writer_lock(tmp_path, 10, database=catalog.engine, shared=True):
            inside.wait()  # both are inside at once
            inside.wait()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not inside.broken
    with (writer_lock(tmp_path, 5, database=catalog.engine, shared=True),
          pytest.raises(StorageError, match="timed out"),
          writer_lock(tmp_path, 0.5, database=catalog.engine)):
        pass
    catalog.dispose()
