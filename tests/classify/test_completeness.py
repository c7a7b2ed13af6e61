"""The checklist rules: required items, conditions (profile and documents), stages, waivers, shared
forms, a locality override, 档号 and retention, field and revision checks.

Documents here are the generator's own labels (no reading), so these tests pin the checklist logic;
tests/core/test_filing.py checks the same on documents the archive actually read and filed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from classify.archival_code import assign_codes, valid_code, volume_codes
from classify.checklist import load_checklist
from classify.completeness import ChecklistAssessor, required_items
from classify.field_checks import check_fields, doc_types_by_name
from classify.revisions import check_revisions
from classify.taxonomy import TaxonomyError, load_taxonomy
from core.demo import DEMO_PROFILE
from core.sample_project import sample_items
from schemas.completeness import FiledDocument, ProjectProfile, Waiver
from schemas.taxonomy import Taxonomy

OFFICE = ProjectProfile(project="JD", **DEMO_PROFILE)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def assessor(taxonomy: Taxonomy) -> ChecklistAssessor:
    return ChecklistAssessor(taxonomy, load_checklist(taxonomy=taxonomy))


def doc(item: str, n: int = 0, **extra: object) -> FiledDocument:
    values = {"id": f"{item}-{n}", "title": f"文件{item}", "class_code": item.rsplit("-", 1)[0], "item_code": item,
              "doc_date": "2024-06-01", "format": "pdf", "size": 10}
    values.update(extra)
    return FiledDocument(**values)  # type: ignore[arg-type]


def archive(items: frozenset[str] | set[str]) -> list[FiledDocument]:
    return [doc(code) for code in sorted(items)]


def test_required_items_are_the_keepers_r_flags(taxonomy: Taxonomy, assessor: ChecklistAssessor) -> None:
    required = required_items(taxonomy, assessor.rules)
    assert "A1-1" in required and "E1-5" in required
    assert "B1-5" not in required  # 监理日志: kept by the 监理单位 only (---R-)


def test_full_sample_archive_lacks_nothing_for_an_office_building(assessor: ChecklistAssessor) -> None:
    report = assessor.assess("JD", archive(sample_items()), OFFICE)
    assert report.missing == []
    not_applicable = {line.code for line in report.items if line.status == "not_applicable"}
    assert {"C4-19", "C5-32", "C6-7", "E1-11"} <= not_applicable
    assert all(s.percent == 100.0 for s in report.stages)


def test_omitted_items_are_exactly_the_missing_ones(assessor: ChecklistAssessor) -> None:
    omitted = {"A1-3", "A5-2", "B1-1", "C2-6", "C7-3", "D-2", "E1-12", "E3-1"}
    report = assessor.assess("JD", archive(sample_items() - omitted), OFFICE)
    assert set(report.missing) == omitted


def test_a_declared_feature_makes_its_items_due(assessor: ChecklistAssessor) -> None:
    profile = OFFICE.model_copy(update={"features": ["预应力"]})
    report = assessor.assess("JD", archive(sample_items()), profile)
    assert set(report.missing) == {"C4-19", "C4-20", "C5-26", "C5-27"}
    line = next(i for i in report.items if i.code == "C5-26")
    assert "预应力" in (line.reason or "")


def test_housing_needs_the_residential_guarantee(assessor: ChecklistAssessor) -> None:
    profile = OFFICE.model_copy(update={"building_type": "住宅"})
    assert assessor.assess("JD", archive(sample_items()), profile).missing == ["E1-11"]


def test_without_a_profile_the_documents_decide(assessor: ChecklistAssessor) -> None:
    documents = archive(sample_items())
    assert assessor.assess("JD", documents, None).missing == []
    documents.append(doc("C2-3", 9, text="本工程采用钻孔灌注桩基础，工程桩共 86 根，须做桩身完整性检测。"))
    report = assessor.assess("JD", documents, None)
    assert report.missing == ["C6-7"]
    piles = next(c for c in report.conditions if c["id"] == "piles")
    assert piles["decided_by"] == "documents" and "C2-3-9" in piles["reason"]


def test_stages_not_reached_are_not_yet_due(assessor: ChecklistAssessor) -> None:
    early = {code for code in sample_items() if code[0] in "A"} - {"A6-5"}
    profile = OFFICE.model_copy(update={"stage": "招标"})
    report = assessor.assess("JD", archive(early - {"A5-2"}), profile)
    assert report.missing == []  # A5 施工许可 belongs to 施工, not yet due
    line = next(i for i in report.items if i.code == "E1-5")
    assert line.status == "not_applicable" and "竣工" in (line.reason or "")


def test_a_waiver_closes_an_item_and_says_who(assessor: ChecklistAssessor) -> None:
    waiver = Waiver(item_code="E3-1", reason="原貌照片随原档案移交区档案馆", who="王档案")
    report = assessor.assess("JD", archive(sample_items() - {"E3-1"}), OFFICE, [waiver])
    assert report.missing == []
    line = next(i for i in report.items if i.code == "E3-1")
    assert line.status == "waived" and "王档案" in (line.reason or "")


def test_a_shared_form_answers_only_for_the_row_it_is_filed_under(assessor: ChecklistAssessor) -> None:
    documents = archive(sample_items() - {"B2-2"})
    documents.append(doc("C3-3", 5, doc_type="施工进度计划报审表"))
    report = assessor.assess("JD", documents, OFFICE)
    assert report.missing == ["B2-2"]  # the 监理 volume lacks its own copy


def test_a_locality_filing_a_shared_form_once_lets_one_copy_answer_both_rows(tmp_path: Path) -> None:
    override = tmp_path / "某市.yaml"
    override.write_text("override: {name: 某市}\nchecklist:\n  one_copy_forms: [施工进度计划报审表]\n", encoding="utf-8")
    taxonomy = load_taxonomy(override)
    local = ChecklistAssessor(taxonomy, load_checklist(override, taxonomy))
    documents = archive(sample_items() - {"B2-2"})
    documents.append(doc("C3-3", 5, doc_type="施工进度计划报审表"))
    report = local.assess("JD", documents, OFFICE)
    assert report.missing == []
    line = next(i for i in report.items if i.code == "B2-2")
    assert line.status == "present" and "C3-3" in (line.documents[-1].via or "")


def test_one_copy_forms_must_be_shared_forms(tmp_path: Path, taxonomy: Taxonomy) -> None:
    override = tmp_path / "错.yaml"
    override.write_text("override: {name: 错}\nchecklist:\n  one_copy_forms: [监理规划]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="监理规划"):
        load_checklist(override, taxonomy)


def test_locality_override_changes_the_checklist(tmp_path: Path) -> None:
    override = tmp_path / "某省.yaml"
    override.write_text(
        "override: {name: 某省, basis: 某省城建档案归档目录}\n"
        "remove_items: [E1-13]\n"
        "items:\n"
        "  - {code: E1-16, name: 城建档案馆出具的档案认可书, keep: R---R}\n"
        "  - {code: B1-5, keep: R--R-}\n"
        "checklist:\n"
        "  not_required: [E3-2]\n"
        "  conditions:\n"
        "    - {id: piles, name: 桩基础, feature: 桩基, items: [C6-7, C5-11]}\n",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(override)
    local = ChecklistAssessor(taxonomy, load_checklist(override, taxonomy))
    documents = archive(sample_items() - {"E1-13", "B1-5", "E3-2", "C5-11"})
    report = local.assess("JD", documents, OFFICE)
    assert set(report.missing) == {"E1-16", "B1-5"}  # new item; 监理日志 now kept by the owner too
    assert next(i for i in report.items if i.code == "C5-11").status == "not_applicable"


def test_a_checklist_naming_unknown_items_is_refused(tmp_path: Path, taxonomy: Taxonomy) -> None:
    override = tmp_path / "bad.yaml"
    override.write_text("override: {name: 错}\nchecklist:\n  also_required: [Z9-9]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="Z9-9"):
        load_checklist(override, taxonomy)


def test_archival_codes_follow_the_pattern_and_retention_comes_from_dat28(assessor: ChecklistAssessor) -> None:
    report = assessor.assess("JD-2024-001", archive(sample_items()), OFFICE)
    refs = [ref for line in report.items for ref in line.documents]
    codes = [ref.archival_code for ref in refs]
    assert all(code and valid_code(assessor.rules, code) for code in codes)
    assert len(set(codes)) == len(codes)
    drawing = next(line for line in report.items if line.code == "D-1")
    assert drawing.retention == "永久" and drawing.dat28_category == "4"
    assert drawing.documents[0].archival_code == "JD-2024-001-D-001-0001"
    second = next(line for line in report.items if line.code == "A1-2")  # A1-1 is the first 案卷 of A1
    assert second.documents[0].archival_code == "JD-2024-001-A1-002-0001"
    assert next(line for line in report.items if line.code == "C1-9").retention == "10年"


def test_volume_codes_number_pieces_in_the_given_order() -> None:
    codes = volume_codes("JD-2024-001", "C2", 3, ["变更一", "变更二"])
    assert codes.volume == "JD-2024-001-C2-003"
    assert codes.pieces == ("JD-2024-001-C2-003-0001", "JD-2024-001-C2-003-0002")
    assert volume_codes("市-局-7", None, 1, ["待复核"]).pieces == ("市-局-7-X-001-0001",)
    with pytest.raises(ValueError, match="案卷号"):
        volume_codes("JD", "C2", 0, [])


def test_pieces_go_by_date_undated_last_and_items_by_the_tree(assessor: ChecklistAssessor) -> None:
    documents = [doc("C2-6", 1, doc_date="2024-07-01"), doc("C2-6", 2, doc_date=None), doc("C2-6", 3),
                 doc("C2-4", 1), FiledDocument(id="sub", class_code="C2", doc_date="2024-01-01")]
    codes = assign_codes(assessor.rules, assessor.taxonomy, "JD", documents)
    assert codes == {"C2-4-1": "JD-C2-001-0001", "C2-6-3": "JD-C2-002-0001", "C2-6-1": "JD-C2-002-0002",
                     "C2-6-2": "JD-C2-002-0003", "sub": "JD-C2-003-0001"}


def test_a_locality_can_change_the_code_pattern(tmp_path: Path) -> None:
    override = tmp_path / "某局.yaml"
    override.write_text(
        "override: {name: 某局}\nchecklist:\n  archival_code:\n"
        "    volume_pattern: 'JJ·{project}-{subclass}-{volume:02d}'\n"
        "    regex: '^JJ·.+-\\d{2}-\\d{4}$'\n", encoding="utf-8")
    taxonomy = load_taxonomy(override)
    local = ChecklistAssessor(taxonomy, load_checklist(override, taxonomy))
    report = local.assess("JD", archive(sample_items()), OFFICE)
    code = next(line for line in report.items if line.code == "D-1").documents[0].archival_code
    assert code == "JJ·JD-D-01-0001" and valid_code(local.rules, code)


def test_field_check_names_the_missing_field_and_signature(taxonomy: Taxonomy) -> None:
    complete = doc("C2-6", 1, doc_type="设计变更通知单", title="设计变更通知单",
                   text="设计变更通知单\n工程名称 办公楼 编号 结施-变-01 专业 结构 变更原因 …… 变更内容 …… 涉及图号 结施-03 "
                        "日期 2024年5月4日 设计单位 设计人 专业负责人 项目负责人 出图专用章")
    bare = doc("C2-6", 2, doc_type="设计变更通知单", title="设计变更通知单", text="设计变更通知单\n变更内容：底板加厚。")
    findings = check_fields([complete, bare], doc_types_by_name(taxonomy))
    assert {f.document_id for f in findings} == {"C2-6-2"}
    assert any("涉及图号" in f.message for f in findings)


def test_revision_checks_find_superseded_sheets_and_uncited_changes() -> None:
    change = doc("C2-6", 1, title="设计变更通知单", text="变更编号 结施-变-01\n涉及图号 结施-03、结施-04")
    cited = doc("D-2", 1, title="基础平面图", text="说明：依据设计变更结施-变-01修改。\n图号 结施-03\n版本 A\n竣工图")
    uncited = doc("D-2", 2, title="底板配筋图", text="图号 结施-04\n版本 A\n竣工图")
    newer = doc("D-2", 3, title="底板配筋图", text="依据结施-变-01。图号 结施-04\n版本 B\n竣工图")
    findings = check_revisions([change, cited, uncited, newer])
    assert [(f.check, f.document_id) for f in findings] == [("superseded_sheet", "D-2-2")]
    findings = check_revisions([change, cited, uncited])
    assert [(f.check, f.document_id) for f in findings] == [("change_not_cited", "D-2-2")]
    assert "结施-变-01" in findings[0].message


def test_the_handover_plan_numbers_volumes_like_completeness(assessor: ChecklistAssessor, tmp_path: Path) -> None:
    """Until the handover calls ``volume_codes`` itself, its plan must agree with it document by document."""
    from datetime import date

    from handover.plan import plan_volumes
    from schemas.handover import FilingPlan, HandoverDocument, TaxonomyItem, TaxonomySubClass

    documents = [*archive(sample_items()), doc("C2-6", 7, doc_date=None), FiledDocument(id="只到子类", class_code="C2")]
    plan = FilingPlan(subclasses=[
        TaxonomySubClass(code=s.code, name=s.name, items=[TaxonomyItem(code=i.code, name=i.name) for i in s.items])
        for s in assessor.taxonomy.subclasses()
    ])
    handed = [
        HandoverDocument(id=d.id, sha256="0" * 64, size=1, original_name=f"{d.id}.pdf", source=tmp_path / d.id,
                         class_code=d.class_code, item_code=d.item_code,
                         doc_date=date.fromisoformat(d.doc_date) if d.doc_date else None)
        for d in documents
    ]
    bundle = {p.doc.id: p.archive_code for v in plan_volumes("JD-2024-001", "机关办公楼", handed, plan) for p in v.documents}
    assert assign_codes(assessor.rules, assessor.taxonomy, "JD-2024-001", documents) == bundle
