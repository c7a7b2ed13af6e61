"""Filing measured on real documents: the held-out split, cross-validation, and the other real sets.

Every document is read once through the real reading pipeline with its name neutralised; the
rules' verdict comes from that pipeline, the learned model is then applied exactly as ingest does
(``classify.suggester.combine``). Only the model's training data changes between the figures:

* held-out split — the model learns from the rest of the training corpus only;
* cross-validation — k folds, repeated with different shuffles, the model learning from the other
  folds; once stratified by sub-class, once grouped by source repository (a source's forms never
  help with their own fold). Figures are mean ± sd over folds. The rules were written looking at
  the non-held-out part, so the grouped, held-out-only line is the one to trust;
* the other real sets (our labels) — the shipped model, which learned from the whole training corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sklearn.model_selection import GroupKFold, StratifiedKFold

from classify.base_examples import BaseExamples, examples_from, load_base_examples
from classify.suggester import Suggester, combine, features
from core.reading.reader import DocumentReader
from eval.corpora import NONE, RealCase, is_held_out, stage
from eval.metrics import Score, Spread
from schemas import meta as M
from schemas.documents import Classification

FOLDS, REPEATS = 5, 3


@dataclass
class ReadDoc:
    case: RealCase
    title: str
    text: str
    rules: Classification

    @property
    def features(self) -> str:
        return features(self.title, self.text)


def read_cases(cases: list[RealCase], reader: DocumentReader, work: Path) -> tuple[list[ReadDoc], list[str]]:
    """Read every case under a neutral name; the unread ones are listed, not scored."""
    docs, unread = [], []
    for case, path in stage(cases, work):
        outcome = reader.read(path, path.name, {M.FOLDER_HINTS: []})
        if outcome.document is None:
            unread.append(f"{case.source.name}: {outcome.code}")
            continue
        meta = outcome.document.meta
        docs.append(ReadDoc(case, meta.get(M.TITLE) or "", outcome.document.content or "",
                            Classification.model_validate(meta.get(M.CLASSIFICATION) or {})))
    return docs, unread


def model_from(docs: Iterable[ReadDoc], description: str) -> Suggester | None:
    chosen = list(docs)
    base = examples_from([d.features for d in chosen], [d.case.expected for d in chosen], description)
    return Suggester.train([], base)


def score(docs: Iterable[ReadDoc], model: Suggester | None, label: str, unread: list[str] | None = None) -> Score:
    result = Score(label, unread=list(unread or []))
    for doc in docs:
        verdict = combine(doc.rules, model.suggest(doc.title, doc.text) if model else None)
        result.add(doc.case.expected, verdict.class_code)
    return result


def rules_only(docs: Iterable[ReadDoc], label: str) -> Score:
    return score(docs, None, label)


def held_out(docs: list[ReadDoc], unread: list[str]) -> tuple[Score, Score]:
    """(rules alone, rules + a model trained on the rest) on the held-out split."""
    tuning = [d for d in docs if not is_held_out(d.case.source)]
    kept = [d for d in docs if is_held_out(d.case.source)]
    model = model_from(tuning, "training corpus without the held-out split")
    return (rules_only(kept, f"held-out split, rules alone ({len(tuning)} others tuned)"),
            score(kept, model, "held-out split, rules + model trained on the rest", unread))


def cross_validate(docs: list[ReadDoc], grouped: bool) -> tuple[Spread, Spread, Score]:
    """(all folds, held-out documents within the folds, pooled score of the first repetition)."""
    kind = "grouped by source" if grouped else "stratified by sub-class"
    everything = Spread(f"{FOLDS}-fold CV ×{REPEATS}, {kind}: all documents", repeats=REPEATS)
    clean = Spread(f"{FOLDS}-fold CV ×{REPEATS}, {kind}: held-out documents only", repeats=REPEATS)
    pooled = Score(f"cross-validation ({kind}), pooled over the folds of one repetition")
    labels = [d.case.expected for d in docs]
    for repeat in range(REPEATS):
        for train_index, test_index in _folds(docs, labels, grouped, repeat):
            model = model_from((docs[i] for i in train_index), "cross-validation fold")
            tested = [docs[i] for i in test_index]
            everything.add(score(tested, model, "fold"))
            clean.add(score((d for d in tested if is_held_out(d.case.source)), model, "fold"))
            if repeat == 0:
                for doc in tested:
                    verdict = combine(doc.rules, model.suggest(doc.title, doc.text) if model else None)
                    pooled.add(doc.case.expected, verdict.class_code)
    return everything, clean, pooled


def _folds(docs: list[ReadDoc], labels: list[str], grouped: bool, repeat: int) -> list[tuple[list[int], list[int]]]:
    if grouped:
        splitter = GroupKFold(n_splits=FOLDS, shuffle=True, random_state=repeat)
        return [(list(a), list(b)) for a, b in splitter.split(docs, labels, [d.case.group for d in docs])]
    strata = [label if labels.count(label) >= FOLDS else "rare" for label in labels]
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=repeat)
    return [(list(a), list(b)) for a, b in splitter.split(docs, strata)]


def shipped_model() -> Suggester | None:
    """The model a fresh archive starts with: the shipped examples, no confirmations yet."""
    base: BaseExamples | None = load_base_examples()
    return Suggester.train([], base) if base is not None else None


def label_counts(docs: list[ReadDoc]) -> str:
    filed = sum(d.case.expected != NONE for d in docs)
    return f"{len(docs)} read, {filed} project records, {len(docs) - filed} labelled not filed"
