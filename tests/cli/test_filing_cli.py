"""``jiandang completeness | waive | reclassify | profile`` on a small real archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from tests.files import write_docx, write_pdf

pytestmark = pytest.mark.integration


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("JIANDANG_HOME", str(tmp_path / "档案室"))
    return CliRunner()


@pytest.fixture
def ingested(runner: CliRunner, tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "收文"
    root.mkdir()
    write_pdf(root / "设计变更通知单.pdf", ["设计变更通知单", "变更编号 结施-变-01", "涉及图号 结施-03", "变更内容：底板加厚"])
    write_docx(root / "监理规划.docx", "监理规划", ["工程名称：市机关办公楼节能改造工程", "监理工作范围", "监理组织形式"])
    data = _json(runner.invoke(app, ["ingest", str(root), "--project", "JD-01", "--json"]))
    return {Path(line["path"]).stem: line["document_id"] for line in data["files"]}


def _json(result) -> dict:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_completeness_json_and_xlsx(runner: CliRunner, ingested: dict[str, str], tmp_path: Path) -> None:
    _json(runner.invoke(app, ["profile", "JD-01", "--type", "办公", "--no-features", "--json"]))
    xlsx = tmp_path / "完整性报告.xlsx"
    data = _json(runner.invoke(app, ["completeness", "JD-01", "--json", "--xlsx", str(xlsx)]))
    assert {"project", "items", "missing"} <= set(data)
    by_code = {item["code"]: item for item in data["items"]}
    assert by_code["B1-1"]["status"] == "present" and by_code["B1-1"]["documents"][0]["id"] == ingested["监理规划"]
    assert by_code["A1-1"]["status"] == "missing" and "A1-1" in data["missing"]
    assert by_code["C6-7"]["status"] == "not_applicable"
    assert {c["property"] for c in data["sixing"]} == {"真实性", "完整性", "可用性", "安全性"}
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["概要", "归档条目", "文件检查", "四性检测"]
    rows = [row for row in book["归档条目"].iter_rows(values_only=True) if row[0] == "A1-1"]
    assert rows and rows[0][2] == "缺"
    table = runner.invoke(app, ["completeness", "JD-01"])
    assert table.exit_code == 0 and "A1-1" in table.stdout and "缺" in table.stdout


def test_waive_and_reclassify(runner: CliRunner, ingested: dict[str, str]) -> None:
    waiver = _json(runner.invoke(app, ["waive", "JD-01", "A1-1", "--reason", "项目建议书与可研合并审批", "--by", "赵档案", "--json"]))
    assert waiver["who"] == "赵档案"
    data = _json(runner.invoke(app, ["completeness", "JD-01", "--json"]))
    assert "A1-1" not in data["missing"]
    doc = ingested["设计变更通知单"]
    verdict = _json(runner.invoke(app, ["reclassify", doc, "C2", "--item", "C2-7", "--by", "赵档案", "--json"]))
    assert verdict["item_code"] == "C2-7" and verdict["needs_review"] is False
    shown = _json(runner.invoke(app, ["show", doc, "--json"]))
    assert any(e["kind"] == "reclassified" and e["detail"]["who"] == "赵档案" for e in shown["events"])


def test_errors_map_to_exit_codes(runner: CliRunner, ingested: dict[str, str]) -> None:
    assert runner.invoke(app, ["completeness", "NO-SUCH", "--json"]).exit_code == 3
    assert runner.invoke(app, ["reclassify", ingested["监理规划"], "Q9"]).exit_code == 2
    assert runner.invoke(app, ["waive", "JD-01", "A1-1", "--reason", " "]).exit_code == 2
