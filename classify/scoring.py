"""The learned suggester's feature rows for new documents, built for less than scikit-learn's path costs.

Ingest scores every document it records, in the one process that stores and records (the serial
part of ``jiandang ingest``). scikit-learn's ``HashingVectorizer.transform`` passed each character
n-gram occurrence to the hasher through two Python generators, and ``TfidfTransformer.transform``
validated its input (copies, finiteness checks, signature inspection) on every call: 3.7 ms of
CPU a document, of which the arithmetic is a fraction. This module computes the *same* matrices:

- ``hashed_counts``: the n-grams as the vectorizer's analyzer makes them (lower case, runs of white
  space made one space, every 2- and 3-gram), counted first, so each distinct n-gram is hashed once
  with its count. Counts are whole numbers, so summing them before or after hashing gives the same
  float64 values, and the hasher sorts the indices either way;
- ``tfidf_rows``: the transformer's own steps, in its order, on a copy (log + 1, × idf, rows scaled to
  unit length by scikit-learn's own routine).

``tests/classify/test_suggester_scoring.py`` holds both to scikit-learn's results, bit for bit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from classify.base_examples import N_FEATURES, NGRAMS, vectorizer

_WHITE_SPACES = HashingVectorizer._white_spaces  # the vectorizer's own pattern: runs of two or more


def ngram_counts(text: str) -> Counter[str]:
    """The character n-grams ``vectorizer()``'s analyzer yields for ``text``, counted."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    counts: Counter[str] = Counter()
    low, high = NGRAMS
    for n in range(low, high + 1):
        counts.update(map("".join, zip(*(text[i:] for i in range(n)), strict=False)))
    return counts


def hashed_counts(texts: Iterable[str]) -> Any:
    """``vectorizer().transform(texts)``: the same sparse matrix of hashed n-gram counts."""
    return _hasher().transform([ngram_counts(text) for text in texts])


def tfidf_rows(tfidf: TfidfTransformer, counts: Any) -> Any:
    """``tfidf.transform(counts)`` for the suggester's transformer (sublinear tf, idf, l2 rows)."""
    if not (tfidf.sublinear_tf and tfidf.use_idf and tfidf.norm == "l2"):
        return tfidf.transform(counts)
    rows = counts.astype(np.float64, copy=True)
    np.log(rows.data, rows.data)
    rows.data += 1.0
    rows.data *= tfidf.idf_[rows.indices]
    inplace_csr_row_normalize_l2(rows)
    return rows


@lru_cache(maxsize=1)
def _hasher() -> FeatureHasher:
    """The vectorizer's hasher, fed (n-gram, count) pairs instead of one n-gram at a time."""
    made = vectorizer()
    assert made.n_features == N_FEATURES and not made.alternate_sign and made.norm is None
    return FeatureHasher(n_features=N_FEATURES, input_type="dict", dtype=made.dtype, alternate_sign=False)
