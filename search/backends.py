"""Choosing the search engine: one protocol, three stores, picked by name (the setting).

``core`` only talks to a ``SearchStore``; which engine sits behind it is the
``JIANDANG_SEARCH_BACKEND`` setting. Whoosh is pure Python; tantivy (Rust, the default) is for
archives of hundreds of thousands of documents; postgres keeps the index in tables of a
PostgreSQL database (the catalog's), shared by several app nodes and their read replicas (see
the README's benchmark figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from schemas.search import SearchQuery

if TYPE_CHECKING:  # the engines are imported when one is opened, and only the one opened
    from haystack import Document
    from haystack.document_stores.types import DuplicatePolicy

    from search.results import SearchPage

Backend = Literal["whoosh", "tantivy", "postgres"]
_ENGINES = {  # name → (module of its store, class): imported on first use, only the one used
    "whoosh": ("search.whoosh_engine.store", "WhooshDocumentStore"),
    "tantivy": ("search.tantivy_engine.store", "TantivyDocumentStore"),
    "postgres": ("search.postgres_engine.store", "PostgresDocumentStore"),
}
FILE_BACKENDS = ("whoosh", "tantivy")  # an index folder of their own; postgres needs a database


class _Engines(Mapping[str, Any]):
    """``BACKENDS``: engine name → store class, each engine imported when it is first looked up
    (a process searching with tantivy never loads Whoosh, nor the other way round).
    """

    def __getitem__(self, name: str) -> Any:
        module, cls = _ENGINES[name]
        return getattr(import_module(module), cls)

    def __iter__(self) -> Iterator[str]:
        return iter(_ENGINES)

    def __len__(self) -> int:
        return len(_ENGINES)


BACKENDS: Mapping[str, Any] = _Engines()


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


def _store_class(backend: str) -> Any:
    if backend not in _ENGINES:
        raise ValueError(f"unknown search backend {backend!r}; choose one of {sorted(_ENGINES)}")
    return BACKENDS[backend]


def open_store(
    backend: str, index_path: Path | str, recreate: bool = False, whoosh_postings_cache_mb: int | None = None,
    database: str | None = None, read_databases: list[str] | None = None,
    replica_fresh: Callable[[int], bool] | None = None,
) -> SearchStore:
    """The store of ``backend`` on ``index_path`` (raises ``IndexVersionError`` for a stale index).

    ``whoosh_postings_cache_mb``: the Whoosh store's decoded-postings budget (None: its default);
    tantivy keeps no such cache. ``database`` (a PostgreSQL URL) and ``read_databases`` (its
    replicas): where the postgres store's tables are; ``index_path`` is not used by it.
    """
    store_class = _store_class(backend)
    if backend == "postgres":
        if not database:
            raise ValueError("the postgres search backend keeps its index in a PostgreSQL database: none given")
        return store_class(database, read_databases or [], recreate=recreate, replica_fresh=replica_fresh)
    if backend == "whoosh" and whoosh_postings_cache_mb is not None:
        return store_class(index_path=str(index_path), recreate=recreate, postings_cache_mb=whoosh_postings_cache_mb)
    return store_class(index_path=str(index_path), recreate=recreate)


def index_schema_current(path: Path, backend: str = "whoosh", database: str | None = None) -> bool:
    """Whether ``path`` (postgres: ``database``) holds an index of ``backend`` with the schema
    version this program writes.
    """
    store_class = _store_class(backend)
    if backend == "postgres":
        if not database:
            return False
        store = store_class(database)
        try:
            return bool(store.schema_current())
        finally:
            store.close()
    package = _ENGINES[backend][0].rsplit(".", 1)[0]
    return bool(import_module(f"{package}.index").index_schema_current(path))
