"""A bundle from a small request: a valid bag, a schema-valid manifest, stable bytes, resumable."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import bagit
import pytest
from docx import Document as DocxDocument
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

from handover import OriginalDamaged, OutputExists, build_bundle, verify_bundle
from handover.copying import PART_SUFFIX
from tests.handover.requests import small_request

REPO_SCHEMA = Path(__file__).parents[2] / "handover" / "schema" / "manifest.schema.json"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return Path(build_bundle(small_request(tmp_path)).path)


def payload(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


def test_bundle_is_a_valid_bag_with_both_manifests(bundle: Path) -> None:
    bag = bagit.Bag(str(bundle))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Source-Organization"] == "市机关事务管理局"
    assert bag.info["External-Identifier"] == "JD-2024-009"
    assert bag.info["Bagging-Date"] == "2025-01-03"
    assert bag.info["Document-Count"] == "5"
    assert bag.info["Payload-Oxum"].endswith(f".{len(payload(bundle))}")
    assert verify_bundle(bundle).valid


def test_manifest_validates_against_the_published_schema(bundle: Path) -> None:
    manifest = json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))
    schema = json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert not list(Draft202012Validator(schema).iter_errors(manifest))
    assert (bundle / "data" / "manifest.schema.json").read_text(encoding="utf-8") == REPO_SCHEMA.read_text(encoding="utf-8")
    assert manifest["schema_version"] == "1.1"
    assert manifest["completeness"]["status"] == "not_assessed"
    assert manifest["counts"] == {"documents": 5, "volumes": 4, "bytes": sum(d["size"] for d in manifest["documents"])}


def test_percent_colon_and_question_mark_names_survive(bundle: Path) -> None:
    manifest = json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))
    by_name = {d["original_name"]: d for d in manifest["documents"]}
    percent = by_name["设计变更通知单 第1号 100%完成.pdf"]
    assert percent["path"].endswith("设计变更通知单 第1号 100％完成.pdf")
    assert (bundle / percent["path"]).read_bytes() == b"%PDF-1.4 change 1\n" * 40
    assert by_name["扫描件:无法读取?.tif"]["path"].endswith("扫描件：无法读取？.tif")
    assert "%" not in (bundle / "manifest-sha256.txt").read_text(encoding="utf-8")


def test_unreadable_documents_are_kept_and_flagged(bundle: Path) -> None:
    manifest = json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))
    unfiled = [d for d in manifest["documents"] if d["class_code"] == "X"]
    assert [d["review_status"] for d in unfiled] == ["unreadable"]
    assert manifest["checks"]["usability"]["result"] == "warning"
    assert manifest["checks"]["security"]["result"] == "not_checked"


def test_asset_register_copies_the_final_accounts_rows(bundle: Path) -> None:
    manifest = json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["asset_register"]["source"] == "extracted"
    sheet = load_workbook(bundle / manifest["asset_register"]["path"]).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "序号")
    body = [r for r in rows[header + 1:] if isinstance(r[0], int)]
    assert [(r[1], r[4], r[9]) for r in body] == [
        ("办公楼节能改造（增值）", 1234567.8, "JD-2024-009-E2-001-0001"),
        ("磁悬浮冷水机组", 456000.0, "JD-2024-009-E2-001-0001"),
    ]


def test_asset_register_falls_back_to_a_template_row(tmp_path: Path) -> None:
    request = small_request(tmp_path)
    request = request.model_copy(update={"only": ["C2"], "asset": "库房"})
    manifest = json.loads((Path(build_bundle(request).path) / "data" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["asset_register"] == {"path": "data/目录/交付使用资产登记表.xlsx", "source": "template",
                                          "rows": 1, "source_documents": []}
    assert manifest["selection"] == {"only": ["C2"], "asset": "库房"}


def test_reexport_of_unchanged_data_has_identical_payload(tmp_path: Path) -> None:
    first = small_request(tmp_path)
    a = Path(build_bundle(first).path)
    b = Path(build_bundle(first.model_copy(update={"out": tmp_path / "again", "bagging_date": date(2026, 6, 1)})).path)
    assert payload(a) == payload(b)
    assert (a / "manifest-sha256.txt").read_bytes() == (b / "manifest-sha256.txt").read_bytes()
    assert (a / "bag-info.txt").read_bytes() != (b / "bag-info.txt").read_bytes()  # only the tag files differ


def test_zip_bundle_verifies(tmp_path: Path) -> None:
    request = small_request(tmp_path).model_copy(update={"zip": True})
    report = build_bundle(request)
    assert report.path.endswith("移交包.zip")
    assert not (tmp_path / "移交包").exists()
    result = verify_bundle(Path(report.path))
    assert result.valid, result.problems
    assert result.documents == 5


def test_existing_output_is_refused(tmp_path: Path) -> None:
    request = small_request(tmp_path)
    build_bundle(request)
    with pytest.raises(OutputExists):
        build_bundle(request)


def test_damaged_original_stops_the_export_and_leaves_no_bundle(tmp_path: Path) -> None:
    request = small_request(tmp_path)
    victim = request.documents[0].source
    victim.write_bytes(victim.read_bytes()[:-1] + b"!")
    with pytest.raises(OriginalDamaged, match=r"设计变更通知单 第2号"):
        build_bundle(request)
    assert not request.out.exists()


def test_interrupted_export_resumes_from_staged_copies(tmp_path: Path) -> None:
    request = small_request(tmp_path)
    staging = tmp_path / ".移交包.partial"
    reference = Path(build_bundle(request.model_copy(update={"out": tmp_path / "参照"})).path)
    # what a crash mid-copy leaves: some finished copies, one half-written .part, a stale file,
    # a copy of the right size but wrong bytes, and the tag files of a run killed while bagging
    copies = [p for p in payload(reference) if p.startswith("data/档案/")][:3]
    for rel in copies:
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reference / rel, target)
    damaged = staging / copies[2]
    damaged.write_bytes(bytes(b ^ 0xFF for b in damaged.read_bytes()))
    (staging / "data" / "档案" / "半截.pdf").write_bytes(b"stale")
    (staging / "data" / "档案" / f"x.pdf{PART_SUFFIX}").write_bytes(b"half")
    (staging / "bagit.txt").write_text("BagIt-Version: 1.0\n", encoding="utf-8")
    report = build_bundle(request)
    assert report.resumed_files == 2
    assert payload(Path(report.path)) == payload(reference)
    assert not staging.exists()


def test_titles_with_markup_and_control_characters_reach_both_inventories(tmp_path: Path) -> None:
    """XML specials are escaped and characters XML 1.0 forbids become spaces, in XLSX and DOCX alike."""
    request = small_request(tmp_path)
    hostile = "<b>设计变更</b> & “洽商”\x0b第3号\x07"
    first = request.documents[0].model_copy(update={"title": hostile})
    request = request.model_copy(update={"documents": [first, *request.documents[1:]], "eep": True})
    bundle = Path(build_bundle(request).path)
    expected = "<b>设计变更</b> & “洽商” 第3号 "
    sheet = load_workbook(bundle / "data" / "目录" / "移交清单.xlsx").worksheets[0]
    assert expected in [cell.value for row in sheet.iter_rows() for cell in row]
    table = DocxDocument(str(bundle / "data" / "目录" / "移交清单.docx")).tables[0]
    assert expected in [cell.text for row in table.rows for cell in row.cells]
    assert len(table.rows) == 1 + len(request.documents)
    entries = json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))["documents"]
    eep = next(e["eep"] for e in entries if e["id"] == first.id)
    assert ET.parse(bundle / eep).getroot().findtext(".//元数据块/题名") == expected
    assert bagit.Bag(str(bundle)).is_valid()


def test_formula_looking_titles_stay_text_in_the_inventories(tmp_path: Path) -> None:
    """A title like ``=cmd|…`` is a string cell in 移交清单.xlsx and 卷内目录.xlsx, never a live formula."""
    request = small_request(tmp_path)
    formula = "=cmd|' /C calc'!A0"
    first = request.documents[0].model_copy(update={"title": formula})
    bundle = Path(build_bundle(request.model_copy(update={"documents": [first, *request.documents[1:]]})).path)
    for name in ("移交清单.xlsx", "卷内目录.xlsx"):
        cells = [cell for sheet in load_workbook(bundle / "data" / "目录" / name).worksheets
                 for row in sheet.iter_rows() for cell in row]
        found = [cell for cell in cells if cell.value == formula]
        assert found and all(cell.data_type == "s" for cell in found), name
    assert verify_bundle(bundle).valid


def test_a_name_with_a_unicode_line_separator_gives_a_bag_that_verifies(tmp_path: Path) -> None:
    request = small_request(tmp_path)
    first = request.documents[0].model_copy(update={"original_name": "下一行\u2028分隔\x85.pdf"})
    bundle = Path(build_bundle(request.model_copy(update={"documents": [first, *request.documents[1:]]})).path)
    assert verify_bundle(bundle).valid
    manifest = json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))
    assert "下一行\u2028分隔\x85.pdf" in [d["original_name"] for d in manifest["documents"]]
