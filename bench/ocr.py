"""OCR figures for ``make bench``: pages/s of the OCR engine, and a mixed drop with 30 % scans.

OCR rate: ``BENCH_OCR_PAGES`` (default 8) generated A4 scans (Chinese text, 200 dpi render,
rotated 0.8°, noisy) are recognised with onnxruntime on 1 thread (the default: one core stays
free for born-digital ingest) and on 2 threads; pages/s is pages / wall time of render + OCR,
cache off, engine warmed on one page first.

Mixed drop: ``BENCH_OCR_DROP`` (default 40) files, 70 % born-digital from ``generate_corpus``
(PDF/DOCX/XLSX) and 30 % one-page scanned PDFs, taken in by the real ``ArchiveService.ingest``
with the default OCR settings (1 thread, 1 slot, cache under the home). Reported per kind:
documents/s from per-file timings, and the wall time of the whole drop.

Run alone with ``python -m bench.ocr``; ``BENCH_OCR=0`` skips it in ``python -m bench.run``.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import pypdfium2

from bench.corpus_text import random_document_text
from bench.scan_pages import cjk_font_path, render_scan, write_scanned_pdf
from bench.timing import FileTimer
from core import ArchiveService, Settings
from ingest.ocr import OcrOptions
from ingest.ocr.engine import load_engine
from ingest.ocr.raster import render_pdf_pages
from samples import generate_corpus
from schemas.ingest import IngestRequest

A4_150DPI = (1240, 1754)


def _scan_lines(rng: random.Random, count: int = 22, width: int = 30) -> list[str]:
    title, text, _meta = random_document_text(rng)
    flat = "".join(text.split())
    lines = [title] + [flat[i : i + width] for i in range(0, min(len(flat), count * width), width)]
    return lines[:count]


def write_scans(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        page = render_scan(_scan_lines(rng), size=A4_150DPI, font_size=30, seed=seed + number)
        paths.append(write_scanned_pdf(folder / f"扫描件{number:03d}（验收记录）.pdf", [page]))
    return paths


def bench_ocr_rate(work: Path, pages: int) -> None:
    [scan] = write_scans(work / "rate", 1, seed=11)
    many = work / "rate-many.pdf"
    write_scanned_pdf(many, [render_scan(_scan_lines(random.Random(n)), size=A4_150DPI, font_size=30, seed=n)
                             for n in range(pages)])
    print(f"\n### OCR rate: {pages} generated A4 scans (22 lines of Chinese each), rendered at 200 dpi\n")
    print("| onnxruntime threads | pages | seconds | pages/s | s/page |")
    print("|---|---|---|---|---|")
    options = OcrOptions()
    for threads in (1, 2):
        engine = load_engine(threads=threads, max_side=options.max_side)
        document = pypdfium2.PdfDocument(str(scan))
        for raster in render_pdf_pages(document, [0], options.dpi, options.max_pixels):
            engine.recognise(raster.pixels)  # warm-up
        document.close()
        document = pypdfium2.PdfDocument(str(many))
        started = time.perf_counter()
        lines = 0
        for raster in render_pdf_pages(document, list(range(pages)), options.dpi, options.max_pixels):
            lines += len(engine.recognise(raster.pixels))
        seconds = time.perf_counter() - started
        document.close()
        print(f"| {threads} | {pages} | {seconds:.1f} | {pages / seconds:.2f} | {seconds / pages:.2f} |")


def bench_mixed_drop(work: Path, total: int) -> None:
    scans = round(total * 0.3)
    drop = work / "drop"
    generate_corpus(drop / "born-digital", n=total - scans, seed=5, write_manifest=False)
    write_scans(drop / "scans", scans, seed=23)
    scan_names = {p.name for p in (drop / "scans").iterdir()}
    timer = FileTimer()
    with ArchiveService(Settings(home=work / "home")) as service:
        started = time.perf_counter()
        report = service.ingest(IngestRequest(paths=[drop], project="BENCH-OCR"), timer)
        wall = time.perf_counter() - started
    spans: dict[str, list[float]] = defaultdict(list)
    previous = timer.started
    for stamp, line in timer.stamps:
        spans["scan (OCR)" if Path(line.path).name in scan_names else "born-digital"].append(stamp - previous)
        previous = stamp
    print(f"\n### Mixed drop: {total} files, {scans} of them one-page scans (30 %), default OCR settings\n")
    print("| kind | documents | seconds | documents/s |")
    print("|---|---|---|---|")
    for kind, values in sorted(spans.items()):
        print(f"| {kind} | {len(values)} | {sum(values):.1f} | {len(values) / sum(values):.2f} |")
    print(f"| **all** (wall, incl. index commits) | {len(report.files)} | {wall:.1f} | {len(report.files) / wall:.2f} |")
    print(f"\ncounts: {report.counts.model_dump()}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def bench_ocr(work: Path) -> None:
    if cjk_font_path() is None:
        print("\n(OCR bench skipped: no CJK font to generate scans; apt-get install fonts-wqy-microhei)")
        return
    bench_ocr_rate(work, int(os.environ.get("BENCH_OCR_PAGES", "8")))
    bench_mixed_drop(work, int(os.environ.get("BENCH_OCR_DROP", "40")))


def main() -> None:
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-ocr-") as tmp:
        bench_ocr(Path(tmp))
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
