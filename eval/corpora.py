"""The real labelled corpora for ``make eval``: which files, which labels, and how they are shown.

* ``train``  — ``../shared/corpus/train`` with the lead's labels (``labels.json``): the corpus the
  shipped model learns from. A fixed part of it is held out: files whose content hash falls in the
  lowest 30 % (``is_held_out``); no rule or weight was tuned on them, and the held-out figure uses a
  model trained on the rest only. Every file's source repository (``SOURCES.md``) is its group for
  the cross-validation that keeps one source's forms out of its own training folds.
* ``real``, ``real-extra``, ``heldout-texts`` — the unlabelled folders, under our own labels
  (``eval/labels/*.yaml``), reported apart.

Names are neutralised: each file is copied to a temporary folder as ``文件NNN.ext``, and a text
file's collector header (a first line ``来源: <url>``, which spells the original path) is dropped,
so the classifier decides on content alone. Nothing here is needed at run time; a clone without
``../shared`` skips these sets.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
# ../shared next to the clone; JIANDANG_SHARED points elsewhere (a git worktree lives one level deeper)
CORPUS = Path(os.environ.get("JIANDANG_SHARED", REPO.parent / "shared")) / "corpus"
LABELS = REPO / "eval" / "labels"
HELD_OUT_SHARE = 3  # of 10 hash buckets
PROVENANCE = "来源:".encode()
NONE = "none"
OTHER_SETS = {  # folder → our label file
    "real": "real_corpus.yaml",
    "real-extra": "real_extra.yaml",
    "heldout-texts": "heldout_texts.yaml",
}
_SOURCE_ROW = re.compile(r"^\|\s*(t\d+\.\w+)\s*\|\s*https://github\.com/([^\s|]+)\s*\|", re.MULTILINE)


@dataclass(frozen=True)
class RealCase:
    source: Path
    expected: str  # sub-class, or "none": must not be filed
    item: str | None = None
    group: str = ""  # where it came from (train: the source repository)


def available() -> bool:
    return (CORPUS / "train" / "labels.json").is_file()


def is_held_out(path: Path) -> bool:
    """The fixed held-out split of the training corpus: by content, not by name or label."""
    return hashlib.sha256(path.read_bytes()).digest()[0] % 10 < HELD_OUT_SHARE


def train_cases() -> list[RealCase]:
    folder = CORPUS / "train"
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    sources = dict(_SOURCE_ROW.findall((folder / "SOURCES.md").read_text(encoding="utf-8")))
    return [RealCase(folder / entry["file"], entry.get("class") or NONE, None, sources.get(entry["file"], "?"))
            for entry in labels if (folder / entry["file"]).is_file()]


def other_cases(folder_name: str) -> list[RealCase]:
    """One unlabelled folder under our labels (files that are missing are skipped)."""
    raw = yaml.safe_load((LABELS / OTHER_SETS[folder_name]).read_text(encoding="utf-8"))
    folder = CORPUS / folder_name
    return [RealCase(folder / name, label.get("class_code") or NONE, label.get("item_code"), folder_name)
            for name, label in sorted(raw["files"].items()) if (folder / name).is_file()]


def stage(cases: list[RealCase], work: Path) -> list[tuple[RealCase, Path]]:
    """Copies under neutral names (``文件NNN.ext``), collector headers removed."""
    work.mkdir(parents=True, exist_ok=True)
    staged = []
    for number, case in enumerate(cases, start=1):
        target = work / f"文件{number:03d}{case.source.suffix.lower()}"
        target.write_bytes(_without_provenance(case.source))
        staged.append((case, target))
    return staged


def _without_provenance(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix.lower() == ".txt" and data.startswith(PROVENANCE):
        return data.split(b"\n", 1)[1] if b"\n" in data else b""
    return data
