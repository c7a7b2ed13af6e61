"""Field extraction and titles on realistic Chinese snippets: each field, and no false positives."""

from __future__ import annotations

from datetime import date

import pytest
from haystack import Document

from ingest.amounts import find_amounts
from ingest.dates import find_dates
from ingest.fields import FieldExtractor, extract_fields
from ingest.titles import find_title
from schemas.documents import ExtractedFields
from textvalues.numerals import integer_value, upper_money_value

ACCEPTANCE_RECORD = """隐蔽工程质量验收记录
工程名称：大理机场三期扩建工程（飞行区）    编号：YS-2024-031
建设单位：云南机场集团有限责任公司  施工单位：中建三局集团有限公司
监理单位：上海天佑工程咨询有限公司
隐蔽部位：地下室外墙防水层
开工日期：2024年3月1日
验收结论：符合设计及规范要求。
验收日期：2024年5月17日
资料整理于2024年6月2日"""

START_REPORT_TABLE = """单位工程开工报审表
工程名称 | 同济大学南区新建宿舍楼项目 | 编号 | KG-2024-001
施 工 单 位 | 中建八局第三建设有限公司 | 项目经理 | 张三
监理单位（盖章） | 上海建科工程咨询有限公司
日期 | 2024-05-17"""

GOVERNMENT_REPLY = """北京市发展和改革委员会文件
京发改〔2023〕12号
关于某某学校教学楼项目初步设计概算的批复
市教委：
你委报来的初步设计概算收悉。经审核，核定项目总投资12,500.5万元。
二〇二三年三月十五日"""

CONTRACT = """建设工程施工合同
合同编号：HT-2024-007
签约合同价：人民币壹仟贰佰万元整（¥12,000,000.00元）
其中暂列金额：¥500,000.00
签订日期：2024.3.5"""

DESIGN_CHANGE = """设计变更通知单
工程名称：某某大厦
图号：结施-03  版本：B
变更金额（万元）：12.50
日期：2024/06/01"""

CONSTRUCTION_NOTE = """混凝土强度等级C30，坍落度180±20mm，执行GB 50204-2015第7.4.1条。
本层共浇筑3个施工段，第2段于上午完成，现场温度25℃，单价350元/m3。
联系电话0871-6543210，楼层标高-3.600m，钢筋Φ25@200。"""


def test_acceptance_record_fields():
    fields = extract_fields(ACCEPTANCE_RECORD)
    assert fields.project_name == "大理机场三期扩建工程（飞行区）"
    assert fields.number == "YS-2024-031"
    assert fields.parties == {
        "建设单位": "云南机场集团有限责任公司",
        "施工单位": "中建三局集团有限公司",
        "监理单位": "上海天佑工程咨询有限公司",
    }
    assert fields.dates == [date(2024, 3, 1), date(2024, 5, 17), date(2024, 6, 2)]
    assert fields.date == date(2024, 5, 17)  # the latest labelled date, not the last date
    assert fields.amount is None and fields.amounts == []
    assert fields.drawing_number is None and fields.revision is None


def test_table_cells_spaced_labels_and_seal_notes():
    fields = extract_fields(START_REPORT_TABLE)
    assert fields.project_name == "同济大学南区新建宿舍楼项目"
    assert fields.number == "KG-2024-001"
    assert fields.parties == {"施工单位": "中建八局第三建设有限公司", "监理单位": "上海建科工程咨询有限公司"}
    assert fields.date == date(2024, 5, 17)


def test_government_document_number_chinese_date_and_amount_in_wan():
    fields = extract_fields(GOVERNMENT_REPLY)
    assert fields.number == "京发改〔2023〕12号"
    assert fields.date == date(2023, 3, 15)
    assert fields.amount == 125_005_000.0
    assert find_title(GOVERNMENT_REPLY) == "关于某某学校教学楼项目初步设计概算的批复"


def test_contract_uppercase_amount_is_the_main_amount():
    fields = extract_fields(CONTRACT)
    assert fields.number == "HT-2024-007"
    assert fields.amount == 12_000_000.0
    assert fields.amounts == [12_000_000.0, 500_000.0]  # 大写 and 小写 of one sum count once
    assert fields.date == date(2024, 3, 5)


def test_design_change_drawing_number_revision_and_wan_column():
    fields = extract_fields(DESIGN_CHANGE)
    assert fields.drawing_number == "结施-03"
    assert fields.revision == "B"
    assert fields.number == "结施-03"
    assert fields.amount == 125_000.0
    assert fields.project_name == "某某大厦"


def test_fullwidth_digits_and_symbols():
    fields = extract_fields(
        "工程名称：某某泵站改造工程\n编号：ＪＬ－２０２４－０１５\n日期：２０２４年６月３日\n金额：￥１２，５００．００元"
    )
    assert fields.number == "JL-2024-015"
    assert fields.date == date(2024, 6, 3)
    assert fields.amount == 12_500.0


def test_text_without_fields_yields_nothing():
    assert extract_fields(CONSTRUCTION_NOTE) == ExtractedFields()


def test_placeholders_and_empty_labels_are_not_values():
    text = "工程名称：{{项目名称}}\n项目名称：XX工程\n施工单位（盖章）：\n监理单位：________\n编号：\n日期：    年  月  日"
    assert extract_fields(text) == ExtractedFields()


def test_project_name_skips_parts_of_the_work():
    text = "分部（子分部）工程名称 | 地基与基础\n分项工程名称：土方开挖\n单位（子单位）工程名称 | 并网点光伏发电系统"
    assert extract_fields(text).project_name == "并网点光伏发电系统"


def test_numbers_of_other_things_are_not_the_document_number():
    text = "证书编号：JZ-2019-8812\n试件编号：SK-001\n编号：GD-C5-7112"
    assert extract_fields(text).number == "GD-C5-7112"


def test_party_of_a_compound_role_is_not_taken():
    assert extract_fields("配合比设计单位：某某混凝土有限公司").parties == {}


def test_cited_drawing_in_running_text_is_not_the_drawing_number():
    body = "\n".join(f"第{i}条 按规范施工，做好记录。" for i in range(1, 8))
    text = f"技术交底记录\n{body}\n钢筋做法详见结施-05，锚固长度满足要求。\n{body}"
    fields = extract_fields(text)
    assert fields.drawing_number is None
    assert fields.number is None


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("验收日期：2024年5月17日", date(2024, 5, 17)),
        ("日期：2024-05-17", date(2024, 5, 17)),
        ("日期：2024/5/7", date(2024, 5, 7)),
        ("日期：2024.5.17", date(2024, 5, 17)),
        ("二〇二四年五月十七日", date(2024, 5, 17)),
        ("二〇二四年十二月三十一日", date(2024, 12, 31)),
        ("2024 年 5 月 17 日", date(2024, 5, 17)),
    ],
)
def test_date_forms(snippet, expected):
    assert [hit.value for hit in find_dates(snippet)] == [expected]


@pytest.mark.parametrize(
    "snippet",
    [
        "2024年2月30日",
        "GB 50300-2013",
        "GB/T 50328-2014",
        "电话0871-6543-2100",
        "1900年1月1日",
        "版本1.2.3",
        "2024年5月",
    ],
)
def test_not_dates(snippet):
    assert find_dates(snippet) == []


def test_unlabelled_dates_fall_back_to_the_last():
    assert extract_fields("2024年3月1日开始施工，2024年5月20日完成。").date == date(2024, 5, 20)


def test_issuing_word_after_a_date_labels_it():
    text = "抄送：市住建委\n2023年3月15日印发\n附：2023年12月1日前完成整改"
    assert extract_fields(text).date == date(2023, 3, 15)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("合同价：¥1,234.56", 1234.56),
        ("合同金额：1,200,000.00元", 1_200_000.0),
        ("投资估算：12.5万元", 125_000.0),
        ("总投资3.2亿元", 320_000_000.0),
        ("合同金额（大写）：人民币壹拾万元整", 100_000.0),
        ("造价：伍万肆仟玖佰零伍元肆角伍分", 54_905.45),
        ("人民币拾万元整", 100_000.0),
        ("中标价：人民币壹亿贰仟万元整", 120_000_000.0),
        ("招标控制价 | （小写）： | 54,905.45", 54_905.45),
    ],
)
def test_amount_forms(snippet, expected):
    assert [hit.value for hit in find_amounts(snippet)] == [expected]


@pytest.mark.parametrize(
    "snippet",
    [
        "单价350元/m3",
        "共3个施工段",
        "混凝土C30",
        "2号楼3单元",
        "电子元件100元件",
        "合计 | 3",
        "编号：2024-001",
    ],
)
def test_not_amounts(snippet):
    assert find_amounts(snippet) == []


def test_main_amount_prefers_a_contract_label_over_generic_ones():
    text = "其中暂列金额：¥500,000.00\n合计：¥900,000.00\n变更金额：¥12,000.00"
    assert extract_fields(text).amount == 12_000.0


def test_unlabelled_amounts_are_listed_but_not_main():
    fields = extract_fields("本月支付进度款¥120,000.00，累计支付¥560,000.00。")
    assert fields.amounts == [120_000.0, 560_000.0]
    assert fields.amount is None


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十七", 17),
        ("二十一", 21),
        ("壹拾万", 100_000),
        ("伍万肆仟玖佰零伍", 54_905),
        ("壹亿贰仟万", 120_000_000),
        ("二三", None),
    ],
)
def test_chinese_integer(numeral, value):
    assert integer_value(numeral) == value


def test_uppercase_amount_parse_rejects_garbage():
    assert upper_money_value("壹拾万元整") == 100_000.0
    assert upper_money_value("元整") is None
    assert upper_money_value("壹拾万元肆拾角") is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (ACCEPTANCE_RECORD, "隐蔽工程质量验收记录"),
        (START_REPORT_TABLE, "单位工程开工报审表"),
        (
            "【工作表：检验批】\n表A.1 钢筋安装检验批质量验收记录\n工程名称 | 某某工程",
            "钢筋安装检验批质量验收记录",
        ),
        (
            "表3.0.12-3 | 主体工程 | 分部 | （子分部） | 工程质量验收记录\n工程名称 | 某某工程",
            "主体工程分部（子分部）工程质量验收记录",
        ),
        (
            "第 1 页 共 15 页\n重庆市 2019 年工程事故灾害综合应急演练\n实施方案\n主办单位：重庆市住建委",
            "重庆市2019年工程事故灾害综合应急演练实施方案",
        ),
        ("宝山钢铁股份有限公司\n冷轧厂改造工程\n项目编号：230235\n施工组织设计", "施工组织设计"),
        ("监 理 日 志\n日期：2024年5月17日 天气：晴", "监理日志"),
        ("表C.6.1 设备单机试运转记录 Equipment Stand-alone Test Run Records", "设备单机试运转记录"),
        (  # an order (令) is a title too; the row of column heads under it is not
            "【工作表：第1页】\n某省统一用表 施-31\n混凝土浇筑令\n工程名称： | 编号：\n"
            "浇筑条件检查内容 | 施工单位自检意见 | 监理单位核查意见",
            "混凝土浇筑令",
        ),
    ],
)
def test_titles(text, title):
    assert find_title(text) == title


def test_drawing_title_block_at_the_end():
    text = "\n".join(["1:100"] * 20 + ["图名", "反压平台土方计算图", "总施-02（变更）"])
    assert find_title(text) == "反压平台土方计算图"


@pytest.mark.parametrize("line", ["图名一层平面图", "图名 一层平面图", "图 名  一层平面图", "图纸名称 一层平面图"])
def test_a_title_label_in_the_same_run_as_its_value_is_not_part_of_the_title(line):
    text = "\n".join(["某某建筑设计研究院有限公司", "工程名称 市机关办公楼维修改造", line, "图号 建施-01", "比例 1:100"])
    assert find_title(text) == "一层平面图"


def test_title_falls_back_to_embedded_title_then_first_meaningful_line():
    text = "一、工程概况\n本工程位于某某路。"
    assert find_title(text, embedded_title="第一次工地会议纪要") == "第一次工地会议纪要"
    assert find_title(text, embedded_title="Microsoft Word - 文档1") == "一、工程概况"
    assert find_title(text, embedded_title="布局1") == "一、工程概况"
    assert find_title("12345\n-----") is None


def test_field_extractor_component_sets_title_and_fields():
    document = Document(content=DESIGN_CHANGE, meta={"original_name": "变更单.pdf"})

    [out] = FieldExtractor().run(documents=[document])["documents"]

    assert out.id == document.id
    assert out.meta["title"] == "设计变更通知单"
    assert out.meta["fields"]["drawing_number"] == "结施-03"
    assert out.meta["fields"]["date"] == "2024-06-01"
    assert out.meta["original_name"] == "变更单.pdf"
    assert ExtractedFields.model_validate(out.meta["fields"]).amount == 125_000.0
    assert "title" not in document.meta  # the input document is not modified


def test_label_cell_ending_with_a_colon():
    text = "工程名称： | 中核汇能高明创楷分布式光伏项目\n施工标准名称及编号 | 技术规程DGJ32/J87-2009\n表号： | C5-1-2"
    fields = extract_fields(text)
    assert fields.project_name == "中核汇能高明创楷分布式光伏项目"
    assert fields.number == "C5-1-2"  # a standard's "名称及编号" is not the document's number
