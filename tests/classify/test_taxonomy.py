"""The shipped taxonomy loads; a broken one is refused with the offending node named; overrides merge."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from classify import RuleClassifier, TaxonomyError, load_taxonomy
from classify.taxonomy import SHIPPED_RESOURCE
from schemas.taxonomy import Taxonomy

SHIPPED = Path(__file__).resolve().parents[2] / "classify" / "data" / SHIPPED_RESOURCE
EXPECTED_SUBCLASSES = [
    *(f"A{n}" for n in range(1, 8)),
    *(f"B{n}" for n in range(1, 7)),
    *(f"C{n}" for n in range(1, 9)),
    "D",
    *(f"E{n}" for n in range(1, 5)),
]


def _raw() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _subclass(raw: dict, code: str) -> dict:
    return next(s for c in raw["classes"] for s in c["subclasses"] if s["code"] == code)


def test_shipped_taxonomy_has_every_subclass_of_the_standard(taxonomy: Taxonomy) -> None:
    assert [s.code for s in taxonomy.subclasses()] == EXPECTED_SUBCLASSES
    assert [c.code for c in taxonomy.classes] == ["A", "B", "C", "D", "E"]


def test_shipped_taxonomy_keeps_the_draft_item_codes_and_adds_doc_types(taxonomy: Taxonomy) -> None:
    codes = [item.code for _, item in taxonomy.items()]
    assert {"A1-1", "C2-6", "C2-7", "C4-17", "C6-95", "D-12", "E1-14", "E2-x", "E4-1"} <= set(codes)
    change = taxonomy.item("C2-6")
    assert change is not None and "设计变更通知单" in [d.name for d in change.doc_types]
    assert taxonomy.item("C3-10") is not None and taxonomy.item("C3-10").source == "added"


def test_shipped_taxonomy_keeps_the_unconfirmed_marks_as_data(taxonomy: Taxonomy) -> None:
    assert taxonomy.meta.keep_confidence_default == "low"
    assert taxonomy.dat28_2018 is not None and taxonomy.dat28_2018.categories_confidence == "unconfirmed"
    assert any(item.retention_basis == "unconfirmed" for _, item in taxonomy.items())
    assert any("UNCONFIRMED" in caveat for caveat in taxonomy.meta.caveats)
    assert taxonomy.dat70_2018_checks is not None and len(taxonomy.dat70_2018_checks.items) == 45
    assert len(taxonomy.dat28_2018.categories) == 10


def test_loaded_taxonomy_is_frozen(taxonomy: Taxonomy) -> None:
    with pytest.raises(ValidationError):
        taxonomy.classes[0].name = "改掉"  # type: ignore[misc]


def test_duplicate_item_code_is_reported_with_its_path(tmp_path: Path) -> None:
    raw = _raw()
    items = _subclass(raw, "C4")["items"]
    items[5]["code"] = "C4-17"
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(_write(tmp_path / "坏分类.yaml", raw))
    assert (
        "classes[2].subclasses[3].items[16]: duplicate code C4-17 (first at classes[2].subclasses[3].items[5])"
        in str(caught.value)
    )


def test_item_code_outside_its_subclass_is_reported(tmp_path: Path) -> None:
    raw = _raw()
    _subclass(raw, "C2")["items"][0]["code"] = "C3-99"
    with pytest.raises(
        TaxonomyError, match=r"classes\[2\]\.subclasses\[1\]\.items\[0\]: item code C3-99 must start with C2-"
    ):
        load_taxonomy(_write(tmp_path / "taxonomy.yaml", raw))


def test_regex_that_does_not_compile_is_reported(tmp_path: Path) -> None:
    raw = _raw()
    _subclass(raw, "C2")["items"][5]["doc_types"][0]["title_patterns"] = ["设计变更(通知"]
    with pytest.raises(
        TaxonomyError, match=r"items\[5\]\.doc_types\[0\]\.title_patterns\[0\]: regex .* does not compile"
    ):
        load_taxonomy(_write(tmp_path / "taxonomy.yaml", raw))


def test_malformed_keep_flags_are_reported(tmp_path: Path) -> None:
    raw = _raw()
    _subclass(raw, "A1")["items"][0]["keep"] = "R--X"
    with pytest.raises(
        TaxonomyError, match=r"classes\[0\]\.subclasses\[0\]\.items\[0\]: keep flags 'R--X' of A1-1"
    ):
        load_taxonomy(_write(tmp_path / "taxonomy.yaml", raw))


def test_rule_naming_an_unknown_doc_type_is_reported(tmp_path: Path) -> None:
    raw = _raw()
    raw["disambiguation"][0]["members"][0]["doc_type"] = "不存在的文种"
    with pytest.raises(
        TaxonomyError, match=r"disambiguation\[0\]\.members\[0\]: .* unknown doc type 不存在的文种"
    ):
        load_taxonomy(_write(tmp_path / "taxonomy.yaml", raw))


def test_schema_errors_name_the_field(tmp_path: Path) -> None:
    raw = _raw()
    _subclass(raw, "B1")["items"][2]["keywords"] = "监理月报"  # a string, not a list
    del _subclass(raw, "B1")["items"][3]["name"]
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(_write(tmp_path / "taxonomy.yaml", raw))
    problems = caught.value.problems
    assert "classes[1].subclasses[0].items[2].keywords: Input should be a valid tuple" in problems
    assert "classes[1].subclasses[0].items[3].name: Field required" in problems


def test_missing_file_is_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "没有这个文件.yaml")


def _override(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "北京地方补充.yaml",
        {
            "override": {"name": "北京市", "basis": "DB11/T 695"},
            "remove_items": ["C7-5"],
            "items": [
                {"code": "C5-37", "name": "北京地区补充：预拌混凝土交货检验记录", "keywords": ["交货检验"],
                 "doc_types": [{"name": "预拌混凝土交货检验记录", "title_patterns": ["交货检验记录"]}]},
                {"code": "C2-6", "keywords": ["设计变更", "变更通知单", "设计修改单"]},
            ],
        },
    )  # fmt: skip


def test_locality_override_adds_replaces_and_removes_items(tmp_path: Path) -> None:
    merged = load_taxonomy(override=_override(tmp_path))
    assert merged.locality is not None and merged.locality.name == "北京市"
    added = merged.item("C5-37")
    assert added is not None and added.source == "locality"
    assert merged.item("C7-5") is None
    assert merged.item("C2-6").keywords == ("设计变更", "变更通知单", "设计修改单")
    assert merged.item("C2-6").doc_types  # fields not named in the override are kept
    verdict = RuleClassifier(merged).classify("预拌混凝土交货检验记录", "供货单位：某搅拌站\n坍落度：180mm")
    assert verdict.item_code == "C5-37"


def test_override_file_can_be_given_as_the_taxonomy_path(tmp_path: Path) -> None:
    merged = load_taxonomy(_override(tmp_path))
    assert merged.item("C5-37") is not None and merged.item("A1-1") is not None


def test_shipped_taxonomy_is_unchanged_by_an_override(tmp_path: Path) -> None:
    load_taxonomy(override=_override(tmp_path))
    assert load_taxonomy().item("C7-5") is not None


def test_override_with_an_unknown_subclass_is_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "o.yaml", {"override": {"name": "某市"}, "items": [{"code": "X9-1", "name": "错"}]}
    )
    with pytest.raises(TaxonomyError, match=r"override items\[0\]: code X9-1 names no sub-class"):
        load_taxonomy(override=path)


def test_override_creating_a_duplicate_doc_type_is_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "o.yaml",
        {
            "override": {"name": "某市"},
            "items": [{"code": "C5-40", "name": "重复", "doc_types": [{"name": "施工日志"}]}],
        },
    )
    with pytest.raises(TaxonomyError, match="duplicate doc type name 施工日志"):
        load_taxonomy(override=path)
