"""The disclosure categories and the reading additions are data, validated on load against the
oversight reader, and overridable per locality.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.disclosure.rules import load_rules
from core.errors import ConfigError
from disclosure.catalogue import load_catalogue, shipped_catalogue
from oversight.datafiles import DataFileError, load_yaml
from oversight.extensions import apply_extension
from oversight.rules import KINDS_FILE, shipped_rules
from oversight.workdays import shipped_calendar

EIGHT = ["批准服务信息", "批准结果信息", "招标投标信息", "征收土地信息", "重大设计变更信息", "施工有关信息",
         "质量安全监督信息", "竣工有关信息"]
READING = shipped_rules()
FACTS = set(READING.source.facts)
KINDS = {kind.definition.id for kind in READING.kinds}


def test_the_eight_categories_of_94号_then_the_office_building_items() -> None:
    catalogue = shipped_catalogue()
    names = [c.name for c in catalogue.categories]
    assert names[:8] == EIGHT
    assert [c.only for c in catalogue.categories][8:] == ["office_building"]
    assert catalogue.limit_for(next(i for c in catalogue.categories for i in c.items if i.licensing)) == 7
    assert catalogue.columns[:11] == ("序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
                                      "公开渠道和载体", "公开对象", "公开方式（主动/依申请）", "公开层级")


def test_a_field_naming_a_fact_the_reader_does_not_know_is_refused_with_its_place() -> None:
    local = {"categories": [{"id": "bidding", "items": [
        {"id": "award", "name": "中标结果", "kinds": ["award"], "fields": [{"label": "中标人", "fact": "winer"}]}]}]}
    with pytest.raises(DataFileError, match=r"categories\.bidding\.items\.award.*unknown fact 'winer'"):
        load_catalogue(FACTS, KINDS, local)
    local["categories"][0]["items"][0]["kinds"] = ["awrd"]
    with pytest.raises(DataFileError, match="unknown document kind 'awrd'"):
        load_catalogue(FACTS, KINDS, local)


def test_a_field_needs_exactly_one_source_and_columns_must_be_known() -> None:
    bad_field = {"categories": [{"id": "bidding", "items": [
        {"id": "award", "name": "中标结果", "kinds": ["award"], "fields": [{"label": "中标人"}]}]}]}
    with pytest.raises(DataFileError, match="exactly one of"):
        load_catalogue(FACTS, KINDS, bad_field)
    with pytest.raises(DataFileError, match="unknown columns"):
        load_catalogue(FACTS, KINDS, {"columns": ["序号", "备注"]})


def test_a_locality_overrides_defaults_a_category_and_adds_the_agency_block(tmp_path: Path) -> None:
    local = tmp_path / "disclosure.yaml"
    local.write_text(yaml.safe_dump({
        "defaults": {"level": "市级", "channel": "区政府门户网站"},
        "categories": [{"id": "design_change", "name": "重大设计变更信息", "empty": "本项目无重大设计变更。"}],
        "agency": {"report_channel": "监督举报电话：12345"},
        "redaction": {"published_roles": ["项目负责人"]},
    }, allow_unicode=True), encoding="utf-8")
    rules = load_rules(local, READING, shipped_calendar())
    assert rules.catalogue.defaults.level == "市级" and rules.catalogue.defaults.limit_days == 20
    change = next(c for c in rules.catalogue.categories if c.id == "design_change")
    assert change.empty == "本项目无重大设计变更。" and change.items  # items kept when not given
    assert rules.agency == {"report_channel": "监督举报电话：12345"}
    assert rules.redaction.is_published_role("项目负责人") and not rules.redaction.is_published_role("总监理工程师")
    local.write_text("categories: [{id: bidding, items: [{id: x, name: y, per: project, fields: [{label: z, fact: winner}]}]}]\n",
                     encoding="utf-8")
    with pytest.raises(ConfigError, match="per project: each fact field must name its kinds"):
        load_rules(local, READING, shipped_calendar())
    local.write_text("agencies: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown keys"):
        load_rules(local, READING, shipped_calendar())


def test_reading_additions_only_add() -> None:
    raw = load_yaml(KINDS_FILE)
    with pytest.raises(DataFileError, match="already declared"):
        apply_extension(raw, {"format_version": 1, "facts": {"winner": {"label": "x", "type": "party"}}}, "t.yaml")
    with pytest.raises(DataFileError, match="already reads this fact"):
        apply_extension(raw, {"format_version": 1, "extend": {"award": {"winner": ["中标人"]}}}, "t.yaml")
    with pytest.raises(DataFileError, match="no such kind"):
        apply_extension(raw, {"format_version": 1, "extend": {"nothing": {"issuer": ["x"]}}}, "t.yaml")
    assert {"issuer", "project_leader", "chief_supervisor"} <= FACTS
    assert {"quality_supervision", "planning_permit", "land_expropriation"} <= KINDS
