"""The command-line contract of DESIGN.md: --json shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.files import write_docx, write_pdf

pytestmark = pytest.mark.integration


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("JIANDANG_HOME", str(tmp_path / "档案室"))
    return CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "收文"
    root.mkdir()
    write_pdf(root / "设计变更通知单.pdf", ["设计变更通知单", "编号：结施-变-01", "变更内容：屋面防水卷材加厚"])
    write_docx(root / "监理规划.docx", "监理规划", ["工程名称：市机关办公楼节能改造工程", "监理工作目标与范围"])
    (root / "汇报.ppt").write_bytes(b"\xd0\xcf\x11\xe0 slides")  # a type jiandang does not read
    return root


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_json_shape(runner: CliRunner, folder: Path) -> None:
    data = _json(runner.invoke(app, ["ingest", str(folder), "--project", "JD-01", "--json"]))
    assert set(data) == {"files", "counts"}
    assert data["counts"] == {"ingested": 2, "duplicate": 0, "quarantined": 1}
    for line in data["files"]:
        assert set(line) == {"path", "status", "document_id", "reason"}
    again = _json(runner.invoke(app, ["ingest", str(folder), "--json"]))
    assert again["counts"]["duplicate"] == 3


def test_search_show_status_json(runner: CliRunner, folder: Path) -> None:
    _json(runner.invoke(app, ["ingest", str(folder), "--project", "JD-01", "--json"]))
    found = _json(runner.invoke(app, ["search", "防水", "--json"]))
    assert found["total"] == 1
    hit = found["hits"][0]
    assert set(hit) == {"id", "title", "original_name", "project", "class_code", "score", "highlights"}
    assert hit["project"] == "JD-01" and "<mark>防水</mark>" in "".join(hit["highlights"])
    shown = _json(runner.invoke(app, ["show", hit["id"], "--json"]))
    assert shown["id"] == hit["id"] and shown["events"]
    status = _json(runner.invoke(app, ["status", "--json"]))
    assert status == {"queued": 0, "processing": 0, "done": 2, "quarantined": 1, "documents": 3}
    assert _json(runner.invoke(app, ["reindex", "--json"])) == {"documents": 2, "indexed": 2}


def test_classify_is_a_dry_run(runner: CliRunner, folder: Path) -> None:
    data = _json(runner.invoke(app, ["classify", str(folder / "设计变更通知单.pdf"), "--json"]))
    line = data["files"][0]
    assert line["class_code"] == "C2"
    assert line["reasons"]
    assert line["candidates"][0]["class_code"] == "C2" and len(line["candidates"]) == 3
    assert all(candidate["reasons"] for candidate in line["candidates"])
    assert _json(runner.invoke(app, ["status", "--json"]))["documents"] == 0
    shown = runner.invoke(app, ["classify", str(folder / "设计变更通知单.pdf")])
    assert shown.exit_code == 0 and "候选：" in shown.stdout and "2. " in shown.stdout and "3. " in shown.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ingest", "/不存在/的/路径"], 2, "no such file"),
        (["show", "ffffffffffffffff"], 3, "no document"),
        (["search", '"未闭合的引号'], 2, "query"),
    ],
)
def test_errors_map_to_exit_codes_without_traceback(runner: CliRunner, args, code: int, message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output
