"""Turning our parsed query tree and the search filters into Whoosh query objects.

Each term becomes an OR of four clauses:

* the ``*_chars`` fields (one token per CJK character, plus bigrams) as a phrase: exact-substring
  recall, so a single character finds every word containing it and ``防水卷材`` needs the four
  adjacent (looked up as the bigrams 防水 水卷 卷材, which is much faster than four characters);
* the ``*_words`` fields (jieba words, no positions) as a boosted AND of the query's words:
  documents where the query is made of whole words, not just a run of characters, rank higher.
  These words could sit far apart, so this part only adds score (``AndMaybe``); which documents
  match is decided by the character phrase alone.

Title clauses are boosted so a document *about* the term outranks one that mentions it in passing.
"""

from __future__ import annotations

import itertools
from datetime import datetime, time
from typing import Any

from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from schemas import meta as M
from schemas.search import SearchQuery
from search.filters import FieldFilter, option_filters
from search.prefilter import haystack_prefilter as narrowing
from search.query import And, MatchAll, Node, Not, Or, Term
from search.tokens import char_query_tokens, pair_query_tokens, word_spans
from search.whoosh_engine.schema import (
    AMOUNT,
    CONTENT_CHARS,
    CONTENT_WORDS,
    CONTRACTOR_CHARS,
    DATE,
    ID_FIELD,
    KEYWORD_META,
    TITLE_CHARS,
    TITLE_WORDS,
    YEAR,
)

TITLE_BOOST = 4.0
WORD_BOOST = 2.0


def _phrase(field: str, tokens: list[str], boost: float) -> wq.Query:
    if len(tokens) == 1:
        return wq.Term(field, tokens[0], boost=boost)
    return wq.Phrase(field, tokens, boost=boost)


def _exact(field: str, text: str, boost: float) -> wq.Query:
    """Where ``text`` occurs as adjacent tokens of a character field.

    A run of an even number of CJK characters is covered by bigrams two positions apart
    (幕墙门窗安装 → 幕墙 _ 门窗 _ 安装), which Whoosh checks about twice as fast as the full
    overlapping phrase because it reads half the position lists: a bigram at position p fixes
    characters p and p+1, so bigrams exactly two apart match exactly where the phrase does.
    Other shapes keep the ordinary phrase of ``char_query_tokens``.
    """
    entries, _ = pair_query_tokens(text)
    gaps = {later[0] - earlier[0] for earlier, later in itertools.pairwise(entries)}
    if boost == 1.0 and gaps == {2}:  # span queries carry no boost; titles are short anyway
        return SpanNear2([wq.Term(field, token) for _, token in entries], slop=2, mindist=2)
    return _phrase(field, char_query_tokens(text), boost)


def _all_words(field: str, words: list[str], boost: float) -> wq.Query:
    """The word fields have no positions: all the words, anywhere (the char phrase did the exact part)."""
    if len(words) == 1:
        return wq.Term(field, words[0], boost=boost)
    return wq.And([wq.Term(field, word) for word in dict.fromkeys(words)], boost=boost)


def term_query(text: str, scored: bool = True) -> wq.Query:
    """Where one user term matches (its exact characters), and (when ``scored``) what ranks the matches."""
    chars = char_query_tokens(text)
    if not chars:
        return wq.NullQuery
    required = wq.Or([_exact(CONTENT_CHARS, text, 1.0), _exact(TITLE_CHARS, text, TITLE_BOOST)])
    words = [span.text for span in word_spans(text)] if scored else []
    if not words:
        return required
    ranking = wq.Or(
        [
            _all_words(CONTENT_WORDS, words, WORD_BOOST),
            _all_words(TITLE_WORDS, words, TITLE_BOOST * WORD_BOOST),
        ]
    )
    return wq.AndMaybe(required, ranking)


def to_whoosh(node: Node, scored: bool = True) -> wq.Query:
    """Translate a parsed query (``search.query.parse_query``) into a Whoosh query.

    What is excluded (``-term``) only has to say which documents match, so it is built without
    the ranking part.
    """
    if isinstance(node, MatchAll):
        return wq.Every()
    if isinstance(node, Term):
        return term_query(node.text, scored)
    if isinstance(node, Or):
        return wq.Or([to_whoosh(child, scored) for child in node.children])
    if isinstance(node, And):
        positives = [to_whoosh(c, scored) for c in node.children if not isinstance(c, Not)]
        negatives = [to_whoosh(c.child, scored=False) for c in node.children if isinstance(c, Not)]
        if not negatives:
            return positives[0] if len(positives) == 1 else wq.And(positives)
        # Not wq.AndNot: its matcher let through a document containing an excluded term (found
        # by the relevance set on a real document); And with Not children excludes exactly.
        return wq.And([*positives, *(wq.Not(negative) for negative in negatives)])
    raise TypeError(f"a negation must sit inside an AND: {node!r}")  # the parser guarantees this


def field_filter(flt: FieldFilter) -> wq.Query:
    """One field filter as a Whoosh query.

    ``class`` of one letter means the whole class (``C``); anything longer is a sub-class
    (``C2``). ``contractor`` matches a run of characters of the 施工单位 name (``中建三局`` finds
    ``中建三局第一建设工程有限责任公司``). Date bounds are inclusive whole days.
    """
    if flt.field == "project":
        return wq.Term(M.PROJECT, flt.value)
    if flt.field == "type":
        return wq.Term(M.DOC_TYPE, flt.value)
    if flt.field == "class":
        code = (flt.value or "").upper()
        return wq.Term(M.CLASS_LETTER if len(code) == 1 and code.isalpha() else M.CLASS_CODE, code)
    if flt.field == "contractor":
        tokens = char_query_tokens(flt.value or "")
        return _phrase(CONTRACTOR_CHARS, tokens, 1.0) if tokens else wq.NullQuery
    if flt.field == "year":
        return wq.NumericRange(YEAR, flt.low, flt.high)
    if flt.field == "date":
        start = datetime.combine(flt.low, time.min) if flt.low else None  # type: ignore[arg-type]
        end = datetime.combine(flt.high, time.max) if flt.high else None  # type: ignore[arg-type]
        return wq.DateRange(DATE, start, end)
    if flt.field == "amount":
        return wq.NumericRange(
            AMOUNT, flt.low, flt.high, startexcl=flt.low_exclusive, endexcl=flt.high_exclusive
        )
    raise ValueError(f"unknown filter field {flt.field!r}")


def filter_query(filters: list[FieldFilter] | tuple[FieldFilter, ...]) -> wq.Query | None:
    """All the filters as one Whoosh filter query (None when there are none)."""
    clauses = [field_filter(flt) for flt in filters]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


def search_filter(query: SearchQuery) -> wq.Query | None:
    """The option filters of a ``SearchQuery`` (not the ones typed in its text) as one query."""
    return filter_query(option_filters(query))


_PREFILTER_FIELDS = {"id": ID_FIELD, **{f"meta.{key}": key for key in KEYWORD_META}}


def haystack_prefilter(filters: dict[str, Any] | None) -> wq.Query | None:
    """A Whoosh query that every document matching a Haystack filter also matches, or None
    (the rules are ``search.prefilter``'s).
    """
    return narrowing(filters, _PREFILTER_FIELDS, wq.Term, wq.And, wq.Or)
