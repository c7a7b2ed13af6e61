"""The tantivy index layout and how a Haystack Document becomes one tantivy document.

The fields mirror the Whoosh ones (``whoosh_engine.schema``) so both engines answer alike. tantivy cannot
call a Python tokenizer, so text is cut here with the same ``tokens`` functions the Whoosh
analyzers use, and the tokens are indexed joined by spaces through tantivy's whitespace
tokenizer (much cheaper than handing over one Python token object per character).

Whoosh keeps a CJK character and its bigram at one position; a whitespace-joined string has one
token per position, so each text becomes two aligned fields: ``*_chars`` (every character
token; no positions, it answers one-token queries) and ``*_pairs`` (at each position the bigram
starting there, or the token itself; with positions, it answers phrases). A phrase over pair
tokens matches exactly where the characters are adjacent, so phrases, single characters and
``结施-03`` match exactly as in Whoosh (the same test suite runs on both). Content and title also
have ``*_quads`` (up to four CJK characters per position, with positions): a term of three or
more Chinese characters is looked up there as a few quads, much rarer than the bigrams of common
characters (工程, 单位, 检验) whose positions would otherwise be compared in nearly every document.

Changing anything here changes the on-disk format: bump ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import tantivy

from schemas import meta as M
from schemas.search import CONTRACTOR
from search.stored_document import document_json, finite_number, meta_year, parse_date
from search.tokens import char_gram_texts, word_texts

if TYPE_CHECKING:
    from haystack import Document

SCHEMA_VERSION = 2  # 2: content_quads, title_quads
BACKEND = "tantivy"

ID_FIELD = "id"
SEQ = "seq"
DOC_JSON = "doc_json"
CONTENT_CHARS = "content_chars"
CONTENT_PAIRS = "content_pairs"
CONTENT_QUADS = "content_quads"
CONTENT_WORDS = "content_words"
TITLE_CHARS = "title_chars"
TITLE_PAIRS = "title_pairs"
TITLE_QUADS = "title_quads"
TITLE_WORDS = "title_words"
CONTRACTOR_CHARS = "contractor_chars"
CONTRACTOR_PAIRS = "contractor_pairs"
DATE = "date"  # microseconds since 1970 (naive dates read as UTC); undated: UNDATED
YEAR = "year"
AMOUNT = "amount"
KEYWORD_META = (M.PROJECT, M.CLASS_CODE, M.CLASS_LETTER, M.ITEM_CODE, M.DOC_TYPE)

# Undated documents sort after every real date when the newest come first; range filters start
# at EARLIEST, so they never match undated documents (as in Whoosh, where they have no date).
UNDATED = -(2**62)
EARLIEST = -62_135_596_800_000_000  # 0001-01-01T00:00:00 in microseconds

# Our tokens never contain whitespace, so splitting on it gives them back one per position.
_PRE_TOKENISED = "whitespace"


def build_schema() -> tantivy.Schema:
    """The index fields; only the id, write order and the JSON copy are stored."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(ID_FIELD, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field(SEQ, stored=True, indexed=True, fast=True)
    builder.add_bytes_field(DOC_JSON, stored=True, indexed=False, fast=False)
    for name in (CONTENT_PAIRS, CONTENT_QUADS, TITLE_PAIRS, TITLE_QUADS, CONTRACTOR_PAIRS):
        builder.add_text_field(name, tokenizer_name=_PRE_TOKENISED, index_option="position")
    for name in (CONTENT_CHARS, TITLE_CHARS, CONTRACTOR_CHARS, CONTENT_WORDS, TITLE_WORDS):
        # No phrase is looked up in these, so no positions: a smaller, faster index.
        builder.add_text_field(name, tokenizer_name=_PRE_TOKENISED, index_option="freq")
    for name in KEYWORD_META:
        # fast: facet counts read a column per match instead of the postings.
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field(DATE, indexed=True, fast=True)
    builder.add_integer_field(YEAR, indexed=True, fast=True)
    builder.add_float_field(AMOUNT, indexed=True, fast=True)
    return builder.build()


def to_micros(when: datetime) -> int:
    """A naive datetime as microseconds since 1970-01-01 (the DATE field's unit)."""
    delta = when.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _add_text(document: tantivy.Document, text: str, fields: tuple[str, str, str | None, str | None]) -> None:
    """Index ``text`` into (chars, pairs, words, quads) fields; words and quads may be None."""
    chars, pairs, quads = char_gram_texts(text)
    document.add_text(fields[0], chars)
    document.add_text(fields[1], pairs)
    if fields[2] is not None:
        document.add_text(fields[2], " ".join(word_texts(text)))
    if fields[3] is not None:
        document.add_text(fields[3], quads)


def index_document(document: Document, seq: int) -> tantivy.Document:
    """The tantivy document for one Haystack Document; meta values of odd types are not indexed."""
    meta = document.meta or {}
    entry = tantivy.Document()
    entry.add_text(ID_FIELD, document.id)
    entry.add_integer(SEQ, seq)
    entry.add_bytes(DOC_JSON, document_json(document).encode("utf-8"))
    if document.content:
        _add_text(entry, document.content, (CONTENT_CHARS, CONTENT_PAIRS, CONTENT_WORDS, CONTENT_QUADS))
    title = meta.get(M.TITLE)
    if isinstance(title, str) and title:
        _add_text(entry, title, (TITLE_CHARS, TITLE_PAIRS, TITLE_WORDS, TITLE_QUADS))
    contractor = meta.get(CONTRACTOR)
    if isinstance(contractor, str) and contractor:
        _add_text(entry, contractor, (CONTRACTOR_CHARS, CONTRACTOR_PAIRS, None, None))
    for key in KEYWORD_META:
        value = meta.get(key)
        if isinstance(value, str) and value:
            entry.add_text(key, value)
    when = parse_date(meta.get(M.DATE))
    entry.add_integer(DATE, to_micros(when) if when is not None else UNDATED)
    year = meta_year(meta, when)
    if year is not None:
        entry.add_integer(YEAR, year)
    amount = finite_number(meta.get(M.AMOUNT))
    if amount is not None:
        entry.add_float(AMOUNT, amount)
    return entry


def stored_id_and_seq(stored: dict[str, Any]) -> tuple[str, int]:
    """(id, write order) from ``Searcher.doc(...).to_dict()``."""
    return stored[ID_FIELD][0], stored[SEQ][0]
