"""Amounts, dates and working days as the oversight reader reads them, one form at a time."""

from __future__ import annotations

from datetime import date

import pytest

from oversight.dates import date_at, find_dates
from oversight.money import find_money, money_at
from oversight.values import value_at
from oversight.workdays import WorkCalendar, shipped_calendar
from oversight.wrapping import unwrap
from textvalues.numerals import integer_value, upper_money_value


@pytest.mark.parametrize(("written", "value", "unit"), [
    ("¥12,864,500.00", 12864500.0, "元"),
    ("12864500.00元", 12864500.0, "元"),
    ("1,286.45万元", 12864500.0, "万元"),
    ("3.2亿元", 320000000.0, "亿元"),
    ("人民币壹仟贰佰捌拾陆万肆仟伍佰元整", 12864500.0, "大写"),
    ("伍角", 0.5, "大写"),
    ("-¥76,005.54", -76005.54, "元"),
    ("￥1,000.00", 1000.0, "元"),
])
def test_money_forms_keep_their_unit(written: str, value: float, unit: str) -> None:
    hit = money_at(written, 0)
    assert hit is not None and hit.value == value and hit.unit == unit


def test_the_two_forms_of_one_sum_are_read_together_and_compared() -> None:
    agree = money_at("人民币（大写）壹仟贰佰捌拾陆万肆仟伍佰元整（¥12,864,500.00元）", 0)
    assert agree.value == 12864500.0 and agree.twin == 12864500.0 and not agree.twins_disagree
    differ = money_at("¥12,864,500.00（大写：人民币壹仟贰佰捌拾柒万肆仟伍佰元整）", 0)
    assert differ.value == 12864500.0 and differ.twin == 12874500.0 and differ.twins_disagree


def test_figures_that_are_not_amounts_are_refused() -> None:
    assert money_at("350元/m²", 0) is None  # a unit price
    assert money_at("2024年5月", 0, bare_ok=True) is None  # a date
    assert money_at("3", 0, bare_ok=True) is None  # a clause number after a label
    assert [m.value for m in find_money("综合单价350元/m²，面积1200平方米，合计¥5,000.00")] == [5000.0]


def test_a_bare_figure_takes_the_unit_its_table_declares() -> None:
    text = "金额单位：万元\n招标控制价 | 1286.45"
    hit = money_at(text, text.index("1286"))
    assert hit.value == 12864500.0 and hit.unit == "万元"


def test_tax_notes_stay_with_the_amount() -> None:
    assert money_at("¥1,000.00（含税）", 0).tax == "含税"
    assert money_at("¥1,000.00（不含税）", 0).tax == "不含税"


def test_upper_numerals() -> None:
    assert integer_value("壹仟贰佰捌拾陆万肆仟伍佰") == 12864500
    assert integer_value("二三") is None
    assert upper_money_value("壹万零捌拾元整") == 10080.0
    assert upper_money_value("元整") is None


@pytest.mark.parametrize("written", ["2025年7月3日", "2025年07月03日", "2025-07-03", "2025.07.03", "2025/7/3",
                                     "二〇二五年七月三日", "2025年7月3号", "为2025.07.03"])
def test_every_date_form(written: str) -> None:
    hits = find_dates(written)
    assert [hit.value for hit in hits] == [date(2025, 7, 3)]


def test_things_that_look_like_dates_are_not() -> None:
    assert find_dates("GB 50300-2013 第2.0.3条 电话 0571-8888-1234 2025年2月30日") == []
    assert date_at("1899-01-01", 0) is None


def test_values_after_labels() -> None:
    assert value_at("percent", "质量保证金为结算总额的3%", 5).value == 3.0
    assert value_at("days", "工期：221日历天", 2).value == 221
    assert value_at("party", "承包人（全称）：江城第三建筑工程有限公司", 3).value == "江城第三建筑工程有限公司"
    assert value_at("party", "承包人项目经理：周强", 3) is None  # a person, not an organisation
    assert value_at("code", "编号 BG-004日期 2024-03-10", 2).value == "BG-004"


def test_pdf_line_breaks_inside_values_are_joined_and_mapped_back() -> None:
    stored = "送审金额 ¥23,\n778,141.12 审定 壹仟玖佰壹拾柒万肆仟\n肆佰玖拾元 2024年5\n月17日 ¥16,656,224.5\n2"
    joined = unwrap(stored)
    assert "¥23,778,141.12" in joined.text and "壹仟玖佰壹拾柒万肆仟肆佰玖拾元" in joined.text
    assert "2024年5月17日" in joined.text and "¥16,656,224.52" in joined.text
    at = joined.text.index("141.12")
    assert stored[joined.original(at) : joined.original(at) + 6] == "141.12"
    assert unwrap("合计 | 12.5\n2 | 外窗").text == "合计 | 12.5\n2 | 外窗"  # a new table row is not a wrap


def test_working_days_follow_the_holiday_notices() -> None:
    calendar = shipped_calendar()
    assert calendar.working_days_between(date(2024, 12, 31), date(2025, 12, 31)).value == 248
    assert calendar.is_working_day(date(2025, 9, 28))  # a Sunday made a working day (调休)
    assert not calendar.is_working_day(date(2025, 10, 6))  # a Monday in the National Day holiday
    due = calendar.add_working_days(date(2025, 9, 26), 5)
    assert due.value == date(2025, 10, 10) and not due.approximate
    beyond = calendar.add_working_days(date(2030, 1, 1), 20)
    assert beyond.approximate  # a year the notices do not cover yet: Monday–Friday only, and said so


def test_a_locality_calendar_adds_its_years(tmp_path) -> None:  # type: ignore[no-untyped-def]
    local = tmp_path / "holidays.yaml"
    local.write_text("format_version: 1\nyears:\n  2030:\n    notice: 测试\n    holidays: [2030-01-01/2030-01-03]\n",
                     encoding="utf-8")
    calendar = WorkCalendar.load(override=local)
    assert not calendar.is_working_day(date(2030, 1, 2)) and calendar.covers(date(2030, 6, 1))
