"""Evidence kept per line (``CompiledTaxonomy.line_hits``) gives the verdicts reading afresh gives."""

from __future__ import annotations

import dataclasses

import classify.evidence as evidence
from classify import RuleClassifier
from schemas.taxonomy import Taxonomy
from tests.classify.test_prefilter import _texts


def _verdicts(classifier: RuleClassifier, texts: list[tuple[str | None, str]]) -> list[dict]:
    return [classifier.classify(title, text).model_dump() for title, text in texts]


def test_a_second_reading_of_the_same_lines_gives_the_same_verdicts(taxonomy: Taxonomy) -> None:
    texts = _texts()
    warm = RuleClassifier(taxonomy, review_threshold=0.5)
    first = _verdicts(warm, texts)
    assert warm._compiled.line_hits  # the lines were kept
    assert _verdicts(warm, list(reversed(texts))) == list(reversed(first))
    cold = [_verdicts(RuleClassifier(taxonomy, review_threshold=0.5), [text])[0] for text in texts[:20]]
    assert cold == first[:20]


def test_a_copy_of_the_compiled_taxonomy_does_not_share_the_kept_lines(taxonomy: Taxonomy) -> None:
    compiled = RuleClassifier(taxonomy)._compiled
    compiled.line_hits[("监理日志", 1.0, "title")] = ()
    assert dataclasses.replace(compiled, index=None).line_hits == {}


def test_the_kept_lines_stay_within_their_bound(taxonomy: Taxonomy, monkeypatch) -> None:
    monkeypatch.setattr(evidence, "LINE_CACHE_SIZE", 16)
    texts = _texts()
    bounded = RuleClassifier(taxonomy, review_threshold=0.5)
    assert _verdicts(bounded, texts) == _verdicts(RuleClassifier(taxonomy, review_threshold=0.5), texts)
    assert len(bounded._compiled.line_hits) <= 16
