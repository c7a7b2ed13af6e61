"""``python -m eval.redaction``: what the disclosure redactor and the disclosure reading find in the
real documents (``../shared/corpus/{real,real-extra,train,heldout-texts}``, or the folder named by
``JIANDANG_SHARED_CORPUS``; copied to a temporary
folder at run time and read by the same pipeline ingest uses; OCR cached as in ``eval.ocr``).

Two tables, per corpus:

* **personal data**: how many documents hold each kind the redactor hides (身份证号, suspects,
  mobiles, bank accounts, addresses, names after a person's role), and how many findings there
  are. ``--show`` prints each finding's kind, the file and the 12 characters before it with the
  value itself masked, so a person can judge hits and misses without the values leaving the room.
* **disclosure reading**: per document kind a disclosure item stands on, how many documents were
  recognised and how often each fact the disclosure shows (批复单位, 项目代码, 中标人, 中标价, 项目负责人,
  总监 …) was read.

There is no labelled truth for personal data in these corpora; the counts and the masked contexts
are what a reviewer checks. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from core.reading.reader import DocumentReader
from disclosure.catalogue import shipped_catalogue
from disclosure.detectors import find_all, find_labelled_names
from disclosure.redaction_rules import shipped_redaction_rules
from eval import eval_ocr_cache
from ingest.ocr import OcrOptions
from oversight.reader import Source, read_document
from oversight.rules import shipped_rules
from schemas import meta as M

REPO = Path(__file__).resolve().parents[1]
CORPORA = ("real", "real-extra", "train", "heldout-texts")
CONTEXT = 12


def _texts(corpus: Path, work: Path, reader: DocumentReader) -> list[tuple[str, str | None, str]]:
    """(file name, title, text) of every readable file of the corpus."""
    found = []
    for source in sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "labels.json"):
        copy = work / source.name
        shutil.copyfile(source, copy)
        outcome = reader.read(copy, source.name, {})
        if outcome.document is not None:
            found.append((source.name, outcome.document.meta.get(M.TITLE), outcome.document.content or ""))
        copy.unlink()
    return found


def _personal(texts: list[tuple[str, str | None, str]], show: bool) -> tuple[Counter[str], Counter[str]]:
    rules = shipped_redaction_rules()
    today = date.today()
    documents: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    for name, _title, text in texts:
        kinds = set()
        for finding in find_all(text, rules, today):
            findings[finding.kind] += 1
            kinds.add(finding.kind)
            if show:
                before = text[max(0, finding.start - CONTEXT) : finding.start].replace("\n", " ")
                print(f"  {finding.kind:13} {name[:40]:40} …{before}[{'*' * (finding.end - finding.start)}]")
        names = [n for n, role in find_labelled_names(text, rules) if not rules.is_published_role(role)]
        findings["person_name"] += len(names)
        kinds |= {"person_name"} if names else set()
        documents.update(kinds)
    return documents, findings


def _reading(texts: list[tuple[str, str | None, str]]) -> dict[str, Counter[str]]:
    rules = shipped_rules()
    catalogue = shipped_catalogue()
    wanted = defaultdict(set)
    for category in catalogue.categories:
        for item in category.items:
            for spec in item.fields:
                for kind in spec.kinds or item.kinds:
                    if spec.fact:
                        wanted[kind].add(spec.fact)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for name, title, text in texts:
        facts = read_document(Source(name, title, text), rules)
        if facts.kind not in wanted:
            continue
        counts[facts.kind]["documents"] += 1
        for fact in wanted[facts.kind]:
            if facts.first(fact) is not None:
                counts[facts.kind][fact] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="print every finding with its masked context")
    args = parser.parse_args()
    shared = Path(os.environ.get("JIANDANG_SHARED_CORPUS", REPO.parent / "shared" / "corpus"))
    if not shared.is_dir():
        print(f"skipped: {shared} is not there (the real corpora are not part of the repository)")
        return 0
    reader = DocumentReader(ocr=OcrOptions(cache_dir=eval_ocr_cache()))
    print("| corpus | documents read | 身份证号 | 疑似 | 手机 | 银行账号 | 住址 | 姓名（非公开角色） |")
    print("|---|---|---|---|---|---|---|---|")
    reading: dict[str, Counter[str]] = defaultdict(Counter)
    with tempfile.TemporaryDirectory(prefix="jiandang-eval-redaction-") as work:
        for corpus in CORPORA:
            folder = shared / corpus
            if not folder.is_dir():
                continue
            texts = _texts(folder, Path(work), reader)
            docs, hits = _personal(texts, args.show)
            cells = [f"{docs[k]} ({hits[k]})" for k in
                     ("id_number", "id_suspect", "mobile", "bank_account", "address", "person_name")]
            print(f"| {corpus} | {len(texts)} | " + " | ".join(cells) + " |")
            for kind, counts in _reading(texts).items():
                reading[kind].update(counts)
    print("\ncells: documents with at least one finding (findings)\n")
    print("| document kind | recognised | facts read (documents) |")
    print("|---|---|---|")
    for kind, counts in sorted(reading.items()):
        facts = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()) if name != "documents")
        print(f"| {kind} | {counts['documents']} | {facts or '—'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
