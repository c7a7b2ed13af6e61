"""``make eval``: how well does jiandang file documents? Class and sub-class accuracy, per-sub-class
precision and recall, the confusion matrix, and the share of documents left unfiled.

Sets, each reported apart:

* the real training corpus (``../shared/corpus/train``, the lead's labels): its held-out split and
  k-fold cross-validation (``eval.real_sets``), names neutralised;
* the other real documents under our own labels (``eval/labels/*.yaml``): ``real``, ``real-extra``
  and ``heldout-texts``, names neutralised, judged with the shipped model;
* the generated sample project, with its class folders and names, and flat with neutral names.

Every verdict is the one ingest would record: the rules, then the learned model
(``classify.suggester.combine``). Files that cannot be read (scans without OCR, …) are listed
apart: no text reached the classifier, so they are neither right nor wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from classify.suggester import Suggester, combine
from core.reading.reader import DocumentReader
from eval import eval_ocr_cache
from eval.corpora import CORPUS, OTHER_SETS, available, other_cases, train_cases
from eval.metrics import Score, table_head
from eval.real_sets import cross_validate, held_out, label_counts, read_cases, score, shipped_model
from ingest.ocr import OcrOptions
from samples import generate_sample_project
from schemas import meta as M
from schemas.documents import Classification

REAL_CORPUS = CORPUS / "real"


@dataclass
class Case:
    path: Path
    name: str  # the name the classifier is shown (original or neutral)
    hints: list[str]
    expected: str  # sub-class ("none": must not be filed)
    item: str | None = None  # item code where the label knows it (trains the suggester)


def evaluate(cases: list[Case], reader: DocumentReader, label: str, model: Suggester | None = None) -> Score:
    result = Score(label)
    for case in cases:
        outcome = reader.read(case.path, case.name, {M.FOLDER_HINTS: case.hints})
        if outcome.document is None:
            result.unread.append(f"{case.path.name}: {outcome.code}")
            continue
        meta = outcome.document.meta
        verdict = Classification.model_validate(meta.get(M.CLASSIFICATION) or {})
        if model is not None:
            verdict = combine(verdict, model.suggest(meta.get(M.TITLE), outcome.document.content or ""))
        result.add(case.expected, verdict.class_code)
    return result


def sample_cases(work: Path, layout: str, seed: int = 7) -> list[Case]:
    project = generate_sample_project(work / f"sample-{layout}-{seed}", layout=layout, write_manifest=False,
                                      seed=seed)
    cases = []
    for sample in project.files:
        path = project.root / sample.relative_path
        hints = list(reversed(Path(sample.relative_path).parent.parts)) if layout == "folders" else []
        cases.append(Case(path, path.name, hints, sample.class_code, sample.item_code))
    return cases


def real_cases(work: Path, neutral: bool, include_unfiled: bool = False) -> list[Case]:
    """The ``real`` folder under our labels (used by ``eval.labelled_set``)."""
    cases = []
    folder = work / ("real-neutral" if neutral else "real") / ("all" if include_unfiled else "filed")
    folder.mkdir(parents=True)
    for number, case in enumerate(other_cases("real"), start=1):
        if case.expected == "none" and not include_unfiled:
            continue
        shown = f"文件{number:03d}{case.source.suffix}" if neutral else case.source.name
        (folder / shown).write_bytes(case.source.read_bytes())
        cases.append(Case(folder / shown, shown, [], case.expected, case.item))
    return cases


def real_report(work: Path, reader: DocumentReader) -> tuple[list[str], list[Score]]:
    """Rows for the held-out split, the cross-validation and the other real sets, and their details."""
    rows: list[str] = []
    details: list[Score] = []
    docs, unread = read_cases(train_cases(), reader, work / "train")
    rows.append(f"| **training corpus**: {label_counts(docs)} | | | | | |")
    alone, with_model = held_out(docs, unread)
    rows += [alone.row(), with_model.row()]
    details.append(with_model)
    for grouped in (False, True):
        everything, clean, pooled = cross_validate(docs, grouped)
        rows += [everything.row(), clean.row()]
        details.append(pooled)
    model = shipped_model()
    for folder in OTHER_SETS:
        other, other_unread = read_cases(other_cases(folder), reader, work / folder)
        result = score(other, model, f"{folder} (our labels; shipped model)", other_unread)
        rows.append(result.row())
        details.append(result)
    return rows, details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="real corpora only (no sample project, no labelled set)")
    args = parser.parse_args()
    rows: list[str] = []
    details: list[Score] = []
    extra = ""
    with tempfile.TemporaryDirectory(prefix="jiandang-eval-") as tmp:
        work = Path(tmp)
        ocr = OcrOptions(cache_dir=eval_ocr_cache())
        neutral = DocumentReader(neutralise_file_names=True, ocr=ocr)
        if available():
            real_rows, real_details = real_report(work / "real-sets", neutral)
            rows += real_rows
            details += real_details
        else:
            print("(real corpora not found next to the clone or at $JIANDANG_SHARED; skipped)", file=sys.stderr)
        if not args.quick:
            model = shipped_model()
            named = DocumentReader(ocr=ocr)
            for result in (
                evaluate(sample_cases(work, "folders"), named, "sample project, with names and folders", model),
                evaluate(sample_cases(work, "flat"), neutral, "sample project, names neutralised", model),
            ):
                rows.append(result.row())
                details.append(result)
            if REAL_CORPUS.exists():
                from eval.labelled_set import run_labelled_set  # it imports this module

                extra = run_labelled_set(work)
    print("\n".join([*table_head(), *rows]))
    for result in details:
        print("\n".join(result.report(details="sample" not in result.label)))
    print(extra)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
