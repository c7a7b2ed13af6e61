"""The reading additions for disclosure on small texts: the issuer from a 落款 or a banner when no
label names it, 项目代码, the award's 项目负责人 and 总监, the 验收结论, and the new kinds.
"""

from __future__ import annotations

from oversight.reader import Source, read_document
from oversight.rules import shipped_rules
from oversight.signer import signer

RULES = shipped_rules()

APPROVAL = """市发展和改革委员会文件
市发改投资〔2024〕87号
关于某办公楼节能改造工程项目建议书的批复
市机关事务管理局：
一、原则同意。项目代码：2401-320102-04-01-565623。
二、建设规模和内容：外墙外窗节能改造。
三、项目估算总投资1,498.00万元。
市发展和改革委员会： 日期：2024年1月10日
（印章）"""


def _read(title: str, text: str):  # type: ignore[no-untyped-def]
    return read_document(Source("d1", title, text), RULES)


def test_the_issuer_is_the_organisation_of_the_signature_block_or_the_banner() -> None:
    assert signer(APPROVAL).value == "市发展和改革委员会"
    banner_only = "市住房和城乡建设局文件\n关于某事项的批复\n正文。\n"
    assert signer(banner_only).value == "市住房和城乡建设局"
    assert signer("没有落款的一段文字。\n") is None
    facts = _read("关于某办公楼节能改造工程项目建议书的批复", APPROVAL)
    assert facts.kind == "proposal_approval"
    assert facts.first("issuer").value == "市发展和改革委员会"
    assert facts.first("project_code").value == "2401-320102-04-01-565623"
    assert facts.first("scale").value == "外墙外窗节能改造"


def test_award_people_acceptance_result_and_the_new_kinds() -> None:
    award = _read("中标通知书", "中标通知书\n某公司：\n你方为某工程监理招标中标人。\n中标价：304,300.00元\n"
                               "总监理工程师：孙磊\n项目负责人：周强\n招标人：某局 日期：2024年3月10日")
    assert award.first("chief_supervisor").value == "孙磊" and award.first("project_leader").value == "周强"
    acceptance = _read("建设工程竣工验收证书", "建设工程竣工验收证书\n验收日期 2024-12-06 验收结论 合格\n")
    assert acceptance.first("acceptance_result").value == "合格"
    registration = _read("工程质量安全监督登记书", "工程质量安全监督登记书\n监督机构：市建设工程质量安全监督站\n"
                                               "监督登记号：ZJ2024-911\n登记日期：2024年3月30日")
    assert registration.kind == "quality_supervision"
    assert registration.first("supervision_agency").value == "市建设工程质量安全监督站"
    assert _read("建设工程规划许可证", "建设工程规划许可证\n编号：建字第3201022024001号\n").kind == "planning_permit"
    assert _read("临时建筑拆除补偿协议", "临时建筑拆除补偿协议\n").kind != "land_expropriation"
