"""The Haystack DocumentStore contract, checked with Haystack's own reusable test suite on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import Document
from haystack.document_stores.errors import DuplicateDocumentError
from haystack.document_stores.types import DuplicatePolicy
from haystack.testing.document_store import (
    CountDocumentsByFilterTest,
    DocumentStoreBaseExtendedTests,
)

from search import SearchStore

pytestmark = pytest.mark.integration


class TestDocumentStores(DocumentStoreBaseExtendedTests, CountDocumentsByFilterTest):
    """Haystack's suite, run once per backend (``store_class`` is parametrised in conftest)."""

    @pytest.fixture
    def document_store(self, tmp_path: Path, store_class: type) -> SearchStore:
        return store_class(index_path=str(tmp_path / "索引"))

    def test_write_documents(self, document_store: SearchStore) -> None:
        docs = [Document(id="1", content="外墙防水"), Document(id="2", content="地下室")]
        assert document_store.write_documents(docs) == 2
        assert document_store.filter_documents() == docs
        with pytest.raises(DuplicateDocumentError):
            document_store.write_documents([Document(id="2", content="另一个")])
        assert document_store.filter_documents() == docs, "the default policy (FAIL) writes nothing"

    def test_duplicate_ids_inside_one_call(self, document_store: SearchStore) -> None:
        first, second = Document(id="x", content="第一"), Document(id="x", content="第二")
        with pytest.raises(DuplicateDocumentError):
            document_store.write_documents([first, second])
        assert document_store.count_documents() == 0
        assert document_store.write_documents([first, second], policy=DuplicatePolicy.SKIP) == 1
        assert document_store.filter_documents() == [first]
        assert document_store.write_documents([first, second], policy=DuplicatePolicy.OVERWRITE) == 1
        assert document_store.filter_documents() == [second]

    def test_overwrite_keeps_the_original_write_order(self, document_store: SearchStore) -> None:
        docs = [Document(id=str(i), content=f"文件{i}") for i in range(3)]
        document_store.write_documents(docs)
        changed = Document(id="0", content="改过的文件")
        document_store.write_documents([changed], policy=DuplicatePolicy.OVERWRITE)
        assert [d.id for d in document_store.filter_documents()] == ["0", "1", "2"]
        assert document_store.filter_documents()[0] == changed

    def test_filter_on_a_keyword_field_uses_the_index_and_stays_exact(
        self, document_store: SearchStore
    ) -> None:
        docs = [
            Document(id="a", content="甲", meta={"project": "P-甲", "year": 2023}),
            Document(id="b", content="乙", meta={"project": "P-甲", "year": 2024}),
            Document(id="c", content="丙", meta={"project": "P-乙", "year": 2024}),
        ]
        document_store.write_documents(docs)
        filters = {
            "operator": "AND",
            "conditions": [
                {"field": "meta.project", "operator": "==", "value": "P-甲"},
                {"field": "meta.year", "operator": ">=", "value": 2024},
            ],
        }
        assert [d.id for d in document_store.filter_documents(filters)] == ["b"]
        either = {
            "operator": "OR",
            "conditions": [
                {"field": "meta.project", "operator": "==", "value": "P-乙"},
                {"field": "id", "operator": "==", "value": "a"},
            ],
        }
        assert [d.id for d in document_store.filter_documents(either)] == ["a", "c"]

    def test_all_ids_and_serialisation(self, document_store: SearchStore) -> None:
        document_store.write_documents([Document(id="1", content="甲"), Document(id="2", content="乙")])
        document_store.delete_documents(["1"])
        assert document_store.all_ids() == {"2"}
        document_store.write_documents(
            [Document(id="2", content="乙改"), Document(id="档案-3", content="丙")], policy=DuplicatePolicy.OVERWRITE
        )
        document_store.delete_documents(["档案-3"])
        assert document_store.all_ids() == {"2"}, "an overwritten id once, a deleted one not at all"
        clone = type(document_store).from_dict(document_store.to_dict())
        assert clone.index_path == document_store.index_path
        assert clone.all_ids() == {"2"}
