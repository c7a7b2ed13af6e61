"""OCR of generated scans: scanned PDFs, mixed PDFs, images and multi-page TIFF, the cache, the
pixel cap, the OCR slot, and what happens when the OCR engine is not installed.

The scans are Chinese text rendered with a CJK font, rotated a little and speckled with noise.
Pages are small so the whole file runs in well under a minute on 2 cores.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from ingest.layout import TextBox, page_text
from ingest.ocr import ImageConverter, OcrOptions, PageOcr, ScanAwarePdfConverter
from ingest.ocr.engine import load_engine
from ingest.ocr.raster import fit_scale, render_pdf_pages
from ingest.ocr.slots import OcrSlots
from schemas import meta as M
from schemas.ingest import QuarantineCode, TextStatus
from tests.formats import site_photo
from tests.scans import image_bytes, render_scan, require_cjk_font, write_scanned_pdf

pytestmark = pytest.mark.integration

ACCEPTANCE = ["隐蔽工程验收记录", "工程名称：滨江花园3#楼", "编号：YS-2024-031  混凝土C30"]
PERMIT = ["建筑工程施工许可证", "编号：530100202405170101"]


@pytest.fixture(scope="module")
def engine():
    require_cjk_font()
    return load_engine()


@pytest.fixture
def page_ocr(engine, tmp_path):
    return PageOcr(OcrOptions(cache_dir=tmp_path / "ocr-cache"), engine_factory=lambda _options: engine)


def run_converter(converter, path: Path) -> dict:
    return converter.run(sources=[path], meta={"original_name": path.name})


def test_a_scanned_pdf_is_read_by_ocr_with_confidence_and_boxes(page_ocr, tmp_path):
    scan = write_scanned_pdf(tmp_path / "隐蔽工程验收记录（扫描件）.pdf", [render_scan(ACCEPTANCE, angle=1.2)])

    [document] = run_converter(ScanAwarePdfConverter(page_ocr), scan)["documents"]

    assert "隐蔽工程验收记录" in document.content
    assert "YS-2024-031" in document.content
    assert document.meta[M.EXTRACTOR] == "ocr"
    assert document.meta[M.PAGES] == 1
    ocr = document.meta[M.OCR]
    assert ocr["engine"].startswith("rapidocr-onnxruntime")
    [page] = ocr["pages"]
    assert page["page"] == 1
    assert page["confidence"] > 0.8
    first = page["lines"][0]
    left, top, right, bottom, text, score = first
    assert text == "隐蔽工程验收记录"
    assert 0 <= left < right <= page["size"][0] and 0 <= top < bottom <= page["size"][1]
    assert 0 < score <= 1


def test_only_pages_without_a_text_layer_are_ocred(page_ocr, tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    path = tmp_path / "混合 文件 (1).pdf"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=(480, 336))
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(30, 300, "设计变更通知单 编号：BG-017 本页为电子文本，不需要识别")
    pdf.showPage()
    scan = render_scan(PERMIT)
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(io.BytesIO(image_bytes(scan, "JPEG"))), 0, 0, 480, 336)
    pdf.showPage()
    pdf.save()

    [document] = run_converter(ScanAwarePdfConverter(page_ocr), path)["documents"]

    first, second = document.content.split("\f")
    assert "设计变更通知单" in first
    assert "建筑工程施工许可证" in second
    assert [page["page"] for page in document.meta[M.OCR]["pages"]] == [2]
    assert document.meta[M.EXTRACTOR] == "pypdf+ocr"


def test_ocr_results_are_cached_by_file_hash(engine, tmp_path):
    scan = write_scanned_pdf(tmp_path / "材料进场验收记录.pdf", [render_scan(["材料进场验收记录", "钢筋 HRB400"])])
    cache = tmp_path / "cache"
    [first] = run_converter(ScanAwarePdfConverter(PageOcr(OcrOptions(cache_dir=cache), lambda _o: engine)), scan)[
        "documents"
    ]
    assert list(cache.rglob("*.jsonl"))

    # Same bytes under another name, with OCR switched off: the text still comes from the cache.
    renamed = tmp_path / "副本-材料进场验收记录.pdf"
    renamed.write_bytes(scan.read_bytes())
    no_engine = PageOcr(OcrOptions(enabled=False, cache_dir=cache))
    [again] = run_converter(ScanAwarePdfConverter(no_engine), renamed)["documents"]
    assert again.content == first.content
    assert again.meta[M.OCR]["pages"] == first.meta[M.OCR]["pages"]


def test_a_changed_ocr_setting_does_not_reuse_cached_text(tmp_path):
    first, second = OcrOptions(cache_dir=tmp_path, dpi=200), OcrOptions(cache_dir=tmp_path, dpi=300)
    assert first.profile() != second.profile()


def test_images_and_multi_page_tiff(page_ocr, tmp_path):
    png = tmp_path / "施工许可证（翻拍）.png"
    png.write_bytes(image_bytes(render_scan(PERMIT, angle=-1.0)))
    tiff = tmp_path / "验收记录 扫描 #2.tiff"
    pages = [render_scan(ACCEPTANCE[:2]), render_scan(PERMIT, seed=2)]
    pages[0].save(tiff, format="TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")

    converter = ImageConverter(page_ocr)
    [photo_of_permit] = run_converter(converter, png)["documents"]
    [tiff_document] = run_converter(converter, tiff)["documents"]

    assert "建筑工程施工许可证" in photo_of_permit.content
    assert photo_of_permit.meta[M.FORMAT] == "png"
    first, second = tiff_document.content.split("\f")
    assert "隐蔽工程验收记录" in first and "滨江花园" in first
    assert "施工许可证" in second
    assert tiff_document.meta[M.PAGES] == 2
    assert [p["page"] for p in tiff_document.meta[M.OCR]["pages"]] == [1, 2]


def test_a_site_photo_without_lettering_is_kept_with_its_date_and_place(page_ocr, tmp_path):
    photo = tmp_path / "基坑开挖 现场照片 2024-05-16.jpg"
    photo.write_bytes(site_photo())

    [document] = run_converter(ImageConverter(page_ocr), photo)["documents"]

    assert document.meta[M.TEXT_STATUS] == TextStatus.NO_TEXT_FOUND
    assert document.meta[M.PHOTO] == {
        "taken_at": "2024-05-16T08:15:42",
        "latitude": 25.605,
        "longitude": 100.32,
        "camera": "HUAWEI P60",
    }


def test_bytes_that_are_not_an_image_are_quarantined_with_the_reason(page_ocr, tmp_path):
    fake = tmp_path / "现场照片.jpg"
    fake.write_bytes(b"PK\x03\x04 this is a zip, not a photo")
    [failure] = run_converter(ImageConverter(page_ocr), fake)["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert failure.reason.startswith("《现场照片.jpg》is not a readable image")
    assert "ZIP" in failure.reason


def test_without_the_ocr_package_scans_are_kept_as_ocr_not_installed(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import now raises ImportError
    scan = write_scanned_pdf(tmp_path / "竣工验收备案表（扫描件）.pdf", [render_scan(PERMIT)])
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(site_photo())
    ocr = PageOcr(OcrOptions(cache_dir=tmp_path / "cache"))

    [pdf_document] = run_converter(ScanAwarePdfConverter(ocr), scan)["documents"]
    [photo_document] = run_converter(ImageConverter(ocr), photo)["documents"]

    for document in (pdf_document, photo_document):
        assert document.meta[M.TEXT_STATUS] == TextStatus.OCR_NOT_INSTALLED
        assert "rapidocr-onnxruntime is not installed" in document.meta[M.OCR]["unavailable"]
    assert pdf_document.meta[M.OCR]["pages_needing_ocr"] == [1]
    assert photo_document.meta[M.PHOTO]["taken_at"] == "2024-05-16T08:15:42"


def test_a_scan_ocr_finds_nothing_on_is_no_text(page_ocr, tmp_path):
    blank = write_scanned_pdf(tmp_path / "空白扫描.pdf", [Image.new("L", (600, 400), 255)])
    [failure] = run_converter(ScanAwarePdfConverter(page_ocr), blank)["failures"]
    assert failure.code is QuarantineCode.NO_TEXT
    assert "OCR found no text" in failure.reason


def test_pages_are_never_rendered_above_the_pixel_cap(tmp_path):
    from reportlab.pdfgen import canvas

    a0 = tmp_path / "总平面图A0.pdf"
    pdf = canvas.Canvas(str(a0), pagesize=(3370, 2384))  # A0 landscape, in points
    pdf.rect(100, 100, 3000, 2000)
    pdf.save()
    document = pypdfium2.PdfDocument(str(a0))
    try:
        [raster] = list(render_pdf_pages(document, [0], dpi=200, max_pixels=4_000_000))
    finally:
        document.close()
    height, width = raster.pixels.shape[:2]
    assert width * height <= 4_000_000
    assert width * height > 3_900_000  # the cap is used, not undershot
    assert raster.scale < 200 / 72
    assert fit_scale(595, 842, 200 / 72, 12_000_000) == pytest.approx(200 / 72)  # A4 keeps its dpi


def test_table_cells_on_one_row_become_one_line():
    lines = [
        TextBox(box=(40, 10, 160, 40), text="工程名称", score=0.99),
        TextBox(box=(400, 14, 700, 42), text="滨江花园3#楼", score=0.97),
        TextBox(box=(40, 60, 200, 90), text="施工单位：中建", score=0.98),
        TextBox(box=(200, 61, 320, 91), text="三局", score=0.98),
    ]
    assert page_text(lines) == "工程名称 | 滨江花园3#楼\n施工单位：中建三局"


def test_ocr_slots_are_shared_across_slot_holders(tmp_path):
    # Two OcrSlots on one directory stand for two reading processes: they must take turns.
    holders = [OcrSlots(1, tmp_path / "slots"), OcrSlots(1, tmp_path / "slots")]
    spans: list[tuple[float, float]] = []

    def work(slots: OcrSlots) -> None:
        with slots.hold():
            start = time.monotonic()
            time.sleep(0.2)
            spans.append((start, time.monotonic()))

    threads = [threading.Thread(target=work, args=(slots,)) for slots in holders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (_, a_end), (b_start, _) = sorted(spans)
    assert b_start >= a_end


class _FailingEngine:
    """An engine that crashes on every page (as onnxruntime can on a degenerate image)."""

    name = "failing"

    def recognise(self, image):
        raise RuntimeError("onnxruntime: invalid dimensions")


def test_a_page_the_engine_fails_on_costs_only_that_page(tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    path = tmp_path / "竣工报告（部分扫描）.pdf"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=(480, 336))
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(30, 300, "单位工程竣工验收报告 本页为电子文本")
    pdf.showPage()
    pdf.drawImage(ImageReader(io.BytesIO(image_bytes(render_scan(PERMIT), "JPEG"))), 0, 0, 480, 336)
    pdf.showPage()
    pdf.save()
    cache = tmp_path / "cache"
    ocr = PageOcr(OcrOptions(cache_dir=cache), engine_factory=lambda _options: _FailingEngine())

    [document] = run_converter(ScanAwarePdfConverter(ocr), path)["documents"]

    assert "单位工程竣工验收报告" in document.content
    assert not list(cache.rglob("*.jsonl")), "a failed page is not cached, so the next read tries again"


def test_large_photos_are_decoded_small(tmp_path):
    from ingest.ocr.raster import image_frames

    big = Image.new("RGB", (6000, 4000), (200, 200, 200))
    [raster] = list(image_frames(image_bytes(big, "JPEG", quality=70), max_pixels=4_000_000))
    height, width = raster.pixels.shape[:2]
    assert width * height <= 4_000_000
    assert width / height == pytest.approx(1.5, rel=0.01)
