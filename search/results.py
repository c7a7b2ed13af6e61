"""What a search returns, before ``core`` maps it to the API's ``schemas.search`` shapes."""

from __future__ import annotations

from dataclasses import dataclass, field

from haystack import Document


@dataclass(frozen=True)
class ScoredHit:
    """One matching document (exactly as written to the index), its score and marked snippets."""

    document: Document
    score: float
    highlights: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchPage:
    """One page of hits; ``total`` counts every match, not just this page."""

    total: int
    hits: list[ScoredHit] = field(default_factory=list)
    sort: str = "relevance"
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
