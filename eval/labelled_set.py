"""The labelled evaluation set (≥150 documents, every sub-class) and the suggester before/after.

Set: the generated sample project in three phrasings (seeds 7, 11, 23 — titles, layouts, formats
and numbers differ) plus the real corpus under our labels (eval/labels/real_corpus.yaml). Figures
with names (class folders, original names) and with names neutralised (flat ``文件NNN``).

Suggester: the neutralised set is split in two by a stable hash of each file's content; one half
plays "what the archivist confirmed" (its labels train the suggester, including real documents
labelled as not filed → the ``none`` class), the other half is held out. Sub-class accuracy on the
held-out half is measured for the rules alone and for rules + suggester (``classify.suggester.combine``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from classify.suggester import Example, Suggester, combine, label_for
from core.reading.reader import DocumentReader
from eval import eval_ocr_cache
from eval.classification import Case, evaluate, real_cases, sample_cases
from ingest.ocr import OcrOptions
from schemas import meta as M
from schemas.documents import Classification

SEEDS = (7, 11, 23)


@dataclass
class Read:
    case: Case
    title: str
    text: str
    verdict: Classification


def labelled_cases(work: Path, neutral: bool, include_unfiled: bool = False) -> list[Case]:
    layout = "flat" if neutral else "folders"
    cases = [c for seed in SEEDS for c in sample_cases(work / f"set-{layout}", layout, seed)]
    return cases + real_cases(work / f"set-{layout}", neutral=neutral, include_unfiled=include_unfiled)


def read_all(cases: list[Case], reader: DocumentReader) -> list[Read]:
    rows = []
    for case in cases:
        outcome = reader.read(case.path, case.name, {M.FOLDER_HINTS: case.hints})
        if outcome.document is None:
            continue
        meta = outcome.document.meta
        verdict = Classification.model_validate(meta.get(M.CLASSIFICATION) or {})
        rows.append(Read(case, meta.get(M.TITLE) or "", outcome.document.content or "", verdict))
    return rows


def _in_training_half(read: Read) -> bool:
    return hashlib.sha256(read.text.encode()).digest()[0] % 2 == 0


def _subclass_accuracy(rows: list[Read], verdicts: list[Classification]) -> float:
    hits = sum(1 for row, v in zip(rows, verdicts, strict=True) if (v.class_code or "none") == row.case.expected)
    return hits / len(rows) if rows else 0.0


def suggester_before_after(rows: list[Read]) -> str:
    train = [r for r in rows if _in_training_half(r)]
    held = [r for r in rows if not _in_training_half(r)]
    examples = [Example(r.title, r.text, label_for(None if r.case.expected == "none" else r.case.expected,
                                                   r.case.item)) for r in train]
    model = Suggester.train(examples)
    before = _subclass_accuracy(held, [r.verdict for r in held])
    after_verdicts = [combine(r.verdict, model.suggest(r.title, r.text) if model else None) for r in held]
    after = _subclass_accuracy(held, after_verdicts)
    changed = sum(1 for r, v in zip(held, after_verdicts, strict=True) if v.class_code != r.verdict.class_code)
    return (f"| suggester, held-out half ({len(held)} docs; trained on {len(train)} confirmed) "
            f"| rules {before:.1%} | rules + suggester {after:.1%} | {changed} filings changed |")


def run_labelled_set(work: Path) -> str:
    lines = ["", "Labelled set (sample project × 3 phrasings + real corpus):", "",
             "| set | read | class | sub-class | unread |", "|---|---|---|---|---|"]
    named_cases = labelled_cases(work / "named", neutral=False)
    neutral_cases = labelled_cases(work / "neutral", neutral=True, include_unfiled=True)
    filed_neutral = [c for c in neutral_cases if c.expected != "none"]
    subclasses = len({c.expected for c in filed_neutral})
    ocr = OcrOptions(cache_dir=eval_ocr_cache())
    named_reader = DocumentReader(ocr=ocr)
    lines.append(evaluate(named_cases, named_reader, f"labelled set, with names ({subclasses} sub-classes)").row())
    neutral_reader = DocumentReader(neutralise_file_names=True, ocr=ocr)
    lines.append(evaluate(filed_neutral, neutral_reader, "labelled set, names neutralised").row())
    lines += ["", "| experiment | before | after | |", "|---|---|---|---|"]
    lines.append(suggester_before_after(read_all(neutral_cases, neutral_reader)))
    return "\n".join(lines)
