"""The done-when of issue 18 on a generated project with 身份证号, mobile and bank numbers planted in
its documents: none leaves in any output file, each is listed as a redaction, all eight categories
are present (the empty ones say so), and the tendering documents' 中标人 and 中标价 appear.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from disclosure.render.guard import html_text, json_text, xlsx_text
from samples.oversight import scenario_for
from tests.disclosure.conftest import ARCHIVIST, CODE, PlantedArchive
from tests.disclosure.test_rules_data import EIGHT

pytestmark = [pytest.mark.integration]
NUMBERS = ("id_number", "mobile", "bank_account", "address")


def _texts(folder: Path) -> dict[str, str]:
    return {"index.html": html_text((folder / "index.html").read_bytes()),
            "disclosure.xlsx": xlsx_text((folder / "disclosure.xlsx").read_bytes()),
            "disclosure.json": json_text((folder / "disclosure.json").read_bytes())}


def _assert_nothing_planted_in(folder: Path, planted_archive: PlantedArchive) -> None:
    texts = _texts(folder)
    raw = {name: (folder / name).read_bytes().decode("utf-8") for name in ("index.html", "disclosure.json")}
    for planted in planted_archive.planted:
        digits = re.sub(r"[\s-]", "", planted.value)
        for name, text in texts.items():
            assert planted.value not in text, (planted.kind, name)
            assert digits not in re.sub(r"[\s-]", "", text), (planted.kind, name)
        for name, text in raw.items():
            assert planted.value not in text, (planted.kind, name, "raw bytes")


@pytest.fixture(scope="module")
def cli(planted_archive: PlantedArchive) -> CliRunner:
    return CliRunner(env={"JIANDANG_HOME": str(planted_archive.home), "JIANDANG_USER": ARCHIVIST})


def test_disclose_json_contract_and_no_planted_value_in_any_file(cli: CliRunner, planted_archive: PlantedArchive,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "公示"
    result = cli.invoke(app, ["disclose", CODE, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) == {"path", "categories", "redactions"}
    assert summary["path"] == str(out)
    assert [c["name"] for c in summary["categories"]][:8] == EIGHT
    assert all(set(c) == {"name", "items"} and isinstance(c["items"], int) for c in summary["categories"])
    assert summary["redactions"] >= len([p for p in planted_archive.planted if p.kind in NUMBERS])
    assert sorted(p.name for p in out.iterdir()) == ["disclosure.json", "disclosure.xlsx", "index.html", "manifest.json"]
    _assert_nothing_planted_in(out, planted_archive)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "草稿" in page  # nothing is published yet: the preview says so on the page


def test_every_planted_number_is_listed_as_a_redaction_and_names_are_hidden(planted_archive: PlantedArchive) -> None:
    with planted_archive.service() as service:
        content = service.disclosure.preview(CODE)
    hidden = {r.original for r in content.redactions}
    for planted in planted_archive.planted:
        if planted.kind in NUMBERS:
            assert planted.value in hidden, planted
    resident = next(p for p in planted_archive.planted if p.file.startswith("设计变更") and p.kind == "person_name")
    change = next(i for c in content.categories if c.id == "design_change" for i in c.items
                  if any(f.value and "住户" in f.value for f in i.fields))
    reason = next(f.value for f in change.fields if f.label == "变更原因")
    assert resident.value not in reason and "［已隐去：个人姓名］" in reason and "［已隐去：手机号码］" in reason
    assert {r.kind for r in content.redactions if r.where == "content"} >= {"person_name", "mobile"}


def test_eight_categories_empty_ones_say_so_and_the_award_shows_winner_and_price(planted_archive: PlantedArchive,
                                                                                tmp_path: Path) -> None:
    with planted_archive.service() as service:
        _path, content, _meta = service.disclosure.export(CODE, tmp_path, ARCHIVIST, draft=True)
    names = [c.name for c in content.categories]
    assert names[:8] == EIGHT
    empty = [c for c in content.categories if not c.published_items]
    assert {c.name for c in empty} >= {"批准服务信息", "征收土地信息"}
    page = html_text((tmp_path / "index.html").read_bytes())
    for category in empty:
        assert f"本类暂无公开信息：{category.empty_note}" in page
    sheet = load_workbook(tmp_path / "disclosure.xlsx").active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["序号", "一级事项", "二级事项", "公开内容（要素）"]
    second = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(EIGHT) <= set(second)
    scenario = scenario_for(CODE, "clean", 18, set())
    texts = _texts(tmp_path)
    for text in texts.values():
        assert scenario.contractor in text and f"{scenario.bid:,.2f}元" in text  # 中标人, 中标价 of the works award
        assert "华信工程监理咨询有限公司" in text  # the planted 监理 award's winner
    award = next(i for c in content.categories for i in c.items if i.name == "中标结果（施工）")
    assert {f.label: f.value for f in award.fields}["中标人"] == scenario.contractor
    data = json.loads((tmp_path / "disclosure.json").read_text(encoding="utf-8"))
    processes = data["oc4ids"]["contractingProcesses"]
    assert any(p["summary"].get("suppliers") == [{"name": scenario.contractor}] for p in processes)
    assert "<img" not in (tmp_path / "index.html").read_text(encoding="utf-8")  # no document image ever


def test_missing_information_is_shown_as_missing_not_invented(planted_archive: PlantedArchive, tmp_path: Path) -> None:
    with planted_archive.service() as service:
        _path, content, _meta = service.disclosure.export(CODE, tmp_path, ARCHIVIST, draft=True)
    missing = [(i.name, f.label) for c in content.categories for i in c.published_items for f in i.fields if f.value is None]
    assert missing  # the generated papers do not state everything (e.g. 投标截止时间 labelled otherwise)
    page = html_text((tmp_path / "index.html").read_bytes())
    assert page.count("档案中未载明") >= len(missing)
