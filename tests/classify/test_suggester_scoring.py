"""``classify.scoring``: the suggester's feature rows built for less are scikit-learn's, bit for bit.

Ingest scores every document in its one storing-and-recording process, so the cheaper path must give
the very matrices (and so the very scores, rounded or not) that ``HashingVectorizer.transform`` and
``TfidfTransformer.transform`` give: on generated documents read from real files, and on the edge
cases of the analyzer (upper case, runs of white space, texts shorter than an n-gram).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from classify.base_examples import vectorizer
from classify.scoring import hashed_counts, ngram_counts, tfidf_rows
from classify.suggester import Suggester, SuggesterStore, features
from core.reading.reader import DocumentReader
from samples import generate_corpus
from schemas import meta as M

EDGES = ["", "a", "图", "ab", "监理", "ABC 通知", "工程  名称\t\t结施-变-01\n\n第 3 号", " 前后空白 ", "Ⅱ类 ÄÖÜ ß İ",
         "施工日志 第1天" * 40]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Suggester:
    found, _ = SuggesterStore(tmp_path_factory.mktemp("models")).current([])
    assert found is not None
    return found


@pytest.fixture(scope="module")
def read_texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The suggester's input for a dozen generated documents (PDF, DOCX, XLSX) read as ingest reads them."""
    drop = tmp_path_factory.mktemp("drop")
    generate_corpus(drop, n=12, seed=5, write_manifest=False)
    reader = DocumentReader()
    texts = []
    for path in sorted(p for p in drop.rglob("*") if p.is_file()):
        outcome = reader.read(path, path.name, {})
        assert outcome.document is not None, outcome.reason
        texts.append(features(outcome.document.meta.get(M.TITLE), outcome.document.content or ""))
    return texts


def _same(a: object, b: object) -> bool:
    return all(np.array_equal(getattr(a, part), getattr(b, part)) for part in ("indptr", "indices", "data")) and \
        a.shape == b.shape and a.dtype == b.dtype  # type: ignore[attr-defined]


def test_ngrams_are_the_analyzers() -> None:
    analyze = vectorizer().build_analyzer()
    for text in EDGES:
        assert ngram_counts(text) == Counter(analyze(text))


def test_counts_and_rows_equal_scikit_learns_on_read_documents(read_texts: list[str], model: Suggester) -> None:
    tfidf = model.pipeline.tfidf
    for text in [*read_texts, *EDGES]:
        theirs = vectorizer().transform([text])
        ours = hashed_counts([text])
        assert _same(ours, theirs)
        assert _same(tfidf_rows(tfidf, ours), tfidf.transform(theirs))
    assert _same(hashed_counts(read_texts), vectorizer().transform(read_texts))  # several rows at once


def test_probabilities_are_the_same_as_through_scikit_learn(read_texts: list[str], model: Suggester) -> None:
    fitted = model.pipeline
    theirs = fitted.tfidf.transform(vectorizer().transform(read_texts))
    expected = np.asarray(theirs @ np.ascontiguousarray(fitted.model.coef_.T)) + fitted.model.intercept_
    expected = 1.0 / (1.0 + np.exp(-expected))
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.array_equal(fitted.predict_proba(read_texts), expected)
