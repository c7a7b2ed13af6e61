"""``make eval``: how well does jiandang file documents? Accuracy at class and sub-class level.

Two labelled sets:

* the generated sample project (labels come from the generator), in two layouts — with its
  Chinese class folders and file names, and flat with neutral names (content alone decides);
* the real documents in ``../shared/corpus/real`` under our own labels
  (``eval/labels/real_corpus.yaml``), copied to a temporary folder at run time, read once with
  their names and once renamed to ``文件NNN.ext``.

Files that cannot be read (scans without OCR, legacy .doc) are listed separately: they are not
counted as correct or wrong filing, because no text reached the classifier.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from core.reading.reader import DocumentReader
from eval import eval_ocr_cache
from ingest.ocr import OcrOptions
from samples import generate_sample_project
from schemas import meta as M

REPO = Path(__file__).resolve().parents[1]
REAL_CORPUS = REPO.parent / "shared" / "corpus" / "real"
LABELS = REPO / "eval" / "labels" / "real_corpus.yaml"


@dataclass
class Case:
    path: Path
    name: str  # the name the classifier is shown (original or neutral)
    hints: list[str]
    expected: str  # sub-class ("none": must not be filed)
    item: str | None = None  # item code where the label knows it (trains the suggester)


@dataclass
class Score:
    label: str
    total: int = 0
    class_ok: int = 0
    subclass_ok: int = 0
    unread: list[str] = field(default_factory=list)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)

    def row(self) -> str:
        read = self.total - len(self.unread)
        if read == 0:
            return f"| {self.label} | 0 | – | – | {len(self.unread)} |"
        return (
            f"| {self.label} | {read} | {self.class_ok / read:.1%} | {self.subclass_ok / read:.1%} "
            f"| {len(self.unread)} |"
        )


def evaluate(cases: list[Case], reader: DocumentReader, label: str) -> Score:
    score = Score(label)
    for case in cases:
        score.total += 1
        outcome = reader.read(case.path, case.name, {M.FOLDER_HINTS: case.hints})
        if outcome.document is None:
            score.unread.append(f"{case.path.name}: {outcome.code}")
            continue
        got = (outcome.document.meta.get(M.CLASSIFICATION) or {}).get("class_code") or "—"
        if got[:1] == case.expected[:1]:
            score.class_ok += 1
        if got == case.expected:
            score.subclass_ok += 1
        else:
            score.confusions[(case.expected, got)] += 1
    return score


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
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    entries = labels["files"] if isinstance(labels, dict) and "files" in labels else labels
    folder = work / ("real-neutral" if neutral else "real") / ("all" if include_unfiled else "filed")
    folder.mkdir(parents=True)
    cases = []
    for number, (name, label) in enumerate(sorted(_label_items(entries)), start=1):
        source = REAL_CORPUS / name
        if not source.exists() or not (label.get("class_code") or include_unfiled):
            continue
        shown = f"文件{number:03d}{source.suffix}" if neutral else name
        target = folder / shown
        shutil.copyfile(source, target)
        cases.append(Case(target, shown, [], label.get("class_code") or "none", label.get("item_code")))
    return cases


def _label_items(entries):  # type: ignore[no-untyped-def]
    if isinstance(entries, dict):
        return list(entries.items())
    return [(entry["file"], entry) for entry in entries]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--confusions", type=int, default=15, help="how many confusions to list per set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiandang-eval-") as tmp:
        work = Path(tmp)
        ocr = OcrOptions(cache_dir=eval_ocr_cache())
        named, neutral = DocumentReader(ocr=ocr), DocumentReader(neutralise_file_names=True, ocr=ocr)
        scores = [
            evaluate(sample_cases(work, "folders"), named, "sample project, with names and folders"),
            evaluate(sample_cases(work, "flat"), neutral, "sample project, names neutralised"),
        ]
        if REAL_CORPUS.exists() and LABELS.exists():
            scores.append(evaluate(real_cases(work, neutral=False), named, "real corpus, with names"))
            scores.append(evaluate(real_cases(work, neutral=True), neutral, "real corpus, names neutralised"))
        else:
            print(f"(real corpus not found at {REAL_CORPUS}; skipped)", file=sys.stderr)
        extra = ""
        if REAL_CORPUS.exists() and LABELS.exists():
            from eval.labelled_set import run_labelled_set  # it imports this module

            extra = run_labelled_set(work)
    print("| set | read | class | sub-class | unread |")
    print("|---|---|---|---|---|")
    for score in scores:
        print(score.row())
    for score in scores:
        if score.confusions or score.unread:
            print(f"\n{score.label}:")
        for (want, got), count in score.confusions.most_common(args.confusions):
            print(f"  expected {want:>3} → got {got:>3}  ×{count}")
        for line in score.unread:
            print(f"  unread: {line}")
    print(extra)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
