"""backup → restore on a fresh home gives the same archive; a backup is verifiable; a refusal is clear."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.errors import InputError, StorageError
from samples import generate_corpus
from schemas.fixity import ProblemKind
from schemas.ingest import IngestRequest
from schemas.search import SearchQuery

pytestmark = pytest.mark.integration

# `jiandang backup` snapshots a SQLite catalog only; a PostgreSQL catalog is refused (pg_dump) and
# its refusal is tested below and in test_backup_postgres.py, on either catalog.
TAKES_A_SNAPSHOT = pytest.mark.sqlite_only("takes a backup: the catalog snapshot is SQLite's online backup of "
                                           "catalog.sqlite3; a PostgreSQL catalog is refused (README \"Backups\")")

REPO = Path(__file__).resolve().parents[3]
QUERIES = ["设计变更", "施工", "验收", "监理", "混凝土", "合同", "工程", "图纸", "钢筋 OR 模板", '"施工单位" -监理']


def _originals(service: ArchiveService) -> dict[str, str]:
    """document id → sha256 of the stored bytes, hashed now (not what the catalog says)."""
    out = {}
    with service.catalog.session() as session:
        from core.catalog import Document

        for doc_id, sha in session.query(Document.id, Document.sha256).all():
            out[doc_id] = hashlib.sha256(service.blobs.path_for(sha).read_bytes()).hexdigest()
    return out


def _totals(service: ArchiveService) -> list[int]:
    return [service.search(SearchQuery(text=q)).total for q in QUERIES]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of a generated project, with accounts, audited searches, a saved search and settings."""
    work = tmp_path_factory.mktemp("archive")
    generate_corpus(work / "drop", n=24, seed=5, write_manifest=False)
    home = work / "home"
    home.mkdir()
    (home / "jiandang.toml").write_text(f'home = "{home}"\nreview_threshold = 0.45\n', encoding="utf-8")
    with ArchiveService(Settings(home=home)) as service:
        report = service.ingest(IngestRequest(paths=[work / "drop"], project="BK-01"))
        assert report.counts.ingested >= 20
        service.accounts.add_user("lishi", "auditor", "口令-123456")
        for query in QUERIES[:3]:
            service.search(SearchQuery(text=query), user="lishi")
        service.saved_searches.add("变更", SearchQuery(text="设计变更"), "lishi")
    return home


@TAKES_A_SNAPSHOT
def test_restore_on_a_fresh_home_gives_the_same_archive(archive: Path, tmp_path: Path) -> None:
    with ArchiveService(Settings(home=archive)) as service:
        backup = service.safekeeping.backup(tmp_path / "备份")
        assert not backup.problems and backup.originals_copied == backup.originals == backup.documents
        check = service.safekeeping.verify_backup(tmp_path / "备份")
        assert check.valid, check.problems
        before = (service.status().documents, _originals(service), _totals(service), service.audit.head())
    assert sum(before[2]) > 0

    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "restore", str(tmp_path / "备份"), "--home", str(tmp_path / "新家"), "--json"],
        cwd=REPO, env=dict(os.environ, JIANDANG_HOME=str(tmp_path / "elsewhere")), capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["audit_valid"] and report["documents"] == before[0] and report["originals"] == before[0]
    assert "jiandang.toml" in report["files"] and "saved_searches.json" in report["files"]
    assert any("home" in note for note in report["notes"])  # the old machine's home was commented out

    with ArchiveService(Settings(home=tmp_path / "新家")) as restored:
        after = (restored.status().documents, _originals(restored), _totals(restored), restored.audit.head())
        assert restored.audit.verify().valid
        assert [s.name for s in restored.saved_searches.list().searches] == ["变更"]
        assert restored.accounts.users()[0].username == "lishi"
    assert after == before
    config = (tmp_path / "新家" / "jiandang.toml").read_text(encoding="utf-8")
    assert "review_threshold = 0.45" in config and f'# (jiandang restore) home = "{archive}"' in config


@TAKES_A_SNAPSHOT
def test_restore_refuses_a_home_that_is_not_empty(archive: Path, tmp_path: Path) -> None:
    with ArchiveService(Settings(home=archive)) as service:
        service.safekeeping.backup(tmp_path / "备份")
    occupied = tmp_path / "有人"
    occupied.mkdir()
    (occupied / "别的东西.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        ArchiveService.restore(tmp_path / "备份", occupied)
    assert ArchiveService.restore(tmp_path / "备份", occupied, force=True).audit_valid


@TAKES_A_SNAPSHOT
def test_a_second_backup_copies_only_new_originals_and_a_damaged_copy_is_found(archive: Path, tmp_path: Path) -> None:
    with ArchiveService(Settings(home=archive)) as service:
        first = service.safekeeping.backup(tmp_path / "备份")
        second = service.safekeeping.backup(tmp_path / "备份")
        assert second.originals_copied == 0 and second.bytes_copied == 0 and second.snapshot != first.snapshot
        some_sha = service.show(service.list_documents(_everything(), limit=1).items[0].id).sha256
    copy = tmp_path / "备份" / "originals" / some_sha[:2] / some_sha[2:4] / some_sha
    os.chmod(copy, stat.S_IRUSR | stat.S_IWUSR)
    copy.write_bytes(b"rot" + copy.read_bytes()[3:])
    result = subprocess.run([sys.executable, "-m", "cli.main", "verify-backup", str(tmp_path / "备份"), "--json"],
                            cwd=REPO, env=dict(os.environ, JIANDANG_HOME=str(archive)), capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 7, result.stderr
    problems = json.loads(result.stdout)["problems"]
    assert [p["path"] for p in problems] == [str(copy)]


@TAKES_A_SNAPSHOT
def test_a_damaged_original_is_repaired_from_the_backup_and_the_repair_recorded(tmp_path: Path) -> None:
    source = tmp_path / "收文"
    source.mkdir()
    for n in range(3):
        (source / f"会议纪要_{n}.txt").write_text(f"第{n}次工地例会会议纪要：讨论外墙保温。", encoding="utf-8")
    with ArchiveService(Settings(home=tmp_path / "home")) as service:
        service.ingest(IngestRequest(paths=[source], project="RP-01"))
        service.safekeeping.backup(tmp_path / "备份")
        doc = service.list_documents(_everything(), limit=1).items[0]
        blob = service.blobs.path_for(service.show(doc.id).sha256)
        os.chmod(blob, stat.S_IRUSR | stat.S_IWUSR)
        blob.write_bytes(blob.read_bytes()[:-2] + b"!!")
        assert [p.kind for p in service.safekeeping.verify().problems] == [ProblemKind.DAMAGED]
        assert service.safekeeping.fixity_status().damaged
        repaired = service.safekeeping.verify(repair_from=tmp_path / "备份", user="管理员")
        assert repaired.repaired == [doc.id] and not repaired.problems
        assert service.safekeeping.verify().ok and not service.safekeeping.fixity_status().damaged
        assert "fixity_repair" in [event.kind for event in service.show(doc.id).events]
        assert service.audit.page(action="fixity.repair").total == 1


def test_a_postgresql_catalog_is_refused_with_what_to_use(tmp_path: Path) -> None:
    from core.backup.engines import engine_for

    with pytest.raises(StorageError, match="pg_dump --format=custom") as raised:
        engine_for("postgresql+psycopg://jd:secret@localhost/jiandang")
    assert "pg_basebackup" in raised.value.message and "未写出任何备份" in raised.value.message
    assert "secret" not in str(raised.value.subject["url"])


@pytest.mark.postgres
def test_jiandang_backup_on_a_postgresql_catalog_refuses_in_chinese_and_writes_nothing(pg_url: str,
                                                                                      tmp_path: Path) -> None:
    """A real archive on a real PostgreSQL: the command names the documented path and exits 5,
    and the destination is left as it was (no snapshot, no originals, no lock file).
    """
    home, drop = tmp_path / "home", tmp_path / "收文"
    drop.mkdir()
    (drop / "会议纪要.txt").write_text("第一次工地例会会议纪要：讨论基坑支护。", encoding="utf-8")
    env = dict(os.environ, JIANDANG_HOME=str(home), JIANDANG_DATABASE_URL=pg_url)
    with ArchiveService(Settings(home=home, database_url=pg_url)) as service:
        service.ingest(IngestRequest(paths=[drop], project="PG-01"))
        with pytest.raises(StorageError, match="pg_dump"):
            service.safekeeping.backup(tmp_path / "服务备份")
    assert not (tmp_path / "服务备份").exists()
    result = subprocess.run([sys.executable, "-m", "cli.main", "backup", str(tmp_path / "备份")], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 5, result.stdout + result.stderr
    said = "".join(result.stderr.split())  # the console wraps the line anywhere in Chinese: compare without spaces
    for words in ("目录库在PostgreSQL中", "未写出任何备份", "pg_dump--format=custom", "pg_basebackup", "rsync",
                  "jiandangcheck-index"):
        assert words in said, said
    assert not (tmp_path / "备份").exists()


def _everything():  # type: ignore[no-untyped-def]
    from core.browsing.listing import DocumentFilter

    return DocumentFilter()
