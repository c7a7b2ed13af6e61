"""A Haystack DocumentStore in PostgreSQL tables, with the same Chinese search as tantivy and Whoosh.

Same contract, query language and answers as the other stores (one conformance and Chinese
search suite runs on all three); what PostgreSQL adds is that several app nodes share it, its
streaming replicas answer searches, and — in the catalog's own database — the index is written
in the catalog's transaction (``write_in``/``delete_in`` on the caller's connection), so the two
cannot drift apart.

Connections: psycopg 3 pools, one on the primary (writes, and reads when there is no replica)
and one over the replicas (``read_conninfos``). A search runs its page and its exact count with
facets on two connections at once (two cores of the server), like tantivy's counting threads.
This package talks to PostgreSQL with psycopg alone: SQLAlchemy stays in ``core``.
"""

from __future__ import annotations

import functools
import logging
import math
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import psycopg
from haystack import Document, default_from_dict, default_to_dict
from haystack.document_stores.errors import DuplicateDocumentError
from haystack.document_stores.types import DuplicatePolicy
from haystack.utils.filters import document_matches_filter
from psycopg_pool import ConnectionPool

from schemas.search import FACET_FIELDS, SearchQuery
from search.filters import option_filters
from search.index_version import IndexVersionError
from search.postgres_engine import query as sql
from search.postgres_engine import scoring
from search.postgres_engine.schema import (
    BACKEND,
    COLUMNS,
    KEYWORD_META,
    SCHEMA_VERSION,
    ddl,
    row_values,
    tables,
)
from search.prefilter import haystack_prefilter
from search.query import MatchAll, Term, parse_query, parse_search, positive_terms
from search.results import ScoredHit, SearchPage
from search.store_support import (
    DerivedWrites,
    best_matching,
    dedupe,
    hit_highlights,
    key_terms,
    more_like_text,
)
from search.stored_document import document_from_json, indexed_from_json

logger = logging.getLogger(__name__)

SortOrder = Literal["relevance", "date"]
_VECTORS = {"grams", "words"}
_STATS_TTL = 300.0  # seconds the number of documents is reused for the terms' weights
_FREQUENCIES_KEPT = 10_000  # term runs whose document frequency is remembered
_LEVEL_DEPTH = 200  # pages ending deeper than this are scored over every match
_BITMAP_MEMORY = "32MB"  # work_mem of a text search: an exact bitmap of 300,000 rows needs about 5 MB
_LEVEL_WORTH = 2_000  # fewer matches than this (when known) are all scored: cheaper than guessing levels
_LEVEL_TRIES = 8  # guesses of a page's last score that do not fill it, before scoring every match
_MORE_LIKE_CANDIDATES = 200  # words of a document whose document frequency is looked up


@functools.cache
def counting_pool() -> ThreadPoolExecutor:
    """Threads that run a search's count beside its page (process wide: stores come and go)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="pg-count")


def conninfo_of(url: str) -> str:
    """A libpq URL from a SQLAlchemy one (``postgresql+psycopg://`` → ``postgresql://``)."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql{sep}{rest}" if scheme.startswith("postgres") else url


class PostgresDocumentStore(DerivedWrites):
    """Haystack ``DocumentStore`` protocol plus ``search`` (our query language) and ``retrieve``."""

    def __init__(self, conninfo: str, read_conninfos: list[str] | None = None, table_prefix: str = "search",
                 recreate: bool = False, max_snippets: int = 3, pool_size: int = 8,
                 replica_fresh: Callable[[int], bool] | None = None) -> None:
        """``replica_fresh(i)``: may replica i (of ``read_conninfos``) answer now (not too far
        behind)? Without it every replica may; with none fresh, the primary answers.
        """
        self.conninfo = conninfo_of(conninfo)
        self.read_conninfos = [conninfo_of(c) for c in read_conninfos or []]
        self.table_prefix = table_prefix
        self.max_snippets = max_snippets
        self.pool_size = pool_size
        self._replica_fresh = replica_fresh or (lambda _index: True)
        names = tables(table_prefix)
        self._table, self._meta = names["documents"], names["meta"]
        self.index_path = f"postgres:{self._table}"
        self._pool = self._open_pool(self.conninfo)
        self._read_pools = [self._open_pool(c) for c in self.read_conninfos]
        self._stats: tuple[float, int] | None = None  # (when, documents)
        self._frequencies: dict[str, tuple[float, int]] = {}  # term run -> (when, documents holding it)
        self._stats_lock = threading.Lock()
        try:
            self._prepare(recreate)
        except BaseException:
            self.close()
            raise

    def _open_pool(self, conninfo: str) -> ConnectionPool:
        # No idle connection is kept long: a node may open several stores, and the server's
        # connections are shared by every node.
        pool = ConnectionPool(conninfo, min_size=0, max_size=self.pool_size, open=False, max_idle=60,
                              kwargs={"application_name": "jiandang-search"}, name="jiandang-search")
        pool.open(wait=True, timeout=30)
        return pool

    def close(self) -> None:
        for pool in [self._pool, *self._read_pools]:
            pool.close()

    # --- serialisation -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(self, conninfo=self.conninfo, read_conninfos=self.read_conninfos,
                               table_prefix=self.table_prefix, max_snippets=self.max_snippets,
                               pool_size=self.pool_size)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PostgresDocumentStore:
        return default_from_dict(cls, data)

    # --- tables ------------------------------------------------------------------------------
    def _prepare(self, recreate: bool) -> None:
        """Create the tables (or, with ``recreate``, empty them under the current schema); refuse
        tables of another schema version. Nodes starting together take turns (advisory lock).
        """
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"jiandang:{self._table}"])
            found = self._version(conn)
            if recreate or found is None:
                conn.execute(f"DROP TABLE IF EXISTS {self._table}, {self._meta}")
                conn.execute(f"DROP SEQUENCE IF EXISTS {self._table}_order")
                lz4 = conn.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                   "WHERE name = 'default_toast_compression'").fetchone()
                for statement in ddl(self.table_prefix, lz4=bool(lz4 and lz4[0])):
                    conn.execute(statement)
                conn.execute(f"CREATE SEQUENCE IF NOT EXISTS {self._table}_order")
                conn.execute(f"INSERT INTO {self._meta} (key, value) VALUES ('schema_version', %s), "
                             "('backend', %s)", [str(SCHEMA_VERSION), BACKEND])
                logger.info("created the postgres search tables %s (schema version %d)", self._table, SCHEMA_VERSION)
            elif found != SCHEMA_VERSION:
                raise IndexVersionError(Path(self.index_path), found, SCHEMA_VERSION)

    def _version(self, conn: psycopg.Connection) -> int | None:
        exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [self._meta]).fetchone()
        if not exists or not exists[0]:
            return None
        row = conn.execute(f"SELECT value FROM {self._meta} WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row and str(row[0]).isdigit() else -1

    def table_bytes(self) -> int:
        """Bytes on disk of the index's tables, their indexes and TOAST (for the bench)."""
        return int(self._rows("SELECT pg_total_relation_size(%s) + pg_total_relation_size(%s)",
                              [self._table, self._meta])[0][0])

    def schema_current(self) -> bool:
        with self._pool.connection() as conn:
            return self._version(conn) == SCHEMA_VERSION

    def _reader(self) -> ConnectionPool:
        fresh = [pool for index, pool in enumerate(self._read_pools) if self._replica_fresh(index)]
        return random.choice(fresh) if fresh else self._pool

    def _rows(self, statement: str, params: list[Any] | None = None, *,
              by_index: bool = False) -> list[tuple[Any, ...]]:
        """The rows of one statement on a reader. ``by_index``: the statement narrows by the GIN
        index, so only bitmap scans are allowed. The planner does not cost reading a row's
        TOASTed ``grams`` back, and for a common word it picks a sequential (or a date-index)
        scan that tests ``grams @@`` on every row: 1-2 s at 100,000 documents, where the bitmap
        scan takes the matches from the index alone (about 10 times less). Its bitmap gets room to
        stay exact (``_BITMAP_MEMORY``): with the default 4 MB, a character found in 277,000 of
        300,000 documents made it lossy, and every row's ``grams`` was read back to recheck (count
        3.4 s; 0.3–0.45 s with 32 MB).
        """
        with self._reader().connection() as conn:
            if by_index:  # SET LOCAL of the three, in one round trip to the server
                conn.execute("SELECT set_config('enable_seqscan', 'off', true), "
                             "set_config('enable_indexscan', 'off', true), set_config('work_mem', %s, true)",
                             [_BITMAP_MEMORY])
            return conn.execute(statement, params or []).fetchall()

    # --- reading -----------------------------------------------------------------------------
    def count_documents(self) -> int:
        return int(self._rows(f"SELECT count(*) FROM {self._table}")[0][0])

    def all_ids(self) -> set[str]:
        return {row[0] for row in self._rows(f"SELECT id FROM {self._table}")}

    def _prefilter(self, filters: dict[str, Any] | None) -> sql.Sql:
        fields = {"id": "id", **{f"meta.{key}": key for key in KEYWORD_META}}
        found = haystack_prefilter(
            filters, fields, term=lambda column, value: sql.Sql(f"d.{column} = %s", [value]),
            all_of=sql.all_of,
            any_of=lambda parts: sql.Sql(" OR ".join(f"({p.text})" for p in parts), [x for p in parts for x in p.params]),
        )
        return found or sql.Sql("TRUE")

    def filter_documents(self, filters: dict[str, Any] | None = None) -> list[Document]:
        """Documents matching a Haystack filter, in the order they were first written."""
        if filters:
            document_matches_filter(filters, Document(content=""))
        narrowed = self._prefilter(filters)
        rows = self._rows(f"SELECT doc_json FROM {self._table} d WHERE {narrowed.text} ORDER BY seq", narrowed.params)
        documents = [document_from_json(raw) for (raw,) in rows]
        if filters:
            documents = [doc for doc in documents if document_matches_filter(filters, doc)]
        return documents

    # --- writing -----------------------------------------------------------------------------
    def write_documents(self, documents: list[Document], policy: DuplicatePolicy = DuplicatePolicy.NONE) -> int:
        """Write in one transaction. NONE means FAIL: nothing is written if any id already exists.

        Within one call, SKIP keeps the first of repeated ids and OVERWRITE the last; an
        overwritten document keeps its original place in the write order.
        """
        with self._pool.connection() as conn:
            return self.write_in(conn, documents, policy)

    def write_in(self, conn: psycopg.Connection, documents: list[Document],
                 policy: DuplicatePolicy = DuplicatePolicy.NONE) -> int:
        """``write_documents`` on the caller's connection, in the caller's transaction (no commit)."""
        if policy == DuplicatePolicy.NONE:
            policy = DuplicatePolicy.FAIL
        batch = dedupe(documents, policy)
        if not batch:
            return 0
        ids = [doc.id for doc in batch]
        existing = {row[0] for row in conn.execute(
            f"SELECT id FROM {self._table} WHERE id = ANY(%s) FOR UPDATE", [ids]).fetchall()}
        if existing and policy == DuplicatePolicy.FAIL:
            raise DuplicateDocumentError(f"IDs {sorted(existing)!r} already exist in the document store.")
        if policy == DuplicatePolicy.SKIP:
            batch = [doc for doc in batch if doc.id not in existing]
        if not batch:
            return 0
        first = conn.execute(f"SELECT nextval('{self._table}_order')").fetchone()[0]  # type: ignore[index]
        conn.execute(f"SELECT setval('{self._table}_order', %s)", [first + len(batch)])
        rows = [row_values(doc, first + n) for n, doc in enumerate(batch)]
        placeholders = ", ".join("%s::tsvector" if column in _VECTORS else "%s" for column in COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c not in ("id", "seq"))
        with conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self._table} ({', '.join(COLUMNS)}) VALUES ({placeholders}) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                [[row[column] for column in COLUMNS] for row in rows],
            )
        logger.debug("wrote %d documents to %s", len(batch), self._table)
        return len(batch)

    def delete_documents(self, document_ids: list[str]) -> None:
        """Delete by id; ids that are not in the index are ignored."""
        if document_ids:
            with self._pool.connection() as conn:
                self.delete_in(conn, document_ids)

    def delete_in(self, conn: psycopg.Connection, document_ids: list[str]) -> None:
        conn.execute(f"DELETE FROM {self._table} WHERE id = ANY(%s)", [list(document_ids)])

    def delete_all_documents(self, recreate_index: bool = False) -> None:
        """Empty the index. ``recreate_index`` also recreates the tables with the current schema."""
        if recreate_index:
            self._prepare(recreate=True)
            return
        with self._pool.connection() as conn:
            conn.execute(f"DELETE FROM {self._table}")

    # --- searching ---------------------------------------------------------------------------
    def _documents_total(self) -> int:
        """How many documents the index holds (for the terms' weights), refreshed every few minutes."""
        with self._stats_lock:
            if self._stats is None or time.monotonic() - self._stats[0] > _STATS_TTL:
                self._stats = (time.monotonic(), int(self._rows(f"SELECT count(*) FROM {self._table}")[0][0]))
            return self._stats[1]

    def _known_frequency(self, run: str) -> int | None:
        with self._stats_lock:
            known = self._frequencies.get(run)
        return None if known is None else known[1]

    def _weights(self, terms: list[tuple[str, str]]) -> list[float]:
        """Each term's rarity in the archive (BM25's idf); 1 for a single term.

        Like the number of documents, a term's document frequency is reused for a few minutes:
        counting a common word's documents visits tens of thousands of rows, and its rarity
        relative to the other terms hardly moves in that time.
        """
        if len(terms) < 2:
            return [1.0] * len(terms)
        total = self._documents_total()
        now = time.monotonic()
        with self._stats_lock:
            missing = [(run, text) for run, text in terms
                       if run not in self._frequencies or now - self._frequencies[run][0] > _STATS_TTL]
        if missing:
            conditions = [sql.match_sql(Term(text)) for _, text in missing]
            counted = self._rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {self._table} d WHERE {c.text})"
                                                       for c in conditions),
                                 [p for c in conditions for p in c.params], by_index=True)[0]
            with self._stats_lock:
                if len(self._frequencies) > _FREQUENCIES_KEPT:
                    self._frequencies.clear()
                for (run, _), count in zip(missing, counted, strict=True):
                    self._frequencies[run] = (now, int(count))
        with self._stats_lock:
            frequencies = [self._frequencies.get(run, (now, 1))[1] for run, _ in terms]
        return [round(math.log(1 + max(total, 1) / max(df, 1)), 4) for df in frequencies]

    def search(self, query: SearchQuery, sort: SortOrder | None = None) -> SearchPage:
        """One page of documents matching ``query``; the same contract as the other stores' ``search``."""
        parsed = parse_search(query.text)
        order = sort or query.sort or parsed.sort or "relevance"
        if order not in ("relevance", "date"):
            raise ValueError(f"sort must be 'relevance' or 'date', not {order!r}")
        terms = positive_terms(parsed.tree)
        filters = [sql.filter_sql(f) for f in [*option_filters(query), *parsed.filters]]
        where = sql.all_of([sql.match_sql(parsed.tree), *filters])
        by_index = sql.uses_index(parsed.tree)
        counted = counting_pool().submit(self._count, where, query.facets, by_index)
        # With a field filter the count is the cheap part (the filter's own index narrows it), and
        # its total tells the page whether guessing levels can pay off; without one, both run at once.
        total_first = (lambda: counted.result()[0]) if filters else None
        try:
            hits = self._page(parsed.tree, terms, where, order, query.limit, query.offset, by_index, total_first)
        finally:
            total, facets = counted.result()
        return SearchPage(total=total, hits=hits, sort=order, facets=facets)

    def _page(self, tree: Any, terms: list[str], where: sql.Sql, order: str, limit: int,
              offset: int, by_index: bool, total: Callable[[], int] | None = None) -> list[ScoredHit]:
        if order == "date" or isinstance(tree, MatchAll):
            ordering = "d.doc_date DESC NULLS LAST, d.seq" if order == "date" else "d.seq"
            rows = self._ranked(sql.Sql("0.0"), where, ordering, limit, offset, by_index)
        else:
            found = sql.term_runs(terms)
            runs = [run for run, _ in found]
            weights = self._weights(found)
            score = sql.score_sql(runs, weights)
            ceiling = total() if total is not None else sql.match_ceiling(tree, self._known_frequency)
            rows = None
            if ceiling is None or ceiling > _LEVEL_WORTH:
                rows = self._level_page(found, weights, score, where, limit, offset, by_index)
            if rows is None:
                rows = self._ranked(score, where, "score DESC, d.seq", limit, offset, by_index)
        hits = []
        for raw, value in rows:
            points = float(value) if order == "relevance" else 0.0
            document = indexed_from_json(raw, points)
            hits.append(ScoredHit(document=document, score=points,
                                  highlights=hit_highlights(document, terms, self.max_snippets)))
        return hits

    def _ranked(self, score: sql.Sql, where: sql.Sql, ordering: str, limit: int, offset: int,
                by_index: bool) -> list[tuple[Any, ...]]:
        return self._rows(
            f"SELECT d.doc_json, {score.text} AS score FROM {self._table} d WHERE {where.text} "
            f"ORDER BY {ordering} LIMIT %s OFFSET %s", [*score.params, *where.params, limit, offset], by_index=by_index)

    def _level_page(self, terms: list[tuple[str, str]], weights: list[float], score: sql.Sql, where: sql.Sql,
                     limit: int, offset: int, by_index: bool) -> list[tuple[Any, ...]] | None:
        """The page scored over the documents holding its terms at high levels (``scoring``); None
        when that would not be cheaper (no guess fills the page soon), or a term cannot be bounded.

        For a guess of the page's last score, highest first, the candidates are the documents
        that may score that much (``levels_within``). When they fill the page and its last score
        reaches the guess, no other match can enter it. When they fill it with a lower last
        score, at least that many documents score that much, so the candidates of that score
        hold the page: one more query. The first guesses have few candidates and cost a few
        milliseconds each; after ``_LEVEL_TRIES`` empty ones the search scores every match.
        """
        depth = offset + limit
        if not terms or depth > _LEVEL_DEPTH:
            return None
        tried: set[tuple[int | None, ...]] = set()
        for guess in scoring.score_guesses(weights):
            levels = scoring.levels_within(weights, guess)
            if tuple(levels) in tried:
                continue
            if all(level is None for level in levels) or len(tried) == _LEVEL_TRIES:
                return None
            tried.add(tuple(levels))
            rows = self._on_levels(terms, levels, score, where, depth, by_index)
            if rows is None:
                return None
            if len(rows) < depth:
                continue
            last = float(rows[-1][1])
            if not scoring.reaches(last, guess):
                levels = scoring.levels_within(weights, last)
                if all(level is None for level in levels):
                    return None
                rows = self._on_levels(terms, levels, score, where, depth, by_index)
            return None if rows is None else rows[offset:]
        return None

    def _on_levels(self, terms: list[tuple[str, str]], levels: list[int | None], score: sql.Sql, where: sql.Sql,
                   depth: int, by_index: bool) -> list[tuple[Any, ...]] | None:
        candidates = sql.level_sql(terms, levels)
        if candidates is None:
            return None
        return self._ranked(score, sql.all_of([where, candidates]), "score DESC, d.seq", depth, 0, by_index)

    def _count(self, where: sql.Sql, facets: bool, by_index: bool) -> tuple[int, dict[str, dict[str, int]]]:
        """The exact number of matches and, with ``facets``, the counts per facet value."""
        if not facets:
            return int(self._rows(f"SELECT count(*) FROM {self._table} d WHERE {where.text}", where.params,
                                  by_index=by_index)[0][0]), {}
        sets = ", ".join(f"(d.{name})" for name in FACET_FIELDS)
        columns = ", ".join(f"d.{name}" for name in FACET_FIELDS)
        rows = self._rows(
            f"SELECT {columns}, GROUPING({columns}) AS g, count(*) FROM {self._table} d WHERE {where.text} "
            f"GROUP BY GROUPING SETS ((), {sets})", where.params, by_index=by_index)
        total = 0
        counted: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
        width = len(FACET_FIELDS)
        for row in rows:
            grouping, count = row[width], int(row[width + 1])
            if grouping == (1 << width) - 1:
                total = count
                continue
            for position, name in enumerate(FACET_FIELDS):
                if not grouping & (1 << (width - 1 - position)):
                    value = row[position]
                    if value in (None, "") or (name == "year" and not 1000 <= int(value) <= 9999):
                        continue
                    counted[name][str(value)] = count
        return total, {name: dict(sorted(values.items(), key=lambda pair: (-pair[1], pair[0])))
                       for name, values in counted.items()}

    def more_like_this(self, document_id: str, limit: int = 10) -> SearchPage:
        """Documents sharing the most telling words with one document (see ``store_support``)."""
        found = self._rows(f"SELECT doc_json FROM {self._table} WHERE id = %s", [document_id])
        if not found:
            return SearchPage(total=0)
        text = more_like_text(indexed_from_json(found[0][0]))
        total = self.count_documents()
        frequency = self._word_frequencies(text)
        words = key_terms(text, lambda word: frequency.get(word, 0), total)
        if not words:
            return SearchPage(total=0)
        alike = " | ".join(sql.quote_lexeme(word) for word, _ in words)
        score = " + ".join("%s * (d.words @@ %s::tsquery)::int" for _ in words)
        params: list[Any] = [p for word, weight in words for p in (weight, sql.quote_lexeme(word))]
        where = "d.words @@ %s::tsquery AND d.id <> %s"
        rows = self._rows(f"SELECT d.doc_json, {score} AS score, count(*) OVER () FROM {self._table} d "
                          f"WHERE {where} ORDER BY score DESC, d.seq LIMIT %s",
                          [*params, alike, document_id, limit])
        hits = [ScoredHit(document=indexed_from_json(raw, float(s)), score=float(s))
                for raw, s, _ in rows]
        return SearchPage(total=int(rows[0][2]) if rows else 0, hits=hits)

    def _word_frequencies(self, text: str) -> dict[str, int]:
        from collections import Counter

        from search.tokens import word_spans

        counts = Counter(span.text for span in word_spans(text) if len(span.text) > 1)
        words = [word for word, _ in counts.most_common(_MORE_LIKE_CANDIDATES)]
        if not words:
            return {}
        columns = ", ".join("count(*) FILTER (WHERE d.words @@ %s::tsquery)" for _ in words)
        alike = " | ".join(sql.quote_lexeme(word) for word in words)
        row = self._rows(f"SELECT {columns} FROM {self._table} d WHERE d.words @@ %s::tsquery",
                         [*(sql.quote_lexeme(word) for word in words), alike])[0]
        return {word: int(count) for word, count in zip(words, row, strict=True)}

    def retrieve(self, query: str, filters: dict[str, Any] | None = None, top_k: int = 10) -> list[Document]:
        """The ``top_k`` best documents for ``query`` that also match a Haystack filter, scored."""
        tree = parse_query(query)
        if filters:
            document_matches_filter(filters, Document(content=""))
        where = sql.all_of([sql.match_sql(tree), self._prefilter(filters)])
        terms = positive_terms(tree)
        found = sql.term_runs(terms)
        runs = [run for run, _ in found]
        by_index = sql.uses_index(tree)
        score = sql.score_sql(runs, self._weights(found))
        limit = " LIMIT %s" if not filters else ""
        rows = self._rows(f"SELECT d.doc_json, {score.text} AS score FROM {self._table} d WHERE {where.text} "
                          f"ORDER BY score DESC, d.seq{limit}", [*score.params, *where.params,
                                                                 *([top_k] if not filters else [])], by_index=by_index)
        return best_matching(((document_from_json(raw), float(s)) for raw, s in rows), filters, top_k)
