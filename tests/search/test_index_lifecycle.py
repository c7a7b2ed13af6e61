"""The index on disk: reopening, schema-version checks, recreation, concurrent writers."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from haystack import Document
from haystack.document_stores.types import DuplicatePolicy

from schemas.search import SearchQuery
from search import IndexVersionError
from search.index_version import SENTINEL_NAME
from search.tantivy_engine.schema import SCHEMA_VERSION as TANTIVY_VERSION
from search.whoosh_engine.schema import SCHEMA_VERSION as WHOOSH_VERSION
from tests.search.corpus import sample_documents

pytestmark = pytest.mark.integration

SCHEMA_VERSIONS = {"whoosh": WHOOSH_VERSION, "tantivy": TANTIVY_VERSION}


def sentinel_of(backend: str, version: int) -> dict[str, object]:
    """What the sentinel of ``backend`` says (the original Whoosh one names no engine)."""
    return {"schema_version": version} | ({} if backend == "whoosh" else {"backend": backend})


def test_reopening_from_disk_keeps_documents_and_search(tmp_path: Path, store_class: type) -> None:
    path = tmp_path / "索引"
    docs = sample_documents()
    store_class(index_path=str(path)).write_documents(docs)
    reopened = store_class(index_path=str(path))
    assert reopened.count_documents() == len(docs)
    assert reopened.filter_documents() == docs, "documents come back exactly, in write order"
    assert {h.document.id for h in reopened.search(SearchQuery(text="止水带")).hits} == {"方案", "纪要"}


def test_a_new_index_records_its_schema_version(tmp_path: Path, store_class: type, backend: str) -> None:
    store_class(index_path=str(tmp_path / "索引"))
    sentinel = json.loads((tmp_path / "索引" / SENTINEL_NAME).read_text(encoding="utf-8"))
    assert sentinel == sentinel_of(backend, SCHEMA_VERSIONS[backend])


@pytest.mark.parametrize("change", ["newer", "missing"])
def test_an_index_of_another_version_is_refused_until_recreated(
    tmp_path: Path, store_class: type, backend: str, change: str
) -> None:
    path = tmp_path / "索引"
    expected = SCHEMA_VERSIONS[backend]
    recorded = expected + 1 if change == "newer" else None
    store_class(index_path=str(path)).write_documents([Document(id="旧", content="旧文件")])
    sentinel = path / SENTINEL_NAME
    if recorded is None:
        sentinel.unlink()
    else:
        sentinel.write_text(json.dumps(sentinel_of(backend, recorded)), encoding="utf-8")

    with pytest.raises(IndexVersionError, match="rebuild") as caught:
        store_class(index_path=str(path))
    assert caught.value.found == recorded
    assert caught.value.expected == expected

    fresh = store_class(index_path=str(path), recreate=True)
    assert fresh.count_documents() == 0
    assert store_class(index_path=str(path)).count_documents() == 0, (
        "the recreated index opens normally"
    )


def test_delete_all_with_recreate_resets_the_version(tmp_path: Path, store_class: type) -> None:
    store = store_class(index_path=str(tmp_path / "索引"))
    store.write_documents([Document(id="1", content="外墙")])
    store.delete_all_documents(recreate_index=True)
    assert store.count_documents() == 0
    assert store.search(SearchQuery(text="外墙")).total == 0
    store.write_documents([Document(id="2", content="外墙")])
    assert store_class(index_path=str(tmp_path / "索引")).all_ids() == {"2"}


def test_two_store_objects_and_threads_can_write_without_lock_errors(tmp_path: Path, store_class: type) -> None:
    path = str(tmp_path / "索引")
    stores = [store_class(index_path=path), store_class(index_path=path)]
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for batch in range(5):
                docs = [
                    Document(id=f"{worker}-{batch}-{i}", content=f"第{worker}组外墙防水{i}") for i in range(4)
                ]
                stores[worker % 2].write_documents(docs, policy=DuplicatePolicy.OVERWRITE)
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stores[0].count_documents() == 4 * 5 * 4
    assert stores[1].search(SearchQuery(text="外墙防水")).total == 80


def test_documents_without_content_or_with_odd_meta_are_kept(tmp_path: Path, store_class: type) -> None:
    store = store_class(index_path=str(tmp_path / "索引"))
    docs = [
        Document(id="空", content=None, meta={"date": "不是日期", "amount": "很多", "year": True}),
        Document(
            id="时区", content="时区", meta={"date": "2024-05-17T08:00:00+08:00", "amount": float("inf")}
        ),
    ]
    assert store.write_documents(docs) == 2
    assert store.filter_documents() == docs
    assert store.search(SearchQuery(text="时区", date_from="2024-05-17", date_to="2024-05-17")).total == 1


def test_meta_that_is_not_json_is_rejected_clearly(tmp_path: Path, store_class: type) -> None:
    store = store_class(index_path=str(tmp_path / "索引"))
    with pytest.raises(ValueError, match="JSON"):
        store.write_documents([Document(id="坏", content="x", meta={"集合": {1, 2}})])
    assert store.count_documents() == 0


def test_readers_keep_answering_while_a_writer_commits(tmp_path: Path, store_class: type) -> None:
    path = str(tmp_path / "索引")
    writer, reader = store_class(index_path=path), store_class(index_path=path)
    writer.write_documents([Document(id="起", content="外墙防水起始")])
    seen: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                seen.append(reader.search(SearchQuery(text="外墙防水")).total)
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for batch in range(8):
            writer.write_documents([Document(id=f"批{batch}-{i}", content=f"外墙防水第{i}处") for i in range(5)])
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert seen and seen == sorted(seen), "a reader sees whole commits, never one going backwards"
    assert reader.search(SearchQuery(text="外墙防水")).total == 41
