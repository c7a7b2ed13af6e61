"""The hash-chained audit trail: appends link up; edits, insertions and deletions are found."""

from __future__ import annotations

import sqlite3

import pytest

from core.security.audit import GENESIS, AuditLog, entry_hash


@pytest.fixture
def audit(service) -> AuditLog:  # type: ignore[no-untyped-def]
    log = service.audit
    for n, who in enumerate(["张三", "李四", "王五", "赵六"], start=1):
        log.append(who, "search", None, query={"text": f"设计变更{n}"})
    return log


def _db(service) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    db = sqlite3.connect(service.settings.home / "catalog.sqlite3")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    return db


def test_entries_chain_from_genesis_and_verify(audit: AuditLog) -> None:
    page = audit.page(limit=10)
    assert [e.seq for e in page.items] == [4, 3, 2, 1]
    first = page.items[-1]
    assert first.prev_hash == GENESIS and page.items[-2].prev_hash == first.entry_hash
    assert first.detail == {"query": {"text": "设计变更1"}}
    report = audit.verify()
    assert report.valid and report.checked == 4 and report.head_seq == 4


def test_the_database_refuses_edits_outright(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    db = sqlite3.connect(service.settings.home / "catalog.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit_log WHERE seq = 1")


def test_an_edited_entry_is_found(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    db = _db(service)
    db.execute("UPDATE audit_log SET actor = '无名氏' WHERE seq = 2")
    db.commit()
    report = audit.verify()
    assert not report.valid and report.problems == ["entry 2: content does not match its hash (edited)"]


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    db = _db(service)
    seq, at, action, target, detail, prev = db.execute(
        "SELECT seq, at, action, target, detail, prev_hash FROM audit_log WHERE seq = 2").fetchone()
    forged = entry_hash(seq, at, "无名氏", action, target, detail, prev)
    db.execute("UPDATE audit_log SET actor = '无名氏', entry_hash = ? WHERE seq = 2", (forged,))
    db.commit()
    assert any(p.startswith("entry 3: does not link") for p in audit.verify().problems)


def test_a_deleted_entry_is_found(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    db = _db(service)
    db.execute("DELETE FROM audit_log WHERE seq = 2")
    db.commit()
    problems = audit.verify().problems
    assert any("entries deleted or inserted" in p for p in problems)


def test_dropping_the_newest_entries_is_found_by_the_head_file(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    db = _db(service)
    db.execute("DELETE FROM audit_log WHERE seq >= 3")
    db.commit()
    report = audit.verify()
    assert not report.valid and "entries deleted" in report.problems[0]


def test_an_inserted_entry_is_found(service, audit: AuditLog) -> None:  # type: ignore[no-untyped-def]
    db = _db(service)
    db.execute("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3")  # make room, as a forger would
    db.execute("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000")
    db.execute("INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, entry_hash) "
               "VALUES (3, '2026-01-01T00:00:00.000000Z', '张三', 'login', NULL, '{}', ?, ?)", ("0" * 64, "1" * 64))
    db.commit()
    assert not audit.verify().valid
