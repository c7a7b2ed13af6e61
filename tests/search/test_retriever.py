"""WhooshRetriever as a Haystack component, alone and inside a pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import Pipeline

from search import QuerySyntaxError, SearchStore, WhooshRetriever
from tests.search.corpus import P2

pytestmark = pytest.mark.integration


def test_run_returns_scored_documents_best_first(store: SearchStore) -> None:
    documents = WhooshRetriever(store, top_k=2).run(query="防水")["documents"]
    assert len(documents) == 2
    assert {d.id for d in documents} == {"方案", "检查"}, "title matches rank first"
    assert all(d.score and d.score > 0 for d in documents)
    assert documents[0].score >= documents[1].score


def test_run_applies_haystack_filters_and_top_k(store: SearchStore) -> None:
    retriever = WhooshRetriever(store)
    by_project = {"field": "meta.project", "operator": "==", "value": P2}
    assert [d.id for d in retriever.run(query="外墙", filters=by_project)["documents"]] == ["变更"]
    dated = {"field": "meta.date", "operator": ">=", "value": "2024-04-01"}
    assert {d.id for d in retriever.run(query="外墙 OR 钢筋", filters=dated)["documents"]} == {"钢筋", "检查"}
    assert len(retriever.run(query="墙", top_k=1)["documents"]) == 1


def test_run_rejects_malformed_queries(store: SearchStore) -> None:
    with pytest.raises(QuerySyntaxError):
        WhooshRetriever(store).run(query="防水 OR")


def test_serialises_and_runs_in_a_pipeline(store: SearchStore, index_dir: Path) -> None:
    pipeline = Pipeline()
    pipeline.add_component("retriever", WhooshRetriever(store, top_k=3))
    rebuilt = Pipeline.loads(pipeline.dumps(), allowed_modules=["search.*"])
    retriever = rebuilt.get_component("retriever")
    assert isinstance(retriever, WhooshRetriever)
    assert retriever.top_k == 3
    assert retriever.document_store.to_dict() == store.to_dict(), "the same index, reopened"
    result = rebuilt.run({"retriever": {"query": '"钢板止水带"'}})
    assert [d.id for d in result["retriever"]["documents"]] == ["方案"]


def test_rejects_a_bad_top_k(store: SearchStore) -> None:
    with pytest.raises(ValueError, match="top_k"):
        WhooshRetriever(store, top_k=0)
