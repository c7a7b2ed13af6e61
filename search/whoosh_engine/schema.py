"""The Whoosh index layout and how a Haystack Document becomes one index entry.

The whole Document is kept as JSON in a stored field so it comes back exactly as written; every
other field exists only to be searched, filtered or sorted. Changing anything here (fields,
analyzers, the user dictionary's effect on tokens) changes the on-disk format: bump
``SCHEMA_VERSION`` so an old index is refused instead of silently answering wrongly.
"""

from __future__ import annotations

import logging
from typing import Any

from haystack import Document
from whoosh.columns import NumericColumn
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from schemas import meta as M
from schemas.search import CONTRACTOR
from search.analysis import char_analyzer, word_analyzer
from search.stored_document import document_from_json, document_json, finite_number, parse_date

__all__ = ["SCHEMA_VERSION", "build_schema", "document_from_json", "index_fields"]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: contractor field; sortable keyword/year columns for facets

# field names
ID_FIELD = "id"
SEQ = "seq"  # write order, so filter_documents returns documents in the order they were written
DOC_JSON = "doc_json"
CONTENT_CHARS = "content_chars"
CONTENT_WORDS = "content_words"
TITLE_CHARS = "title_chars"
TITLE_WORDS = "title_words"
DATE = "date"
YEAR = "year"
AMOUNT = "amount"
CONTRACTOR_CHARS = "contractor_chars"  # the 施工单位 party, per character (contractor: filter)

# meta keys indexed verbatim as exact-match (ID) fields; the field is named after the meta key
KEYWORD_META = (M.PROJECT, M.CLASS_CODE, M.CLASS_LETTER, M.ITEM_CODE, M.DOC_TYPE)


def build_schema() -> Schema:
    """The index fields. Nothing is stored but the id, write order and the JSON copy.

    The character fields keep positions (exact phrases); the word fields are only a ranking
    signal and skip positions, which makes indexing about 10 % faster.
    """
    # Sortable (a column per field) so facet counts read one value per match, not the postings.
    keyword_fields = {name: ID(sortable=True) for name in KEYWORD_META}
    return Schema(
        **{
            ID_FIELD: ID(stored=True, unique=True, sortable=True),
            SEQ: NUMERIC(numtype=int, bits=64, stored=True),
            DOC_JSON: STORED(),
            CONTENT_CHARS: TEXT(analyzer=char_analyzer(), phrase=True),
            CONTENT_WORDS: TEXT(analyzer=word_analyzer(), phrase=False),
            TITLE_CHARS: TEXT(analyzer=char_analyzer(), phrase=True),
            TITLE_WORDS: TEXT(analyzer=word_analyzer(), phrase=False),
            # Undated documents get the smallest sort key, so newest-first puts them last.
            DATE: DATETIME(sortable=NumericColumn("Q", default=0)),
            YEAR: NUMERIC(numtype=int, bits=32, sortable=True),
            CONTRACTOR_CHARS: TEXT(analyzer=char_analyzer(), phrase=True),
            AMOUNT: NUMERIC(numtype=float, bits=64),
            **keyword_fields,
        }
    )


def index_fields(document: Document, seq: int) -> dict[str, Any]:
    """The Whoosh fields for one Document; meta values of unexpected types are simply not indexed."""
    meta = document.meta or {}
    content = document.content or ""
    fields: dict[str, Any] = {
        ID_FIELD: document.id,
        SEQ: seq,
        DOC_JSON: document_json(document),
        CONTENT_CHARS: content,
        CONTENT_WORDS: content,
    }
    title = meta.get(M.TITLE)
    if isinstance(title, str) and title:
        fields[TITLE_CHARS] = title
        fields[TITLE_WORDS] = title
    for key in KEYWORD_META:
        value = meta.get(key)
        if isinstance(value, str) and value:
            fields[key] = value
    contractor = meta.get(CONTRACTOR)
    if isinstance(contractor, str) and contractor:
        fields[CONTRACTOR_CHARS] = contractor
    when = parse_date(meta.get(M.DATE))
    if when is not None:
        fields[DATE] = when
    year = meta.get(M.YEAR)
    if isinstance(year, int) and not isinstance(year, bool):
        fields[YEAR] = year
    elif when is not None:
        fields[YEAR] = when.year
    amount = finite_number(meta.get(M.AMOUNT))
    if amount is not None:
        fields[AMOUNT] = amount
    return fields
