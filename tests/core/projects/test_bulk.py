"""Bulk actions commit the whole selection or nothing: a document that fails leaves every other one
as it was, in the catalog, in its history and in the search index.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core import ArchiveService
from core.errors import DocumentNotFound
from schemas.search import SearchQuery
from tests.core.workbench_archive import MAIN, OTHER, Archive, build

pytestmark = pytest.mark.integration
MISSING = "0123456789abcdef0123456789abcdef"  # a well-formed id of no document


@pytest.fixture
def archive(service: ArchiveService, tmp_path: Path) -> Archive:
    return build(service, tmp_path / "收文")


def _state(service: ArchiveService, doc_id: str) -> tuple[object, ...]:
    record = service.show(doc_id)
    return (record.project, record.classification.class_code, record.classification.item_code,
            record.classification.needs_review, record.retention, len(record.events))


@pytest.mark.parametrize(("action", "value"), [("reclassify", "C5"), ("accept", ""), ("retention", "30年"),
                                               ("move", OTHER)])
def test_one_failing_document_leaves_none_changed(archive: Archive, action: str, value: str) -> None:
    service = archive.service
    first, second = archive.ids["设计变更通知单.pdf"], archive.ids["施工组织设计.pdf"]
    before = {doc: _state(service, doc) for doc in (first, second)}
    with pytest.raises(DocumentNotFound):
        service.bulk(action, [first, MISSING, second], value, "批量测试", "档案员甲")
    assert {doc: _state(service, doc) for doc in (first, second)} == before, "nothing of the selection changed"
    hits = service.search(SearchQuery(text="设计变更通知单", project=MAIN)).hits
    assert first in {h.id for h in hits}, "the index still has it where it was"


def test_a_bulk_change_commits_every_document_and_the_index_follows(archive: Archive) -> None:
    service = archive.service
    picked = [archive.ids["设计变更通知单.pdf"], archive.ids["施工组织设计.pdf"], archive.ids["监理月报.docx"]]
    report = service.bulk("reclassify", picked, "C5", "批量更正", "档案员甲")
    assert sorted(report.done) == sorted(picked) and set(report.details) == set(picked)
    for doc in picked:
        record = service.show(doc)
        assert record.classification.class_code == "C5" and not record.classification.needs_review
        assert [e for e in record.events if e.kind == "reclassified"], "each document has its own event"
    found = service.search(SearchQuery(text="设计变更通知单", project=MAIN, class_code="C5")).hits
    assert archive.ids["设计变更通知单.pdf"] in {h.id for h in found}, "the index was written after the commit"
    moved = service.bulk("move", picked, OTHER, "归入新馆", "档案员甲")
    assert sorted(moved.done) == sorted(picked) and {service.show(d).project for d in picked} == {OTHER}


def test_accept_skips_a_document_not_filed_yet(archive: Archive) -> None:
    service = archive.service
    filed, unfiled = archive.ids["设计变更通知单.pdf"], archive.ids["空白.pdf"]
    report = service.bulk("accept", [filed, unfiled], "", "批量确认", "档案员甲")
    assert report.done == [filed] and report.skipped == [unfiled]
    assert not service.show(filed).classification.needs_review
