"""The learned suggester: a model trained only on what archivists confirmed, shown beside the rules.

Rules come first (prior-art §3.3): the categories are a closed, published list. The model learns
what the rules miss in *this* archive — the local form a contractor always uses, the 大事记 whose
first line reads like an approval. It is trained on character n-grams (no dictionary needed for
Chinese) of the title and text of archivist-confirmed documents only, with a ``none`` class for
documents confirmed as not filed, so an unknown document is not forced into a category.

The model file is stored with a format version, the scikit-learn version and its sha256; a
mismatch means it is discarded and retrained, never unpickled. It is retrained only when the set of
confirmations changed (their fingerprint).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from schemas.documents import Classification

logger = logging.getLogger(__name__)

NONE = "none"
MODEL_VERSION = 1
TEXT_CHARS = 1500  # the head of a document carries its type; the rest is mostly site detail
TITLE_REPEAT = 3  # the title weighs like a paragraph
ADOPT_SCORE = 0.55  # the model's sub-class is adopted when at least this sure and surer than the rules
MODEL_FILE, META_FILE = "suggester.pkl", "suggester.json"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Example:
    """One confirmed document: its text and the filing the archivist confirmed (item, sub-class or none)."""

    title: str
    text: str
    label: str


@dataclass(frozen=True)
class Suggestion:
    subclass: str | None  # None: the model's best guess is "not filed"
    item: str | None
    score: float
    trained_on: int
    version: str


def features(title: str | None, text: str) -> str:
    title = _SPACE.sub("", title or "")
    return " ".join([title] * TITLE_REPEAT) + " " + _SPACE.sub("", text or "")[:TEXT_CHARS]


def label_for(class_code: str | None, item_code: str | None) -> str:
    return item_code or class_code or NONE


def fingerprint(examples: list[Example]) -> str:
    """Changes whenever a confirmation is added, changed or removed (or a text changes)."""
    digest = hashlib.sha256()
    for line in sorted(f"{e.label}\t{hashlib.sha256(features(e.title, e.text).encode()).hexdigest()}"
                       for e in examples):
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


class Suggester:
    def __init__(self, pipeline: Pipeline, trained_on: int, fingerprint_: str, trained_at: str) -> None:
        self.pipeline = pipeline
        self.trained_on = trained_on
        self.fingerprint = fingerprint_
        self.trained_at = trained_at

    @property
    def version(self) -> str:
        return f"v{MODEL_VERSION}/{self.fingerprint[:8]}"

    @classmethod
    def train(cls, examples: list[Example]) -> Suggester | None:
        """None when there is nothing to learn yet (fewer than two distinct filings confirmed)."""
        if len({e.label for e in examples}) < 2:
            return None
        pipeline = Pipeline([
            ("ngrams", TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1)),
            ("model", LogisticRegression(C=20.0, max_iter=2000)),
        ])
        pipeline.fit([features(e.title, e.text) for e in examples], [e.label for e in examples])
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        logger.info("suggester trained on %d confirmed documents", len(examples))
        return cls(pipeline, len(examples), fingerprint(examples), stamp)

    def suggest(self, title: str | None, text: str) -> Suggestion:
        """The most likely sub-class (probabilities of its items summed) and its best item."""
        probabilities = self.pipeline.predict_proba([features(title, text)])[0]
        labels = self.pipeline.classes_
        by_subclass: dict[str, float] = {}
        for label, p in zip(labels, probabilities, strict=True):
            key = _subclass_of(label)
            by_subclass[key] = by_subclass.get(key, 0.0) + float(p)
        best = max(by_subclass, key=by_subclass.__getitem__)
        items = [(float(p), label) for label, p in zip(labels, probabilities, strict=True)
                 if _subclass_of(label) == best and "-" in label]
        item = max(items)[1] if items else None
        return Suggestion(None if best == NONE else best, item, round(by_subclass[best], 3),
                          self.trained_on, self.version)


def _subclass_of(label: str) -> str:
    return label.rsplit("-", 1)[0] if "-" in label else label


class SuggesterStore:
    """The model on disk: pickle + a JSON sidecar with version, library version and sha256."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self) -> Suggester | None:
        meta_path, model_path = self.folder / META_FILE, self.folder / MODEL_FILE
        if not meta_path.is_file() or not model_path.is_file():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = model_path.read_bytes()
        problem = None
        if meta.get("version") != MODEL_VERSION:
            problem = f"model format {meta.get('version')} ≠ {MODEL_VERSION}"
        elif meta.get("sklearn") != sklearn.__version__:
            problem = f"scikit-learn {meta.get('sklearn')} ≠ {sklearn.__version__}"
        elif hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            problem = "sha256 does not match (damaged or altered)"
        if problem:
            logger.warning("suggester model discarded, will retrain: %s", problem)
            return None
        pipeline = pickle.loads(data)
        return Suggester(pipeline, meta["trained_on"], meta["fingerprint"], meta["trained_at"])

    def save(self, suggester: Suggester) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(suggester.pipeline)
        meta = {
            "version": MODEL_VERSION, "sklearn": sklearn.__version__, "sha256": hashlib.sha256(data).hexdigest(),
            "fingerprint": suggester.fingerprint, "trained_on": suggester.trained_on,
            "trained_at": suggester.trained_at,
        }
        _write_atomic(self.folder / MODEL_FILE, data)
        _write_atomic(self.folder / META_FILE, json.dumps(meta, ensure_ascii=False, indent=2).encode())

    def current(self, examples: list[Example]) -> tuple[Suggester | None, bool]:
        """The model for these confirmations, and whether it had to be (re)trained now."""
        stored = self.load()
        if stored is not None and stored.fingerprint == fingerprint(examples):
            return stored, False
        trained = Suggester.train(examples)
        if trained is not None:
            self.save(trained)
        return trained, True


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def combine(rule: Classification, suggestion: Suggestion | None, adopt: float = ADOPT_SCORE) -> Classification:
    """The rules' verdict with the model's score added; the model's filing wins only when surer.

    Both are always shown: the rule reasons stay, and one line gives the model's suggestion and
    score. The model's sub-class is adopted when it disagrees, scores at least ``adopt`` and beats
    the rules' confidence; the document then goes to review (a learned guess is checked once).
    """
    if suggestion is None:
        return rule
    shown = suggestion.item or suggestion.subclass or "不归类"
    line = (f"学习模型（{suggestion.trained_on} 份已确认文件，{suggestion.version}）建议 {shown}，"
            f"得分 {suggestion.score:.2f}")
    verdict = rule.model_copy(deep=True)
    agrees = suggestion.subclass == rule.class_code
    if agrees:
        verdict.reasons.append(line + "，与规则一致")
        if verdict.item_code is None and suggestion.item:
            verdict.item_code = suggestion.item
        return verdict
    if suggestion.score >= adopt and suggestion.score > rule.confidence:
        before = f"{rule.item_code or rule.class_code or '不归类'}（把握 {rule.confidence:.2f}）"
        verdict.class_code, verdict.item_code = suggestion.subclass, suggestion.item
        verdict.doc_type = None if suggestion.subclass is None else rule.doc_type if agrees else None
        verdict.confidence = suggestion.score
        verdict.needs_review = True
        verdict.reasons.append(f"{line}，高于规则判断 {before} → 采用模型建议，送人工复核")
        return verdict
    verdict.reasons.append(line + "，未采用（规则把握更高或模型得分不足）")
    return verdict
