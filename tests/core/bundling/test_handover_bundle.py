"""The sample project's handover bundle, end to end: catalog → bag → inventories checked row by row.

One module-scoped archive (the full sample project, ingested once) keeps this file under ~20 s.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest
from docx import Document as DocxDocument
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from core import ArchiveService, Settings
from core.catalog import Document, Event
from core.errors import InputError, ProjectNotFound
from samples import generate_sample_project
from schemas.documents import ExtractedFields
from schemas.ingest import IngestRequest

pytestmark = pytest.mark.integration

CODE = "JD-2024-001"
SCHEMA = Path(__file__).parents[3] / "handover" / "schema" / "manifest.schema.json"


@pytest.fixture(scope="module")
def home(module_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("交接")
    project = generate_sample_project(root / "样例" / CODE, write_manifest=False)
    with ArchiveService(Settings(home=root / "档案室", index_batch_size=64)) as service:
        service.ingest(IngestRequest(paths=[project.root], project=CODE))
    return root / "档案室"


@pytest.fixture(scope="module")
def service(home: Path) -> Iterator[ArchiveService]:
    with ArchiveService(Settings(home=home)) as svc:
        yield svc


@pytest.fixture(scope="module")
def bundle(service: ArchiveService, home: Path) -> Path:
    return Path(service.handover(CODE, home.parent / "移交" / f"{CODE} 档案移交包").path)


@pytest.fixture(scope="module")
def catalog(service: ArchiveService) -> dict[str, Document]:
    with service.catalog.session() as session:
        docs = session.scalars(select(Document)).all()
        session.expunge_all()
    return {d.sha256: d for d in docs}


@pytest.fixture(scope="module")
def manifest(bundle: Path) -> dict:
    return json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))


def table_rows(path: Path, sheet: str | None = None) -> list[list[object]]:
    """Every data row of every 序号-headed table in the workbook (a sheet may hold several)."""
    book = load_workbook(path, read_only=True)
    rows: list[list[object]] = []
    for ws in [book[sheet]] if sheet else book.worksheets:
        in_table = False
        for row in ws.iter_rows(values_only=True):
            if row and row[0] == "序号":
                in_table = True
            elif in_table and row and isinstance(row[0], int):
                rows.append(list(row))
            else:
                in_table = False
    book.close()
    return rows


def docx_rows(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in DocxDocument(str(path)).tables for row in table.rows[1:]]


def test_bundle_validates_with_bagit_and_verify_bundle(bundle: Path, service: ArchiveService, catalog: dict) -> None:
    bag = bagit.Bag(str(bundle))
    bag.validate(processes=2)
    assert bag.info["Project-Code"] == CODE
    assert int(bag.info["Document-Count"]) == len(catalog)
    report = service.verify_bundle(bundle)
    assert report.valid, report.problems
    assert report.documents == len(catalog)


def test_every_original_is_byte_identical(bundle: Path, manifest: dict, service: ArchiveService) -> None:
    for doc in manifest["documents"]:
        assert (bundle / doc["path"]).read_bytes() == service.blobs.path_for(doc["sha256"]).read_bytes()


def test_manifest_matches_schema_and_catalog(manifest: dict, catalog: dict[str, Document]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(manifest))
    assert {d["sha256"] for d in manifest["documents"]} == set(catalog)
    for entry in manifest["documents"]:
        doc = catalog[entry["sha256"]]
        assert entry["id"] == doc.id
        assert entry["original_name"] == doc.original_name
        assert entry["class_code"] == (doc.class_code or "X")
        assert entry["item_code"] == (doc.item_code if doc.class_code else None)
        assert entry["reasons"] == list(doc.reasons or [])
        assert entry["archive_code"].startswith(f"{CODE}-{entry['class_code']}-")
    codes = [d["archive_code"] for d in manifest["documents"]]
    assert len(set(codes)) == len(codes)
    assert manifest["completeness"]["status"] == "assessed"  # the service has a completeness check
    # the plan takes retention from the checklist rules, not from the report: both must agree
    assessed = {ref["id"]: ref["retention"] for item in manifest["completeness"]["report"]["items"]
                for ref in item["documents"] if ref["retention"]}
    assert assessed and all(entry["retention"] == assessed[entry["id"]]
                            for entry in manifest["documents"] if entry["id"] in assessed)
    assert manifest["asset_register"]["source"] == "extracted"  # the sample has 交付使用资产明细


def test_handover_list_rows_match_the_catalog_in_xlsx_and_docx(bundle: Path, manifest: dict,
                                                                 catalog: dict[str, Document]) -> None:
    rows = table_rows(bundle / "data" / "目录" / "移交清单.xlsx")
    assert [r[0] for r in rows] == list(range(1, len(catalog) + 1))
    by_code = {d["archive_code"]: d for d in manifest["documents"]}
    for row in rows:
        _n, code, title, number, _who, day, _pages, _keep, _secret, name, size, sha, _remark = row
        doc = catalog[sha]
        fields = ExtractedFields.model_validate(doc.fields or {})
        assert by_code[code]["sha256"] == sha
        assert title == (doc.title or Path(doc.original_name).stem)
        assert (number or None) == (fields.number or fields.drawing_number)
        assert (day or None) == (doc.doc_date.strftime("%Y%m%d") if doc.doc_date else None)
        assert size == doc.size
        assert name == Path(by_code[code]["path"]).name
    docx = docx_rows(bundle / "data" / "目录" / "移交清单.docx")
    assert docx == [["" if v is None else str(v) for v in row] for row in rows]


def test_volume_list_and_notes_cover_every_volume(bundle: Path, manifest: dict) -> None:
    volumes = table_rows(bundle / "data" / "目录" / "案卷目录.xlsx")
    expected = [(v["archive_code"], v["documents"]) for v in manifest["volumes"]]
    assert [(r[1], r[5]) for r in volumes] == expected
    assert sum(r[5] for r in volumes) == len(manifest["documents"])
    assert docx_rows(bundle / "data" / "目录" / "案卷目录.docx") == [
        ["" if v is None else str(v) for v in row] for row in volumes]
    notes = table_rows(bundle / "data" / "目录" / "卷内备考表.xlsx")
    assert [r[1] for r in notes] == [code for code, _ in expected]
    assert all(f"本卷共有文件 {n} 件" in r[5] for r, (_, n) in zip(notes, expected, strict=True))
    assert len(DocxDocument(str(bundle / "data" / "目录" / "卷内备考表.docx")).tables) == len(expected)


def test_volume_contents_list_each_document_once_in_its_volume(bundle: Path, manifest: dict,
                                                               catalog: dict[str, Document]) -> None:
    rows = table_rows(bundle / "data" / "目录" / "卷内目录.xlsx")
    assert [r[1] for r in rows] == [d["archive_code"] for d in manifest["documents"]]
    for row, entry in zip(rows, manifest["documents"], strict=True):
        assert row[0] == entry["item_no"]
        assert row[4] == (catalog[entry["sha256"]].title or Path(entry["original_name"]).stem)
    tables = DocxDocument(str(bundle / "data" / "目录" / "卷内目录.docx")).tables
    assert len(tables) == len(manifest["volumes"])
    assert [row.cells[1].text for t in tables for row in t.rows[1:]] == [r[1] for r in rows]


def test_export_is_recorded_per_document(bundle: Path, service: ArchiveService, catalog: dict) -> None:
    with service.catalog.session() as session:
        events = session.scalars(select(Event).where(Event.kind == "exported")).all()
        mine = [e for e in events if e.detail["bundle"] == str(bundle)]
    assert len(mine) == len(catalog)
    assert all(e.detail["archive_code"].startswith(CODE) for e in mine)


def test_reexport_gives_the_same_payload_manifest(bundle: Path, service: ArchiveService, home: Path) -> None:
    again = Path(service.handover(CODE, home.parent / "移交" / "再次").path)
    assert (again / "manifest-sha256.txt").read_bytes() == (bundle / "manifest-sha256.txt").read_bytes()
    assert (again / "manifest-sha512.txt").read_bytes() == (bundle / "manifest-sha512.txt").read_bytes()
    shutil.rmtree(again)


def test_tampered_copy_fails_naming_the_file(bundle: Path, service: ArchiveService, tmp_path: Path,
                                             manifest: dict) -> None:
    copy = Path(shutil.copytree(bundle, tmp_path / "副本"))
    victim = manifest["documents"][10]["path"]
    data = bytearray((copy / victim).read_bytes())
    data[0] ^= 0xFF
    (copy / victim).write_bytes(bytes(data))
    assert not bagit.Bag(str(copy)).is_valid()
    report = service.verify_bundle(copy)
    assert [p.file for p in report.problems] == [victim]


def test_unknown_project_and_empty_selection_are_input_errors(service: ArchiveService, tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFound):
        service.handover("NO-SUCH", tmp_path / "x")
    with pytest.raises(InputError, match="selects no document"):
        service.handover(CODE, tmp_path / "x", only=["Q9"])


def test_cli_contract(home: Path, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANDANG_HOME", str(home))
    runner = CliRunner()
    made = runner.invoke(app, ["handover", CODE, "--out", str(tmp_path / "竣工图"), "--only", "D", "--zip", "--eep",
                               "--json"])
    assert made.exit_code == 0, made.output
    data = json.loads(made.stdout)
    assert {"path", "documents", "bytes"} <= set(data)
    assert data["path"].endswith("竣工图.zip") and data["documents"] > 0
    with zipfile.ZipFile(data["path"]) as archive:
        eeps = [n for n in archive.namelist() if "/data/EEP/" in n and n.endswith(".xml")]
    assert len(eeps) == data["documents"]
    ok = runner.invoke(app, ["verify-bundle", data["path"], "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["valid"] is True

    copy = Path(shutil.copytree(bundle, tmp_path / "坏包"))
    (copy / "data" / "manifest.json").write_text("{}", encoding="utf-8")
    bad = runner.invoke(app, ["verify-bundle", str(copy), "--json"])
    assert bad.exit_code == 7
    result = json.loads(bad.stdout)
    assert result["valid"] is False
    assert "data/manifest.json" in {p["file"] for p in result["problems"]}
    missing = runner.invoke(app, ["verify-bundle", str(tmp_path / "没有"), "--json"])
    assert missing.exit_code == 2
