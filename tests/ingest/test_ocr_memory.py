"""A 200-page scanned PDF is OCR'd with flat memory: pages are rendered and recognised one at a time.

Runs in a subprocess so the resident set measured is that of the OCR work alone. Each page is
small (4 × 3 inches, 800 × 600 pixels at 200 dpi, 1.4 MB) to keep the run to about two minutes;
if pages were kept, the last 170 would add ≈ 245 MB, twice the allowed growth. The allowance
covers onnxruntime growing its memory arena once or twice, which it does on some runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scans import require_cjk_font

pytestmark = [pytest.mark.slow, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
from pathlib import Path
from tests.scans import render_scan, write_scanned_pdf
from ingest.ocr import OcrOptions, PageOcr
from ingest.ocr.engine import load_engine
from ingest.ocr.pdf import convert_pdf_with_ocr

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

work = Path(sys.argv[1])
pages = [render_scan([f"第{n}页 施工日志 编号RZ-{n:03d}"], size=(800, 600), font_size=34, seed=n) for n in range(10)]
pdf = write_scanned_pdf(work / "施工日志（200页扫描件）.pdf", pages * 20, page_size=(288, 216))
del pages
real = load_engine()
samples = []

class Measured:
    name = real.name
    def recognise(self, image):
        lines = real.recognise(image)
        samples.append(rss_mb())
        return lines

ocr = PageOcr(OcrOptions(cache_dir=work / "cache"), engine_factory=lambda _o: Measured())
converted = convert_pdf_with_ocr(pdf.read_bytes(), pdf.name, ocr)
print(json.dumps({"pages": converted.pages, "ocred": len(samples), "samples": samples,
                  "last_page": converted.text.split("\f")[-1]}))
"""


def test_two_hundred_scanned_pages_with_flat_memory(tmp_path):
    require_cjk_font()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HAYSTACK_TELEMETRY_ENABLED": "False"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["pages"] == 200
    assert result["ocred"] == 200
    assert "RZ-009" in result["last_page"]
    samples = result["samples"]
    warmed = max(samples[10:30])  # onnxruntime's arenas are sized by the first pages
    assert max(samples[-50:]) - warmed < 120, f"RSS grew from {warmed:.0f} MB to {max(samples[-50:]):.0f} MB"
