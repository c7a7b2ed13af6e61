"""The hash-chained audit trail: appends link up; edits, insertions and deletions are found."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DatabaseError

from core.security.audit import GENESIS, AuditLog, entry_hash


@pytest.fixture
def audit(service) -> AuditLog:  # type: ignore[no-untyped-def]
    log = service.audit
    for n, who in enumerate(["张三", "李四", "王五", "赵六"], start=1):
        log.append(who, "search", None, query={"text": f"设计变更{n}"})
    return log


@contextmanager
def _forger(service) -> Iterator[Connection]:  # type: ignore[no-untyped-def]
    """A connection to the catalog (SQLite or PostgreSQL) with the append-only triggers dropped,
    as someone with full access to the database could; committed when the block ends.
    """
    with service.catalog.engine.begin() as db:
        on = " ON audit_log" if db.dialect.name == "postgresql" else ""
        for kind in ("update", "delete"):
            db.execute(text(f"DROP TRIGGER audit_log_no_{kind}{on}"))
        yield db


def test_entries_chain_from_genesis_and_verify(audit: AuditLog) -> None:
    page = audit.page(limit=10)
    assert [e.seq for e in page.items] == [4, 3, 2, 1]
    first = page.items[-1]
    assert first.prev_hash == GENESIS and page.items[-2].prev_hash == first.entry_hash
    assert first.detail == {"query": {"text": "设计变更1"}}
    report = audit.verify()
    assert report.valid and report.checked == 4 and report.head_seq == 4


def test_the_database_refuses_edits_outright(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    for statement in ("DELETE FROM audit_log WHERE seq = 1", "UPDATE audit_log SET actor = 'x'"):
        with pytest.raises(DatabaseError, match="append-only"), service.catalog.engine.begin() as db:
            db.execute(text(statement))
    assert audit.verify().valid


def test_an_edited_entry_is_found(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    with _forger(service) as db:
        db.execute(text("UPDATE audit_log SET actor = '无名氏' WHERE seq = 2"))
    report = audit.verify()
    assert not report.valid and report.problems == ["entry 2: content does not match its hash (edited)"]


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    with _forger(service) as db:
        seq, at, action, target, detail, prev = db.execute(text(
            "SELECT seq, at, action, target, detail, prev_hash FROM audit_log WHERE seq = 2")).one()
        forged = entry_hash(seq, at, "无名氏", action, target, detail, prev)
        db.execute(text("UPDATE audit_log SET actor = '无名氏', entry_hash = :h WHERE seq = 2"), {"h": forged})
    assert any(p.startswith("entry 3: does not link") for p in audit.verify().problems)


def test_a_deleted_entry_is_found(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    with _forger(service) as db:
        db.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    problems = audit.verify().problems
    assert any("entries deleted or inserted" in p for p in problems)


def test_dropping_the_newest_entries_is_found_by_the_head_file(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    with _forger(service) as db:
        db.execute(text("DELETE FROM audit_log WHERE seq >= 3"))
    report = audit.verify()
    assert not report.valid and "entries deleted" in report.problems[0]


def test_an_inserted_entry_is_found(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    with _forger(service) as db:
        db.execute(text("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3"))  # make room, as a forger would
        db.execute(text("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000"))
        db.execute(text("INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, entry_hash) "
                        "VALUES (3, '2026-01-01T00:00:00.000000Z', '张三', 'login', NULL, '{}', :p, :h)"),
                   {"p": "0" * 64, "h": "1" * 64})
    assert not audit.verify().valid
