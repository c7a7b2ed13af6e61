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
from classify.field_checks import check_fields, load_field_rules, vocabulary_problems
from classify.revisions import check_revisions
from classify.taxonomy import TaxonomyError, load_taxonomy
from core.demo.walkthrough import DEMO_PROFILE
from samples import sample_items
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


NOTICE = (
    "表A.0.3\n监理通知单\n工程名称 | 市机关办公楼节能改造工程 | 编号 | JLTZ-2024-001\n"
    "致：江城第三建筑工程有限公司（项目经理部）\n事由：关于外墙保温锚栓数量不足的通知\n"
    "内容：经巡视检查发现，三层北立面岩棉板锚栓数量不足，请立即整改。\n"
    "单位/职务 | 签字 | 日期\n专业监理工程师 | 董卫东 | 2024年5月4日\n总监理工程师 | 肖春生 | 2024年5月4日\n"
    "华诚工程建设监理有限公司（项目监理机构章）"
)
CHANGE = (
    "设计变更通知单\n工程名称 市机关办公楼节能改造工程 变更编号 结施-变-01\n专业 结构 涉及图号 结施-03、结施-04\n"
    "日期 2024年5月4日\n变更原因：基槽开挖后发现局部软弱下卧层。\n变更内容：底板厚度由400mm调整为450mm。\n"
    "设计人：邓丽 日期：2024年5月4日\n专业负责人：邓丽 日期：2024年5月4日\n项目负责人：李霞 日期：2024年5月4日\n"
    "江城建筑设计研究院有限公司（出图专用章）"
)


def _findings(taxonomy: Taxonomy, doc_type: str, text: str) -> list[str]:
    title = next(line for line in text.splitlines() if not line.startswith("表"))
    filed = doc("X1-1", 1, doc_type=doc_type, title=title, text=text)
    return [f"{f.check}:{f.message}" for f in check_fields([filed], taxonomy)]


def test_a_filled_form_has_no_findings(taxonomy: Taxonomy) -> None:
    assert _findings(taxonomy, "监理通知单", NOTICE) == []
    assert _findings(taxonomy, "设计变更通知单", CHANGE) == []


def test_a_signature_left_blank_is_caught_though_its_label_is_printed(taxonomy: Taxonomy) -> None:
    blank = NOTICE.replace("总监理工程师 | 肖春生 | 2024年5月4日", "总监理工程师 |  | ").replace(
        "专业监理工程师 | 董卫东", "专业监理工程师 | ____")
    assert _findings(taxonomy, "监理通知单", blank) == [
        "signatures:《监理通知单》签署栏空白（未签字/盖章）：总监理工程师或专业监理工程师"]
    signed_colon = CHANGE.replace("项目负责人：李霞", "项目负责人：").replace("设计人：邓丽", "设计人（签字）：").replace(
        "专业负责人：邓丽", "专业负责人： 日期")
    assert any("签署栏空白" in f and "设计单位" in f for f in _findings(taxonomy, "设计变更通知单", signed_colon))


def test_a_field_left_blank_or_a_date_that_does_not_parse_is_caught(taxonomy: Taxonomy) -> None:
    blank = CHANGE.replace("变更编号 结施-变-01", "变更编号 ＿＿").replace("日期 2024年5月4日\n", "日期 2024年13月40日\n")
    blank = blank.replace("日期：2024年5月4日", "日期：")
    assert _findings(taxonomy, "设计变更通知单", blank) == ["fields:《设计变更通知单》栏目未填：编号、日期"]
    assert _findings(taxonomy, "设计变更通知单", "设计变更通知单\n变更内容：底板加厚。") == [
        "fields:《设计变更通知单》缺少栏目：编号、工程名称、专业、变更原因、涉及图号、日期",
        "signatures:《设计变更通知单》未见签署/盖章栏：设计单位（设计人/专业负责人/项目负责人，出图章）",
    ]


def test_a_conclusion_left_blank_is_caught_but_a_table_header_is_not(taxonomy: Taxonomy) -> None:
    report = ("钢筋原材料检验报告\n报告编号 JC2024-001 检测日期 2024年5月6日\n检测项目 技术要求 检测结果 单项结论\n"
              "屈服强度 ≥400MPa 455MPa 合格\n检测结论：\n检测单位：江城建设工程质量检测中心（检测专用章）")
    assert any(f.startswith("conclusion:") for f in _findings(taxonomy, "钢材试验报告", report))
    filled = report.replace("检测结论：", "检测结论：所检项目符合GB/T 1499.2-2018要求。")
    assert not any(f.startswith("conclusion:") for f in _findings(taxonomy, "钢材试验报告", filled))


def test_a_heading_conclusion_is_read_from_the_line_under_it(taxonomy: Taxonomy) -> None:
    report = "勘察质量检查报告\n三、检查结论\n施工单位对勘察成果的执行情况符合要求。\n勘察单位项目负责人：赵静"
    assert not any(f.startswith("conclusion:") for f in _findings(taxonomy, "勘察单位工程质量检查报告", report))


def test_signatures_asked_only_of_some_records_follow_the_title(taxonomy: Taxonomy) -> None:
    record = ("{t}\n单位（子单位）工程名称 | 市机关办公楼 | 子分部工程数量 | 2\n分项工程数量 | 4\n"
              "质量控制资料：完整。安全和功能检验结果：符合要求。观感质量检验结果：好。\n综合验收结论：合格。\n"
              "施工单位项目负责人 | 周强 | 2024年7月4日\n{extra}总监理工程师 | 肖春生 | 2024年7月4日")
    roof = record.format(t="屋面分部（子分部）工程质量验收记录", extra="")
    assert _findings(taxonomy, "分部（子分部）工程质量验收记录", roof) == []
    ground = record.format(t="地基与基础分部（子分部）工程质量验收记录", extra="")
    assert any("勘察项目负责人" in f for f in _findings(taxonomy, "分部（子分部）工程质量验收记录", ground))


def test_a_locality_can_teach_the_checker_its_own_label(tmp_path: Path) -> None:
    override = tmp_path / "某省.yaml"
    override.write_text("override: {name: 某省}\nfields:\n  fields:\n    编号: {labels: [登记号]}\n", encoding="utf-8")
    taxonomy = load_taxonomy(override)
    text = NOTICE.replace("| 编号 |", "| 登记号 |")
    filed = doc("B1-8", 1, doc_type="监理通知单", title="监理通知单", text=text)
    assert [f.message for f in check_fields([filed], taxonomy)] == ["《监理通知单》缺少栏目：编号"]
    assert check_fields([filed], taxonomy, load_field_rules(override)) == []


def test_every_field_name_of_the_taxonomy_is_readable(taxonomy: Taxonomy) -> None:
    assert vocabulary_problems(taxonomy, load_field_rules()) == []


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
    """The handover plan and completeness group and number every document alike (one scheme, one call)."""
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
