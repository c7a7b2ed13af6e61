"""Search backends behind the Haystack DocumentStore protocol: Whoosh, tantivy, PostgreSQL; Chinese analysis.

``WhooshDocumentStore`` and ``TantivyDocumentStore`` are the index (write/filter/delete plus
``search`` in our own query language), interchangeable behind ``SearchStore``; ``open_store``
picks one by name. ``KeywordRetriever`` puts either in a Haystack pipeline;
``QuerySyntaxError`` is what a malformed query raises; ``highlight`` marks matches in any text.

The names are loaded on first use (PEP 562): ``import search.query`` must not load both engines,
the Chinese tokenizer's dictionary and Haystack's pipelines (seconds of start-up for a command
that only parses a query).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search.backends import BACKENDS, FILE_BACKENDS, SearchStore, index_schema_current, open_store
    from search.highlight import highlight
    from search.index_version import IndexVersionError
    from search.postgres_engine.store import PostgresDocumentStore
    from search.query import QuerySyntaxError, parse_query
    from search.results import ScoredHit, SearchPage
    from search.retriever import KeywordRetriever, WhooshRetriever
    from search.tantivy_engine.store import TantivyDocumentStore
    from search.whoosh_engine.store import WhooshDocumentStore

_WHERE = {
    "BACKENDS": "search.backends",
    "FILE_BACKENDS": "search.backends",
    "SearchStore": "search.backends",
    "index_schema_current": "search.backends",
    "open_store": "search.backends",
    "highlight": "search.highlight",
    "IndexVersionError": "search.index_version",
    "QuerySyntaxError": "search.query",
    "parse_query": "search.query",
    "ScoredHit": "search.results",
    "SearchPage": "search.results",
    "KeywordRetriever": "search.retriever",
    "WhooshRetriever": "search.retriever",
    "PostgresDocumentStore": "search.postgres_engine.store",
    "TantivyDocumentStore": "search.tantivy_engine.store",
    "WhooshDocumentStore": "search.whoosh_engine.store",
}

__all__ = [
    "BACKENDS",
    "FILE_BACKENDS",
    "IndexVersionError",
    "KeywordRetriever",
    "PostgresDocumentStore",
    "QuerySyntaxError",
    "ScoredHit",
    "SearchPage",
    "SearchStore",
    "TantivyDocumentStore",
    "WhooshDocumentStore",
    "WhooshRetriever",
    "highlight",
    "index_schema_current",
    "open_store",
    "parse_query",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
