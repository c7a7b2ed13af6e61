"""A Haystack DocumentStore on a local Whoosh index, with Chinese keyword search.

No Whoosh store exists for Haystack, so this is ours. It keeps a lossless JSON copy of every
Document (the Haystack store tests compare documents exactly) and indexes the content and title
twice: per character for exact recall and per jieba word for ranking (see ``whoosh_engine.query``).

Whoosh allows one writer at a time and a commit is expensive, so each ``write_documents`` call is
one commit (callers batch) and writes inside this process are serialised by a lock; a writer in
another process is waited for up to ``writer_timeout`` seconds. Readers never block.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from haystack import Document, default_from_dict, default_to_dict
from haystack.document_stores.errors import DuplicateDocumentError
from haystack.document_stores.types import DuplicatePolicy
from haystack.utils.filters import document_matches_filter
from whoosh import collectors, sorting
from whoosh import query as wq
from whoosh.searching import Results, Searcher
from whoosh.writing import CLEAR, SegmentWriter

from schemas.search import FACET_FIELDS, SearchQuery
from search.filters import option_filters
from search.query import parse_query, parse_search, positive_terms
from search.results import IndexedDocument, ScoredHit, SearchPage
from search.store_support import (
    DerivedWrites,
    best_matching,
    dedupe,
    hit_highlights,
    key_terms,
    more_like_text,
)
from search.stored_document import indexed_from_json
from search.whoosh_engine import arrays as whoosh_arrays
from search.whoosh_engine.columns import SegmentArrayCache
from search.whoosh_engine.index import create_index, open_index
from search.whoosh_engine.postings import PostingsCache
from search.whoosh_engine.query import filter_query, haystack_prefilter, to_whoosh
from search.whoosh_engine.schema import (
    CONTENT_WORDS,
    DATE,
    DOC_JSON,
    ID_FIELD,
    SEQ,
    YEAR,
    document_from_json,
    index_fields,
)

logger = logging.getLogger(__name__)

SortOrder = Literal["relevance", "date"]


class WhooshDocumentStore(DerivedWrites):
    """Haystack ``DocumentStore`` protocol plus ``search`` (our query language) and ``retrieve``."""

    def __init__(
        self,
        index_path: str,
        recreate: bool = False,
        writer_timeout: float = 30.0,
        max_snippets: int = 3,
        postings_cache_mb: int = 256,
    ) -> None:
        self.index_path = str(index_path)
        self.postings_cache_mb = postings_cache_mb
        self.writer_timeout = writer_timeout
        self.max_snippets = max_snippets
        self._write_lock = threading.Lock()
        self._last_seq = 0
        self._local = threading.local()
        self._arrays = SegmentArrayCache()
        self._postings = PostingsCache(postings_cache_mb * 1_000_000)
        self._index = open_index(Path(self.index_path), recreate=recreate)

    # --- serialisation -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return default_to_dict(
            self,
            index_path=self.index_path,
            writer_timeout=self.writer_timeout,
            max_snippets=self.max_snippets,
            postings_cache_mb=self.postings_cache_mb,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WhooshDocumentStore:
        return default_from_dict(cls, data)

    # --- reading -----------------------------------------------------------------------------
    def count_documents(self) -> int:
        return self._index.doc_count()

    def all_ids(self) -> set[str]:
        """Every document id in the index (to compare with the catalog and find drift)."""
        with self._index.searcher() as searcher:
            reader = searcher.reader()
            # The id column avoids unpickling every document's JSON copy.
            ids = reader.column_reader(ID_FIELD)
            return {ids[docnum] for docnum in reader.all_doc_ids()}

    def filter_documents(self, filters: dict[str, Any] | None = None) -> list[Document]:
        """Documents matching a Haystack filter, in the order they were first written."""
        if filters:
            # Surfaces a malformed filter as FilterError even when the store is empty.
            document_matches_filter(filters, Document(content=""))
        prefilter = haystack_prefilter(filters)
        with self._index.searcher() as searcher:
            stored = sorted(self._stored_fields(searcher, prefilter), key=lambda fields: fields[SEQ])
        documents = [document_from_json(fields[DOC_JSON]) for fields in stored]
        if filters:
            documents = [doc for doc in documents if document_matches_filter(filters, doc)]
        return documents

    @staticmethod
    def _stored_fields(searcher: Searcher, prefilter: wq.Query | None) -> Iterator[dict[str, Any]]:
        if prefilter is None:
            for _, fields in searcher.reader().iter_docs():
                yield fields
        else:
            for docnum in searcher.search(prefilter, limit=None).docs():
                yield searcher.stored_fields(docnum)

    # --- writing -----------------------------------------------------------------------------
    def write_documents(
        self, documents: list[Document], policy: DuplicatePolicy = DuplicatePolicy.NONE
    ) -> int:
        """Write in one commit. NONE means FAIL: nothing is written if any id already exists.

        Within one call, SKIP keeps the first of repeated ids and OVERWRITE the last; an
        overwritten document keeps its original place in the write order.
        """
        if policy == DuplicatePolicy.NONE:
            policy = DuplicatePolicy.FAIL
        batch = dedupe(documents, policy)
        if not batch:
            return 0
        with self._write_lock:
            writer = self._index.writer(timeout=self.writer_timeout)
            try:
                written = self._write_batch(writer, batch, policy)
            except BaseException:
                writer.cancel()
                raise
            if written:
                writer.commit()
            else:
                writer.cancel()
        logger.debug("wrote %d documents to %s", written, self.index_path)
        return written

    def _write_batch(self, writer: SegmentWriter, batch: list[Document], policy: DuplicatePolicy) -> int:
        existing: dict[str, int] = {}
        with writer.searcher() as searcher:  # closed here: an open one keeps segment files mapped
            for doc in batch:
                docnum = searcher.document_number(**{ID_FIELD: doc.id})
                if docnum is not None:
                    existing[doc.id] = searcher.stored_fields(docnum)[SEQ]
        if existing and policy == DuplicatePolicy.FAIL:
            raise DuplicateDocumentError(f"IDs {sorted(existing)!r} already exist in the document store.")
        seq = self._next_seq(len(batch))
        written = 0
        for doc in batch:
            if doc.id in existing:
                if policy == DuplicatePolicy.SKIP:
                    continue
                writer.update_document(**index_fields(doc, existing[doc.id]))
            else:
                writer.add_document(**index_fields(doc, seq))
                seq += 1
            written += 1
        return written

    def delete_documents(self, document_ids: list[str]) -> None:
        """Delete by id; ids that are not in the index are ignored."""
        if not document_ids:
            return
        with self._write_lock:
            writer = self._index.writer(timeout=self.writer_timeout)
            try:
                deleted = sum(writer.delete_by_term(ID_FIELD, doc_id) for doc_id in document_ids)
            except BaseException:
                writer.cancel()
                raise
            if deleted:
                writer.commit()
            else:
                writer.cancel()

    def delete_all_documents(self, recreate_index: bool = False) -> None:
        """Empty the index. ``recreate_index`` also rebuilds the directory with the current schema."""
        with self._write_lock:
            if recreate_index:
                self._index = create_index(Path(self.index_path))
                return
            self._index.writer(timeout=self.writer_timeout).commit(mergetype=CLEAR)

    # --- searching ---------------------------------------------------------------------------
    def search(self, query: SearchQuery, sort: SortOrder | None = None) -> SearchPage:
        """One page of documents matching ``query`` (our query language plus its filters).

        Raises ``QuerySyntaxError`` for malformed query text. The sort is ``sort``, else
        ``query.sort``, else what the text asks (``sort:date``), else relevance. Sorted by date,
        the newest documents come first (undated ones last) and every score is 0.0. Facets
        (``query.facets``) count every match, not just this page.
        """
        parsed = parse_search(query.text)
        order = sort or query.sort or parsed.sort or "relevance"
        if order not in ("relevance", "date"):
            raise ValueError(f"sort must be 'relevance' or 'date', not {order!r}")
        terms = positive_terms(parsed.tree)
        end = query.offset + query.limit
        searcher = self._searcher()
        allow = filter_query([*option_filters(query), *parsed.filters])
        # Terms, ANDs and ORs are evaluated on whole posting arrays (the same answer, without a
        # Python step per match); a NOT or match-all goes through Whoosh's own collectors.
        if whoosh_arrays.supports(parsed.tree):
            found = whoosh_arrays.evaluate(
                searcher, parsed.tree, self._arrays, self._postings, allow, query.facets
            )
            total = len(found.ids)
            page = [(searcher.stored_fields(docnum)[DOC_JSON], score)
                    for docnum, score in found.top(end, order)[query.offset :]]
            facets = facet_table(found.facet_counts) if query.facets else {}
        else:
            results = _run_counted(searcher, to_whoosh(parsed.tree), allow, end, order, query.facets)
            total = len(results)
            page = [(hit[DOC_JSON], hit.score) for hit in results[query.offset : end]]
            facets = _facet_counts(results) if query.facets else {}
        hits = []
        for raw, score in page:
            # Sorted by date, Whoosh reports the sort key as the score: that is not a relevance.
            value = float(score) if order == "relevance" and isinstance(score, int | float) else 0.0
            document = indexed_from_json(raw, value)
            hits.append(
                ScoredHit(document=document, score=value, highlights=self._highlights(document, terms))
            )
        return SearchPage(total=total, hits=hits, sort=order, facets=facets)

    def more_like_this(self, document_id: str, limit: int = 10) -> SearchPage:
        """Documents that share the most telling words with one document (itself excluded).

        Key words are the document's jieba words weighted by tf·idf, keeping only words that
        some other document also has (a word found nowhere else cannot find anything) and that
        not nearly every document has (form boilerplate like 工程名称). An unknown id gives an
        empty page.
        """
        searcher = self._searcher()
        docnum = searcher.document_number(**{ID_FIELD: document_id})
        if docnum is None:
            return SearchPage(total=0)
        source = indexed_from_json(searcher.stored_fields(docnum)[DOC_JSON])
        words = key_terms(
            more_like_text(source),
            lambda word: searcher.doc_frequency(CONTENT_WORDS, word),
            searcher.doc_count(),
        )
        if not words:
            return SearchPage(total=0)
        query = wq.Or([wq.Term(CONTENT_WORDS, word, boost=weight) for word, weight in words])
        results = searcher.search(query, limit=limit, mask=wq.Term(ID_FIELD, document_id))
        hits = []
        for hit in results:
            document = indexed_from_json(hit[DOC_JSON], float(hit.score or 0.0))
            hits.append(ScoredHit(document=document, score=document.score or 0.0))
        return SearchPage(total=len(results), hits=hits)

    def _searcher(self) -> Searcher:
        """This thread's searcher, refreshed when a writer has committed since it was opened.

        Opening a searcher reads every segment's term index (milliseconds per query); keeping one
        per thread and refreshing it costs a directory listing. Searchers are not shared between
        threads, so concurrent API requests never step on each other.
        """
        held = getattr(self._local, "held", None)
        if held is not None and held[0] is self._index and held[1].up_to_date():
            return held[1]
        # Not Searcher.refresh(): its segment re-use keeps serving the old segments after a
        # commit that removed them all (delete_all_documents), so a stale searcher is replaced.
        if held is not None:
            held[1].close()
        searcher = self._index.searcher()
        self._local.held = (self._index, searcher)
        return searcher

    def _highlights(self, document: IndexedDocument, terms: list[str]) -> list[str]:
        return hit_highlights(document, terms, self.max_snippets)

    def retrieve(self, query: str, filters: dict[str, Any] | None = None, top_k: int = 10) -> list[Document]:
        """The ``top_k`` best documents for ``query`` that also match a Haystack filter, scored."""
        tree = parse_query(query)
        if filters:
            document_matches_filter(filters, Document(content=""))
        with self._index.searcher() as searcher:
            results = searcher.search(
                to_whoosh(tree), limit=None if filters else top_k, filter=haystack_prefilter(filters)
            )
            return best_matching(((document_from_json(hit[DOC_JSON]), float(hit.score or 0.0)) for hit in results),
                                 filters, top_k)


def _run_counted(
    searcher: Searcher,
    query: wq.Query,
    allow: wq.Query | None,
    limit: int,
    sort: SortOrder,
    facets: bool = False,
) -> Results:
    """Run a search whose ``len()`` is the exact total without running the query twice.

    Whoosh's default top-N collector skips documents that cannot reach the top N (and swaps in
    cheaper matchers that drop them), so counting afterwards re-runs the whole query. Scoring
    every match once costs less than that, and the count comes for free.
    """
    if sort == "date":
        collector: collectors.Collector = collectors.SortingCollector(DATE, limit=limit, reverse=True)
    else:
        collector = collectors.TopCollector(limit, usequality=False, replace=0)
    if facets:
        groups = sorting.Facets()
        for name in FACET_FIELDS:
            groups.add_field(name, allow_overlap=False, maptype=sorting.Count)
        collector = collectors.FacetCollector(collector, groups)
    if allow is not None:
        collector = collectors.FilterCollector(collector, allow=allow)
    searcher.search_with_collector(query, collector)
    return collector.results()


def _facet_counts(results: Results) -> dict[str, dict[str, int]]:
    """The facet counts of a Whoosh search run with facets (see ``facet_table``)."""
    return facet_table({name: results.groups(name) for name in FACET_FIELDS if name in results.facet_names()})


def facet_table(groups: Mapping[str, Mapping[Any, int]]) -> dict[str, dict[str, int]]:
    """facet → value → matches, most frequent first; documents without the value are left out."""
    counts: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        found = groups.get(name, {})
        pairs = []
        for key, count in found.items():
            if isinstance(key, bytes):
                key = key.decode("utf-8")
            if key in (None, "") or (name == YEAR and not 1000 <= int(key) <= 9999):
                continue
            pairs.append((str(key), int(count)))
        counts[name] = dict(sorted(pairs, key=lambda pair: (-pair[1], pair[0])))
    return counts
