"""The checks added for 项目代码 (C03), 政府采购 add-ons (C11), 较大变更 (C14), unbalanced bids (C15),
the settlement review (C17), 三重一大 (C21) and 工期 (C25), on small texts through the real reader:
the cases the generated projects do not seed (a malformed code, a locality's own 大额 line, a
negated scope change, an add-on whose 采购方式 is not on file).
"""

from __future__ import annotations

import pytest

from oversight.checks import load_checks, run_checks
from oversight.checks.durations import review_limit
from oversight.ledger import build
from oversight.project import assemble
from oversight.reader import Source, read_document
from oversight.rules import shipped_rules


def _flags(texts: list[tuple[str, str]], checks=None):  # type: ignore[no-untyped-def]
    rules = shipped_rules()
    documents = [read_document(Source(f"d{n}", title, text), rules) for n, (title, text) in enumerate(texts)]
    facts = assemble("P", documents, [], rules)
    return run_checks(facts, build(facts), checks)


def _of(flags, check_id: str):  # type: ignore[no-untyped-def]
    return [flag for flag in flags if flag.check == check_id]


CONTRACT = ("档案库房改造工程施工合同", "发包人：市档案局\n承包人：江城宏达建设集团有限公司\n签约合同价：¥420,000.00\n"
                                   "项目代码：{code}\n签订日期：2025年3月10日")
APPROVAL = ("关于档案库房改造工程可行性研究报告的批复", "项目总投资：¥500,000.00。投资项目代码：2024-320102-47-01-123456。\n"
                                            "市发展和改革委员会 2025年1月6日")


def test_one_code_is_quiet_and_a_malformed_or_second_code_is_named() -> None:
    same = _flags([APPROVAL, (CONTRACT[0], CONTRACT[1].format(code="2024－320102－47－01－123456"))])
    assert _of(same, "C03") == []  # full-width dashes are the same code
    other = _flags([APPROVAL, (CONTRACT[0], CONTRACT[1].format(code="2024-320102-47-01-654321"))])
    assert [flag.values["count"] for flag in _of(other, "C03")] == [2]
    broken = _flags([APPROVAL, (CONTRACT[0], CONTRACT[1].format(code="320102-47-123456"))])
    assert {flag.values.get("code") for flag in _of(broken, "C03")} == {"320102-47-123456", None}


def test_the_large_sum_line_is_the_localitys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    texts = [APPROVAL, (CONTRACT[0], CONTRACT[1].format(code="2024-320102-47-01-123456"))]
    assert _of(_flags(texts), "C21") == []  # ¥420,000 is under the shipped 50万 line
    local = tmp_path / "oversight.yaml"
    local.write_text("checks:\n  C21: {params: {amount: 300000}}\n", encoding="utf-8")
    flags = _of(_flags(texts, load_checks(local)), "C21")
    assert [(flag.values["amount"], flag.values["limit"]) for flag in flags] == [(420000.0, 300000)]
    minutes = ("局务会议纪要", "会议时间：2025年2月20日\n研究档案库房改造工程合同签订事项，同意签订。")
    assert _of(_flags([*texts, minutes], load_checks(local)), "C21") == []


def test_a_scope_change_needs_an_approval_dated_before_it() -> None:
    change = ("设计变更通知单", "变更编号：BG-007\n变更原因：根据使用单位要求，增加建筑面积约300平方米。\n增加造价：¥80,000.00\n"
                         "日期：2025年5月6日")
    assert [flag.values["clause"] for flag in _of(_flags([change]), "C14")] == ["增加建筑面积"]
    negated = (change[0], change[1].replace("增加建筑面积约300平方米", "不增加建筑面积，仅调整隔墙位置"))
    assert _of(_flags([negated]), "C14") == []
    approval = ("关于档案库房改造工程调整建设规模的批复", "同意调整。\n市发展和改革委员会 2025年4月28日")
    assert _of(_flags([change, approval]), "C14") == []


def test_an_add_on_without_a_method_on_file_cannot_be_decided() -> None:
    contract = ("设备采购合同", "采购人：市档案局\n供应商：恒泰智能科技有限公司\n合同总价：¥1,000,000.00\n签订日期：2025年3月1日")
    add_on = ("设备采购合同补充协议", "供应商：恒泰智能科技有限公司\n增加金额：¥150,000.00\n签订日期：2025年6月1日")
    undecided = _of(_flags([contract, add_on]), "C11")
    assert [(flag.severity, flag.values["ratio"]) for flag in undecided] == [("low", 0.15)]
    bought = (contract[0], contract[1] + "\n采购方式：单一来源")
    assert [flag.severity for flag in _of(_flags([bought, add_on]), "C11")] == ["high"]
    tendered = (contract[0], contract[1] + "\n采购方式：公开招标")
    assert _of(_flags([tendered, add_on]), "C11") == []


@pytest.mark.parametrize(("amount", "days"), [(4_999_999, 20), (5_000_001, 30), (20_000_000, 30), (49_000_000, 45),
                                              (80_000_000, 60)])
def test_the_review_period_follows_the_amount_band(amount: int, days: int) -> None:
    assert review_limit(load_checks().checks["C17"].params["bands"], amount) == days
