"""OCR figures for ``make bench``: pages/s of the OCR engine, a drop of scans only, and a mixed drop.

OCR rate: ``BENCH_OCR_PAGES`` (default 8) generated A4 scans (Chinese text, 200 dpi render,
rotated 0.8°, noisy) are recognised in this process, one page at a time, with onnxruntime on 1
and 2 threads, the text detector at the default 160 dpi (``ocr_detect_dpi``), the recogniser
reading 6 lines per call (rapidocr's own) or 1 (the default, ``ocr_rec_batch``); pages/s is
pages / wall time of render + OCR, cache off, engine warmed on one page first. The CPU seconds
per page (this process's) are printed too: on a machine shared with other work they move less
with the load than the wall time does.

Two cores, one document: the same pages as one ``BENCH_OCR_PAGES``-page scanned PDF, read by the
scan-aware PDF converter with one OCR slot per core (the default), so its pages are OCR'd on
every core at once: seconds per A4 page at 200 dpi, wall clock, engines warmed first — the
issue-19 figure (target ≤ 2.5 s on two idle cores).

Scan-only drop: the same pages as ``BENCH_OCR_PAGES`` one-page scanned PDFs, taken in by the real
``ArchiveService.ingest`` in reader processes (one per core, one OCR slot per core: the
defaults): seconds per page of the whole drop, wall clock — what two cores give a drop of scans.

Mixed drop: ``BENCH_OCR_DROP`` (default 40) files, 70 % born-digital from ``generate_corpus``
(PDF/DOCX/XLSX) and 30 % one-page scanned PDFs, taken in by the real ``ArchiveService.ingest``
on the main thread (a batch under ``ingest_processes_from``) with the default OCR settings
(1 thread, cache under the home). Reported per kind:
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
from PIL import Image

from bench.corpus_text import random_document_text
from bench.scan_pages import cjk_font_path, render_scan, write_scanned_pdf
from bench.timing import FileTimer
from core import ArchiveService, Settings
from ingest.ocr import OcrOptions, PageOcr
from ingest.ocr.engine import load_engine, recognise
from ingest.ocr.pdf import convert_pdf_with_ocr
from ingest.ocr.raster import render_pdf_pages
from ingest.ocr.service import detect_side
from samples import generate_corpus
from schemas.ingest import IngestRequest

A4_150DPI = (1240, 1754)


def _scan_lines(rng: random.Random, count: int = 22, width: int = 30) -> list[str]:
    title, text, _meta = random_document_text(rng)
    flat = "".join(text.split())
    lines = [title] + [flat[i : i + width] for i in range(0, min(len(flat), count * width), width)]
    return lines[:count]


def _a4_scan(seed: int) -> Image.Image:
    """One generated A4 page of 22 lines, its text and its scanner noise both drawn from ``seed``."""
    return render_scan(_scan_lines(random.Random(seed)), size=A4_150DPI, font_size=30, seed=seed)


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
    write_scanned_pdf(many, [_a4_scan(n) for n in range(pages)])
    print(f"\n### OCR rate: {pages} generated A4 scans (22 lines of Chinese each), rendered at 200 dpi, one process\n")
    print("| onnxruntime threads | detector dpi | recogniser lines per call | pages | seconds | pages/s | s/page "
          "| CPU s/page | load (1 min, start–end) |")
    print("|---|---|---|---|---|---|---|---|---|")
    options = OcrOptions()
    for threads, detect_dpi, rec_batch in ((1, options.detect_dpi, 6), (1, options.detect_dpi, options.rec_batch),
                                           (2, options.detect_dpi, options.rec_batch)):
        engine = load_engine(threads=threads, max_side=options.max_side, rec_batch=rec_batch)
        document = pypdfium2.PdfDocument(str(scan))
        for raster in render_pdf_pages(document, [0], options.dpi, options.max_pixels):
            recognise(engine, raster.pixels, detect_side(raster, detect_dpi))  # warm-up
        document.close()
        document = pypdfium2.PdfDocument(str(many))
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        lines = 0
        for raster in render_pdf_pages(document, list(range(pages)), options.dpi, options.max_pixels):
            lines += len(recognise(engine, raster.pixels, detect_side(raster, detect_dpi)))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        document.close()
        print(f"| {threads} | {detect_dpi or 200} | {rec_batch} | {pages} | {seconds:.1f} | {pages / seconds:.2f} | "
              f"{seconds / pages:.2f} | {cpu / pages:.2f} | {load:.1f}–{os.getloadavg()[0]:.1f} |")


def bench_document_on_all_cores(work: Path, pages: int) -> None:
    """One multi-page scanned PDF through the converter, its pages OCR'd on every core (one slot each)."""
    cores = os.cpu_count() or 1
    document = write_scanned_pdf(work / "document.pdf", [_a4_scan(100 + n) for n in range(pages)])
    warm = write_scanned_pdf(work / "warm.pdf", [_a4_scan(n) for n in range(cores)])
    ocr = PageOcr(OcrOptions(slots=cores))
    convert_pdf_with_ocr(warm.read_bytes(), warm.name, ocr)  # one engine per OCR thread, loaded
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    converted = convert_pdf_with_ocr(document.read_bytes(), document.name, ocr)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"\n### One {pages}-page scanned PDF (A4, rendered at 200 dpi), its pages OCR'd on {cores} cores "
          "(one OCR slot per core, nice 10, default settings)\n")
    print("| pages | seconds (wall) | s/page | pages/s | CPU s/page (all cores) | load (1 min, start–end) |")
    print("|---|---|---|---|---|---|")
    print(f"| {converted.pages} | {wall:.1f} | **{wall / pages:.2f}** | {pages / wall:.2f} | {cpu / pages:.2f} "
          f"| {load:.1f}–{os.getloadavg()[0]:.1f} |")


def bench_scan_drop(work: Path, pages: int) -> None:
    """A drop of one-page scans only, through ``ArchiveService.ingest`` in reader processes."""
    drop = work / "scans-only"
    write_scans(drop, pages, seed=31)
    load = os.getloadavg()[0]
    with ArchiveService(Settings(home=work / "home-scans", ingest_processes_from=1)) as service:
        started = time.perf_counter()
        report = service.ingest(IngestRequest(paths=[drop], project="BENCH-SCANS"))
        wall = time.perf_counter() - started
    print(f"\n### Scan-only drop: {pages} one-page A4 scans (200 dpi), reader processes on "
          f"{os.cpu_count()} cores, default OCR settings\n")
    print("| pages | seconds (wall) | s/page | pages/s | load (1 min, start–end) |")
    print("|---|---|---|---|---|")
    print(f"| {pages} | {wall:.1f} | {wall / pages:.2f} | {pages / wall:.2f} | {load:.1f}–{os.getloadavg()[0]:.1f} |")
    print(f"\ncounts: {report.counts.model_dump()}")


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
    pages = int(os.environ.get("BENCH_OCR_PAGES", "8"))
    bench_ocr_rate(work, pages)
    bench_document_on_all_cores(work, pages)
    bench_scan_drop(work, pages)
    bench_mixed_drop(work, int(os.environ.get("BENCH_OCR_DROP", "40")))


def main() -> None:
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-ocr-") as tmp:
        bench_ocr(Path(tmp))
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
