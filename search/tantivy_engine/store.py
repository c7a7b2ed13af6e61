"""A Haystack DocumentStore on a local tantivy index, with the same Chinese search as Whoosh.

Same contract, same query language and the same answers as ``WhooshDocumentStore`` (both run
one set of conformance and Chinese search tests); tantivy makes it fast at archive scale.

tantivy allows one writer per index directory (a lock file, across processes), so each
``write_documents`` call takes the writer, commits once and lets it go; a writer held elsewhere
is waited for up to ``writer_timeout`` seconds. Readers work on the snapshot of the last commit
and never block the writer; a searcher is reloaded when ``meta.json`` shows a newer commit.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import tantivy
from tantivy import Occur, Order, Query

from schemas.search import SearchQuery
from search.filters import option_filters
from search.query import parse_query, parse_search, positive_terms
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
from search.tantivy_engine.facets import Counting, SeqPartitions
from search.tantivy_engine.index import create_index, open_index
from search.tantivy_engine.query import QueryBuilder
from search.tantivy_engine.schema import CONTENT_WORDS, DOC_JSON, ID_FIELD, SEQ, index_document
from search.tantivy_engine.snapshot_cache import CountCache, PageCache
from search.tantivy_engine.topk import ranked_search, top_hits

if TYPE_CHECKING:  # Haystack loads in the methods of its protocol: a search never needs it (results.py)
    from haystack import Document
    from haystack.document_stores.types import DuplicatePolicy

logger = logging.getLogger(__name__)

SortOrder = Literal["relevance", "date"]


class TantivyDocumentStore(DerivedWrites):
    """Haystack ``DocumentStore`` protocol plus ``search`` (our query language) and ``retrieve``."""

    def __init__(
        self,
        index_path: str,
        recreate: bool = False,
        writer_timeout: float = 30.0,
        max_snippets: int = 3,
        writer_heap_mb: int = 64,
    ) -> None:
        self.index_path = str(index_path)
        self.writer_timeout = writer_timeout
        self.max_snippets = max_snippets
        self.writer_heap_mb = writer_heap_mb
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._last_seq = 0
        self._partitions = SeqPartitions()
        self._counts = CountCache()
        self._pages = PageCache()
        self._open(open_index(Path(self.index_path), recreate=recreate))

    def _open(self, index: tantivy.Index) -> None:
        self._index = index
        self._queries = QueryBuilder(index.schema)
        self._seen_commit: tuple[int, int] | None = None
        self._searcher_cache: tantivy.Searcher | None = None

    # --- serialisation -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        from haystack import default_to_dict

        return default_to_dict(
            self,
            index_path=self.index_path,
            writer_timeout=self.writer_timeout,
            max_snippets=self.max_snippets,
            writer_heap_mb=self.writer_heap_mb,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TantivyDocumentStore:
        from haystack import default_from_dict

        return default_from_dict(cls, data)

    # --- reading -----------------------------------------------------------------------------
    def _commit_stamp(self) -> tuple[int, int]:
        try:
            meta = (Path(self.index_path) / "meta.json").stat()
        except OSError:
            return (0, 0)
        return (meta.st_mtime_ns, meta.st_size)

    def _searcher(self) -> tantivy.Searcher:
        """A searcher on the newest commit; a stat of ``meta.json`` tells whether one happened.

        A searcher is a snapshot: a query running on it is not disturbed by a writer committing
        (here or in another process), and the next query sees the new commit.
        """
        stamp = self._commit_stamp()
        with self._read_lock:
            if self._searcher_cache is None or stamp != self._seen_commit:
                self._index.reload()
                self._searcher_cache = self._index.searcher()
                self._seen_commit = stamp
            return self._searcher_cache

    def count_documents(self) -> int:
        return self._searcher().num_docs

    def _all(self, searcher: tantivy.Searcher, query: Query) -> list[tantivy.DocAddress]:
        """Every match, in write order."""
        total = searcher.num_docs
        if total == 0:
            return []
        hits = searcher.search(query, limit=total, count=False, order_by_field=SEQ, order=Order.Asc).hits
        return [address for _, address in hits]

    def all_ids(self) -> set[str]:
        """Every document id in the index (to compare with the catalog and find drift).

        Read from the id field's term dictionary, not from the stored documents (which would
        decompress every document's JSON). The filter makes tantivy count only live documents,
        so the id of a deleted document that a merge has not yet dropped is left out.
        """
        searcher = self._searcher()
        terms = searcher.terms_with_prefix(ID_FIELD, "", filter_query=Query.all_query())
        return {term for term, live in terms if live > 0}

    def filter_documents(self, filters: dict[str, Any] | None = None) -> list[Document]:
        """Documents matching a Haystack filter, in the order they were first written."""
        from haystack import Document
        from haystack.utils.filters import document_matches_filter

        if filters:
            document_matches_filter(filters, Document(content=""))
        prefilter = self._queries.haystack_prefilter(filters) or Query.all_query()
        searcher = self._searcher()
        documents = [
            document_from_json(searcher.doc(address).get_first(DOC_JSON))
            for address in self._all(searcher, prefilter)
        ]
        if filters:
            documents = [doc for doc in documents if document_matches_filter(filters, doc)]
        return documents

    # --- writing -----------------------------------------------------------------------------
    def _writer(self) -> tantivy.IndexWriter:
        """The index's single writer, waiting up to ``writer_timeout`` while another holds it."""
        deadline = time.monotonic() + self.writer_timeout
        while True:
            try:
                return self._index.writer(heap_size=self.writer_heap_mb * 1_000_000, num_threads=1)
            except ValueError as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        # Waits for merges and releases the writer lock now rather than when Python collects it.
        writer.wait_merging_threads()
        self._searcher_cache = None

    def write_documents(self, documents: list[Document], policy: DuplicatePolicy | None = None) -> int:
        """Write in one commit. NONE (or no policy) means FAIL: nothing is written if any id already exists.

        Within one call, SKIP keeps the first of repeated ids and OVERWRITE the last; an
        overwritten document keeps its original place in the write order.
        """
        from haystack.document_stores.types import DuplicatePolicy

        if policy is None or policy == DuplicatePolicy.NONE:
            policy = DuplicatePolicy.FAIL
        batch = dedupe(documents, policy)
        if not batch:
            return 0
        with self._write_lock:
            writer = self._writer()
            try:
                written = self._write_batch(writer, batch, policy)
                if written:
                    self._commit(writer)
                else:
                    writer.rollback()
                    writer.wait_merging_threads()
            except BaseException:
                # A failed write or commit (a full disk) must not keep the index's writer lock: roll
                # back if the writer still can, and drop it here rather than when the traceback goes.
                with contextlib.suppress(Exception):
                    writer.rollback()
                    writer.wait_merging_threads()
                writer = None
                raise
        logger.debug("wrote %d documents to %s", written, self.index_path)
        return written

    def _existing_seqs(self, ids: list[str]) -> dict[str, int]:
        """id → write order of the ids already in the index (read after taking the writer lock)."""
        self._searcher_cache = None
        searcher = self._searcher()
        found: dict[str, int] = {}
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            query = Query.term_set_query(self._index.schema, ID_FIELD, chunk)
            for _, address in searcher.search(query, limit=len(chunk), count=False).hits:
                stored = searcher.doc(address)
                found[stored[ID_FIELD][0]] = stored[SEQ][0]
        return found

    def _write_batch(self, writer: tantivy.IndexWriter, batch: list[Document], policy: DuplicatePolicy) -> int:
        from haystack.document_stores.errors import DuplicateDocumentError
        from haystack.document_stores.types import DuplicatePolicy

        existing = self._existing_seqs([doc.id for doc in batch])
        if existing and policy == DuplicatePolicy.FAIL:
            raise DuplicateDocumentError(f"IDs {sorted(existing)!r} already exist in the document store.")
        seq = self._next_seq(len(batch))
        written = 0
        for doc in batch:
            if doc.id in existing:
                if policy == DuplicatePolicy.SKIP:
                    continue
                writer.delete_documents_by_term(ID_FIELD, doc.id)
                writer.add_document(index_document(doc, existing[doc.id]))
            else:
                writer.add_document(index_document(doc, seq))
                seq += 1
            written += 1
        return written

    def delete_documents(self, document_ids: list[str]) -> None:
        """Delete by id; ids that are not in the index are ignored."""
        if not document_ids:
            return
        with self._write_lock:
            writer = self._writer()
            for doc_id in document_ids:
                writer.delete_documents_by_term(ID_FIELD, doc_id)
            self._commit(writer)

    def delete_all_documents(self, recreate_index: bool = False) -> None:
        """Empty the index. ``recreate_index`` also rebuilds the directory with the current schema."""
        with self._write_lock:
            if recreate_index:
                self._open(create_index(Path(self.index_path)))
                return
            writer = self._writer()
            writer.delete_all_documents()
            self._commit(writer)

    # --- searching ---------------------------------------------------------------------------
    def search(self, query: SearchQuery, sort: SortOrder | None = None) -> SearchPage:
        """One page of documents matching ``query``; the same contract as ``WhooshDocumentStore.search``."""
        parsed = parse_search(query.text)
        order = sort or query.sort or parsed.sort or "relevance"
        if order not in ("relevance", "date"):
            raise ValueError(f"sort must be 'relevance' or 'date', not {order!r}")
        terms = positive_terms(parsed.tree)
        searcher = self._searcher()
        # A count or a page made earlier on this snapshot (the same words and filters: another
        # page, a colleague's identical search) is reused (``snapshot_cache``); a page without a
        # count is of no use when the page's own search is what counts (no facets, no phrase).
        known = self._counts.get(searcher, query)
        found = self._pages.get(searcher, query, order)
        counted = None
        count = None
        if known is None or found is None:
            schema = self._index.schema
            filters = [*option_filters(query), *parsed.filters]
            queries = QueryBuilder(schema, searcher)
            keywords = queries.tree(parsed.tree)
            # A phrase among the keywords (not a filter's, which the bound keeps exact anyway).
            bound = queries.score_bound(parsed.tree) if queries.positional else None
            selected = queries.filtered(keywords, filters)
            # The matches are counted (with the facets) range by range on pool threads while
            # the page, its stored documents and the highlights are made here (tantivy releases
            # the GIL); this thread then counts what is left. With a phrase, the page comes from
            # the score bound checked against the exact query (``tantivy_engine.topk``), so the
            # phrase's positions are checked once per match, by the counting, not a second time.
            if known is None and (query.facets or bound is not None):
                # Only a phrase makes counting long enough to be worth splitting.
                ranges = self._partitions.bounds(searcher) if bound is not None else []
                counted = Counting(searcher, schema, selected, ranges, facets=query.facets)
            if known is None and counted is None:
                found = None
            if found is None:
                if bound is not None:
                    candidates = bound if order == "relevance" else queries.grams_superset(parsed.tree)
                    relaxed = queries.filtered(candidates, filters)
                    found = top_hits(searcher, schema, selected, relaxed, query.limit, query.offset, order)
                else:
                    result = ranked_search(searcher, selected, order, query.limit, query.offset,
                                           count=known is None and counted is None)
                    found, count = result.hits, result.count
                self._pages.put(searcher, query, order, found)
        hits = []
        for key, address in found:
            score = float(key) if order == "relevance" else 0.0
            document = indexed_from_json(searcher.doc(address).get_first(DOC_JSON), score)
            hits.append(
                ScoredHit(
                    document=document,
                    score=score,
                    highlights=hit_highlights(document, terms, self.max_snippets),
                )
            )
        if known is not None:
            total, facets = known
        else:
            total, facets = counted.result() if counted is not None else (count or 0, {})
            self._counts.put(searcher, query, total, facets)
        return SearchPage(total=total, hits=hits, sort=order, facets=facets)

    def more_like_this(self, document_id: str, limit: int = 10) -> SearchPage:
        """Documents sharing the most telling words with one document (see ``store_support``)."""
        searcher = self._searcher()
        own = Query.term_query(self._index.schema, ID_FIELD, document_id, index_option="basic")
        found = searcher.search(own, limit=1, count=False).hits
        if not found:
            return SearchPage(total=0)
        source = indexed_from_json(searcher.doc(found[0][1]).get_first(DOC_JSON))
        words = key_terms(
            more_like_text(source), lambda word: searcher.doc_freq(CONTENT_WORDS, word), searcher.num_docs
        )
        if not words:
            return SearchPage(total=0)
        schema = self._index.schema
        alike = [
            (Occur.Should, Query.boost_query(Query.term_query(schema, CONTENT_WORDS, w, index_option="freq"), weight))
            for w, weight in words
        ]
        query = Query.boolean_query([(Occur.Must, Query.boolean_query(alike)), (Occur.MustNot, own)])
        results = searcher.search(query, limit=limit)
        hits = []
        for score, address in results.hits:
            document = indexed_from_json(searcher.doc(address).get_first(DOC_JSON), float(score))
            hits.append(ScoredHit(document=document, score=float(score)))
        return SearchPage(total=results.count or 0, hits=hits)

    def retrieve(self, query: str, filters: dict[str, Any] | None = None, top_k: int = 10) -> list[Document]:
        """The ``top_k`` best documents for ``query`` that also match a Haystack filter, scored."""
        from haystack import Document
        from haystack.utils.filters import document_matches_filter

        tree = parse_query(query)
        if filters:
            document_matches_filter(filters, Document(content=""))
        searcher = self._searcher()
        selected = QueryBuilder(self._index.schema, searcher).tree(tree)
        prefilter = self._queries.haystack_prefilter(filters)
        if prefilter is not None:
            selected = Query.boolean_query(
                [(Occur.Must, selected), (Occur.Must, Query.const_score_query(prefilter, 0.0))]
            )
        limit = max(searcher.num_docs, 1) if filters else top_k
        hits = searcher.search(selected, limit=limit, count=False).hits
        return best_matching(((document_from_json(searcher.doc(address).get_first(DOC_JSON)), float(score))
                              for score, address in hits), filters, top_k)
