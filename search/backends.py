"""Choosing the search engine: one protocol, two stores, picked by name (the setting).

``core`` only talks to a ``SearchStore``; which engine sits behind it is the
``JIANDANG_SEARCH_BACKEND`` setting. Whoosh is pure Python and the default; tantivy (Rust) is
for archives of hundreds of thousands of documents (see the README's benchmark figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Protocol

from haystack import Document
from haystack.document_stores.types import DuplicatePolicy

from schemas.search import SearchQuery
from search.results import SearchPage
from search.tantivy_engine import index as tantivy_index
from search.tantivy_engine.store import TantivyDocumentStore
from search.whoosh_engine import index as whoosh_index
from search.whoosh_engine.store import WhooshDocumentStore

Backend = Literal["whoosh", "tantivy"]
BACKENDS: dict[str, type[WhooshDocumentStore] | type[TantivyDocumentStore]] = {
    "whoosh": WhooshDocumentStore,
    "tantivy": TantivyDocumentStore,
}


class SearchStore(Protocol):
    """What the archive needs from a search index (a Haystack DocumentStore and more)."""

    index_path: str

    def count_documents(self) -> int: ...
    def all_ids(self) -> set[str]: ...
    def filter_documents(self, filters: dict[str, Any] | None = None) -> list[Document]: ...
    def write_documents(self, documents: list[Document], policy: DuplicatePolicy = ...) -> int: ...
    def delete_documents(self, document_ids: list[str]) -> None: ...
    def delete_all_documents(self, recreate_index: bool = False) -> None: ...
    def search(self, query: SearchQuery, sort: Literal["relevance", "date"] | None = None) -> SearchPage: ...
    def more_like_this(self, document_id: str, limit: int = 10) -> SearchPage: ...
    def retrieve(self, query: str, filters: dict[str, Any] | None = None, top_k: int = 10) -> list[Document]: ...


def _store_class(backend: str) -> type[WhooshDocumentStore] | type[TantivyDocumentStore]:
    try:
        return BACKENDS[backend]
    except KeyError:
        raise ValueError(f"unknown search backend {backend!r}; choose one of {sorted(BACKENDS)}") from None


def open_store(
    backend: str, index_path: Path | str, recreate: bool = False, whoosh_postings_cache_mb: int | None = None
) -> SearchStore:
    """The store of ``backend`` on ``index_path`` (raises ``IndexVersionError`` for a stale index).

    ``whoosh_postings_cache_mb``: the Whoosh store's decoded-postings budget (None: its default);
    tantivy keeps no such cache.
    """
    store_class = _store_class(backend)
    if store_class is WhooshDocumentStore and whoosh_postings_cache_mb is not None:
        return WhooshDocumentStore(
            index_path=str(index_path), recreate=recreate, postings_cache_mb=whoosh_postings_cache_mb
        )
    return store_class(index_path=str(index_path), recreate=recreate)


def index_schema_current(path: Path, backend: str = "whoosh") -> bool:
    """Whether ``path`` holds an index of ``backend`` with the schema version this program writes."""
    _store_class(backend)
    module = tantivy_index if backend == "tantivy" else whoosh_index
    return module.index_schema_current(path)
