"""What both document stores do the same way, whatever engine is underneath.

Resolving repeated ids inside one write, the snippets shown with a hit, and choosing the telling
words of a document for "more like this" are engine-independent rules; keeping them in one place
is what makes the two backends answer alike (the shared conformance tests check that they do).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from schemas import meta as M
from search.highlight import highlight, highlight_all
from search.tokens import word_spans

if TYPE_CHECKING:  # imported where a write or a Haystack filter needs them: a search does not
    from haystack import Document
    from haystack.document_stores.types import DuplicatePolicy

    from search.results import IndexedDocument

MORE_LIKE_TERMS = 15


class DerivedWrites:
    """The writes both stores build from their own ``filter_documents``, ``delete_documents`` and
    ``write_documents``, and the write-order numbers both stamp on documents.
    """

    _last_seq = 0

    def _next_seq(self, count: int) -> int:
        """Write-order numbers: nanosecond clock, strictly increasing within this process.

        Writers in other processes are serialised by the engine's index lock, so the clock orders
        them too.
        """
        start = max(time.time_ns(), self._last_seq + 1)
        self._last_seq = start + count
        return start

    def count_documents_by_filter(self, filters: dict[str, Any]) -> int:
        return len(self.filter_documents(filters))  # type: ignore[attr-defined]

    def delete_by_filter(self, filters: dict[str, Any]) -> int:
        """Delete every document matching a Haystack filter; returns how many were deleted."""
        doomed = [doc.id for doc in self.filter_documents(filters)]  # type: ignore[attr-defined]
        self.delete_documents(doomed)  # type: ignore[attr-defined]
        return len(doomed)

    def update_by_filter(self, filters: dict[str, Any], meta: dict[str, Any]) -> int:
        """Merge ``meta`` into every document matching a Haystack filter (ids stay the same)."""
        from haystack.document_stores.types import DuplicatePolicy

        changed = [replace(doc, meta={**doc.meta, **meta})
                   for doc in self.filter_documents(filters)]  # type: ignore[attr-defined]
        if changed:
            self.write_documents(changed, policy=DuplicatePolicy.OVERWRITE)  # type: ignore[attr-defined]
        return len(changed)


def dedupe(documents: list[Document], policy: DuplicatePolicy) -> list[Document]:
    """Resolve repeated ids inside one call the way the policy resolves them against the index."""
    from haystack import Document
    from haystack.document_stores.errors import DuplicateDocumentError
    from haystack.document_stores.types import DuplicatePolicy

    if not isinstance(documents, list) or not all(isinstance(doc, Document) for doc in documents):
        raise ValueError("write_documents expects a list of haystack Document objects")
    by_id: dict[str, Document] = {}
    for doc in documents:
        if doc.id in by_id:
            if policy == DuplicatePolicy.FAIL:
                raise DuplicateDocumentError(
                    f"ID {doc.id!r} appears more than once in the documents to write."
                )
            if policy == DuplicatePolicy.SKIP:
                continue
        by_id[doc.id] = doc
    return list(by_id.values())


def hit_highlights(document: Document | IndexedDocument, terms: list[str], max_snippets: int) -> list[str]:
    """Content snippets; when only the title matched, the marked title instead."""
    if not terms:
        return []
    snippets = highlight(document.content, terms, max_snippets=max_snippets)
    if snippets:
        return snippets
    title = document.meta.get(M.TITLE)
    marked = highlight_all(title, terms) if isinstance(title, str) else ""
    return [marked] if "<mark>" in marked else []


def more_like_text(document: Document | IndexedDocument) -> str:
    """The text whose words describe a document: its title and content."""
    return f"{document.meta.get(M.TITLE) or ''}\n{document.content or ''}"


def key_terms(
    text: str, doc_frequency: Callable[[str], int], total: int, count: int = MORE_LIKE_TERMS
) -> list[tuple[str, float]]:
    """The ``count`` jieba words of ``text`` that best tell its subject apart (tf·idf), with weights.

    Only words that some other document also has (a word found nowhere else cannot find
    anything) and that not nearly every document has (form boilerplate like 工程名称) count.
    """
    frequency = Counter(span.text for span in word_spans(text) if len(span.text) > 1)
    total = max(total, 1)
    scored = []
    for word, tf in frequency.items():
        df = doc_frequency(word)
        if df < 2 or (total > 10 and df > total * 0.5):
            continue
        scored.append((word, (1 + math.log(tf)) * math.log(1 + total / df)))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:count]


def best_matching(scored: Iterable[tuple[Document, float]], filters: dict[str, Any] | None,
                  top_k: int) -> list[Document]:
    """The first ``top_k`` of ``scored`` (best first) that match the Haystack ``filters``, scored.

    ``retrieve`` on either engine: the engine's prefilter narrows what it can, and every
    candidate is checked against the full filter here, because a prefilter may admit more.
    """
    from haystack.utils.filters import document_matches_filter

    found: list[Document] = []
    for document, score in scored:
        if filters and not document_matches_filter(filters, document):
            continue
        found.append(replace(document, score=score))
        if len(found) >= top_k:
            break
    return found
