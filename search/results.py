"""What a search returns, before ``core`` maps it to the API's ``schemas.search`` shapes.

A hit carries an ``IndexedDocument``, not a Haystack ``Document``: a search only reads a hit's
id, text and meta, and building Haystack's class means importing Haystack, whose pipelines,
networkx and telemetry were most of the second an auditor waited for ``jiandang search``. The
Haystack protocol methods (``filter_documents``, ``retrieve``) still return Haystack Documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IndexedDocument:
    """A document as the index stored it: the same id, content and meta as the Document written."""

    id: str
    content: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    score: float | None = None


@dataclass(frozen=True)
class ScoredHit:
    """One matching document (exactly as written to the index), its score and marked snippets."""

    document: IndexedDocument
    score: float
    highlights: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchPage:
    """One page of hits; ``total`` counts every match, not just this page."""

    total: int
    hits: list[ScoredHit] = field(default_factory=list)
    sort: str = "relevance"
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
