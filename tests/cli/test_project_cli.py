"""``jiandang project add|list|rename|merge`` and ``jiandang move`` on a real archive, and ``serve``'s banner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from cli.workbench_start import Start, banner
from schemas.demo import DemoLogin
from tests.files import write_pdf

pytestmark = pytest.mark.integration


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("JIANDANG_HOME", str(tmp_path / "档案室"))
    return CliRunner()


def _json(result) -> dict:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_projects_are_added_listed_renamed_and_merged(runner: CliRunner, tmp_path: Path) -> None:
    added = _json(runner.invoke(app, ["project", "add", "JD-2025-003", "--name", "市档案馆新馆",
                                      "--owner", "市档案局", "--figure", "建筑面积=12000㎡", "--json"]))
    assert added["code"] == "JD-2025-003" and added["figures"] == {"建筑面积": "12000㎡"}
    again = runner.invoke(app, ["project", "add", "JD-2025-003", "--name", "重复"])
    assert again.exit_code == 2 and "already exists" in again.output
    listed = _json(runner.invoke(app, ["project", "list", "--json"]))["projects"]
    assert {(p["code"], p["kind"]) for p in listed} >= {("JD-2025-003", "project"), ("INBOX", "tray")}
    renamed = _json(runner.invoke(app, ["project", "rename", "JD-2025-003", "--code", "JD-2025-004", "--json"]))
    assert renamed["changed"]["code"] == ["JD-2025-003", "JD-2025-004"]
    _json(runner.invoke(app, ["project", "add", "JD-2025-005", "--name", "临时", "--json"]))
    merged = _json(runner.invoke(app, ["project", "merge", "JD-2025-005", "--into", "JD-2025-004", "--json"]))
    assert merged == {"source": "JD-2025-005", "target": "JD-2025-004", "moved": 0, "source_kept": False}
    missing = runner.invoke(app, ["project", "merge", "JD-2025-04", "--into", "JD-2025-004"])
    assert missing.exit_code == 3 and "JD-2025-004" in missing.output, "the nearest code is suggested"


def test_move_takes_documents_out_of_the_inbox(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "收文"
    folder.mkdir()
    write_pdf(folder / "开工报告.pdf", ["工程开工报告", "开工日期：2024年3月1日"])
    ingested = _json(runner.invoke(app, ["ingest", str(folder), "--json"]))
    doc = ingested["files"][0]["document_id"]
    _json(runner.invoke(app, ["project", "add", "JD-2025-006", "--name", "市图书馆", "--json"]))
    moved = _json(runner.invoke(app, ["move", doc[:10], "--to", "JD-2025-006", "--reason", "归入项目", "--json"]))
    assert moved == {"to": "JD-2025-006", "moved": [doc], "unchanged": []}
    shown = _json(runner.invoke(app, ["show", doc, "--json"]))
    assert shown["project"] == "JD-2025-006" and shown["events"][-1]["kind"] in ("moved", "indexed")
    unknown = runner.invoke(app, ["move", doc, "--to", "JD-2025-07"])
    assert unknown.exit_code == 3
    created = runner.invoke(app, ["ingest", str(folder), "--project", "新项目-01"])
    assert created.exit_code == 0 and "created project 新项目-01" in created.output


def test_the_banner_says_where_to_go_and_how_to_sign_in(tmp_path: Path) -> None:
    first = banner(Start(home=tmp_path, inbox=tmp_path / "inbox", login=DemoLogin(username="admin", password="s3cret"),
                         sample_files=284), "0.0.0.0", 8123, 1)
    assert "http://127.0.0.1:8123/" in first and str(tmp_path / "inbox") in first and "admin / s3cret" in first
    later = banner(Start(home=tmp_path, inbox=tmp_path / "inbox", login=None, sample_files=None), "127.0.0.1", 8000, 1)
    assert "s3cret" not in later and "user passwd admin" in later and f"JIANDANG_HOME={tmp_path}" in later
