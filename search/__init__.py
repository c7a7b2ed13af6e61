"""Search backends behind the Haystack DocumentStore protocol: Whoosh and tantivy, Chinese analysis.

``WhooshDocumentStore`` and ``TantivyDocumentStore`` are the index (write/filter/delete plus
``search`` in our own query language), interchangeable behind ``SearchStore``; ``open_store``
picks one by name. ``KeywordRetriever`` puts either in a Haystack pipeline;
``QuerySyntaxError`` is what a malformed query raises; ``highlight`` marks matches in any text.
"""

from search.backends import BACKENDS, SearchStore, index_schema_current, open_store
from search.highlight import highlight
from search.index_version import IndexVersionError
from search.query import QuerySyntaxError, parse_query
from search.results import ScoredHit, SearchPage
from search.retriever import KeywordRetriever, WhooshRetriever
from search.tantivy_engine.store import TantivyDocumentStore
from search.whoosh_engine.store import WhooshDocumentStore

__all__ = [
    "BACKENDS",
    "IndexVersionError",
    "KeywordRetriever",
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
