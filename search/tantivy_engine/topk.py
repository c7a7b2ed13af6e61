"""The best page of a phrase search without checking the positions of every match.

tantivy scores a phrase by checking its positions in every document holding all its grams:
for a phrase in most of the archive (符合设计要求 on every acceptance form) that check is most of
the search's time, and a top-10 page needs it only for the documents that could make the page.

The score bound (``QueryBuilder.score_bound``) is one OR of every term the exact query scores,
each with its boost: it matches every document the exact query matches and scores each at least
as high (the reasons are on ``score_bound``), and tantivy finds its best documents quickly
(block-max WAND skips blocks that cannot reach the page). Its best candidates are then scored
exactly (the exact query restricted to those documents: a few position checks). Once the
``k``-th best exact score is above the lowest candidate's bound, no document beyond the
candidates can reach the page, and the page is the exact query's page, order and scores
included. Ordered by date the same holds with the date as the key, and the candidates come,
newest first, from a tighter query that needs no scores (``QueryBuilder.grams_superset``: each
phrase's grams all present): a page of exact matches all newer than the last candidate is final.

When the bound lets too many non-matches through (the grams occur apart), the page is not
settled after two rounds and the exact query is run as before.
"""

from __future__ import annotations

from typing import Any, Literal

import tantivy
from tantivy import Occur, Order, Query

from search.tantivy_engine.schema import DATE, SEQ

Hit = tuple[Any, tantivy.DocAddress]

ROUNDS = (4, 32)  # candidates per wanted hit in the first and the second round
MIN_CANDIDATES = 100
# Scores are 32-bit floats summed in different orders on the two sides: a margin keeps a tie
# (or a rounding error) at the edge of the candidates from settling the page.
SCORE_MARGIN = 1e-5


def ranked_search(
    searcher: tantivy.Searcher, query: Query, order: Literal["relevance", "date"],
    limit: int, offset: int = 0, count: bool = False,
) -> tantivy.SearchResult:
    """``query``'s hits by score or newest first: the one place a page is asked of tantivy."""
    if order == "date":
        return searcher.search(query, limit=limit, offset=offset, count=count, order_by_field=DATE, order=Order.Desc)
    return searcher.search(query, limit=limit, offset=offset, count=count)


def _ranked(
    searcher: tantivy.Searcher, query: Query, limit: int, order: Literal["relevance", "date"]
) -> list[Hit]:
    return ranked_search(searcher, query, order, limit).hits


def _settled(page: list[Hit], want: int, edge: Any, order: str) -> bool:
    """Whether no document beyond the candidates can enter the first ``want`` exact hits."""
    if len(page) < want:
        return False
    key = page[want - 1][0]
    if order == "date":
        return key > edge
    return float(key) > float(edge) + SCORE_MARGIN * max(1.0, abs(float(edge)))


def top_hits(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    exact: Query,
    relaxed: Query,
    limit: int,
    offset: int = 0,
    order: Literal["relevance", "date"] = "relevance",
) -> list[Hit]:
    """Hits ``offset`` to ``offset + limit`` of ``exact``, as ``searcher.search`` would give them."""
    want = offset + limit
    if want <= 0:
        return []
    for per_hit in ROUNDS:
        batch = max(want * per_hit, MIN_CANDIDATES)
        candidates = _ranked(searcher, relaxed, batch, order)
        seqs = searcher.fast_field_values(SEQ, [address for _, address in candidates])
        if None in seqs:  # a segment without the write-order column: check the old way
            break
        page: list[Hit] = []
        if seqs:
            among = Query.const_score_query(Query.term_set_query(schema, SEQ, seqs), 0.0)
            page = _ranked(searcher, Query.boolean_query([(Occur.Must, exact), (Occur.Must, among)]), want, order)
        if len(candidates) < batch:  # every relaxed match was a candidate: nothing lies beyond
            return page[offset:want]
        if _settled(page, want, candidates[-1][0], order):
            return page[offset:want]
    return _ranked(searcher, exact, want, order)[offset:want]
