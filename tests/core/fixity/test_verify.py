"""``jiandang verify`` finds a flipped byte, a truncated file, a missing file and a stray file, each named."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core import ArchiveService, Settings
from core.catalog import Event
from core.fixity.selection import slice_of
from schemas.fixity import FixityScope, ProblemKind
from schemas.ingest import IngestRequest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]


def _drop(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"设计变更通知单_{n:02d}.txt").write_text(
            f"设计变更通知单 第{n}号\n工程名称：某某大楼\n变更内容：外墙保温做法调整，编号 BG-{n:03d}。\n", encoding="utf-8")
    return folder


def _writable(path: Path) -> Path:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return path


@pytest.fixture
def stocked(service: ArchiveService, tmp_path: Path) -> ArchiveService:
    report = service.ingest(IngestRequest(paths=[_drop(tmp_path / "收文", 8)], project="FIX-01"))
    assert report.counts.ingested == 8
    return service


def _blob_of(service: ArchiveService, doc_id: str) -> Path:
    return service.blobs.path_for(service.show(doc_id).sha256)


def test_a_clean_store_verifies_and_every_document_gets_a_fixity_event(stocked: ArchiveService) -> None:
    report = stocked.safekeeping.verify()
    assert report.ok and report.documents == 8 and report.bytes > 0
    with stocked.catalog.session() as session:
        checks = session.scalars(select(Event).where(Event.kind == "fixity_check")).all()
    assert len(checks) == 8
    assert {c.detail["outcome"] for c in checks} == {"pass"}
    assert all(c.detail["algorithm"] == "sha256" and "jiandang verify" in c.detail["agent"] for c in checks)
    status = stocked.safekeeping.fixity_status()
    assert status.ok and status.last_full_run is not None and status.last_full_run.documents == 8


def test_flipped_truncated_missing_and_stray_are_each_named_and_exit_7(stocked: ArchiveService) -> None:
    ids = [doc.id for doc in stocked.list_documents(_all_filter(), limit=10).items]
    flipped, truncated, missing = ids[:3]
    blob = _writable(_blob_of(stocked, flipped))
    data = bytearray(blob.read_bytes())
    data[5] ^= 0x01
    blob.write_bytes(bytes(data))
    short = _writable(_blob_of(stocked, truncated))
    short.write_bytes(short.read_bytes()[:-7])
    _blob_of(stocked, missing).unlink()
    stray = stocked.blobs.root / "ab" / "cd" / "不该在这里.bin"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"nobody recorded me")

    result = subprocess.run([sys.executable, "-m", "cli.main", "verify", "--json"], cwd=REPO,
                            env=dict(os.environ, JIANDANG_HOME=str(stocked.settings.home)),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 7, result.stderr
    report = json.loads(result.stdout)
    kinds = {(p["kind"], p["document_id"]) for p in report["problems"]}
    assert kinds == {("damaged", flipped), ("truncated", truncated), ("missing", missing), ("stray", None)}
    by_kind = {p["kind"]: p for p in report["problems"]}
    assert by_kind["stray"]["path"] == str(stray)
    for kind in ("damaged", "truncated", "missing"):
        assert by_kind[kind]["original_name"] in by_kind[kind]["message"]
        assert by_kind[kind]["path"] in by_kind[kind]["message"]

    status = stocked.safekeeping.fixity_status()
    assert {p.document_id for p in status.damaged} == {flipped, truncated, missing}
    assert [p.path for p in status.stray] == [str(stray)]
    with stocked.catalog.session() as session:
        failed = session.scalars(select(Event).where(Event.document_id == flipped, Event.kind == "fixity_check")).one()
    assert failed.detail["outcome"] == "fail" and failed.detail["problem"] == ProblemKind.DAMAGED


def test_sample_and_since_choose_their_documents(stocked: ArchiveService) -> None:
    assert stocked.safekeeping.verify(FixityScope.SAMPLE, sample=3).documents == 3
    assert stocked.safekeeping.verify(FixityScope.SINCE, since=date.today() + timedelta(days=1)).documents == 0
    assert stocked.safekeeping.verify(FixityScope.SINCE, since=date.today() - timedelta(days=1)).documents == 8


def test_daily_slices_cover_every_document_once_per_cycle_and_catch_up(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", fixity_cycle_days=3)
    with ArchiveService(settings) as service:
        service.ingest(IngestRequest(paths=[_drop(tmp_path / "收文", 12)], project="FIX-02"))
        day = date(2026, 3, 1)
        first = service.safekeeping.verify_due(day)
        assert first is not None
        assert service.safekeeping.verify_due(day) is None  # today's slice is done
        later = service.safekeeping.verify_due(day + timedelta(days=2))  # a day missed: two slices now
        assert later is not None
        assert first.documents + later.documents == 12
        with service.catalog.session() as session:
            checked = session.scalars(select(Event.document_id).where(Event.kind == "fixity_check")).all()
        assert sorted(checked) == sorted({*checked}) and len(checked) == 12
        shas = [service.show(doc_id).sha256 for doc_id in checked]
        assert {slice_of(sha, 3) for sha in shas} == {0, 1, 2}
        assert service.safekeeping.fixity_status().days_covered == 3


def _all_filter():  # type: ignore[no-untyped-def]
    from core.browsing.listing import DocumentFilter

    return DocumentFilter()
