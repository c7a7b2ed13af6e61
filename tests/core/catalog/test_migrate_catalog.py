"""``jiandang migrate-catalog --to URL``: an embedded archive moved to a real PostgreSQL, resumed and verified."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.catalog import Catalog
from core.catalog.moving import copy_catalog
from schemas.ingest import IngestRequest
from schemas.search import SearchQuery

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
REPO = Path(__file__).resolve().parents[3]


class Interrupted(Exception):
    pass


def test_an_interrupted_copy_resumes_and_is_verified(tmp_path: Path, pg_empty_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIANDANG_DATABASE_URL", raising=False)  # the source is the embedded SQLite catalog
    home = tmp_path / "档案室"
    folder = tmp_path / "来件"
    folder.mkdir()
    for n in range(12):
        (folder / f"施工日志{n}.txt").write_text(f"施工日志第{n}天：浇筑二层楼板，混凝土强度C30。", encoding="utf-8")
    settings = Settings(home=home)
    with ArchiveService(settings) as service:
        assert service.ingest(IngestRequest(paths=[folder], project="P-迁移")).counts.ingested == 12
        service.accounts.add_user("张三", "archivist", "正确的口令123")
        for n in range(5):
            service.audit.append("张三", "search", None, query={"text": f"楼板{n}"})
        source = service.catalog

        def stop_after_documents(table: str, _rows: int) -> None:
            if table == "documents":
                raise Interrupted

        target = Catalog(pg_empty_url)
        with pytest.raises(Interrupted):
            copy_catalog(source, target, stop_after_documents)
        target.dispose()

    env = dict(os.environ, JIANDANG_HOME=str(home), HAYSTACK_TELEMETRY_ENABLED="False")
    done = subprocess.run([sys.executable, "-m", "cli.main", "migrate-catalog", "--to", pg_empty_url, "--json"],
                          env=env, cwd=REPO, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    report = json.loads(done.stdout)
    assert report["verified"] and report["resumed"] and report["audit_valid"]
    tables = {t["name"]: t for t in report["tables"]}
    assert tables["documents"]["copied"] == 0, "the documents were copied before the interruption"
    assert tables["document_texts"]["copied"] == 12 and tables["audit_log"]["target_rows"] == 5
    assert all(t["checksums_match"] and t["source_rows"] == t["target_rows"] for t in tables.values())

    moved = Settings(home=home, database_url=pg_empty_url)
    with ArchiveService(moved) as service:
        assert service.reindex().indexed == 12
        assert service.search(SearchQuery(text="楼板")).total == 12
        assert service.audit.verify().valid
        service.audit.append("李四", "login")  # the sequences moved past the copied rows
        service.accounts.add_user("李四", "auditor", "另一个口令456")
        assert service.audit.verify().valid
