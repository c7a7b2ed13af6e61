"""The personal-data finders and the redactor, on small texts: what is hidden, what is not, and
that every hidden value is listed.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from disclosure.detectors import find_all, find_bank_accounts, find_ids, find_mobiles, id_check_digit, luhn_ok
from disclosure.redaction_rules import load_redaction_rules, shipped_redaction_rules
from disclosure.redactor import ManualRedaction, Redactor, known_persons
from oversight.datafiles import DataFileError
from samples.personal_data import card_number, id_number, mobile

TODAY = date(2026, 12, 7)
RULES = shipped_redaction_rules()


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text(text)) for f in find_all(text, RULES, TODAY)]


def test_id_check_digit_follows_gb_11643() -> None:
    assert id_check_digit("11010519491231002") == "X"  # the standard's own example
    assert id_check_digit("44052418800101001") == "4"
    rng = random.Random(1)
    for _ in range(50):
        number = id_number(rng)
        assert id_check_digit(number[:17]) == number[17]


def test_valid_ids_are_hidden_and_a_labelled_bad_check_digit_is_a_suspect() -> None:
    valid = "11010519491231002X"
    wrong = "110105194912310021"
    assert _kinds(f"身份证号：{valid}。") == [("id_number", valid)]
    assert _kinds(f"公民身份号码 {wrong}") == [("id_suspect", wrong)]
    assert _kinds(f"编号 {wrong}") == []  # unlabelled and invalid: some other 18-digit number
    assert _kinds("身份证号：110105 19491231 002X") == [("id_number", "110105 19491231 002X")]


def test_a_permit_number_with_an_id_shape_is_not_taken_for_an_id() -> None:
    """施工许可证编号: region + issue date + sequence — an ID's shape, a recent "birth", an org label."""
    base = "32010220240315010"
    permit = base + id_check_digit(base)  # even with a passing check digit
    assert [f.kind for f in find_ids(f"施工许可证编号：{permit}", TODAY)] == []
    old = "32010219980315010"
    old_permit = old + id_check_digit(old)
    assert [f.kind for f in find_ids(f"许可证编号：{old_permit}", TODAY)] == []  # an org number's label


@pytest.mark.parametrize("style", [0, 1, 2])
def test_mobiles_in_every_written_form(style: int) -> None:
    number = mobile(random.Random(style), style)
    assert [(f.kind, f.text(f"联系电话：{number}，")) for f in find_mobiles(f"联系电话：{number}，")] == [("mobile", number)]


def test_landlines_amounts_and_longer_numbers_are_not_mobiles() -> None:
    text = "监督举报电话：025-83456789，金额13,812,345.67元，编号 913812345678901"
    assert list(find_mobiles(text)) == []


def test_bank_accounts_labelled_or_card_numbers_that_pass_luhn() -> None:
    card = card_number(random.Random(3))
    assert luhn_ok(card)
    grouped = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    assert [f.text(t) for t in [f"账号：{grouped}"] for f in find_bank_accounts(t, RULES)] == [grouped]
    assert [f.kind for f in find_bank_accounts(f"卡 {card}", RULES)] == ["bank_account"]
    assert [f.kind for f in find_bank_accounts("开户账号：3201 0000 1234 5678 9", RULES)] == ["bank_account"]
    not_luhn = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert list(find_bank_accounts(f"编号 {not_luhn}", RULES)) == []


def test_personal_addresses_after_their_labels() -> None:
    assert _kinds("家庭住址：江城市鼓楼区和平街道11号8栋480室，电话") == [("address", "江城市鼓楼区和平街道11号8栋480室")]
    assert _kinds("建设地点：市府路18号") == []  # a site is not a person's home


def test_names_of_published_roles_stay_and_other_persons_are_hidden_everywhere() -> None:
    texts = ["施工单位项目负责人：周强", "总监理工程师 肖春生", "联系人：王芳，电话", "负责人：市机关事务管理局基建处"]
    persons = known_persons(texts, RULES)
    assert persons == {"周强": {"项目负责人"}, "肖春生": {"总监理工程师"}, "王芳": {"联系人"}}
    redactor = Redactor(RULES, TODAY, persons)
    cleaned = redactor.clean("周强、肖春生与王芳到场核实", item_key="k", field="f")
    assert cleaned == "周强、肖春生与［已隐去：个人姓名］到场核实"
    assert redactor.person("李四", "专业监理工程师", item_key="k", document_id=None) == "［已隐去：个人姓名］"
    assert redactor.person("赵静", "勘察单位项目负责人", item_key="k", document_id=None) == "赵静"
    assert [(r.kind, r.original) for r in redactor.redactions] == [("person_name", "王芳"), ("person_name", "李四")]


def test_published_roles_are_configurable() -> None:
    rules = load_redaction_rules({"published_roles": ["项目负责人"]})  # a locality that does not publish the 总监
    redactor = Redactor(rules, TODAY, {"肖春生": {"总监理工程师"}})
    assert redactor.clean("总监理工程师肖春生", item_key="k", field="f") == "总监理工程师［已隐去：个人姓名］"


def test_the_reviewers_own_redactions_and_values_from_source_bodies_are_hidden_in_content() -> None:
    redactor = Redactor(RULES, TODAY, manual=[ManualRedaction("和平街道", "档案员甲", "住址片段")])
    body = "家庭住址：江城市鼓楼区和平街道11号\n"
    redactor.scan_source(body, "doc1")
    cleaned = redactor.clean("送达江城市鼓楼区和平街道11号，另见和平街道", item_key="k", field="f")
    assert "和平街道" not in cleaned and "江城市鼓楼区" not in cleaned
    listed = {(r.kind, r.where, r.by) for r in redactor.redactions}
    assert ("address", "source", "自动") in listed and ("address", "content", "自动") in listed
    assert ("manual", "content", "档案员甲") in listed


def test_redaction_rules_are_validated_on_load() -> None:
    with pytest.raises(DataFileError, match="replacement"):
        load_redaction_rules({"replacement": "***"})
    with pytest.raises(DataFileError, match="kinds"):
        load_redaction_rules({"kinds": {"id_number": "身份证号", "passport": "护照"}})
    with pytest.raises(DataFileError, match="surnames"):
        load_redaction_rules({"surnames": "Wang"})
