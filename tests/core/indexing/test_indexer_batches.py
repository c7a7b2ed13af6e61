"""The indexer's batches: every processed row written once, stamped and recorded, however the
rows arrive; a rebuild commits in big batches and an interrupted one goes on where it stopped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from haystack import Document as IndexDocument
from haystack.document_stores.types import DuplicatePolicy
from sqlalchemy import func, select

from core.catalog import Catalog, Document, DocumentStatus, DocumentText, Event, Project
from core.catalog.history import EventKind, now
from core.indexing.indexer import Indexer


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(f"sqlite:///{tmp_path / '目录.sqlite3'}")
    cat.migrate()
    with cat.session() as session:
        session.add(Project(code="P2024-001", name="市档案馆改造工程", created_at=now()))
    return cat


def add_rows(catalog: Catalog, ids: list[str]) -> None:
    with catalog.session() as session:
        project = session.scalars(select(Project)).one()
        stamp = now()
        for doc_id in ids:
            session.add(Document(
                id=doc_id, sha256=doc_id.rjust(64, "0"), size=10, original_name=f"隐蔽工程验收记录{doc_id}.docx",
                format="docx", project_id=project.id, status=DocumentStatus.PROCESSED, title="隐蔽工程验收记录",
                fields={}, class_code="C5", doc_type="验收记录", confidence=0.9, reasons=[], needs_review=False,
                doc_date=date(2024, 3, 1), indexed_at=None, received_at=stamp, updated_at=stamp,
            ))
            session.add(DocumentText(document_id=doc_id, content=f"地下室外墙防水卷材施工记录 {doc_id}"))


class RecordingStore:
    """A search store that keeps what it is given (the interface the indexer writes to)."""

    def __init__(self, on_first_write=None) -> None:
        self.batches: list[list[str]] = []
        self._on_first_write = on_first_write

    def write_documents(self, documents: list[IndexDocument], policy: DuplicatePolicy = DuplicatePolicy.NONE) -> int:
        assert policy == DuplicatePolicy.OVERWRITE
        self.batches.append([doc.id for doc in documents])
        if self._on_first_write is not None:
            hook, self._on_first_write = self._on_first_write, None
            hook()
        return len(documents)


def indexed_events(catalog: Catalog) -> dict[str, int]:
    with catalog.session() as session:
        rows = session.execute(
            select(Event.document_id, func.count()).where(Event.kind == EventKind.INDEXED).group_by(Event.document_id)
        ).all()
    return dict(rows)


def unindexed(catalog: Catalog) -> int:
    with catalog.session() as session:
        return session.scalar(select(func.count()).select_from(Document).where(Document.indexed_at.is_(None)))


def test_rows_are_written_once_in_batches_of_the_size_asked_for(catalog: Catalog) -> None:
    ids = [f"{i:032x}" for i in range(25)]
    add_rows(catalog, ids)
    store = RecordingStore()
    written = Indexer(catalog, store, batch_size=4).index_pending(batch_size=10)  # type: ignore[arg-type]
    assert written == 25
    assert [len(batch) for batch in store.batches] == [10, 10, 5]
    assert [doc_id for batch in store.batches for doc_id in batch] == ids
    assert unindexed(catalog) == 0
    assert indexed_events(catalog) == dict.fromkeys(ids, 1)


def test_a_row_that_arrives_behind_the_walk_is_written_in_the_same_pass(catalog: Catalog) -> None:
    add_rows(catalog, [f"{i:032x}" for i in range(10, 20)])
    late = f"{1:032x}"  # sorts before every id already walked past
    store = RecordingStore(on_first_write=lambda: add_rows(catalog, [late]))
    written = Indexer(catalog, store, batch_size=4).index_pending()  # type: ignore[arg-type]
    assert written == 11
    assert store.batches[-1] == [late]
    assert unindexed(catalog) == 0


def test_an_interrupted_pass_goes_on_after_the_last_committed_batch(catalog: Catalog) -> None:
    ids = [f"{i:032x}" for i in range(9)]
    add_rows(catalog, ids)

    failing = RecordingStore()
    calls = {"n": 0}
    original = failing.write_documents

    def write_then_fail(documents: list[IndexDocument], policy: DuplicatePolicy = DuplicatePolicy.NONE) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("断电")
        return original(documents, policy)

    failing.write_documents = write_then_fail  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="断电"):
        Indexer(catalog, failing, batch_size=4).index_pending()  # type: ignore[arg-type]
    assert unindexed(catalog) == 5, "the first batch of four was committed and stamped"
    again = RecordingStore()
    assert Indexer(catalog, again, batch_size=4).index_pending() == 5  # type: ignore[arg-type]
    assert [doc_id for batch in again.batches for doc_id in batch] == ids[4:]
    assert indexed_events(catalog) == dict.fromkeys(ids, 1)
