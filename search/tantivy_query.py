"""Turning our parsed query tree and the search filters into tantivy query objects.

The same plan as ``whoosh_query``, built with tantivy's query constructors (never its query
parser, so no user text is ever interpreted by the engine): each term must match its exact
characters in the content or the title — one token in the ``*_chars`` field, longer terms as a
phrase of the ``*_pairs`` field, a content or title term of three or more Chinese characters in
the ``*_quads`` field (see ``tantivy_schema``); the jieba words of the term, all
present in the word fields, only add score. Title clauses are boosted. Filters select without
scoring (constant score 0).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import tantivy
from tantivy import Occur, Query

from search.filters import FieldFilter
from search.prefilter import haystack_prefilter as narrowing
from search.query import And, MatchAll, Node, Not, Or, Term
from search.tantivy_schema import (
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


class QueryBuilder:
    """Builds queries against one index schema (tantivy needs the schema to type every term)."""

    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher | None = None) -> None:
        self.schema = schema
        self.searcher = searcher  # lets a three-character term list the quads it begins

    def _quads_beginning(self, quads: str, run: str) -> Query | None:
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
        if not found:
            return Query.empty_query()
        clauses = [(Occur.Should, Query.term_query(self.schema, quads, term, index_option="freq")) for term in found]
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    # --- keyword tree -------------------------------------------------------------------------
    def exact(self, fields: tuple[str, str], text: str, quads: str | None = None) -> Query:
        """Where ``text`` occurs as a run of whole tokens in the (chars, pairs) field couple, or
        in the ``quads`` field when there is one and the term is four or more Chinese characters.
        """
        chars, pairs = fields
        tokens = char_spans(text)
        if not tokens:
            return Query.empty_query()
        if len(tokens) == 1:
            return Query.term_query(self.schema, chars, tokens[0].text, index_option="freq")
        if quads is not None and len(tokens) == 3 and all(token.cjk for token in tokens):
            beginning = self._quads_beginning(quads, "".join(token.text for token in tokens))
            if beginning is not None:
                return beginning
        long_run = quad_query_tokens(text) if quads is not None else None
        if long_run is not None:
            if len(long_run) == 1:
                return Query.term_query(self.schema, quads, long_run[0][1], index_option="freq")
            return Query.phrase_query(self.schema, quads, long_run)
        phrase, open_ended = pair_query_tokens(text)
        if len(phrase) == 1:
            return Query.term_query(self.schema, pairs, phrase[0][1])
        if open_ended:  # the last CJK character may pair with the next one in a document
            return Query.phrase_prefix_query(self.schema, pairs, phrase)
        return Query.phrase_query(self.schema, pairs, phrase)

    def _all_words(self, field: str, words: list[str]) -> Query:
        unique = list(dict.fromkeys(words))
        if len(unique) == 1:
            return Query.term_query(self.schema, field, unique[0], index_option="freq")
        return Query.boolean_query(
            [(Occur.Must, Query.term_query(self.schema, field, w, index_option="freq")) for w in unique]
        )

    def term(self, text: str, scored: bool = True) -> Query:
        """Where one user term matches (its exact characters), and (when ``scored``) what ranks them."""
        if not char_spans(text):
            return Query.empty_query()
        required = Query.boolean_query(
            [
                (Occur.Should, self.exact((CONTENT_CHARS, CONTENT_PAIRS), text, quads=CONTENT_QUADS)),
                (Occur.Should, Query.boost_query(self.exact((TITLE_CHARS, TITLE_PAIRS), text, quads=TITLE_QUADS), TITLE_BOOST)),
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
                (Occur.MustNot, self.tree(child.child, scored=False))
                if isinstance(child, Not)
                else (Occur.Must, self.tree(child, scored))
                for child in node.children
            ]
            return Query.boolean_query(clauses)
        raise TypeError(f"a negation must sit inside an AND: {node!r}")  # the parser guarantees this

    # --- filters ------------------------------------------------------------------------------
    def _range(self, field: str, kind: tantivy.FieldType, low: Any, high: Any, **bounds: bool) -> Query:
        return Query.range_query(self.schema, field, kind, low, high, **bounds)

    def field_filter(self, flt: FieldFilter) -> Query:
        """One field filter, with the same meaning as ``whoosh_query.field_filter``."""
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
