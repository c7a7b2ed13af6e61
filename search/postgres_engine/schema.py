"""The ``postgres`` backend's tables, and how a Haystack Document becomes one row of them.

PostgreSQL has no Chinese full-text parser we may rely on (``../README``: none is packaged), so
the text is cut here, by the same ``search.tokens`` functions as the other engines, and handed
to PostgreSQL as finished values:

- ``grams`` (``tsvector``, GIN-indexed, no positions): every *pair* token (a Chinese character
  and the next, or a lone one where its run ends, or a Latin/digit token) and every *quad* token
  (up to four Chinese characters) of the content and the title. A token at position i means "the
  text at i starts with it", so a term of one to four Chinese characters is exactly one lookup
  (``水:*``, ``防水``, ``防水卷:*``, ``防水卷材``) and any other term has all its grams present.
- ``grams`` also holds the document's *level* lexemes (``scoring``: ``^3防水`` says 防水 scores
  at least the fourth level here), so a search scores only the documents that can reach its
  first page, and finds them with its matches in one GIN lookup.
- ``content_run``, ``title_run``, ``contractor_run``: the text as its tokens, Chinese characters
  joined, other tokens spaced apart (``search.tokens.run_text``). Whether a term occurs as a run of whole
  tokens is then a substring test (``strpos``), the same truth the other engines' phrase
  queries compute: it checks the candidates of longer and mixed terms, and counts occurrences
  for the score.

Positions are not stored: PostgreSQL keeps at most 256 per lexeme and none past 16,383, which
long documents exceed; the runs have no such limit. A document whose grams would not fit a
``tsvector`` (1 MB) keeps fewer (``grams_complete`` false) plus the lexeme ``INCOMPLETE``, and is
always checked by its runs: every text query asks the index for its grams *or* ``INCOMPLETE``,
so one GIN lookup finds both kinds and no row's ``grams`` is read back (``query.match_sql``).

Changing anything here changes what the tables mean: bump ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from haystack import Document

from schemas import meta as M
from schemas.search import CONTRACTOR
from search.postgres_engine.scoring import ALWAYS, is_level, level_lexemes
from search.stored_document import document_json, finite_number, meta_year, parse_date
from search.tokens import char_gram_texts, run_text, word_texts

SCHEMA_VERSION = 2  # 2: INCOMPLETE and ALWAYS in documents whose grams were cut; level lexemes
BACKEND = "postgres"
KEYWORD_META = (M.PROJECT, M.CLASS_CODE, M.CLASS_LETTER, M.ITEM_CODE, M.DOC_TYPE)
MAX_LEXEME_BYTES = 2000  # PostgreSQL refuses lexemes of 2 KB and more
MAX_GRAMS_BYTES = 900_000  # a tsvector holds at most 1 MB
INCOMPLETE = "#incomplete"  # never a token: tokens are letters and digits only (search.tokens)
_CJK_TOKEN = re.compile(r"[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
                        r"\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")


def tables(prefix: str) -> dict[str, str]:
    return {"documents": f"{prefix}_documents", "meta": f"{prefix}_meta"}


def ddl(prefix: str, lz4: bool = False) -> list[str]:
    """The statements that create the tables and indexes (idempotent). ``lz4``: the server can
    compress with LZ4 (PostgreSQL 14 and later, built with it; Debian's is), which the runs use:
    a search decompresses and reads every candidate's run, and LZ4 does that about 30 % faster
    than the default pglz (measured: a phrase's exact test over 100,000 runs, 371 → 265 ms).
    """
    names = tables(prefix)
    docs = names["documents"]
    fast = " COMPRESSION lz4" if lz4 else ""
    return [
        f"""CREATE TABLE IF NOT EXISTS {names['meta']} (
            key text PRIMARY KEY, value text NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS {docs} (
            id text PRIMARY KEY,
            seq bigint NOT NULL,
            doc_json text NOT NULL,
            grams tsvector NOT NULL,
            grams_complete boolean NOT NULL,
            words tsvector NOT NULL,
            content_run text{fast} NOT NULL,
            title_run text{fast} NOT NULL,
            contractor_run text NOT NULL,
            content_tokens integer NOT NULL,
            project text, class_code text, class_letter text, item_code text, doc_type text,
            doc_date timestamp, year integer, amount double precision)""",
        f"CREATE INDEX IF NOT EXISTS {docs}_grams ON {docs} USING gin (grams)",
        f"CREATE INDEX IF NOT EXISTS {docs}_words ON {docs} USING gin (words)",
        f"CREATE INDEX IF NOT EXISTS {docs}_seq ON {docs} (seq)",
        f"CREATE INDEX IF NOT EXISTS {docs}_date ON {docs} (doc_date DESC NULLS LAST, seq)",
        f"CREATE INDEX IF NOT EXISTS {docs}_incomplete ON {docs} (id) WHERE NOT grams_complete",
        *(f"CREATE INDEX IF NOT EXISTS {docs}_{key} ON {docs} ({key})" for key in KEYWORD_META),
    ]


def quote_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(lexemes: set[str] | list[str]) -> str:
    """A ``tsvector`` literal of ``lexemes`` (PostgreSQL sorts and de-duplicates them itself)."""
    joined = "' '".join(lexemes)
    if "'" in joined or "\\" in joined:  # our tokens are letters and digits; quote anything else properly
        return " ".join(quote_lexeme(lexeme) for lexeme in lexemes)
    return f"'{joined}'" if lexemes else ""


def _fits(lexemes: set[str] | list[str]) -> bool:
    return len(" ".join(lexemes).encode("utf-8")) + 6 * len(lexemes) <= MAX_GRAMS_BYTES


def grams_vector(texts: list[str], levels: Callable[[int], set[str]] | None = None) -> tuple[str, bool, int]:
    """The ``tsvector`` literal of the texts' pair and quad tokens and, from ``levels(length)``,
    the first text's level lexemes (``scoring``); whether it holds them all; and how many tokens
    the first text has (its length, for the score). One column holds both so that a search's
    match and its level candidates are one GIN lookup: PostgreSQL then never reads a row's
    vector back to test the other half. A document whose lexemes had to be cut is marked
    ``INCOMPLETE`` (found by its runs) and ``ALWAYS`` (a candidate at every level).
    """
    lexemes: set[str] = set()
    first_length = 0
    for index, text in enumerate(texts):
        if text:
            chars, pairs, quads = char_gram_texts(text)
            lexemes.update(pairs.split(), quads.split())
            if index == 0:
                first_length = chars.count(" ") + 1
    if levels is not None:
        lexemes.update(levels(first_length))
    complete = True
    if any(len(lexeme) * 4 >= MAX_LEXEME_BYTES for lexeme in lexemes):  # only then count bytes
        kept = {lexeme for lexeme in lexemes if len(lexeme.encode("utf-8")) < MAX_LEXEME_BYTES}
        complete, lexemes = len(kept) == len(lexemes), kept
    if not _fits(lexemes):
        complete = False
        lexemes = {lex for lex in lexemes if (len(lex) <= 2 or not _CJK_TOKEN.match(lex)) and not is_level(lex)}
        if not _fits(lexemes):  # pairs and Latin only, no levels, and still too many
            lexemes = set()
    if not complete:
        lexemes.update((INCOMPLETE, ALWAYS))
    return vector_literal(lexemes), complete, first_length


def words_vector(text: str) -> str:
    """The jieba words of ``text`` (for "more like this"), as a ``tsvector`` literal."""
    words = {w for w in word_texts(text) if len(w) * 4 < MAX_LEXEME_BYTES or len(w.encode("utf-8")) < MAX_LEXEME_BYTES}
    while not _fits(words):  # keep the shorter words of a huge document
        longest = max(len(w) for w in words)
        words = {w for w in words if len(w) < longest}
    return vector_literal(words)


def row_values(document: Document, seq: int) -> dict[str, Any]:
    """The column values of one document (the ``tsvector`` ones as literals to cast)."""
    meta = document.meta or {}
    content = document.content or ""
    title = meta.get(M.TITLE) if isinstance(meta.get(M.TITLE), str) else ""
    contractor = meta.get(CONTRACTOR) if isinstance(meta.get(CONTRACTOR), str) else ""
    content_run, title_run = run_text(content), run_text(title)
    grams, complete, length = grams_vector(
        [content, title], lambda length: level_lexemes(content_run, title_run, length))
    when = parse_date(meta.get(M.DATE))
    values: dict[str, Any] = {
        "id": document.id, "seq": seq, "doc_json": document_json(document),
        "grams": grams, "grams_complete": complete, "words": words_vector(f"{title}\n{content}"),
        "content_run": content_run, "title_run": title_run, "contractor_run": run_text(contractor),
        "content_tokens": length,
        "doc_date": when, "year": meta_year(meta, when), "amount": finite_number(meta.get(M.AMOUNT)),
    }
    for key in KEYWORD_META:
        value = meta.get(key)
        values[key] = value if isinstance(value, str) and value else None
    return values


COLUMNS = ("id", "seq", "doc_json", "grams", "grams_complete", "words", "content_run", "title_run",
           "contractor_run", "content_tokens", *KEYWORD_META, "doc_date", "year", "amount")
