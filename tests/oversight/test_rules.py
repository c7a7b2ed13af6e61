"""The oversight data files are validated on load, and the reader and the conflict finder behave as
the rules say, on small texts.
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from oversight.checks import load_checks
from oversight.datafiles import DataFileError
from oversight.project import assemble
from oversight.reader import Source, read_document
from oversight.rules import KINDS_FILE, ReadingRules, compile_rules, load_reading_rules, shipped_rules
from oversight.workdays import WorkCalendar


def _raw() -> dict:
    return yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: raw["kinds"][0]["facts"].update({"no_such_fact": ["标签"]}), "unknown fact 'no_such_fact'"),
    (lambda raw: raw["kinds"][1].update({"title": ["(unclosed"]}), "bad regex"),
    (lambda raw: raw["kinds"][1].update({"id": raw["kinds"][0]["id"]}), "duplicate kind id"),
    (lambda raw: raw["kinds"][0].update({"date_fact": "estimate_typo"}), "date_fact"),
])
def test_broken_reading_rules_are_refused_with_the_place_named(change, message: str) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    change(raw)
    with pytest.raises(DataFileError, match=message):
        compile_rules(ReadingRules.model_validate(raw))


def test_broken_check_and_holiday_files_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "oversight.yaml"
    bad.write_text("checks:\n  C99: {name: x, rule: x, basis: x, tag: x, findings: {}}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="C99"):
        load_checks(bad)
    bad.write_text("checks:\n  C07: {params: {days: thirty}}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"C07\.params\.days"):
        load_checks(bad)
    holidays = tmp_path / "holidays.yaml"
    holidays.write_text("format_version: 1\nyears:\n  2030: {notice: x, holidays: [2030-02-30]}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="holidays"):
        WorkCalendar.load(override=holidays)


def test_a_locality_adds_a_label_it_prints() -> None:
    text = "施工合同\n承包人：江城第三建筑工程有限公司\n本合同包干价：¥1,000,000.00\n签订日期：2025年3月1日"
    assert read_document(Source("d1", "施工合同", text), shipped_rules()).first("contract_price") is None
    local = load_reading_rules(local={"kinds": [{**next(k for k in _raw()["kinds"] if k["id"] == "contract"),
                                                 "facts": {"contract_price": ["包干价"],
                                                           "document_date": ["签订日期"]}}]})
    found = read_document(Source("d1", "施工合同", text), local)
    assert found.first("contract_price").value == 1000000.0


def test_reading_a_contract_keeps_page_passage_and_span() -> None:
    text = "建设工程施工合同\f第二页\n发包人：市机关事务管理局\n签约合同价为：人民币（大写）壹仟贰佰捌拾陆万肆仟伍佰元整（¥12,864,500.00元）\n" \
           "双方不得垫资施工。\n以审计部门审定的结算金额作为结算依据。\n签订日期：二〇二五年七月三日"
    doc = read_document(Source("abcd", "建设工程施工合同", text), shipped_rules())
    assert doc.kind == "contract" and doc.contract_type == "施工" and doc.date == date(2025, 7, 3)
    price = doc.first("contract_price")
    assert price.value == 12864500.0 and price.unit == "元" and price.confidence > 0.95
    assert price.evidence.page == 2 and "签约合同价" in price.evidence.passage
    assert text[price.evidence.start : price.evidence.end].startswith("签约合同价")
    assert doc.first("owner").value == "市机关事务管理局"
    assert doc.first("clause_advance_funding") is None  # "不得垫资" is not a 垫资 clause
    assert doc.first("clause_audit_settlement") is not None


def test_a_document_whose_two_forms_disagree_says_so() -> None:
    text = "工程竣工结算审核报告\n审定金额：¥1,000,000.00（大写：人民币壹佰零壹万元整）"
    doc = read_document(Source("d2", "结算审核报告", text), shipped_rules())
    assert doc.first("settlement_approved").value == 1000000.0
    assert doc.inconsistencies and "不一致" in doc.inconsistencies[0]


def test_two_documents_that_disagree_are_a_conflict_naming_both() -> None:
    rules = shipped_rules()
    first = read_document(Source("aaaa", "结算审核报告", "审定金额：¥1,000,000.00\n报告日期：2025-01-02"), rules)
    second = read_document(Source("bbbb", "结算审定单", "结算审核\n审定金额：¥1,100,000.00\n日期：2025-01-05"), rules)
    same = read_document(Source("cccc", "结算审核报告（副本）", "审定金额：1,000,000.00元\n日期：2025-01-02"), rules)
    facts = assemble("P", [first, second, same], [], rules)
    assert len(facts.conflicts) == 1
    conflict = facts.conflicts[0]
    assert conflict.name == "settlement_approved" and {doc for _, doc in conflict.values} == {"aaaa", "bbbb"}
    two_contracts = [read_document(Source(f"c{n}", "设备采购合同", f"供应商：恒泰机电设备有限公司\n合同总价：¥{price}\n"
                                                                f"日期：2025-0{n}-01"), rules)
                     for n, price in ((1, "1,000.00"), (2, "2,000.00"))]
    assert assemble("P", two_contracts, [], rules).conflicts == []  # two contracts of one supplier are two contracts
