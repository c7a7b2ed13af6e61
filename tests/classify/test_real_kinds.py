"""The kinds of real documents the classifier used to miss, each with an example written for the test.

None of these texts is copied from the corpora: they are made up in the shape such forms take
(blank government templates with ＿＿ blanks, a 监理规划 chapter without its cover, a change sheet's
title block, a 竣工图 volume's 卷内目录, site records whose titles share words with tests and
acceptance records). Names of companies and places are invented.
"""

from __future__ import annotations

import pytest

from classify import RuleClassifier

GOVERNMENT_FORMS = [
    ("A2", "建设用地申请表",
     "建设用地申请表\n申请单位（盖章）：＿＿＿＿＿＿\n建设项目名称：＿＿＿＿\n用地位置：＿＿＿＿ 用地面积：＿＿平方米\n"
     "可行性研究报告批准文号：＿＿＿＿\n受理机关：＿＿＿＿ 受理日期：＿＿年＿＿月＿＿日"),
    ("A2", "《建设用地规划许可证》核发申请表",
     "申请人：＿＿＿＿ 法定代表人：＿＿＿＿\n项目名称：＿＿＿＿\n用地位置：＿＿＿＿\n拟用地面积（㎡）：＿＿\n"
     "行政许可申请人（签名、盖章）：＿＿＿＿"),
    ("A3", "建设工程设计方案（修建性详细规划）审查申请表",
     "申请人：＿＿＿＿\n项目名称：＿＿＿＿ 设计单位：＿＿＿＿\n用地性质：＿＿ 建设规模：＿＿\n附：设计方案文本＿份"),
    ("A3", "防空地下室报建审批申请表",
     "建设项目名称：＿＿\n地面总建筑面积：＿＿ m2\n应建防空地下室面积：＿＿ m2\n设计单位：＿＿\n申请单位（盖章）"),
    ("A1", "省企业投资项目备案（赋码）信息表",
     "项目代码：＿＿＿＿\n项目名称：＿＿＿＿\n建设性质：□新建 □扩建\n总投资（万元）：＿＿\n建设规模与内容：＿＿"),
    ("A5", "建设工程质量安全监督登记表",
     "工程名称：＿＿＿＿ 计划开工日期：＿＿\n建筑面积（㎡）：＿＿ 工程合同造价（万元）：＿＿\n施工图审查机构：＿＿\n"
     "监督机构受理意见：＿＿＿＿"),
    ("A5", "房屋建筑工程施工许可并联审批申请表",
     "建设单位：＿＿＿＿\n工程名称：＿＿＿＿\n合同价格（万元）：＿＿ 合同工期：＿＿天\n施工单位：＿＿ 监理单位：＿＿"),
    ("E1", "建设工程竣工验收消防备案申报表",
     "建设单位：＿＿＿＿ 法定代表人：＿＿\n工程名称：＿＿ 工程地址：＿＿\n使用性质：＿＿\n设计单位：＿＿ 施工单位：＿＿\n"
     "单体建筑名称｜结构类型｜耐火等级｜层数"),
    ("E1", "防雷装置竣工验收申请书",
     "申请单位（盖章）：＿＿＿＿\n建设项目名称：＿＿＿＿\n防雷装置施工单位：＿＿＿＿ 资质等级：＿＿\n"
     "附：防雷装置竣工图纸、检测报告"),
    ("E1", "建设工程竣工规划核实申请表",
     "建设单位（个人）：＿＿＿＿\n建设工程规划许可证号：＿＿＿＿\n各项工程是否按规划许可内容全部完成：□是 □否\n"
     "附件：竣工测量成果"),
]


CHANGE_SHEET = (
    "说明：本图为地下室顶板加固做法，根据设计变更通知单重新出图。\n"
    "设计人 校核人 审核人 审定人 专业负责人\n图名 顶板加固平面图\n图号 结施-07(变更)\n比例 1:100 版本号 02\n"
    "设计单位（出图专用章）"
)


def test_a_drawing_sheet_marked_as_a_change_is_filed_with_the_change(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, CHANGE_SHEET)
    assert (verdict.class_code, verdict.item_code) == ("C2", "C2-6"), verdict.reasons
    assert "变更" in verdict.reasons[0]


def test_the_same_sheet_with_an_as_built_stamp_is_a_drawing_of_d(classifier: RuleClassifier) -> None:
    stamped = CHANGE_SHEET + "\n竣工图\n编制人 审核人 技术负责人 现场监理 总监"
    assert classifier.classify(None, stamped).class_code == "D"


def test_a_sheet_without_change_mark_or_stamp_is_a_construction_drawing(classifier: RuleClassifier) -> None:
    plain = CHANGE_SHEET.replace("(变更)", "").replace("根据设计变更通知单重新出图", "按规范施工")
    verdict = classifier.classify(None, plain)
    assert verdict.class_code == "A3" and verdict.needs_review


SUPERVISION_PLAN_CHAPTERS = [
    "3 监理工作范围、内容、目标\n3.1 监理工作范围\n依据监理合同对施工准备、施工及保修阶段实施监理。\n"
    "3.2 监理工作内容\n（1）审查施工组织设计；（2）主持监理例会。\n3.3 监理工作目标\n质量目标：合格。",
    "6 监理工作制度\n6.1 图纸会审与设计交底制度\n项目监理机构参加建设单位组织的图纸会审。\n6.2 施工组织设计审核制度\n"
    "6.3 工程材料进场检验制度\n6.4 监理例会制度\n6.5 监理日志与监理月报制度",
    "1.4 参建单位\n序号｜类别｜单位名称\n1｜建设单位｜某市政工程管理处\n2｜设计单位｜某设计研究院\n3｜监理单位｜某监理咨询公司\n"
    "4｜施工总承包单位｜某建设集团\n1.5 项目监理机构的组织形式\n总监理工程师、专业监理工程师、监理员\n"
    "1.6 监理人员岗位职责\n总监理工程师对监理合同的实施负全面责任。",
]


@pytest.mark.parametrize("text", SUPERVISION_PLAN_CHAPTERS, ids=["scope", "rules", "parties"])
def test_a_chapter_of_a_supervision_plan_is_still_the_plan(classifier: RuleClassifier, text: str) -> None:
    verdict = classifier.classify(None, text)
    assert (verdict.class_code, verdict.item_code) == ("B1", "B1-1"), verdict.reasons


def test_a_supervision_plan_cover_set_one_character_per_line(classifier: RuleClassifier) -> None:
    cover = "附件二\n某某工程\n监\n理\n规\n划\n编制人：\n编制单位：某监理公司项目监理部\n编制日期：  年  月  日"
    assert classifier.classify(None, cover).item_code == "B1-1"


@pytest.mark.parametrize(("discipline", "item"), [("电气", "D-7"), ("结构", "D-2")])
def test_the_catalogue_of_an_as_built_volume_is_filed_with_its_drawings(
    classifier: RuleClassifier, discipline: str, item: str
) -> None:
    rows = "\n".join(
        f"{n}｜DQ-{n:02d}｜某建设公司｜某项目 {title}｜2024-05-06｜1"
        for n, title in enumerate([f"{discipline}专业竣工图封面", f"{discipline}专业竣工图图纸目录", "设计说明",
                                   "总平面布置图", "系统图"], start=1)
    )
    verdict = classifier.classify(None, f"卷内目录\n档号：XM01-D-001\n序号｜文件编号｜责任者｜文件题名｜日期｜页号\n{rows}")
    assert (verdict.class_code, verdict.item_code) == ("D", item), verdict.reasons


def test_any_other_volume_catalogue_is_not_filed(classifier: RuleClassifier) -> None:
    rows = "1｜某项目 施工日志｜2024-03-01\n2｜某项目 技术交底记录｜2024-03-02"
    assert classifier.classify(None, f"卷内目录\n序号｜文件题名｜日期\n{rows}").class_code is None


SITE_RECORDS = [
    ("C5", "施工放样测量记录表", "承包单位：＿＿ 监理单位：＿＿\n桩号及部位｜设计坐标｜实测坐标｜坐标差\n全站仪型号：＿＿\n观测：＿ 记录：＿"),
    ("C5", "混凝土坍落度验收表", "浇筑部位：三层梁板\n车次｜出站时间｜到场时间｜设计坍落度｜实测坍落度｜验收人\n1｜8:10｜8:45｜180±20｜185｜"),
    ("C5", "预拌混凝土施工记录", "浇捣部位：＿＿ 设计强度：C30\n浇捣时间：自＿时起至＿时止\n预拌混凝土电脑出料单是否齐全：□"),
    ("C5", "设备施工安装记录", "分项工程名称：配电柜安装\n验收项目｜设计要求及规范｜检查记录｜检查结果\n垂直度｜≤1.5‰｜1.0‰｜合格"),
    ("C6", "接地电阻测试记录", "仪表型号：ZC-8\n测试部位｜设计值（Ω）｜实测值（Ω）｜结论\n1#防雷引下线｜≤1｜0.6｜合格"),
    ("C7", "分部（子分部）工程报验申请单",
     "致：某监理公司项目监理部\n主体结构分部工程已施工完毕，经自检质量符合设计及规范要求，请予验收。\n附件：分部工程质量验收记录\n"
     "承包单位（章）： 项目经理："),
    ("C7", "钢筋安装检验批质量验收记录",
     "单位（子单位）工程名称｜某办公楼｜分部工程名称｜主体结构\n主控项目｜受力钢筋的牌号、规格和数量｜符合设计要求\n"
     "施工单位检查结果｜专业监理工程师验收结论"),
    ("C4", "钢筋原材力学性能试验检测报告",
     "委托单位：＿＿ 见证人：＿＿\n样品名称：HRB400E热轧带肋钢筋 公称直径：20mm\n屈服强度（MPa）｜抗拉强度（MPa）｜断后伸长率（%）"),
    ("C6", "钢筋焊接接头试验检测报告",
     "委托单位：＿＿ 见证人：＿＿\n焊接方法：闪光对焊 钢筋牌号：HRB400\n拉伸试验｜断口位置｜断裂特征"),
]


# Forms whose names share words with another row: a review of a design or cost document, a sample's
# consignment note, an order to pour, a local 报建 or 成交 form, a 联络单, a warranty agreement.
NAMED_ELSEWHERE = [
    ("A3", "扩大初步设计文件专家评审意见表",
     "项目名称：＿＿＿＿\n专家姓名｜职称｜工作单位\n评审重点：＿＿\n评审意见：＿＿＿＿\n专家签名：＿＿ 年 月 日"),
    ("A6", "工程概算专家评审意见表",
     "项目名称：＿＿＿＿\n专家姓名｜职称｜工作单位\n评审意见：＿＿＿＿\n专家签名：＿＿ 年 月 日"),
    ("A3", "建设工程抗震设防专项审查意见书",
     "建设项目名称：＿＿ 建筑面积：＿＿\n抗震设防烈度：＿度 结构型式：＿＿\n审查机构（盖章）＿＿ 年 月 日"),
    ("A4", "小型建设工程施工项目（交易成交）通知书",
     "（施工单位）：\n经审核由贵单位承包，请自通知书发出之日起＿日内来我单位签订合同。\n交易成交价：＿＿万元"),
    ("A5", "建设工程项目报建登记表",
     "建设单位：＿＿ 组织机构代码：＿＿\n立项或批准文件：＿＿ 招标方式：□公开 □邀请\n总投资额：＿＿万元"),
    ("A6", "勘察设计费用测算表", "序号｜项目｜费用（万元）｜备注\n1｜工程勘察费｜＿＿｜\n合计（含税）｜＿＿"),
    ("B1", "技术联络单",
     "工程名称：＿＿ 编号：＿＿\n提出单位：＿＿ 主送：＿＿ 抄送：＿＿\n事由：＿＿\n答复意见：＿＿ 答复单位（章）"),
    ("C6", "混凝土试块见证取样送检委托单",
     "工程名称：＿＿ 委托日期：＿＿\n试件编号｜强度等级｜成型日期｜龄期\n取样人：＿＿ 见证人（监理工程师）：＿＿ 收样人：＿＿"),
    ("C5", "混凝土浇筑令",
     "工程名称：＿＿ 编号：＿＿\n浇筑部位｜计划浇筑时间\n浇筑条件检查内容｜施工单位自检意见｜监理单位核查意见\n钢筋隐蔽验收情况"),
    ("C5", "旧门窗构件拆卸记录",
     "（表3-2） 编号：＿＿\n构件名称｜数量｜原位置｜照片编号\n签字栏｜施工单位（项目负责人）｜监理单位（监理工程师）"),
    ("C7", "质量共检通知单",
     "共检单位：＿＿ 专业：＿＿\n下列项目已完成施工并经我方自检合格，现报请共检。\n施工单位（章）：＿＿ 项目技术负责人：＿＿"),
    ("E1", "工程质量保修协议书",
     "发包人（甲方）：＿＿\n承包人（乙方）：＿＿\n一、工程质量保修范围和内容\n二、质量保修期\n三、保修责任"),
]


@pytest.mark.parametrize(("expected", "title", "text"), GOVERNMENT_FORMS + SITE_RECORDS + NAMED_ELSEWHERE,
                         ids=[t for _, t, _ in GOVERNMENT_FORMS + SITE_RECORDS + NAMED_ELSEWHERE])
def test_forms_file_by_their_titles(classifier: RuleClassifier, expected: str, title: str, text: str) -> None:
    """Blank government forms file with the approval they ask for; site records, tests and acceptance
    records are told apart.
    """
    verdict = classifier.classify(None, f"{title}\n{text}")
    assert verdict.class_code == expected, verdict.reasons


CONTRACTOR_SUBMISSIONS = [
    ("C1", "试验室资质报审表"), ("C2", "专项方案报审表"), ("C3", "计划、调整计划报审表"), ("C4", "主要设备开箱申请表"),
    ("C5", "工程控制网测量报审表"), ("C6", "混凝土配合比报审表"), ("C7", "验收申请表"), ("C8", "单位工程验收申请表"),
]


@pytest.mark.parametrize(("expected", "title"), CONTRACTOR_SUBMISSIONS, ids=[t for _, t in CONTRACTOR_SUBMISSIONS])
def test_a_contractor_submission_is_filed_by_its_subject(
    classifier: RuleClassifier, expected: str, title: str
) -> None:
    text = (f"{title}\n工程名称：＿＿＿＿ 编号：＿＿\n致：＿＿＿＿项目监理机构\n现报上，请予以审查。\n"
            "承包单位（章）： 项目经理（签字）：\n项目监理机构（章）： 总监理工程师：")
    verdict = classifier.classify(None, text)
    assert verdict.class_code == expected, verdict.reasons


NOT_PROJECT_RECORDS = [
    "档案借阅审批表\n借阅人：＿＿ 借阅部门：＿＿\n借阅档案名称：＿＿ 归还日期：＿＿",
    "农民工工资发放表\n序号｜姓名｜身份证号｜出勤天数｜应发工资｜实发工资｜签字",
    "物业管理服务采购项目\n竞争性磋商文件\n第一章 磋商邀请\n第二章 供应商须知",
    "安全生产标准化达标创建\n工作方案\n一、工作目的\n二、检查依据\n三、专家组成员",
    "关于召开年度工作会议的会务安排\n一、会议时间\n二、参会人员\n三、食宿安排",
    "某区某局\n物业管理服务\n公开招标文件\n第一章 招标公告\n第二章 投标人须知",
    "竣工验收备案\n序号｜提交材料名称｜原件/复印件｜份数｜要求\n1｜工程竣工验收申请表｜原件｜1｜填写完整\n"
    "2｜营业执照｜复印件｜1｜加盖公章",
]


@pytest.mark.parametrize("text", NOT_PROJECT_RECORDS,
                         ids=["borrowing", "wages", "services", "safety", "meeting", "split-heading", "checklist"])
def test_a_record_that_is_no_project_document_is_not_filed_and_says_why(
    classifier: RuleClassifier, text: str
) -> None:
    verdict = classifier.classify(None, text)
    assert verdict.class_code is None and verdict.needs_review
    assert "附录A" in verdict.reasons[0] or "没有可辨识" in verdict.reasons[0]


def test_a_form_number_of_gbt_50319_speaks_when_the_title_is_cut_off(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, "表B.0.6\n工程名称：＿＿ 编号：＿＿\n致：＿＿（项目监理机构）\n"
                                        "于＿年＿月＿日进场的工程材料数量如下，现将相关质量证明文件报上。")
    assert (verdict.class_code, verdict.item_code) == ("C4", "C4-8"), verdict.reasons
    assert any("表号" in reason for reason in verdict.reasons)


def test_the_issuing_party_is_named_in_the_reasons(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, "工程复工报审表\n致：某监理公司项目监理机构\n编号：FG-02\n"
                                        "施工项目经理部（盖章） 项目经理（签字）")
    assert verdict.class_code == "C3"
    assert any("施工单位报监理" in reason for reason in verdict.reasons)


def test_a_title_behind_a_task_sheet_is_still_found(classifier: RuleClassifier) -> None:
    task_sheet = "\n".join(["检测任务单", "委托编号｜＿＿", "试验类别｜＿＿", "收样日期｜＿＿"] +
                           [f"备注{n}｜＿＿" for n in range(1, 16)])
    verdict = classifier.classify(None, f"{task_sheet}\n混凝土抗渗性能检测报告 | 第1页\n抗渗等级：P8\n试件编号｜渗水高度")
    assert verdict.class_code == "C6", verdict.reasons


def test_every_verdict_offers_three_candidates_with_reasons(classifier: RuleClassifier) -> None:
    verdict = classifier.classify(None, "验收申请表\n致：项目监理机构\n我方已完成（检验批/分项/分部/单位工程），请予验收。")
    assert 1 <= len(verdict.candidates) <= 3
    assert verdict.candidates[0].class_code == verdict.class_code
    assert all(candidate.reasons for candidate in verdict.candidates)
    assert len({c.class_code for c in verdict.candidates}) == len(verdict.candidates)


def test_a_site_photo_with_a_watermark_stamp_is_offered_as_a_project_photo(classifier: RuleClassifier) -> None:
    """OCR of a watermark-camera photo: no title, only the stamp; a 检验批 sign in the shot is no form."""
    stamp = ("施工区域：人工挖孔桩\n施工内容：3号桩验桩 检验批/隐蔽工程验收责任标识牌\n"
             "拍摄时间：2024.05.12 09:31\n天气：晴 26℃ 地点：某区某路\n某某工程有限公司 | 今日水印")
    verdict = classifier.classify(None, stamp)
    assert (verdict.class_code, verdict.item_code) == ("E3", "E3-1"), verdict.reasons


def test_a_purchase_between_buyer_and_seller_is_no_construction_contract(classifier: RuleClassifier) -> None:
    """The title says only 合同书; the parties, a few lines down, say it is a purchase."""
    text = ("合同书\n合同编号：CG-2024-017\n项目名称：办公设备采购\n\n合同双方：\n甲方（买方）：某区机关事务管理局\n"
            "地址：某路1号\n乙方（卖方）：某科技有限公司\n根据《中华人民共和国政府采购法》，双方签订本合同。")
    verdict = classifier.classify(None, text)
    assert verdict.class_code is None and verdict.not_a_project_record, verdict.reasons
    assert "买方" in verdict.reasons[0]
    works = text.replace("甲方（买方）", "发包人（甲方）").replace("乙方（卖方）", "承包人（乙方）")
    assert classifier.classify(None, works).class_code == "A4"
