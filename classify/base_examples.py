"""The shipped starting point of the learned suggester: real labelled documents, as hashed n-grams.

An archive that has confirmed nothing yet still gets a model: the package carries the character
2–3-gram counts of a labelled corpus of real project documents (``data/model/base_examples.npz``),
with their filing labels and a manifest (``base_examples.json``: format version, sha256, where the
labels came from). The archive's own confirmations are added on top and weigh more; the model is
refit from both whenever the confirmations change (``classify.suggester``).

Counts are hashed (no vocabulary, no text): the file holds no sentence of any document and no name.
A manifest whose sha256 does not match the data, or of another format version, is refused with a
warning and the suggester starts from the archive's confirmations alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
DATA_NAME, MANIFEST_NAME = "base_examples.npz", "base_examples.json"
N_FEATURES = 2**16  # 65,536 hashed n-grams: a fitted model stays near 10 MB for 20 classes
NGRAMS = (2, 3)


def vectorizer() -> HashingVectorizer:
    """Raw character n-gram counts; stateless, so shipped counts and new texts share one space."""
    return HashingVectorizer(analyzer="char", ngram_range=NGRAMS, n_features=N_FEATURES,
                             alternate_sign=False, norm=None)


@dataclass(frozen=True)
class BaseExamples:
    counts: sparse.csr_matrix
    labels: tuple[str, ...]
    version: str  # "b1/<sha256 prefix>": changes whenever the shipped examples change
    description: str

    def __len__(self) -> int:
        return len(self.labels)


def load_base_examples(folder: Path | None = None) -> BaseExamples | None:
    """The shipped examples (or those in ``folder``), or None when missing or not trustworthy."""
    root = folder if folder is not None else Path(str(resources.files("classify").joinpath("data", "model")))
    data_path, manifest_path = root / DATA_NAME, root / MANIFEST_NAME
    if not data_path.is_file() or not manifest_path.is_file():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    data = data_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    problem = None
    if manifest.get("format_version") != FORMAT_VERSION:
        problem = f"format {manifest.get('format_version')} ≠ {FORMAT_VERSION}"
    elif manifest.get("sha256") != digest:
        problem = "sha256 does not match (damaged or altered)"
    elif manifest.get("n_features") != N_FEATURES or tuple(manifest.get("ngrams", ())) != NGRAMS:
        problem = "feature space differs from this version's"
    if problem:
        logger.warning("shipped suggester examples %s refused: %s", data_path, problem)
        return None
    with np.load(io.BytesIO(data)) as arrays:
        counts = sparse.csr_matrix((arrays["data"].astype(np.float64), arrays["indices"], arrays["indptr"]),
                                   shape=tuple(arrays["shape"]))
    labels = tuple(manifest["labels"])
    if counts.shape[0] != len(labels):
        logger.warning("shipped suggester examples %s refused: %d rows, %d labels", data_path,
                       counts.shape[0], len(labels))
        return None
    return BaseExamples(counts, labels, f"b{FORMAT_VERSION}/{digest[:8]}", manifest.get("description", ""))


def save_base_examples(folder: Path, texts: list[str], labels: list[str], description: str) -> dict[str, object]:
    """Write the examples and their manifest; returns the manifest (for the build report)."""
    counts = vectorizer().transform(texts).tocsr()
    counts.sort_indices()
    buffer = io.BytesIO()
    np.savez_compressed(buffer, data=np.minimum(counts.data, 65535).astype(np.uint16), indices=counts.indices.astype(np.int32),
                        indptr=counts.indptr.astype(np.int32), shape=np.array(counts.shape, dtype=np.int64))
    data = buffer.getvalue()
    manifest: dict[str, object] = {
        "format_version": FORMAT_VERSION,
        "sha256": hashlib.sha256(data).hexdigest(),
        "n_features": N_FEATURES,
        "ngrams": list(NGRAMS),
        "documents": len(labels),
        "labels": labels,
        "label_counts": {label: labels.count(label) for label in sorted(set(labels))},
        "description": description,
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DATA_NAME).write_bytes(data)
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def examples_from(texts: list[str], labels: list[str], description: str) -> BaseExamples:
    """Examples built in memory (evaluation folds), in the same feature space as the shipped ones."""
    counts = vectorizer().transform(texts).tocsr()
    digest = hashlib.sha256("\n".join(f"{label}\t{text}" for label, text in zip(labels, texts, strict=True))
                            .encode()).hexdigest()
    return BaseExamples(counts, tuple(labels), f"m{FORMAT_VERSION}/{digest[:8]}", description)
