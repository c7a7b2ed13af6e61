"""``python -m eval.ocr``: does OCR make the real scans findable, and how many characters does it get wrong?

Two measures on ``../shared/corpus/real`` (or ``$JIANDANG_SHARED/corpus/real``) (files copied to a temporary folder at run time):

* **titles**: every PDF with at least one page that needs OCR (no usable text layer) is read by
  the same reading pipeline ingest uses; the document's title — judged by a person looking at the
  rendered page, recorded in ``eval/labels/ocr/labels.yaml`` — must appear in the OCR'd text
  (whitespace ignored). A drawing title wrapped over two lines of its title-block cell can be
  interleaved with the notes beside it in reading order; then it counts when the title the
  pipeline read from the title block (indexed and searchable as the document title) matches, and
  the table says so.
* **character error rate** on page regions transcribed by hand (``eval/labels/ocr/*.txt``): the
  OCR lines whose box centre lies in the region are put in reading order and compared with the
  transcription by edit distance, after NFKC normalisation and with whitespace and the table
  cell separator removed. Handwriting and signatures are outside the transcribed regions.

OCR results are cached by file hash in ``JIANDANG_EVAL_OCR_CACHE`` (default
``~/.cache/jiandang/eval-ocr``), so a second run takes seconds; the first takes minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from core.reading.reader import DocumentReader
from eval import eval_ocr_cache
from eval.corpora import CORPUS
from ingest.layout import TextBox, page_text
from ingest.ocr import OcrOptions
from ingest.ocr.pdf import page_lacks_text
from ingest.pdf import extract_with_pdfium
from schemas import meta as M

REPO = Path(__file__).resolve().parents[1]
REAL_CORPUS = CORPUS / "real"  # JIANDANG_SHARED honoured, as by the other evals
LABELS_DIR = REPO / "eval" / "labels" / "ocr"
TARGET_CER = 0.05


def normalise(text: str) -> str:
    """NFKC, no whitespace, no table-cell bars: what is compared character by character."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch != "|")


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def needs_ocr(path: Path) -> bool:
    pages, _title = extract_with_pdfium(path.read_bytes())
    return any(page_lacks_text(text) for text in pages)


def region_text(page: dict, region: list[float]) -> str:
    """Reading-order text of the OCR lines whose centre lies in the region (fractions of the page)."""
    width, height = page["size"]
    left, top, right, bottom = region
    inside = []
    for x0, y0, x1, y1, text, score in page["lines"]:
        cx, cy = (x0 + x1) / 2 / width, (y0 + y1) / 2 / height
        if left <= cx <= right and top <= cy <= bottom:
            inside.append(TextBox(box=(x0, y0, x1, y1), text=text, score=score))
    return page_text(inside)


@dataclass
class TitleCheck:
    name: str
    title: str
    found: str  # "text", "title (title block)" or ""
    pages_ocred: int
    seconds: float


@dataclass
class PageCheck:
    label: str
    reference_chars: int
    errors: int

    @property
    def cer(self) -> float:
        return self.errors / max(self.reference_chars, 1)


def run(work: Path, cache: Path) -> tuple[list[TitleCheck], list[PageCheck], list[str]]:
    labels = yaml.safe_load((LABELS_DIR / "labels.yaml").read_text(encoding="utf-8"))
    reader = DocumentReader(ocr=OcrOptions(cache_dir=cache))
    titles, pages, problems = [], [], []
    read: dict[str, dict] = {}
    for source in sorted(REAL_CORPUS.glob("*.pdf")):
        if not needs_ocr(source):
            continue
        copy = work / source.name
        shutil.copyfile(source, copy)
        started = time.perf_counter()
        outcome = reader.read(copy, source.name, {})
        seconds = time.perf_counter() - started
        title = (labels.get("titles") or {}).get(source.name)
        if outcome.document is None:
            problems.append(f"{source.name}: not read ({outcome.reason})")
            continue
        if title is None:
            problems.append(f"{source.name}: needs OCR but has no title label in labels.yaml")
            continue
        read[source.name] = outcome.document.meta.get(M.OCR) or {}
        found = ""
        if normalise(title) in normalise(outcome.document.content or ""):
            found = "text"
        elif normalise(title) == normalise(outcome.document.meta.get(M.TITLE) or ""):
            found = "title (title block)"
        titles.append(TitleCheck(source.name, title, found, len(read[source.name].get("pages", [])), seconds))
    for entry in labels.get("transcriptions") or []:
        ocr = read.get(entry["file"])
        if ocr is None:
            problems.append(f"{entry['file']}: transcribed but not OCR'd")
            continue
        page = next((p for p in ocr.get("pages", []) if p["page"] == entry["page"]), None)
        if page is None:
            problems.append(f"{entry['file']} page {entry['page']}: no OCR result")
            continue
        reference = normalise((LABELS_DIR / entry["text"]).read_text(encoding="utf-8"))
        hypothesis = normalise(region_text(page, entry["region"]))
        pages.append(PageCheck(entry["text"], len(reference), edit_distance(reference, hypothesis)))
    return titles, pages, problems


def report(titles: list[TitleCheck], pages: list[PageCheck], problems: list[str]) -> None:
    print(f"### OCR on the real corpus: {len(titles)} PDFs with pages that need OCR\n")
    print("| file | title | found in | pages OCR'd | seconds |")
    print("|---|---|---|---|---|")
    for check in titles:
        print(f"| {check.name} | {check.title} | {check.found or '**no**'} | {check.pages_ocred} "
              f"| {check.seconds:.1f} |")
    found = sum(bool(check.found) for check in titles)
    print(f"\ntitles found: {found}/{len(titles)}\n")
    print("| transcribed region | reference chars | errors | CER |")
    print("|---|---|---|---|")
    for page in pages:
        print(f"| {page.label} | {page.reference_chars} | {page.errors} | {page.cer:.1%} |")
    chars = sum(page.reference_chars for page in pages)
    errors = sum(page.errors for page in pages)
    overall = errors / max(chars, 1)
    print(f"| **all** | {chars} | {errors} | **{overall:.1%}** (target ≤ {TARGET_CER:.0%}) |")
    for problem in problems:
        print(f"problem: {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    if not REAL_CORPUS.exists():
        print(f"(real corpus not found at {REAL_CORPUS}; OCR evaluation skipped)", file=sys.stderr)
        return 0
    cache = eval_ocr_cache()
    with tempfile.TemporaryDirectory(prefix="jiandang-eval-ocr-") as tmp:
        titles, pages, problems = run(Path(tmp), cache)
    report(titles, pages, problems)
    return 0


if __name__ == "__main__":
    sys.exit(main())
