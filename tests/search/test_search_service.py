"""Search through the archive service: audit trail, export, saved searches, drift, schema rebuild."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from core import ArchiveService
from core.catalog import Document
from core.errors import InvalidQuery, NotFound, SearchIndexError
from core.indexing.upkeep import REBUILD_MARKER
from core.settings import Settings
from schemas.ingest import IngestRequest
from schemas.search import SearchQuery
from search import BACKENDS, open_store
from search.index_version import SENTINEL_NAME
from search.whoosh_engine.store import WhooshDocumentStore

TEXTS = {
    "防水施工方案.txt": "地下室外墙防水施工方案\n工程名称：档案馆新建工程\n施工单位：中建三局第一建设工程有限责任公司\n"
    "编制日期：2024年3月15日\n本工程外墙采用SBS改性沥青防水卷材，施工缝设钢板止水带。",
    "施工合同.txt": "建设工程施工合同\n工程名称：档案馆新建工程\n施工单位：江西省建工集团有限责任公司\n"
    "签订日期：2023年11月8日\n合同价款：人民币12,500,000.00元。",
    "监理例会纪要.txt": "监理例会纪要\n会议日期：2024年5月6日\n讨论了外墙防水和止水带的做法，防水材料见证取样。",
}


@pytest.fixture(params=sorted(BACKENDS))
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Every service test runs on both search engines."""
    return Settings(home=tmp_path / "档案室", index_batch_size=16, search_backend=request.param)


@pytest.fixture
def archive(service: ArchiveService, tmp_path: Path) -> ArchiveService:
    folder = tmp_path / "来件"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = service.ingest(IngestRequest(paths=[folder], project="P2024-001"))
    assert report.counts.ingested == 3
    return service


def doc_id(service: ArchiveService, name: str) -> str:
    with service.catalog.session() as session:
        return session.scalar(select(Document.id).where(Document.original_name == name))


def test_contractor_and_year_filters_through_the_catalog(archive: ArchiveService) -> None:
    hits = archive.search(SearchQuery(text="contractor:中建三局")).hits
    assert [hit.original_name for hit in hits] == ["防水施工方案.txt"]
    result = archive.search(SearchQuery(text="防水 year:2024"))
    assert {hit.original_name for hit in result.hits} == {"防水施工方案.txt", "监理例会纪要.txt"}
    assert result.facets["project"] == {"P2024-001": 2}


def test_a_malformed_query_is_an_input_error_with_its_position(archive: ArchiveService) -> None:
    with pytest.raises(InvalidQuery) as caught:
        archive.search(SearchQuery(text="防水 金额>很多"))
    assert caught.value.subject["position"] == 6


def test_every_search_and_read_of_an_original_is_on_the_audit_trail(archive: ArchiveService) -> None:
    archive.search(SearchQuery(text="止水带"), user="审计员张三")
    archive.search(SearchQuery(text="止水带"))  # no user: the caller (the API) audits itself
    plan = doc_id(archive, "防水施工方案.txt")
    found = archive.read_original(plan, "审计员张三")
    assert found.path.read_bytes() == TEXTS["防水施工方案.txt"].encode("utf-8")
    entries = archive.audit.page(limit=50).items
    searches = [e for e in entries if e.action == "search"]
    assert len(searches) == 1
    assert searches[0].actor == "审计员张三"
    assert searches[0].detail["query"]["text"] == "止水带"
    assert searches[0].detail["total"] == 2 and plan in searches[0].detail["hits"]
    reads = [e for e in entries if e.action == "original.download"]
    assert [(e.actor, e.target) for e in reads] == [("审计员张三", plan)]
    assert "original_read" in [event.kind for event in archive.show(plan).events]
    assert archive.audit.verify().valid


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_every_match_with_ids_and_links(archive: ArchiveService, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"底稿{suffix}"
    report = archive.export_search(SearchQuery(text="工程", limit=1), target, "审计员")
    assert report.rows == report.total == 2  # all pages, not the one-hit page
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    else:
        rows = [[str(c) if c is not None else "" for c in row]
                for row in load_workbook(target).active.iter_rows(values_only=True)]
    assert rows[0][:2] == ["document_id", "title"]
    exported = {row[0] for row in rows[1:]}
    assert exported == {doc_id(archive, "防水施工方案.txt"), doc_id(archive, "施工合同.txt")}
    assert all(row[6] == f"jiandang://documents/{row[0]}" for row in rows[1:])
    assert [e.action for e in archive.audit.page(limit=10).items].count("export") == 1


def test_saved_searches_round_trip(archive: ArchiveService) -> None:
    saved = archive.saved_searches
    saved.add("防水", SearchQuery(text='"止水带" class:C'), "审计员")
    saved.add("合同", SearchQuery(text="合同 金额>100万"), "审计员")
    assert [s.name for s in saved.list().searches] == ["防水", "合同"]
    result = archive.search(saved.get("合同").query)
    assert [hit.original_name for hit in result.hits] == ["施工合同.txt"]
    saved.remove("防水")
    assert [s.name for s in saved.list().searches] == ["合同"]
    with pytest.raises(NotFound):
        saved.get("防水")


def test_drift_is_reported_and_repaired(archive: ArchiveService, tmp_path: Path) -> None:
    assert archive.check_index().in_sync
    plan = doc_id(archive, "防水施工方案.txt")
    archive.store.delete_documents([plan])  # lost from the index, catalog still says indexed
    from haystack import Document as IndexDocument

    archive.store.write_documents([IndexDocument(id="幽灵", content="不在目录里的文件")])
    found = archive.check_index()
    assert not found.in_sync
    assert found.missing_from_index == [plan] and found.stale == [plan]
    assert found.not_in_catalog == ["幽灵"]
    repaired = archive.check_index(repair=True)
    assert repaired.repaired
    assert archive.check_index().in_sync
    assert archive.search(SearchQuery(text="SBS")).total == 1


def test_an_index_of_another_schema_version_is_rebuilt_by_the_next_writer(
    archive: ArchiveService, tmp_path: Path
) -> None:
    index_path = archive.settings.index_path
    (index_path / SENTINEL_NAME).write_text(json.dumps({"schema_version": 1}), encoding="utf-8")
    with ArchiveService(archive.settings) as reader, pytest.raises(SearchIndexError):
        reader.search(SearchQuery(text="防水"))
    with ArchiveService(archive.settings) as writer:
        writer.recover()  # any writer (ingest, recover, check-index --repair) rebuilds
        assert writer.search(SearchQuery(text="防水")).total == 2
        assert writer.check_index().in_sync


def test_an_interrupted_reindex_resumes(archive: ArchiveService) -> None:
    plan = doc_id(archive, "防水施工方案.txt")
    # What a crash midway leaves: the marker, a fresh index holding part of the documents.
    (archive.settings.home / REBUILD_MARKER).write_text("rebuilding\n", encoding="utf-8")
    store = open_store(archive.settings.search_backend, archive.settings.index_path, recreate=True)
    with archive.catalog.session() as session:
        session.execute(update(Document).where(Document.id != plan).values(indexed_at=None))
    from core.catalog import DocumentText
    from core.indexing.indexer import to_index_document

    with archive.catalog.session() as session:
        store.write_documents([to_index_document(session.get(Document, plan), session.get(DocumentText, plan).content)])
    report = archive.reindex()
    assert report.indexed == 2, "only the two documents the crash left unindexed are written"
    assert not (archive.settings.home / REBUILD_MARKER).exists()
    assert archive.check_index().in_sync
    assert archive.reindex().indexed == 3, "without the marker, reindex rebuilds everything"


def test_switching_the_search_engine_rebuilds_the_index(archive: ArchiveService) -> None:
    other = "tantivy" if archive.settings.search_backend == "whoosh" else "whoosh"
    switched = archive.settings.model_copy(update={"search_backend": other})
    with ArchiveService(switched) as reader, pytest.raises(SearchIndexError):
        reader.search(SearchQuery(text="防水"))  # the other engine's index is never read as ours
    with ArchiveService(switched) as writer:
        writer.recover()
        assert writer.search(SearchQuery(text="防水")).total == 2
        assert writer.check_index().in_sync


def test_the_whoosh_postings_budget_comes_from_the_settings(tmp_path: Path) -> None:
    """``whoosh_postings_cache_mb`` (JIANDANG_WHOOSH_POSTINGS_CACHE_MB) reaches the Whoosh store."""
    settings = Settings(home=tmp_path / "档案室", search_backend="whoosh", whoosh_postings_cache_mb=1500)
    with ArchiveService(settings) as service:
        store = service.store
        assert isinstance(store, WhooshDocumentStore)
        assert store.postings_cache_mb == 1500
        assert store._postings.budget == 1500 * 1_000_000
