"""The sample-project generator: realistic, complete, honest about what it left out, repeatable."""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from samples import (
    ALL_SUBCLASSES,
    MANIFEST_NAME,
    SampleProject,
    generate_corpus,
    generate_sample_project,
    sample_items,
)
from samples.text import rmb_upper

PROJECT_NAME = "市机关办公楼节能改造工程"
CJK = re.compile(r"[\u4e00-\u9fff]")


def read_text(path: Path) -> str:
    """The text a person would see, read back with the same libraries the archive uses."""
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    if path.suffix == ".docx":
        document = DocxDocument(str(path))
        lines = [p.text for p in document.paragraphs]
        lines += [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
        return "\n".join(lines)
    book = load_workbook(path, read_only=True)
    try:
        return "\n".join(
            " | ".join(str(v) for v in row if v is not None) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        )
    finally:
        book.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> SampleProject:
    return generate_sample_project(tmp_path_factory.mktemp("样例") / "JD-2024-001")


@pytest.fixture(scope="module")
def texts(project: SampleProject) -> dict[str, str]:
    return {f.relative_path: read_text(project.root / f.relative_path) for f in project.files}


def of_item(project: SampleProject, item: str) -> list:  # type: ignore[type-arg]
    return [f for f in project.files if f.item_code == item]


# ---- shape of the project -----------------------------------------------------------------------


def test_project_has_at_least_sixty_files_covering_every_subclass(project: SampleProject) -> None:
    assert len(project.files) >= 60
    assert {f.class_code for f in project.files} == set(ALL_SUBCLASSES)
    assert len(ALL_SUBCLASSES) == 26  # A1–A7, B1–B6, C1–C8, D, E1–E4
    assert all((project.root / f.relative_path).is_file() for f in project.files)
    assert len({f.relative_path for f in project.files}) == len(project.files)


def test_labels_are_consistent(project: SampleProject) -> None:
    for f in project.files:
        assert f.item_code.split("-")[0] == f.class_code
        assert f.relative_path.endswith("." + f.format)
        assert f.format in ("pdf", "docx", "xlsx")
    assert project.item_codes == sample_items()
    assert Counter(f.format for f in project.files).keys() == {"pdf", "docx", "xlsx"}


def test_folders_layout_files_under_chinese_class_folders(project: SampleProject) -> None:
    for f in project.files:
        parts = f.relative_path.split("/")
        assert parts[0].startswith(f.class_code[0] + " ")
        if f.class_code != "D":
            assert parts[1].startswith(f.class_code + " ")
    change = next(f for f in project.files if f.relative_path.endswith("设计变更通知单-结施-变-03.pdf"))
    assert change.relative_path == "C 施工文件/C2 施工技术文件/设计变更通知单-结施-变-03.pdf"


# ---- files open and say what they are -----------------------------------------------------------


def test_every_file_opens_and_contains_its_title_in_chinese(project: SampleProject, texts: dict[str, str]) -> None:
    for f in project.files:
        text = texts[f.relative_path]
        assert f.title in text, f.relative_path
        assert "\x00" not in text and "\ufffd" not in text, f.relative_path
        assert len(CJK.findall(text)) > 30, f.relative_path


def test_design_changes_are_a_numbered_series_with_added_cost(project: SampleProject, texts: dict[str, str]) -> None:
    changes = of_item(project, "C2-6")
    numbers = sorted(re.search(r"结施-变-\d\d", texts[f.relative_path]).group(0) for f in changes)  # type: ignore[union-attr]
    assert numbers == ["结施-变-01", "结施-变-02", "结施-变-03"]
    for f in changes:
        assert f.format == "pdf"
        assert "增加造价" in texts[f.relative_path]
        assert re.search(r"设变-2024-\d{3}", texts[f.relative_path])


def test_busy_subclasses_hold_the_expected_documents(project: SampleProject) -> None:
    types = Counter((f.item_code, f.doc_type) for f in project.files)
    assert types[("C2-7", "工程洽商记录")] == 2
    assert types[("C5-1", "隐蔽工程验收记录")] == 3
    for item in ("C2-2", "C2-4", "C2-5", "C7-1", "C7-2", "C7-3", "C8-2", "E1-3", "E1-5", "E1-12", "B1-1", "B1-2", "B1-3", "B1-8",
                 "A4-4", "A5-2", "A6-3"):
        assert of_item(project, item), item
    assert {f.format for f in of_item(project, "A6-3")} == {"xlsx"}
    assert {f.format for f in of_item(project, "C7-1")} == {"xlsx"}


def test_contract_permit_and_acceptance_papers_carry_their_facts(project: SampleProject, texts: dict[str, str]) -> None:
    contract = texts[of_item(project, "A4-4")[0].relative_path]
    assert "12,864,500.00" in contract and "壹仟贰佰捌拾陆万肆仟伍佰元整" in contract
    assert "市机关事务管理局" in contract
    award = [texts[f.relative_path] for f in of_item(project, "A4-3")]
    assert any("中标通知书" in text for text in award)
    assert "施工许可证" in texts[of_item(project, "A5-2")[0].relative_path]
    completion = texts[of_item(project, "E1-3")[0].relative_path]
    acceptance = texts[of_item(project, "E1-5")[0].relative_path]
    assert "竣工报告" in completion and "竣工验收报告" not in completion
    assert "竣工验收报告" in acceptance and "验收组" in acceptance
    assert "备案" in texts[of_item(project, "E1-12")[0].relative_path]


def test_as_built_drawings_carry_the_stamp_and_a_drawing_number(project: SampleProject, texts: dict[str, str]) -> None:
    drawings = [f for f in project.files if f.class_code == "D"]
    assert len(drawings) >= 12
    numbers = set()
    for f in drawings:
        text = texts[f.relative_path]
        assert "竣工图" in text and "总监理工程师" in text and "编制人" in text
        numbers.update(re.findall(r"[建结钢幕装水电智暖总]施-\d\d", text))
    assert "建施-01" in numbers and "结施-03" in numbers


def test_inspection_lot_is_a_spreadsheet_form(project: SampleProject) -> None:
    lot = of_item(project, "C7-1")[0]
    book = load_workbook(project.root / lot.relative_path)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "主控项目" in cells and "一般项目" in cells
    assert any(isinstance(c, str) and c.startswith("编号：") for c in cells)


def test_acceptance_forms_in_word_are_tables(project: SampleProject) -> None:
    record = of_item(project, "C8-2")[0]
    document = DocxDocument(str(project.root / record.relative_path))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"分部工程验收", "质量控制资料核查", "观感质量验收"} <= cells


def test_manifest_lists_every_file_with_its_labels(project: SampleProject) -> None:
    manifest = json.loads((project.root / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["project"] == {"code": "JD-2024-001", "name": PROJECT_NAME}
    assert manifest["omitted_items"] == []
    listed = {(e["relative_path"], e["class_code"], e["item_code"], e["doc_type"], e["format"], e["title"]) for e in manifest["files"]}
    assert listed == {(f.relative_path, f.class_code, f.item_code, f.doc_type, f.format, f.title) for f in project.files}


# ---- omission, determinism, layouts ---------------------------------------------------------------


def test_omit_items_leaves_out_exactly_those_items_and_nothing_else(project: SampleProject, tmp_path: Path) -> None:
    omitted = {"C2-6", "E1-12", "A5-2"}
    thin = generate_sample_project(tmp_path / "缺项", omit_items=omitted)
    assert thin.omitted_items == frozenset(omitted)
    assert project.item_codes - thin.item_codes == omitted
    assert not omitted & {f.item_code for f in thin.files}
    full = {f.relative_path: f for f in project.files if f.item_code not in omitted}
    assert {f.relative_path: f for f in thin.files} == full
    for relative in list(full)[::25]:  # the remaining files are untouched by the omission
        assert (thin.root / relative).read_bytes() == (project.root / relative).read_bytes()
    manifest = json.loads((thin.root / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["omitted_items"] == sorted(omitted)


def test_unknown_items_cannot_be_omitted(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Z9-1"):
        generate_sample_project(tmp_path, omit_items=["Z9-1"])


def test_same_seed_gives_the_same_files_byte_for_byte(project: SampleProject, tmp_path: Path) -> None:
    again = generate_sample_project(tmp_path / "再来")
    assert again.files == project.files
    for f in project.files:
        assert (again.root / f.relative_path).read_bytes() == (project.root / f.relative_path).read_bytes(), f.relative_path


def test_another_seed_gives_other_text(project: SampleProject, texts: dict[str, str], tmp_path: Path) -> None:
    other = generate_sample_project(tmp_path / "另一种子", seed=8)
    assert {f.item_code for f in other.files} == project.item_codes
    changed = sum(read_text(other.root / f.relative_path) != texts.get(f.relative_path) for f in other.files[:40])
    assert changed > 30


def test_regenerating_with_an_omission_removes_only_the_generators_own_files(tmp_path: Path) -> None:
    root = tmp_path / "项目"
    first = generate_sample_project(root)
    foreign = root / "C 施工文件" / "档案员自己的笔记.txt"
    foreign.write_text("不要删除", encoding="utf-8")
    second = generate_sample_project(root, omit_items=["C5-1"])
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert on_disk == {f.relative_path for f in second.files} | {MANIFEST_NAME, foreign.relative_to(root).as_posix()}
    assert len(first.files) - len(second.files) == 3


def test_flat_layout_hides_class_hints_in_names(project: SampleProject, tmp_path: Path) -> None:
    flat = generate_sample_project(tmp_path / "平铺", layout="flat", write_manifest=False)
    assert len(flat.files) == len(project.files)
    assert not (flat.root / MANIFEST_NAME).exists()
    names = [f.relative_path for f in flat.files]
    assert all(re.fullmatch(r"文件\d{3}\.(pdf|docx|xlsx)", name) for name in names)
    assert {p.name for p in flat.root.iterdir()} == set(names)
    # numbering does not follow the classes: neighbours in name order are rarely in one sub-class
    by_name = sorted(flat.files, key=lambda f: f.relative_path)
    same = sum(a.class_code == b.class_code for a, b in pairwise(by_name))
    assert same < len(by_name) / 3
    assert Counter(f.item_code for f in flat.files) == Counter(f.item_code for f in project.files)


def test_unknown_layout_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="layout"):
        generate_sample_project(tmp_path, layout="按年度")


# ---- corpus for benchmarks ------------------------------------------------------------------------


def test_generate_corpus_writes_many_varied_documents(tmp_path: Path) -> None:
    files = generate_corpus(tmp_path / "语料", 50)
    assert len(files) == 50
    assert {f.class_code for f in files} == set(ALL_SUBCLASSES)
    projects = {f.relative_path.split("/")[0] for f in files}
    assert len(projects) >= 2
    assert {f.format for f in files} == {"pdf", "docx", "xlsx"}
    sizes = []
    for f in files[::3]:
        text = read_text(tmp_path / "语料" / f.relative_path)
        assert f.title in text
        if f.class_code != "D":  # drawings carry little text, as real sheets do
            sizes.append(len(text.encode("utf-8")))
    assert min(sizes) >= 900 and sum(sizes) / len(sizes) < 5000
    assert len(json.loads((tmp_path / "语料" / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]) == 50


def test_generate_corpus_keeps_to_the_requested_formats_and_is_repeatable(tmp_path: Path) -> None:
    first = generate_corpus(tmp_path / "一", 30, formats=("pdf",), seed=3)
    second = generate_corpus(tmp_path / "二", 30, formats=("pdf",), seed=3)
    assert {f.format for f in first} == {"pdf"}
    assert first == second
    assert (tmp_path / "一" / first[7].relative_path).read_bytes() == (tmp_path / "二" / first[7].relative_path).read_bytes()


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (12_864_500.00, "壹仟贰佰捌拾陆万肆仟伍佰元整"),
        (40_800.26, "肆万零捌佰元贰角陆分"),
        (100_010.00, "壹拾万零壹拾元整"),
        (1_000_000.05, "壹佰万元零伍分"),
        (268_000.00, "贰拾陆万捌仟元整"),
    ],
)
def test_amounts_in_capital_numerals(amount: float, words: str) -> None:
    assert rmb_upper(amount) == words
