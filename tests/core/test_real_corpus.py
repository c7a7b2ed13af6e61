"""The real construction documents of ../shared/corpus/real, copied to a temp folder at run time.

Every file must end up archived with text or quarantined with a specific reason; nothing may crash
the batch or be missing from the report; a second ingest of the same folder adds receipts only.
The documents are never committed into this repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import ArchiveService
from core.catalog import Document, DocumentText, Receipt
from schemas.ingest import IngestRequest, IngestStatus

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(not REAL.is_dir(), reason=f"real corpus not present at {REAL}"),
]


def test_real_corpus_is_archived_or_quarantined_with_reasons(service: ArchiveService, tmp_path: Path) -> None:
    drop = tmp_path / "真实文件"
    shutil.copytree(REAL, drop)
    files = sorted(p for p in drop.rglob("*") if p.is_file())

    first = service.ingest(IngestRequest(paths=[drop], project="REAL"))
    assert sorted(Path(line.path) for line in first.files) == files, "every file is in the report"
    assert first.counts.duplicate == 0
    for line in first.files:
        assert line.document_id, f"{line.path} was not stored"
        if line.status is IngestStatus.QUARANTINED:
            assert Path(line.path).name in line.reason, line.reason
            assert any(word in line.reason for word in ("unsupported", "no text", "scanned", "encrypted",
                                                        "corrupt", "empty", "save it as")), line.reason
    with service.catalog.session() as session:
        texts = dict(session.execute(select(DocumentText.document_id, func.length(DocumentText.content))).all())
    ingested = [line for line in first.files if line.status is IngestStatus.INGESTED]
    assert len(ingested) >= 45, "most real documents are born-digital and must be read"
    assert all(texts[line.document_id] > 0 for line in ingested), "archived means archived with text"

    second = service.ingest(IngestRequest(paths=[drop], project="REAL"))
    assert second.counts.duplicate == len(files) and second.counts.ingested == 0
    with service.catalog.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == len({line.document_id for line in first.files})
        assert session.scalar(select(func.count()).select_from(Receipt)) == 2 * len(files)
