"""The learned suggester: real labelled documents shipped with the package, plus what archivists confirmed.

Rules come first (prior-art §3.3): the categories are a closed, published list. The model learns
what the rules miss — the local form a contractor always uses, the 大事记 whose first line reads
like an approval. It starts from the labelled real documents shipped as hashed character n-grams
(``classify.base_examples``) and is refit with the archive's own confirmations on top, which weigh
more; a ``none`` class covers documents confirmed as not filed, so an unknown document is not forced
into a category.

The fitted model is stored with a format version, the scikit-learn version and its sha256; a
mismatch means it is discarded and retrained, never unpickled. It is retrained only when the set of
confirmations (or the shipped examples) changed (their fingerprint).
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
from functools import cached_property
from pathlib import Path

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier

from classify.base_examples import BaseExamples, load_base_examples, vectorizer
from classify.scoring import hashed_counts, tfidf_rows
from schemas.documents import Candidate, Classification

logger = logging.getLogger(__name__)

NONE = "none"
MODEL_VERSION = 2
CONFIRMED_WEIGHT = 3.0  # one archivist's decision in this archive outweighs a shipped example
MAX_SUGGESTIONS = 3
MODEL_CANDIDATE_MIN = 0.2  # below this a model share only fills the candidates up to three
MAX_SCORE = 0.95  # a learned guess is never surer than a title that names the document type
TEXT_CHARS = 1500  # the head of a document carries its type; the rest is mostly site detail
TITLE_REPEAT = 3  # the title weighs like a paragraph
FALLBACK_SCORE = 0.3  # where the rules leave a document unfiled: model guesses this sure were right ~2 in 3
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
    ranked: tuple[tuple[str | None, str | None, float], ...] = ()  # (sub-class, item, score), best first


@dataclass
class FittedModel:
    """TF-IDF weights and the classifier over hashed n-gram counts (the hashing needs no fitting)."""

    tfidf: TfidfTransformer
    model: SGDClassifier

    @property
    def classes_(self) -> np.ndarray:
        return self.model.classes_

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Class probabilities as ``SGDClassifier.predict_proba`` gives them (one-vs-rest logistic
        scores normalised over the classes), computed against a row-major copy of the weights.

        scikit-learn's own path validated and copied the 65,536 × classes weight matrix on every
        call: 19 ms of the ingest's main process per document, more than the catalog's commits.
        """
        counts = tfidf_rows(self.tfidf, hashed_counts(texts))  # scikit-learn's matrices, for less (classify.scoring)
        if self.model.coef_.shape[0] == 1:  # two classes: one weight vector, sklearn's path is cheap
            return self.model.predict_proba(counts)
        scores = np.asarray(counts @ self._weights) + self.model.intercept_
        probabilities = 1.0 / (1.0 + np.exp(-scores))
        totals = probabilities.sum(axis=1, keepdims=True)
        totals[totals == 0] = 1.0  # (every class scored 0 cannot happen with finite weights)
        return probabilities / totals

    @cached_property
    def _weights(self) -> np.ndarray:
        return np.ascontiguousarray(self.model.coef_.T)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the weights' copy: it is rebuilt on first use."""
        state = dict(self.__dict__)
        state.pop("_weights", None)
        return state


def features(title: str | None, text: str) -> str:
    title = _SPACE.sub("", title or "")
    return " ".join([title] * TITLE_REPEAT) + " " + _SPACE.sub("", text or "")[:TEXT_CHARS]


def label_for(class_code: str | None, item_code: str | None) -> str:
    return item_code or class_code or NONE


def fingerprint(examples: list[Example], base: BaseExamples | None = None) -> str:
    """Changes whenever a confirmation is added, changed or removed (or a text, or the shipped examples)."""
    digest = hashlib.sha256((base.version if base else "").encode())
    for line in sorted(f"{e.label}\t{hashlib.sha256(features(e.title, e.text).encode()).hexdigest()}"
                       for e in examples):
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


class Suggester:
    def __init__(self, pipeline: FittedModel, trained_on: int, fingerprint_: str, trained_at: str) -> None:
        self.pipeline = pipeline
        self.trained_on = trained_on
        self.fingerprint = fingerprint_
        self.trained_at = trained_at

    @property
    def version(self) -> str:
        return f"v{MODEL_VERSION}/{self.fingerprint[:8]}"

    @classmethod
    def train(cls, examples: list[Example], base: BaseExamples | None = None) -> Suggester | None:
        """Fit on the shipped examples (if given) and the confirmations; None with fewer than two filings."""
        labels = [*(base.labels if base else ()), *(e.label for e in examples)]
        if len(set(labels)) < 2:
            return None
        parts = [base.counts] if base is not None else []
        if examples:
            parts.append(vectorizer().transform([features(e.title, e.text) for e in examples]))
        counts = sparse.vstack(parts).tocsr()
        weights = np.array([1.0] * (len(base) if base else 0) + [CONFIRMED_WEIGHT] * len(examples))
        tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        # logistic loss by stochastic gradient: a fraction of a second for a few hundred documents
        # (a full logistic regression over 65,536 features took seconds per refit), with probabilities
        model = SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=100, tol=1e-3, random_state=0)
        model.fit(tfidf.transform(counts), labels, sample_weight=weights)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        logger.info("suggester trained on %d confirmed + %d shipped documents", len(examples), len(base or ()))
        return cls(FittedModel(tfidf, model), len(labels), fingerprint(examples, base), stamp)

    def suggest(self, title: str | None, text: str) -> Suggestion:
        """The most likely sub-classes (probabilities of their items summed), each with its best item."""
        probabilities = self.pipeline.predict_proba([features(title, text)])[0]
        labels = self.pipeline.classes_
        by_subclass: dict[str, float] = {}
        best_item: dict[str, tuple[float, str]] = {}
        for label, p in zip(labels, probabilities, strict=True):
            key = _subclass_of(str(label))
            by_subclass[key] = by_subclass.get(key, 0.0) + float(p)
            if "-" in label and float(p) > best_item.get(key, (-1.0, ""))[0]:
                best_item[key] = (float(p), str(label))
        ranked = sorted(by_subclass, key=by_subclass.__getitem__, reverse=True)[:MAX_SUGGESTIONS]
        choices = tuple((None if k == NONE else k, best_item[k][1] if k in best_item else None,
                         round(min(MAX_SCORE, by_subclass[k]), 3)) for k in ranked)
        best = choices[0]
        return Suggestion(best[0], best[1], best[2], self.trained_on, self.version, choices)


def _subclass_of(label: str) -> str:
    return label.rsplit("-", 1)[0] if "-" in label else label


class SuggesterStore:
    """The model on disk: pickle + a JSON sidecar with version, library version and sha256."""

    def __init__(self, folder: Path, base: BaseExamples | bool | None = True) -> None:
        """``base``: the shipped examples (True: load them), given ones, or None/False for none."""
        self.folder = folder
        self.base = load_base_examples() if base is True else (base or None)

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
        if stored is not None and stored.fingerprint == fingerprint(examples, self.base):
            return stored, False
        trained = Suggester.train(examples, self.base)
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
    Where the rules found nothing to go on (not where a rule said "not a project record"), a model
    guess of at least ``FALLBACK_SCORE`` is adopted, for review. The model's other likely places join
    the candidates the review page offers.
    """
    if suggestion is None:
        return rule
    shown = suggestion.item or suggestion.subclass or "不归类"
    line = (f"学习模型（学过 {suggestion.trained_on} 份已归档文件，{suggestion.version}）建议 {shown}，"
            f"得分 {suggestion.score:.2f}")
    # its own reasons list (appended to below); the candidates list is replaced, never changed in place.
    # A deep copy cost as much as the model's scoring (1 ms a document, in ingest's recording process).
    verdict = rule.model_copy(update={"reasons": list(rule.reasons)})
    agrees = suggestion.subclass == rule.class_code
    if agrees:
        verdict.reasons.append(line + "，与规则一致")
        if verdict.item_code is None and suggestion.item:
            verdict.item_code = suggestion.item
    elif _adopted(rule, suggestion, adopt):
        before = f"{rule.item_code or rule.class_code or '不归类'}（把握 {rule.confidence:.2f}）"
        verdict.class_code, verdict.item_code = suggestion.subclass, suggestion.item
        verdict.doc_type = None
        verdict.confidence = suggestion.score
        verdict.needs_review = True
        verdict.reasons.append(f"{line}，高于规则判断 {before} → 采用模型建议，送人工复核")
    else:
        verdict.reasons.append(line + "，未采用（规则把握更高或模型得分不足）")
    verdict.candidates = _merged_candidates(verdict, suggestion)
    return verdict


def _adopted(rule: Classification, suggestion: Suggestion, adopt: float) -> bool:
    """Surer than the rules; or the rules found nothing to go on and the model has a fair guess.

    A rule's finding that the document is no project record stands: the model only offers candidates.
    """
    if rule.not_a_project_record:
        return False
    if suggestion.score >= adopt and suggestion.score > rule.confidence:
        return True
    return rule.class_code is None and suggestion.subclass is not None and suggestion.score >= FALLBACK_SCORE


def _merged_candidates(verdict: Classification, suggestion: Suggestion) -> list[Candidate]:
    """The verdict's place first, then the strongest others from the rules and the model, three in all."""
    by_code: dict[str | None, Candidate] = {c.class_code: c.model_copy(update={"reasons": list(c.reasons)})
                                            for c in verdict.candidates}  # copies whose reasons grow below
    for subclass, item, score in suggestion.ranked:
        if score < MODEL_CANDIDATE_MIN and len(by_code) >= MAX_SUGGESTIONS:
            continue  # a weak model share only fills the list up to three places
        said = f"学习模型得分 {score:.2f}" + (f"（条目 {item}）" if item else "")
        known = by_code.get(subclass)
        if known is None:
            by_code[subclass] = Candidate(class_code=subclass, item_code=item, score=score, reasons=[said])
        else:
            known.reasons.append(said)
            known.score = max(known.score, score)
            known.item_code = known.item_code or item
    first = by_code.pop(verdict.class_code, None) or Candidate(
        class_code=verdict.class_code, item_code=verdict.item_code, doc_type=verdict.doc_type,
        score=verdict.confidence, reasons=verdict.reasons[:1])
    others = sorted(by_code.values(), key=lambda c: c.score, reverse=True)
    return [first, *others][:MAX_SUGGESTIONS]
