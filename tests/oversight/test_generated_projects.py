"""Generated projects, each with one check's anomaly seeded (or none), read back from a real archive:
exactly the expected flags and ledger values, evidence on every flag, and the agency-wide scan.
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.catalog import Document, DocumentText, Project
from core.oversight.tables import OversightDocument
from tests.oversight.conftest import PLAN, Seeded

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SEEDED = sorted(code for code in PLAN if code != "OV-corrected")


@pytest.fixture(scope="module")
def details(seeded: Seeded):  # type: ignore[no-untyped-def]
    with seeded.service() as service:
        return {code: service.oversight.detail(code, "测试审计员") for code in SEEDED}


@pytest.mark.parametrize("code", SEEDED)
def test_exactly_the_seeded_checks_fire(seeded: Seeded, details, code: str) -> None:  # type: ignore[no-untyped-def]
    flags = details[code].report.flags
    raised = {flag.check for flag in flags}
    assert raised == seeded.scenarios[code].expected, [(f.check, f.message) for f in flags]


@pytest.mark.parametrize("code", SEEDED)
def test_the_ledger_shows_the_scenario_values(seeded: Seeded, details, code: str) -> None:  # type: ignore[no-untyped-def]
    ledger = details[code].report.ledger.model_dump()
    for key, expected in seeded.scenarios[code].expected_ledger().items():
        assert ledger[key] == pytest.approx(expected, abs=0.01), key


def test_clean_projects_raise_no_high_flag_and_no_flag_at_all(details) -> None:  # type: ignore[no-untyped-def]
    for code in ("OV-clean", "OV-C05-adjusted", "OV-C10-across", "OV-C10-across-2", "OV-C11-within"):
        assert details[code].report.flags == [], code


# seeds that must raise one particular finding of their check: the value that only it carries,
# and what that value must be (read from the scenario, not from the checker)
def _publicity(scenario):  # type: ignore[no-untyped-def]
    return "days", scenario.publicity_days


def _adjacent(scenario):  # type: ignore[no-untyped-def]
    return "price", next(side.price for side in scenario.side if side.party == scenario.contractor)


def _late_payment(scenario):  # type: ignore[no-untyped-def]
    return "days", (scenario.payments[-1].date - scenario.dates["review"]).days


def _add_on(scenario):  # type: ignore[no-untyped-def]
    bought = next(side for side in scenario.side if side.supplements)
    return "added", sum(added for _, added in bought.supplements)


def _review_lag(scenario):  # type: ignore[no-untyped-def]
    return "days", (scenario.dates["review"] - scenario.dates["submitted"]).days


def _schedule(scenario):  # type: ignore[no-untyped-def]
    return "actual_days", (scenario.dates["acceptance"] - scenario.dates["start"]).days


SUB_FINDINGS = {"OV-C08-publicity": ("C08", _publicity), "OV-C10-adjacent": ("C10", _adjacent),
                "OV-C18-late": ("C18", _late_payment), "OV-C11": ("C11", _add_on), "OV-C17": ("C17", _review_lag),
                "OV-C25": ("C25", _schedule)}


@pytest.mark.parametrize("code", sorted(SUB_FINDINGS))
def test_the_seeded_finding_carries_the_scenario_value(seeded: Seeded, details, code: str) -> None:  # type: ignore[no-untyped-def]
    check_id, expected = SUB_FINDINGS[code]
    key, wanted = expected(seeded.scenarios[code])
    found = [flag.values[key] for flag in details[code].report.flags if flag.check == check_id and key in flag.values]
    assert found == [pytest.approx(wanted, abs=0.01)], [(f.check, f.message) for f in details[code].report.flags]


def test_new_checks_speak_chinese_and_name_the_documents_they_compared(details) -> None:  # type: ignore[no-untyped-def]
    for code, check_id, documents in (("OV-C03", "C03", 2), ("OV-C14", "C14", 1), ("OV-C21", "C21", 2),
                                      ("OV-C15", "C15", 2), ("OV-C11", "C11", 2)):
        flags = [flag for flag in details[code].report.flags if flag.check == check_id]
        assert flags, code
        for flag in flags:
            assert re.search(r"[\u4e00-\u9fff]{4}", flag.message) and len(flag.documents) >= documents, flag


def test_every_flag_names_its_evidence_and_the_values_compared(seeded: Seeded, details) -> None:  # type: ignore[no-untyped-def]
    with seeded.service() as service, service.catalog.session() as session:
        owner = dict(session.execute(select(Document.id, Project.code).join(Project)).all())
    flagged = [(code, flag) for code in SEEDED for flag in details[code].report.flags]
    assert len(flagged) >= 15
    for code, flag in flagged:
        assert flag.documents and all(owner[doc] == code for doc in flag.documents), flag
        assert flag.values and flag.basis and flag.message


def test_the_changes_list_is_the_change_layer(seeded: Seeded, details) -> None:  # type: ignore[no-untyped-def]
    for code in SEEDED:
        scenario = seeded.scenarios[code]
        listed = {(entry.number, entry.date, round(entry.amount, 2)) for entry in details[code].report.changes}
        assert listed == {(c.number, c.date, round(c.amount, 2)) for c in scenario.changes}, code


def test_generated_documents_write_values_in_every_form(seeded: Seeded) -> None:
    with seeded.service() as service, service.catalog.session() as session:
        texts = "\n".join(session.scalars(select(DocumentText.content)))
    for form in (r"[〇一二三四五六七八九]{4}年[一二三四五六七八九十]+月", r"\d{4}\.\d{2}\.\d{2}", r"\d{4}/\d{1,2}/\d{1,2}",
                 r"\d{4}-\d{2}-\d{2}", r"[\d,]+\.\d{2}万元", r"[壹贰叁肆伍陆柒捌玖拾佰仟万]+元", r"¥[\d,]+\.\d{2}"):
        assert re.search(form, texts), form


def test_facts_are_read_once_and_stored(seeded: Seeded) -> None:
    """Once every document's facts are stored, neither a refresh nor a view reads any again.

    The first refresh reads what no earlier test of the package happened to read (run alone, this
    file has viewed only some projects), so the test passes in any order.
    """
    with seeded.service() as service:
        service.oversight.refresh()
        service.oversight.detail("OV-clean", None)
        with service.catalog.session() as session:
            stamp = session.execute(select(func.max(OversightDocument.read_at))).scalar()
            stored = session.scalar(select(func.count()).select_from(OversightDocument))
            documents = session.scalar(select(func.count()).select_from(Document))
        assert service.oversight.refresh() == 0  # nothing new: nothing read again
        service.oversight.detail("OV-clean", None)
        with service.catalog.session() as session:
            assert session.execute(select(func.max(OversightDocument.read_at))).scalar() == stamp
    assert stored == documents


def test_agency_scan_finds_the_split_across_projects_and_sums_contractors(seeded: Seeded) -> None:
    with seeded.service() as service:
        result = service.oversight.agency("测试审计员")
    across = [flag for flag in result.flags if flag.project is None]
    assert [flag.check for flag in across] == ["C10"]
    assert set(across[0].values["projects"]) == {"OV-C10-across", "OV-C10-across-2"}
    assert set(across[0].document_projects.values()) == {"OV-C10-across", "OV-C10-across-2"}
    assert result.projects == len(PLAN)
    builder = next(row for row in result.contractors if row.contractor == seeded.scenarios["OV-C16"].contractor)
    scenario = seeded.scenarios["OV-C16"]
    assert builder.projects == ["OV-C16"]
    assert builder.settlement_growth == pytest.approx(scenario.approved / scenario.contract - 1, abs=1e-4)
    splitter = next(row for row in result.contractors if row.contractor == "北辰恒泰市政工程有限公司")
    assert splitter.projects == ["OV-C10-across", "OV-C10-across-2"] and splitter.contracts == 2


def test_the_performance_sheet_states_the_scenarios_indicators(seeded: Seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    book = tmp_path / "审计底稿.xlsx"
    with seeded.service() as service:
        service.oversight.workpaper("OV-C25", book, "测试审计员")
    sheet = load_workbook(book)["绩效指标"]
    shown = {name: value for name, value, _ in sheet.iter_rows(min_row=2, values_only=True)}
    scenario = seeded.scenarios["OV-C25"]
    expected = scenario.expected_ledger()
    actual = (scenario.dates["acceptance"] - scenario.dates["start"]).days
    assert shown["工期偏差"] == pytest.approx(actual / (scenario.contract_duration or scenario.duration) - 1, abs=1e-4)
    assert shown["概算执行率"] == pytest.approx(scenario.final / expected["approved_budget"], abs=1e-4)
    assert shown["审减率"] == pytest.approx((scenario.submitted - scenario.approved) / scenario.submitted, abs=1e-4)
    assert shown["合同变更率"] == pytest.approx(scenario.changes_total / expected["contract_price"], abs=1e-4)
