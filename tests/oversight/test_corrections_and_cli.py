"""Auditors' corrections (override, never erase, audited), locality rules, the CLI's --json contract
and the 审计底稿 workbook, on the generated archive.
"""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app
from core.errors import InputError
from oversight.workpaper import SHEETS
from tests.oversight.conftest import Seeded

pytestmark = [pytest.mark.integration, pytest.mark.slow]
LEDGER_KEYS = {"estimate", "approved_budget", "control_price", "bid_price", "contract_price", "changes_total",
               "settlement_submitted", "settlement_approved", "final_accounts", "paid_total"}


def _contract(detail):  # type: ignore[no-untyped-def]
    return next(doc for doc in detail.facts.documents if doc.kind == "contract" and doc.contract_type == "施工")


def test_a_correction_overrides_keeps_the_extracted_value_and_is_audited(seeded: Seeded) -> None:
    code = "OV-corrected"
    with seeded.service() as service:
        room = service.oversight
        before = room.detail(code, None)
        contract = _contract(before)
        read = contract.first("contract_price").value
        room.correct(code, contract.document_id, "contract_price", f"{read + 50000:.2f}", "大写金额为准：合同第2页", "审计张")
        room.correct(code, None, "approved_budget", "99999999", "概算批复见纸质档案第2卷", "审计张")
        after = room.detail(code, None)
        fact = _contract(after).first("contract_price")
        assert fact.value == read and fact.corrected.value == read + 50000 and fact.corrected.replaces == read
        assert after.report.ledger.contract_price == read + 50000
        assert after.report.ledger.approved_budget == 99999999
        line = next(line for line in after.lines if line.key == "approved_budget")
        assert line.extracted == before.report.ledger.approved_budget and line.correction.who == "审计张"
        # the corrected contract no longer matches its award (C06), nor the permit and the settlement report (C00)
        assert {flag.check for flag in after.report.flags} == {"C00", "C06"}
        trail = service.audit.page(action="oversight.correct").items
        assert len(trail) == 2 and trail[0].detail["reason"]
        with pytest.raises(InputError):
            room.correct(code, None, "contract_price", "not a number", "试", "审计张")
        with pytest.raises(InputError):
            room.correct(code, None, "no_such_line", "1", "理由充分", "审计张")
        with service.catalog.engine.begin() as connection, pytest.raises(Exception, match="append-only"):
            connection.execute(text("DELETE FROM oversight_corrections"))


def test_a_locality_moves_a_threshold(seeded: Seeded, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "oversight.yaml"
    rules.write_text("locality: {name: 某市, basis: 某市政府投资项目管理办法}\n"
                     "checks:\n  C12: {params: {ratio: 0.15}}\n  C13: {enabled: false}\n", encoding="utf-8")
    monkeypatch.setenv("JIANDANG_OVERSIGHT_RULES", str(rules))
    with seeded.service() as service:
        assert service.oversight.report("OV-C12", None).flags == []
        assert service.oversight.report("OV-C13", None).flags == []
        assert {f.check for f in service.oversight.report("OV-C16", None).flags} == {"C16"}
    rules.write_text("checks:\n  C12: {params: {ratio: high}}\n", encoding="utf-8")
    with seeded.service() as service, pytest.raises(Exception, match="C12"):
        service.oversight.report("OV-C12", None)


def test_cli_json_is_exactly_the_contract_and_writes_the_workpaper(seeded: Seeded, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JIANDANG_HOME", str(seeded.home))
    book = tmp_path / "审计底稿.xlsx"
    result = CliRunner().invoke(app, ["oversight", "OV-C05", "--json", "--xlsx", str(book), "--user", "审计李"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"project", "ledger", "changes", "flags"} and data["project"] == "OV-C05"
    assert set(data["ledger"]) == LEDGER_KEYS
    assert all(isinstance(v, float) or v is None for v in data["ledger"].values())
    assert data["changes"] and all(set(c) == {"document_id", "kind", "number", "date", "amount"} for c in data["changes"])
    assert data["flags"] and {f["check"] for f in data["flags"]} == {"C05"}
    for flag in data["flags"]:
        assert set(flag) == {"check", "severity", "message", "values", "documents", "basis"}
        assert flag["severity"] in ("high", "medium", "low")
    workbook = load_workbook(book)
    assert workbook.sheetnames[:3] == ["资金链台账", "变更签证", "疑点清单"] and workbook.sheetnames == list(SHEETS)
    ledger_rows = list(workbook["资金链台账"].iter_rows(min_row=2, values_only=True))
    assert ledger_rows[4][0] == "合同价（原始）" and ledger_rows[4][1] == pytest.approx(data["ledger"]["contract_price"])
    flag_rows = list(workbook["疑点清单"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in flag_rows} == {"C05"} and len(flag_rows) == len(data["flags"])
    assert len(list(workbook["变更签证"].iter_rows(min_row=2))) == len(data["changes"])
    human = CliRunner().invoke(app, ["oversight", "OV-C05", "--user", "审计李"])
    assert human.exit_code == 0 and "资金链台账" in human.stdout and "C05" in human.stdout
    agency = CliRunner().invoke(app, ["oversight-agency", "--json", "--user", "审计李"])
    assert agency.exit_code == 0 and json.loads(agency.stdout)["projects"] >= 20
    missing = CliRunner().invoke(app, ["oversight", "没有这个项目", "--json"])
    assert missing.exit_code != 0 and "没有项目" in missing.output
