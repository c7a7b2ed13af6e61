"""The search commands end to end: one JSON document on stdout, audit under --user, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("JIANDANG_HOME", str(tmp_path / "档案室"))
    monkeypatch.setenv("JIANDANG_USER", "审计员李四")
    folder = tmp_path / "来件"
    folder.mkdir()
    (folder / "防水方案.txt").write_text("外墙防水施工方案\n施工单位：中建三局\n编制日期：2024年3月15日\n止水带", "utf-8")
    (folder / "合同.txt").write_text("施工合同\n施工单位：江西建工\n签订日期：2023年11月8日\n合同价款：500万元", "utf-8")
    cli = CliRunner()
    assert cli.invoke(app, ["ingest", str(folder), "--project", "P1", "--json"]).exit_code == 0
    return cli


def run_json(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_with_filters_facets_and_export(runner: CliRunner, tmp_path: Path) -> None:
    out = run_json(runner, "search", "施工 contractor:中建三局", "--export", str(tmp_path / "底稿.csv"))
    assert out["total"] == 1 and out["hits"][0]["original_name"] == "防水方案.txt"
    assert out["facets"]["year"] == {"2024": 1}
    assert out["export"]["rows"] == 1 and (tmp_path / "底稿.csv").exists()


def test_a_malformed_query_exits_2_and_says_where(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "防水 date:2024-02-30"])
    assert result.exit_code == 2
    assert "not a real date" in result.stderr
    assert "character 9" in " ".join(result.stderr.split())


def test_saved_searches_check_index_and_original(runner: CliRunner, tmp_path: Path) -> None:
    run_json(runner, "saved", "add", "合同", "合同 year:2023")
    assert [s["name"] for s in run_json(runner, "saved", "list")["searches"]] == ["合同"]
    found = run_json(runner, "saved", "run", "合同")
    assert found["total"] == 1
    assert run_json(runner, "check-index")["in_sync"] is True
    doc = found["hits"][0]["id"]
    copied = run_json(runner, "original", doc, "--out", str(tmp_path))
    assert Path(copied["path"]).read_text("utf-8").startswith("施工合同")
    more = run_json(runner, "more-like", doc)
    assert doc not in [hit["id"] for hit in more["hits"]]
    assert runner.invoke(app, ["saved", "run", "没有"]).exit_code == 3
