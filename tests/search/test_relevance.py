"""The relevance set on the generated sample project, on every backend (``eval/relevance.py``).

Exact keyword queries must return every document whose text contains their terms and nothing
else; the judged-relevant documents must fill the top 10 (mean precision at least 90 %).
The real-corpus half runs in ``python -m eval.relevance`` (``make eval``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import Document

from eval.relevance import PRECISION_TARGET, evaluate, load_judgements, sample_documents

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    return sample_documents(tmp_path_factory.mktemp("样例项目"))


def test_the_set_is_large_enough_and_judged_by_content() -> None:
    sample, real = load_judgements("sample"), load_judgements("real")
    assert len(sample) + len(real) >= 50
    assert sum(1 for j in sample if j.exact) >= 35


def test_exact_recall_and_precision_on_the_sample_project(
    sample: list[Document], backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    assert len(sample) > 200, "the sample project is read as the archive reads it"
    database = request.getfixturevalue("pg_empty_url") if backend == "postgres" else None
    scores = evaluate(backend, sample, load_judgements("sample"), tmp_path, database)
    missed = {s.query: s.failures for s in scores if s.recall is not None and (s.recall < 1.0 or s.extra)}
    assert missed == {}, "every document containing the terms is returned, and only those"
    mean = sum(s.precision for s in scores) / len(scores)
    assert mean >= PRECISION_TARGET, [(s.query, s.precision) for s in scores if s.precision < PRECISION_TARGET]
