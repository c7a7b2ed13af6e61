"""The rule classifier on realistic documents: every sub-class, position weighting, hints, rejection."""

from __future__ import annotations

import pytest

from classify import RuleClassifier
from tests.classify.examples import CASES


@pytest.mark.parametrize(("subclass", "item", "title", "text"), CASES, ids=[c[0] for c in CASES])
def test_every_subclass_is_recognised_from_its_title(
    classifier: RuleClassifier, subclass: str, item: str | None, title: str, text: str
) -> None:
    verdict = classifier.classify(title, text)
    assert (verdict.class_code, verdict.item_code) == (subclass, item)
    assert verdict.confidence >= 0.5 and not verdict.needs_review
    assert verdict.reasons[0].startswith("标题含「")


@pytest.mark.parametrize(("subclass", "item", "title", "text"), CASES, ids=[c[0] for c in CASES])
def test_every_subclass_is_recognised_when_the_title_is_only_the_first_line(
    classifier: RuleClassifier, subclass: str, item: str | None, title: str, text: str
) -> None:
    verdict = classifier.classify(None, f"{title}\n{text}")
    assert (verdict.class_code, verdict.item_code) == (subclass, item)


def test_letter_spaced_and_cell_split_titles_are_read(classifier: RuleClassifier) -> None:
    spaced = classifier.classify(None, "监  理  规  划\n\n某某工程咨询有限公司\n二〇二四年三月")
    cells = classifier.classify(
        None, "表3.0.12-3 | 主体工程 | 分部 | （子分部） | 工程质量验收记录\n工程编号 | 5028"
    )
    assert spaced.item_code == "B1-1"
    assert cells.item_code == "C7-3"


def test_body_mentions_do_not_outweigh_the_title(classifier: RuleClassifier) -> None:
    body = "依据：设计变更通知单 S-03、S-04、S-07；工程洽商记录 QS-02。\n" * 12
    verdict = classifier.classify(
        "隐蔽工程验收记录", f"隐检项目：底板钢筋\n隐检部位：B2层\n{body}检查结论：同意隐蔽"
    )
    assert verdict.item_code == "C5-1"
    assert verdict.confidence >= 0.7 and not verdict.needs_review


def test_a_labelled_field_line_above_the_title_is_not_taken_as_the_title(classifier: RuleClassifier) -> None:
    text = "编号：YJ-031\n依据：设计变更通知单 结施-变-03\n钢筋隐蔽工程验收记录\n隐检部位：三层梁板"
    verdict = classifier.classify(None, text)
    assert verdict.item_code == "C5-1"
    assert "钢筋隐蔽工程验收记录" in verdict.reasons[0]
    unlabelled = classifier.classify(None, "设计变更通知单 结施-变-03\n钢筋隐蔽工程验收记录")
    assert (
        unlabelled.item_code == "C2-6"
    )  # the first line naming a type is the title when nothing says otherwise


def test_folder_hint_is_used_only_when_the_content_is_silent(classifier: RuleClassifier) -> None:
    silent = classifier.classify(
        None, "（扫描件，无文字）", folder_hints=["05 隐蔽工程验收记录", "C5施工记录文件"]
    )
    assert silent.class_code == "C5" and silent.needs_review
    assert any("文件夹" in reason for reason in silent.reasons)
    spoken = classifier.classify(
        "钢筋安装检验批质量验收记录", "主控项目\n一般项目", folder_hints=["D 竣工图"]
    )
    assert spoken.class_code == "C7"
    assert not any("文件夹" in reason for reason in spoken.reasons)


def test_folder_named_by_subclass_code_is_a_hint(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, "", folder_hints=["B4造价控制文件"])
    assert verdict.class_code == "B4" and verdict.item_code is None and verdict.needs_review
    assert classifier.classify(None, "", folder_hints=["C25混凝土"]).class_code is None


def test_file_name_is_a_weak_hint_and_can_be_withheld(classifier: RuleClassifier) -> None:
    named = classifier.classify(None, "", file_name="012_设计变更通知单（结构）.pdf")
    assert named.item_code == "C2-6" and named.needs_review and named.confidence < 0.5
    assert classifier.classify(None, "", file_name=None).class_code is None
    content_wins = classifier.classify("施工日志", "天气：晴", file_name="设计变更通知单.pdf")
    assert content_wins.item_code == "C1-9"


def test_unknown_document_is_not_forced_into_a_class(classifier: RuleClassifier) -> None:
    verdict = classifier.classify("机关食堂一周菜谱", "周一：米饭、青菜、红烧肉\n周二：面条、番茄炒蛋")
    assert verdict.class_code is None and verdict.item_code is None and verdict.doc_type is None
    assert verdict.confidence == 0.0 and verdict.needs_review
    assert verdict.reasons


def test_empty_text_without_hints_is_not_classified(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, "")
    assert (verdict.class_code, verdict.confidence, verdict.needs_review) == (None, 0.0, True)


def test_weak_body_evidence_alone_files_nothing(classifier: RuleClassifier) -> None:
    text = "关于加强工地扬尘治理的倡议\n各参建单位要落实施工方案中的降尘措施，工地出入口设置洗车槽。"
    verdict = classifier.classify(None, text)
    assert verdict.class_code is None and verdict.needs_review
    assert any("仅正文线索" in reason for reason in verdict.reasons)


def test_review_threshold_is_honoured(taxonomy) -> None:  # type: ignore[no-untyped-def]
    strict = RuleClassifier(taxonomy, review_threshold=0.995)
    verdict = strict.classify("施工日志", "天气：晴")
    assert verdict.class_code == "C1" and verdict.needs_review
    assert strict.classify("施工日志", "天气：晴", review_threshold=0.1).needs_review is False


def test_archive_apparatus_is_not_filed(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(
        "卷内目录",
        "序号 | 文件编号 | 责任者 | 文件题名 | 日期 | 页次\n1 | 结施-变-03 | 设计院 | 设计变更通知单",
    )
    assert verdict.class_code is None and verdict.needs_review
    assert "档案整理用表" in verdict.reasons[0]


def test_family_level_title_files_the_subclass_without_guessing_the_item(classifier: RuleClassifier) -> None:
    verdict = classifier.classify("逆变器通讯调试记录", "逆变器编号：NB001~NB011\n调试项目：通讯接口")
    assert verdict.class_code == "C6" and verdict.item_code is None
    assert "条目未定" in verdict.reasons[0]


COMMON_TITLES = [
    ("工程质量保修书", "E1-10"),
    ("建设工程竣工验收备案表", "E1-12"),
    ("建设工程消防验收意见书", "E1-9"),
    ("监理月报（2024年5月）", "B1-3"),
    ("监理例会会议纪要（第12次）", "B1-4"),
    ("监理通知回复单", "B1-9"),
    ("工程款支付报审表", "C3-7"),
    ("工程材料、构配件、设备报审表", "C4-8"),
    ("钢筋焊接接头试验报告", "C6-11"),
    ("水泥物理性能检验报告", "C4-12"),
    ("屋面淋水试验记录", "C5-24"),
    ("工程定位测量记录", "C5-4"),
    ("预应力筋张拉记录", "C5-26"),
    ("建筑节能分部工程质量验收记录", "C7-4"),
    ("单位工程观感质量检查记录", "C8-5"),
    ("防水卷材复试报告", "C4-17"),
    ("建设项目用地预审与选址意见书", "A2-1"),
    ("施工图设计文件审查合格书", "A3-7"),
    ("中标通知书", "A4-3"),
    ("建设工程监理合同", "A4-6"),
    ("建设工程规划许可证", "A5-1"),
    ("给排水竣工图", "D-6"),
    ("设计变更通知单（第3号）", "C2-6"),
]


@pytest.mark.parametrize(("title", "item"), COMMON_TITLES, ids=[t for t, _ in COMMON_TITLES])
def test_common_titles_alone_name_their_item(classifier: RuleClassifier, title: str, item: str) -> None:
    assert classifier.classify(title, "").item_code == item


# --- each rule family of the data on its own ----------------------------------------------------
def test_a_body_pattern_names_the_type_without_a_title(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, "中华人民共和国\n许可证\n地字第330100202300045号\n用地单位：市档案局\n用地面积：18650平方米")
    assert verdict.item_code == "A2-4"
    assert any("正文有「地字第330100202300045号」" in r for r in verdict.reasons)


def test_not_keywords_keep_a_type_off_a_title_that_names_its_neighbour(classifier: RuleClassifier) -> None:
    proposal = classifier.classify("市档案馆新馆项目建议书", "一、项目背景\n二、建设规模")
    approval = classifier.classify("关于市档案馆新馆项目建议书的批复", "经研究，同意建设。")
    assert (proposal.item_code, proposal.doc_type) == ("A1-1", "项目建议书")
    assert (approval.item_code, approval.doc_type) == ("A1-1", "项目建议书批复")


def test_the_catch_all_row_is_chosen_only_when_no_specific_row_matches(classifier: RuleClassifier) -> None:
    specific = classifier.classify("地基验槽施工记录", "记录内容：见附表")
    general = classifier.classify("外墙保温施工记录", "记录内容：见附表")
    assert specific.item_code == "C5-12"
    assert general.item_code == "C5-36"  # 其他施工记录文件


def test_a_title_line_with_a_long_number_inside_is_classified(classifier: RuleClassifier) -> None:
    """A 40-digit run not at the end of a line (an account or serial number) once sent the
    trailing-remark pattern through 2^40 backtracking steps: the file ran into its time limit.
    """
    verdict = classifier.classify(None, f"监理通知单\n账号{'6' * 40}号 | 编号 JL-01\n工程名称：市档案馆新馆建设工程")
    assert verdict.item_code is not None
