"""Turning our parsed query tree and the search filters into tantivy query objects.

The same plan as ``whoosh_engine.query``, built with tantivy's query constructors (never its query
parser, so no user text is ever interpreted by the engine): each term must match its exact
characters in the content or the title — one token in the ``*_chars`` field, longer terms as a
phrase of the ``*_pairs`` field, a content or title term of three or more Chinese characters in
the ``*_quads`` field (see ``tantivy_engine.schema``); the jieba words of the term, all
present in the word fields, only add score. Title clauses are boosted. Filters select without
scoring (constant score 0). For a query that checks positions, ``score_bound`` also gives a
cheap query that bounds its scores from above, from which ``tantivy_engine.topk`` finds the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Literal

import tantivy
from tantivy import Occur, Query

from search.filters import FieldFilter
from search.prefilter import haystack_prefilter as narrowing
from search.query import And, MatchAll, Node, Not, Or, Term
from search.tantivy_engine.schema import (
    AMOUNT,
    CONTENT_CHARS,
    CONTENT_PAIRS,
    CONTENT_QUADS,
    CONTENT_WORDS,
    CONTRACTOR_CHARS,
    CONTRACTOR_PAIRS,
    DATE,
    EARLIEST,
    ID_FIELD,
    KEYWORD_META,
    TITLE_CHARS,
    TITLE_PAIRS,
    TITLE_QUADS,
    TITLE_WORDS,
    YEAR,
    to_micros,
)
from search.tokens import char_spans, pair_query_tokens, quad_query_tokens, word_texts

TITLE_BOOST = 4.0
MAX_QUAD_EXPANSIONS = 256  # quads listed for a three-character term before the phrase is cheaper
WORD_BOOST = 2.0


@dataclass(frozen=True)
class Lookup:
    """How one text is looked up in one field: which tokens, and whether at their offsets.

    ``kind`` is "none" (matches nothing), "term" (one token), "any" (any of the tokens: the
    quads a three-character run begins), "phrase" (every token at its offset) or "prefix" (a
    phrase whose last token is only a prefix).
    """

    kind: Literal["none", "term", "any", "phrase", "prefix"]
    field: str = ""
    tokens: tuple[tuple[int, str], ...] = ()


class QueryBuilder:
    """Builds queries against one index schema (tantivy needs the schema to type every term)."""

    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher | None = None) -> None:
        self.schema = schema
        self.searcher = searcher  # lets a three-character term list the quads it begins
        self.positional = False  # whether a query built so far checks positions (a phrase)
        self._grams_only = False  # building ``grams_superset``: phrases without their positions
        self._lookups: dict[str, tuple[Lookup, Lookup]] = {}

    def _quads_beginning(self, quads: str, run: str) -> Lookup | None:
        """Where a three-character run stands, from the quad tokens that begin with it: the
        quad token at its place is the run plus the next character, or the run alone where the
        run of Chinese ends. A handful of terms without positions instead of a phrase of two
        bigrams of common characters; None (use the phrase) when there are too many.
        """
        if self.searcher is None:
            return None
        found = [term for term, _ in self.searcher.terms_with_prefix(quads, run, limit=MAX_QUAD_EXPANSIONS + 1)]
        if len(found) > MAX_QUAD_EXPANSIONS:
            return None
        return Lookup("any", quads, tuple((0, term) for term in found)) if found else Lookup("none")

    # --- keyword tree -------------------------------------------------------------------------
    def lookup(self, fields: tuple[str, str], text: str, quads: str | None = None) -> Lookup:
        """How ``text`` is found as a run of whole tokens in the (chars, pairs) field couple, or
        in the ``quads`` field when there is one and the term is three or more Chinese characters.
        """
        chars, pairs = fields
        tokens = char_spans(text)
        if not tokens:
            return Lookup("none")
        if len(tokens) == 1:
            return Lookup("term", chars, ((0, tokens[0].text),))
        if quads is not None and len(tokens) == 3 and all(token.cjk for token in tokens):
            beginning = self._quads_beginning(quads, "".join(token.text for token in tokens))
            if beginning is not None:
                return beginning
        long_run = quad_query_tokens(text) if quads is not None else None
        if long_run is not None:
            return Lookup("term" if len(long_run) == 1 else "phrase", quads, tuple(long_run))
        phrase, open_ended = pair_query_tokens(text)
        if len(phrase) == 1:
            return Lookup("term", pairs, tuple(phrase))
        # an open end: the last CJK character may pair with the next one in a document
        return Lookup("prefix" if open_ended else "phrase", pairs, tuple(phrase))

    def _term_query(self, field: str, token: str) -> Query:
        return Query.term_query(self.schema, field, token, index_option="freq")

    def _query(self, found: Lookup) -> Query:
        if found.kind == "none":
            return Query.empty_query()
        if found.kind == "term":
            return self._term_query(found.field, found.tokens[0][1])
        if found.kind == "any":
            clauses = [(Occur.Should, self._term_query(found.field, token)) for _, token in found.tokens]
            return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)
        if found.kind == "phrase" and self._grams_only:
            return Query.boolean_query([(Occur.Must, self._term_query(found.field, t)) for _, t in found.tokens])
        self.positional = True
        if found.kind == "prefix":
            return Query.phrase_prefix_query(self.schema, found.field, list(found.tokens))
        return Query.phrase_query(self.schema, found.field, list(found.tokens))

    def exact(self, fields: tuple[str, str], text: str, quads: str | None = None) -> Query:
        """Where ``text`` occurs as a run of whole tokens (see ``lookup``)."""
        return self._query(self.lookup(fields, text, quads))

    def _all_words(self, field: str, words: list[str]) -> Query:
        unique = list(dict.fromkeys(words))
        if len(unique) == 1:
            return self._term_query(field, unique[0])
        return Query.boolean_query([(Occur.Must, self._term_query(field, w)) for w in unique])

    def _content_and_title(self, text: str) -> tuple[Lookup, Lookup]:
        """A term's lookups, decided once per builder: the query, its score bound and its grams
        superset are all built from them (a three-character term asks the term dictionary).
        """
        if text not in self._lookups:
            self._lookups[text] = (
                self.lookup((CONTENT_CHARS, CONTENT_PAIRS), text, quads=CONTENT_QUADS),
                self.lookup((TITLE_CHARS, TITLE_PAIRS), text, quads=TITLE_QUADS),
            )
        return self._lookups[text]

    def term(self, text: str, scored: bool = True) -> Query:
        """Where one user term matches (its exact characters), and (when ``scored``) what ranks them."""
        if not char_spans(text):
            return Query.empty_query()
        content, title = self._content_and_title(text)
        required = Query.boolean_query(
            [
                (Occur.Should, self._query(content)),
                (Occur.Should, Query.boost_query(self._query(title), TITLE_BOOST)),
            ]
        )
        words = word_texts(text) if scored else []
        if not words:
            return required
        ranking = Query.boolean_query(
            [
                (Occur.Should, Query.boost_query(self._all_words(CONTENT_WORDS, words), WORD_BOOST)),
                (
                    Occur.Should,
                    Query.boost_query(self._all_words(TITLE_WORDS, words), TITLE_BOOST * WORD_BOOST),
                ),
            ]
        )
        return Query.boolean_query([(Occur.Must, required), (Occur.Should, ranking)])

    # --- a bound on the scores (see ``tantivy_engine.topk``) -----------------------------------------------
    def _term_weights(self, text: str, weights: Counter[tuple[str, str]]) -> bool:
        """Add every term that scores in ``term(text)``, with its boost; False if one cannot be
        bounded this way (a phrase with an open end is scored over its expansions).
        """
        if not char_spans(text):
            return True
        for found, boost in zip(self._content_and_title(text), (1.0, TITLE_BOOST), strict=True):
            if found.kind == "prefix":
                return False
            for _, token in found.tokens:  # a token twice in a phrase counts twice in its idf
                weights[(found.field, token)] += boost
        for word in dict.fromkeys(word_texts(text)):
            weights[(CONTENT_WORDS, word)] += WORD_BOOST
            weights[(TITLE_WORDS, word)] += TITLE_BOOST * WORD_BOOST
        return True

    def score_bound(self, node: Node) -> Query | None:
        """A query matching every document ``tree(node)`` matches and scoring each at least as
        high, without positions: one flat OR of every scored term with its boost, so tantivy
        can skip blocks of documents that cannot reach the page (block-max WAND).

        Why it bounds: a phrase is scored as BM25 over the summed idf of its tokens with the
        phrase's frequency, and each token occurs at least that often, so the tokens' own BM25
        scores add up to at least as much (BM25 grows with frequency); AND, OR and the word
        clauses add the scores of the parts that match, which the OR adds too (and more).
        Negated parts never score. None when the query has a part this cannot bound.
        """
        weights: Counter[tuple[str, str]] = Counter()
        pending = [node]
        while pending:
            current = pending.pop()
            if isinstance(current, Term):
                if not self._term_weights(current.text, weights):
                    return None
            elif isinstance(current, And | Or):
                pending.extend(child for child in current.children if not isinstance(child, Not))
            else:  # MatchAll scores every document: nothing to bound it with
                return None
        if not weights:
            return None
        return Query.boolean_query(
            [
                (Occur.Should, Query.boost_query(self._term_query(field, token), boost))
                for (field, token), boost in weights.items()
            ]
        )

    def tree(self, node: Node, scored: bool = True) -> Query:
        """Translate a parsed query (``search.query.parse_query``) into a tantivy query.

        What is excluded (``-term``) only has to say which documents match: no ranking part.
        """
        if isinstance(node, MatchAll):
            return Query.all_query()
        if isinstance(node, Term):
            return self.term(node.text, scored)
        if isinstance(node, Or):
            return Query.boolean_query([(Occur.Should, self.tree(child, scored)) for child in node.children])
        if isinstance(node, And):
            clauses = [
                (Occur.MustNot, self._exactly(child.child))
                if isinstance(child, Not)
                else (Occur.Must, self.tree(child, scored))
                for child in node.children
            ]
            return Query.boolean_query(clauses)
        raise TypeError(f"a negation must sit inside an AND: {node!r}")  # the parser guarantees this

    def _exactly(self, node: Node) -> Query:
        """``node`` unscored and exact, also inside ``grams_superset`` (excluding more than the
        exact query does would lose matches).
        """
        grams_only, self._grams_only = self._grams_only, False
        try:
            return self.tree(node, scored=False)
        finally:
            self._grams_only = grams_only

    def grams_superset(self, node: Node) -> Query:
        """An unscored query matching every document ``tree(node)`` matches, where a phrase only
        asks for all its grams, anywhere in the field: no positions to check. Tighter than
        ``score_bound`` (an AND where that is an OR), for pages ordered by date, which need no
        scores (see ``tantivy_engine.topk``).
        """
        self._grams_only = True
        try:
            return self.tree(node, scored=False)
        finally:
            self._grams_only = False

    # --- filters ------------------------------------------------------------------------------
    def _range(self, field: str, kind: tantivy.FieldType, low: Any, high: Any, **bounds: bool) -> Query:
        return Query.range_query(self.schema, field, kind, low, high, **bounds)

    def field_filter(self, flt: FieldFilter) -> Query:
        """One field filter, with the same meaning as ``whoosh_engine.query.field_filter``."""
        if flt.field in ("project", "type"):
            field = "project" if flt.field == "project" else "doc_type"
            return Query.term_query(self.schema, field, flt.value or "", index_option="basic")
        if flt.field == "class":
            code = (flt.value or "").upper()
            field = "class_letter" if len(code) == 1 and code.isalpha() else "class_code"
            return Query.term_query(self.schema, field, code, index_option="basic")
        if flt.field == "contractor":
            return self.exact((CONTRACTOR_CHARS, CONTRACTOR_PAIRS), flt.value or "")
        if flt.field == "year":
            return self._range(YEAR, tantivy.FieldType.Integer, flt.low, flt.high) if (
                flt.low is not None or flt.high is not None
            ) else Query.exists_query(YEAR)
        if flt.field == "date":
            start = to_micros(datetime.combine(flt.low, time.min)) if flt.low else EARLIEST  # type: ignore[arg-type]
            end = to_micros(datetime.combine(flt.high, time.max)) if flt.high else None  # type: ignore[arg-type]
            return self._range(DATE, tantivy.FieldType.Integer, start, end)
        if flt.field == "amount":
            if flt.low is None and flt.high is None:
                return Query.exists_query(AMOUNT)
            return self._range(
                AMOUNT,
                tantivy.FieldType.Float,
                None if flt.low is None else float(flt.low),
                None if flt.high is None else float(flt.high),
                include_lower=not (flt.low_exclusive and flt.low is not None),
                include_upper=not (flt.high_exclusive and flt.high is not None),
            )
        raise ValueError(f"unknown filter field {flt.field!r}")

    def filtered(self, query: Query, filters: list[FieldFilter] | tuple[FieldFilter, ...]) -> Query:
        """``query`` restricted to documents passing every filter; filters add no score."""
        if not filters:
            return query
        clauses = [(Occur.Must, query)]
        clauses += [(Occur.Must, Query.const_score_query(self.field_filter(f), 0.0)) for f in filters]
        return Query.boolean_query(clauses)

    # --- Haystack filters -----------------------------------------------------------------------
    def haystack_prefilter(self, filters: dict[str, Any] | None) -> Query | None:
        """A query every document matching a Haystack filter also matches, or None (the rules are
        ``search.prefilter``'s).
        """
        return narrowing(
            filters, _PREFILTER_FIELDS,
            term=lambda field, value: Query.term_query(self.schema, field, value, index_option="basic"),
            all_of=lambda parts: Query.boolean_query([(Occur.Must, p) for p in parts]),
            any_of=lambda parts: Query.boolean_query([(Occur.Should, p) for p in parts]),
        )


_PREFILTER_FIELDS = {"id": ID_FIELD, **{f"meta.{key}": key for key in KEYWORD_META}}
