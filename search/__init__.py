"""Search backends behind the Haystack DocumentStore protocol: Whoosh with Chinese analysis.

``WhooshDocumentStore`` is the index (write/filter/delete plus ``search`` in our own query
language); ``WhooshRetriever`` puts it in a Haystack pipeline; ``QuerySyntaxError`` is what a
malformed query raises; ``highlight`` marks matches in any text.
"""

from search.highlight import highlight
from search.query import QuerySyntaxError, parse_query
from search.results import ScoredHit, SearchPage
from search.retriever import WhooshRetriever
from search.whoosh_index import IndexVersionError, index_schema_current
from search.whoosh_store import WhooshDocumentStore

__all__ = [
    "IndexVersionError",
    "QuerySyntaxError",
    "ScoredHit",
    "SearchPage",
    "WhooshDocumentStore",
    "WhooshRetriever",
    "highlight",
    "index_schema_current",
    "parse_query",
]
