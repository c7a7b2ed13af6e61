"""Every disambiguation rule of standards.md §4, both ways, and the reason that says it fired."""

from __future__ import annotations

import pytest

from classify import RuleClassifier
from schemas.documents import Classification

CHANGE_RULE = "规则「设计变更 / 工程洽商（技术核定） / 工程变更单 / 现场签证」"
LEVEL_RULE = "规则「检验批 < 分项 < 分部（子分部） < 单位（子单位）」"
REPORT_RULE = "规则「工程竣工报告（施工单位） vs 工程竣工验收报告（建设单位）」"
PLAN_RULE = "规则「监理规划 vs 监理大纲（投标） vs 监理实施细则」"
DRAWING_RULE = "规则「竣工图（D） vs 施工图」"


def _fired(verdict: Classification, rule: str) -> bool:
    return any(reason.startswith(rule) for reason in verdict.reasons)


# --- 设计变更 vs 工程洽商/技术核定 vs 工程变更单 vs 现场签证 ---------------------------------------
def test_design_change_notice_is_a_design_change(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "设计变更通知单",
        "编号：结施-变-03\n工程名称：市档案馆新馆 专业：结构\n变更原因：地下室外墙抗渗等级调整\n"
        "变更内容：外墙混凝土抗渗等级由P6改为P8\n设计单位（出图专用章） 设计人 专业负责人",
    )
    assert (verdict.item_code, verdict.doc_type) == ("C2-6", "设计变更通知单")
    assert _fired(verdict, CHANGE_RULE)


def test_negotiation_record_is_not_a_design_change(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "工程洽商记录",
        "编号：QS-05\n提出单位：施工单位\n洽商摘要：卫生间降板做法调整，按设计变更通知单S-03执行后的补充做法\n"
        "建设单位 设计单位专业负责人 监理单位 施工单位",
    )
    assert (verdict.item_code, verdict.doc_type) == ("C2-7", "工程洽商记录")
    assert _fired(verdict, CHANGE_RULE)


def test_technical_verification_sheet_files_with_negotiations(classifier: RuleClassifier) -> None:
    verdict = classifier.classify("技术核定单", "核定内容：预埋套管位置调整\n提出单位：某机电安装公司")
    assert verdict.item_code == "C2-7"


def test_change_order_routed_by_the_supervisor_is_a_change_order(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "工程变更单",
        "表C.0.2\n致：某工程咨询有限公司（项目监理机构）\n由于地下水位变化原因，兹提出降水方案变更，请予以审批。\n"
        "变更费用及工期影响：增加费用12万元\n总监理工程师（签字）",
    )
    assert (verdict.class_code, verdict.doc_type) == ("C2", "工程变更单")


def test_site_visa_is_a_cost_record_not_a_drawing_change(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "现场签证单",
        "签证编号：QZ-011\n签证内容：因设计变更S-03增加土方外运 1200m³\n单价：35元 合价：42000元",
    )
    assert (verdict.class_code, verdict.item_code) == ("C3", "C3-10")
    assert _fired(verdict, CHANGE_RULE)


def test_a_test_sign_off_called_qianzheng_is_not_a_site_visa(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "电缆带电试运签证", "带电前检查\n电缆相间及对地绝缘电阻不小于1MΩ/kV\n试运结论：合格"
    )
    assert verdict.class_code == "C6"


def test_bare_change_sheet_is_decided_by_its_issuer(classifier: RuleClassifier) -> None:
    designer = classifier.classify(
        "变更单", "设计号：2023-0203\n变更原因：边坡处理\n设计人 专业负责人 设计单位（出图专用章）"
    )
    contractor = classifier.classify(
        "变更单", "提出单位：施工单位\n洽商内容：后浇带位置调整\n会签：设计专业负责人"
    )
    assert designer.doc_type == "设计变更通知单"
    assert contractor.doc_type == "工程洽商记录"
    assert _fired(designer, CHANGE_RULE) and _fired(contractor, CHANGE_RULE)


def test_bare_change_sheet_without_issuer_goes_to_review(classifier: RuleClassifier) -> None:
    verdict = classifier.classify("变更单", "内容：见附图")
    assert verdict.class_code == "C2" and verdict.needs_review


# --- 检验批 < 分项 < 分部（子分部） < 单位（子单位） -------------------------------------------------
def test_inspection_lot_record_with_higher_level_field_labels_is_an_inspection_lot(
    classifier: RuleClassifier,
) -> None:
    verdict = classifier.classify(
        "土方开挖检验批质量验收记录",
        "单位（子单位）工程名称：市档案馆新馆 分部（子分部）工程名称：地基与基础 分项工程名称：土方开挖\n"
        "检验批容量：4500m³\n主控项目\n一般项目",
    )
    assert verdict.item_code == "C7-1"


def test_title_naming_subitem_and_lot_takes_the_most_specific_level(classifier: RuleClassifier) -> None:
    verdict = classifier.classify("土方开挖分项工程检验批质量验收记录", "主控项目\n一般项目")
    assert verdict.item_code == "C7-1"
    assert _fired(verdict, LEVEL_RULE) and "最具体" in " ".join(verdict.reasons)


def test_subitem_record_listing_its_lots_is_a_subitem_record(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "土方分项工程质量验收记录",
        "检验批数量：3\n序号 | 检验批名称 | 检验批容量 | 部位\n1 | 柱基、基坑、基槽土方开挖检验批质量验收记录 | 113m² | 箱变基础",
    )
    assert verdict.item_code == "C7-2"
    assert _fired(verdict, LEVEL_RULE)


def test_division_record_listing_subitems_is_still_a_division_record(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "主体结构分部工程质量验收记录",
        "子分部工程数量：2 分项工程数量：6\n序号 | 子分部工程名称 | 分项工程名称 | 检验批数\n"
        "1 | 混凝土结构 | 钢筋分项工程质量验收记录 | 12\n2 | 混凝土结构 | 模板分项工程质量验收记录 | 10\n"
        "质量控制资料：齐全\n安全和功能检验结果：合格\n观感质量检验结果：好",
    )
    assert verdict.item_code == "C7-3"
    assert _fired(verdict, LEVEL_RULE)


def test_unit_record_listing_divisions_is_a_unit_record(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "单位（子单位）工程质量竣工验收记录",
        "分部工程验收：共9分部 | 地基与基础分部工程质量验收记录 合格\n质量控制资料核查\n观感质量验收\n综合验收结论：合格",
    )
    assert verdict.class_code == "C8" and verdict.item_code == "C8-2"


# --- 工程竣工报告 vs 工程竣工验收报告 -------------------------------------------------------------
def test_contractor_completion_report(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "单位工程竣工报告",
        "施工单位：中建某局\n工程完成情况：已完成合同约定内容\n质量自评：合格\n申请竣工验收",
    )
    assert (verdict.item_code, verdict.doc_type) == ("E1-3", "工程竣工报告")
    assert _fired(verdict, REPORT_RULE)


def test_owner_acceptance_report(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "工程竣工验收报告",
        "验收组组长：王某\n验收组成员：五方责任主体项目负责人\n验收程序\n验收结论：同意通过竣工验收",
    )
    assert (verdict.item_code, verdict.doc_type) == ("E1-5", "工程竣工验收报告")
    assert _fired(verdict, REPORT_RULE)


def test_completion_report_without_acceptance_words_in_the_title_is_decided_by_content(
    classifier: RuleClassifier,
) -> None:
    verdict = classifier.classify(
        None, "竣工报告\n验收组组长：王某\n验收组成员：五方\n验收程序\n验收结论：合格"
    )
    # the title names the contractor's report; the rule keeps the title's word, the markers only break ties
    assert verdict.doc_type == "工程竣工报告"


# --- 监理规划 vs 监理大纲 vs 监理实施细则 -----------------------------------------------------------
def test_supervision_plan(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "市档案馆新馆工程监理规划", "监理工作范围\n监理组织形式\n监理实施细则编制计划"
    )
    assert verdict.item_code == "B1-1"
    assert _fired(verdict, PLAN_RULE)


def test_supervision_outline_is_a_bid_document(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "市档案馆新馆工程监理大纲", "投标人：某工程咨询有限公司\n本大纲为投标文件组成部分\n监理规划要点"
    )
    assert (verdict.class_code, verdict.item_code) == ("A4", "A4-5")
    assert _fired(verdict, PLAN_RULE)


def test_supervision_detailed_rules(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "深基坑工程监理实施细则", "专业工程特点\n监理工作流程\n监理工作要点\n依据监理规划编制"
    )
    assert verdict.item_code == "B1-2"


# --- 竣工图 vs 施工图 ------------------------------------------------------------------------------
DRAWING = "图名：三层梁配筋图 图号：结施-12 比例：1:100 版本号：B\n设计人 校核 审核人 审定 专业负责人\n会签栏"
STAMP = "竣工图\n施工单位 编制人 审核人 技术负责人 编制日期\n监理单位 总监 现场监理"


def test_stamped_drawing_is_an_as_built_drawing(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, f"{DRAWING}\n{STAMP}")
    assert (verdict.class_code, verdict.item_code) == ("D", "D-2")
    assert _fired(verdict, DRAWING_RULE)


def test_unstamped_drawing_is_a_construction_drawing_not_d(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, DRAWING)
    assert verdict.class_code == "A3" and verdict.doc_type == "施工图" and verdict.needs_review
    assert _fired(verdict, DRAWING_RULE)


def test_report_that_mentions_as_built_drawings_is_not_a_drawing(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "工程竣工验收报告",
        "验收组组长：王某\n竣工图：已按要求编制，图号、比例齐全，设计人签字\n验收结论：合格",
    )
    assert verdict.class_code == "E1"


# --- 施工单位报审表 vs 监理签发 --------------------------------------------------------------------
def test_shared_form_says_where_the_other_copy_goes(classifier: RuleClassifier) -> None:
    submitted = classifier.classify("工程开工报审表", "致：某工程咨询有限公司（项目监理机构）\n申请开工")
    ordered = classifier.classify("工程开工令", "经审查，同意你方开始施工\n总监理工程师")
    assert submitted.item_code == "C3-1" and any("B2-1" in r for r in submitted.reasons)
    assert ordered.item_code == "B2-1"


def test_the_supervisor_s_copy_of_a_shared_form_is_filed_in_b(classifier: RuleClassifier) -> None:
    text = "表B.0.12\n致：华诚监理（项目监理机构）\n我方已完成施工总进度计划的编制，请予以审查。\n总监理工程师审核意见：同意"
    contractor = classifier.classify("施工进度计划报审表", text, folder_hints=["C3 进度造价文件", "C 施工文件"])
    supervisor = classifier.classify("施工进度计划报审表", text, folder_hints=["B2 进度控制文件", "B 监理文件"])
    unknown = classifier.classify("施工进度计划报审表", text, folder_hints=["收文"])
    assert (contractor.class_code, contractor.item_code) == ("C3", "C3-3")
    assert (unknown.class_code, unknown.item_code) == ("C3", "C3-3")
    assert (supervisor.class_code, supervisor.item_code) == ("B2", "B2-2")
    assert supervisor.doc_type == "施工进度计划报审表"
    assert any("B2进度控制文件" in r and "存档联" in r for r in supervisor.reasons)


# --- 立项会议纪要 vs 监理会议纪要 --------------------------------------------------------------------
MEETING_RULE = "规则「立项会议纪要（A1） vs 监理会议纪要（B1）」"


def test_agency_meeting_minutes_on_project_approval_are_a1(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "局长办公会议纪要（第12期）",
        "会议研究了新馆建设项目立项事宜，同意上报可行性研究报告，投资估算2.6亿元，资金来源为财政拨款。",
    )
    assert verdict.item_code == "A1-4"
    assert _fired(verdict, MEETING_RULE)


def test_site_meeting_minutes_are_b1(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "会议纪要",
        "时间：2024年5月8日\n参加单位：建设单位、监理单位、施工单位\n总监主持，检查上周工程进度及质量安全",
    )
    assert verdict.item_code == "B1-4"
    assert _fired(verdict, MEETING_RULE)


def test_a_named_minutes_type_is_not_reopened_by_the_meeting_rule(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "竣工验收会议纪要", "参加单位：建设、监理、施工单位\n总监汇报工程质量评估情况"
    )
    assert verdict.item_code == "E1-6"
    assert not _fired(verdict, MEETING_RULE)


# --- 中标通知书: which tender ---------------------------------------------------------------------
@pytest.mark.parametrize(("text", "item"), [
    ("你单位在本工程施工招标中被确定为中标人，中标价1286万元，施工工期221日历天，项目经理（建造师）周强。", "A4-3"),
    ("你单位在本工程勘察设计招标中被确定为中标人，设计费：120万元，设计周期60日历天。", "A4-1"),
    ("你单位在本工程监理招标中被确定为中标人，监理服务费：26.8万元，总监理工程师：肖春生。", "A4-5"),
])
def test_an_award_notice_is_filed_by_the_tender_it_names(classifier: RuleClassifier, text: str, item: str) -> None:
    verdict = classifier.classify("中标通知书", "招标人：市机关事务管理局\n" + text)
    assert verdict.item_code == item
    assert any("规则「中标通知书" in r for r in verdict.reasons)


# --- 无标题时按口吻 ----------------------------------------------------------------------------------
def _untitled(voice: str, other: str, headings: int = 4) -> str:
    """Six sections in the given voice; ``headings`` of them are chapter headings of a 监理实施细则."""
    typical = ["五、专业工程特点", "六、监理工作流程", "七、监理工作要点", "八、监理工作方法及措施"][:headings]
    headings = ["一、编制依据", "二、工程概况", "三、质量目标", "四、进度安排"][: 6 - len(typical)] + typical
    lines = ["第1页"]
    for heading in headings:
        lines += [heading, *[f"本节由{voice}人员负责，{voice}工程师按{voice}程序开展工作，{other}方面配合。"] * 4]
    return "\n".join(lines)


def test_without_a_title_the_writer_s_voice_weighs_the_structure(classifier: RuleClassifier) -> None:
    supervisor = classifier.classify(None, _untitled("监理", "施工"))
    contractor = classifier.classify(None, _untitled("施工", "建设", headings=2))
    assert supervisor.class_code == "B1"
    assert any("监理单位文件 vs 施工单位文件" in r and "按监理方口吻" in r for r in supervisor.reasons)
    assert contractor.class_code != "B1" and contractor.confidence < supervisor.confidence / 1.5


def test_three_chapter_headings_of_a_type_stand_against_the_voice(classifier: RuleClassifier) -> None:
    """A 监理 chapter on 监理工作制度 talks of 施工 all the time; its headings still say whose it is."""
    verdict = classifier.classify(None, _untitled("施工", "建设"))
    assert verdict.class_code == "B1"


# rule id in taxonomy.yaml → the test that pins it (test_rules.py for the not_filed rule)
COVERED = {
    "change_documents": "test_design_change_notice_is_a_design_change",
    "acceptance_levels": "test_subitem_record_listing_its_lots_is_a_subitem_record",
    "award_notices": "test_an_award_notice_is_filed_by_the_tender_it_names",
    "completion_reports": "test_contractor_completion_report",
    "supervision_plans": "test_supervision_outline_is_a_bid_document",
    "meeting_minutes": "test_agency_meeting_minutes_on_project_approval_are_a1",
    "as_built_drawings": "test_stamped_drawing_is_an_as_built_drawing",
    "author_voice": "test_without_a_title_the_writer_s_voice_weighs_the_structure",
    "archive_apparatus": "test_archive_apparatus_is_not_filed",
    "shared_forms": "test_the_supervisor_s_copy_of_a_shared_form_is_filed_in_b",
    "not_project_records": "test_a_record_that_is_no_project_document_is_not_filed_and_says_why",
}


def test_every_disambiguation_rule_of_the_taxonomy_has_a_test(taxonomy) -> None:  # type: ignore[no-untyped-def]
    """A rule added to the data without a test listed in COVERED fails here."""
    assert {rule.id for rule in taxonomy.disambiguation} == set(COVERED)
    from tests.classify import test_real_kinds, test_rules

    assert all(name in globals() or hasattr(test_rules, name) or hasattr(test_real_kinds, name)
               for name in COVERED.values())
