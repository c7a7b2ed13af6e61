"""A Haystack retriever over either document store so the index can sit in a pipeline."""

from __future__ import annotations

from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict
from haystack.core.serialization import import_class_by_name

from search.tantivy_engine.store import TantivyDocumentStore
from search.whoosh_engine.store import WhooshDocumentStore

_STORES = (WhooshDocumentStore, TantivyDocumentStore)


@component
class KeywordRetriever:
    """Keyword retrieval in our query language, with optional Haystack filters; scores are set."""

    def __init__(self, document_store: WhooshDocumentStore | TantivyDocumentStore, top_k: int = 10) -> None:
        if not isinstance(document_store, _STORES):
            raise ValueError("document_store must be a WhooshDocumentStore or a TantivyDocumentStore")
        if top_k <= 0:
            raise ValueError(f"top_k must be positive, not {top_k}")
        self.document_store = document_store
        self.top_k = top_k

    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(self, document_store=self.document_store.to_dict(), top_k=self.top_k)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KeywordRetriever:
        params = data.get("init_parameters", {})
        store_data = params["document_store"]
        store_class = import_class_by_name(store_data["type"])
        if store_class not in _STORES:
            raise ValueError(f"{store_data['type']!r} is not one of our document stores")
        params["document_store"] = store_class.from_dict(store_data)
        return default_from_dict(cls, data)

    @component.output_types(documents=list[Document])
    def run(
        self, query: str, filters: dict[str, Any] | None = None, top_k: int | None = None
    ) -> dict[str, Any]:
        """The best ``top_k`` documents for ``query``; malformed query text raises QuerySyntaxError."""
        documents = self.document_store.retrieve(query, filters=filters, top_k=top_k or self.top_k)
        return {"documents": documents}


# The name it had when Whoosh was the only engine (pipelines saved then still load).
WhooshRetriever = KeywordRetriever
