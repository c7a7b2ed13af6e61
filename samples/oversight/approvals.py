"""Documents before the works: 批复 (建议书, 可研, 初设概算, 概算调整), tender, award, contracts,
施工许可证 and 开工令 — each written one of several ways.
"""

from __future__ import annotations

from datetime import date, timedelta

from samples.model import Doc, Para
from samples.oversight.paper import Paper
from samples.oversight.scenario import SideContract

APPROVER = "市发展和改革委员会"


def code_text(p: Paper, code: str) -> str:
    """The project code under one of its labels, its dashes sometimes full-width as typed in Word."""
    written = code.replace("-", "－") if p.style.chance(0.25) else code
    return f"{p.pick(('项目代码', '投资项目代码', '项目统一代码'))}{p.pick(('：', ':', '为'))}{written}"


def _letter(p: Paper, title: str, item: str, doc_type: str, number: str, body: list[str], when: date) -> Doc:
    code = [Para(f"{code_text(p, p.s.project_code)}。")] if p.s.project_code else []
    blocks = [Para(f"{APPROVER[:2]}发改投资〔{when.year}〕{number}号"), Para(f"{p.s.owner}："),
              *(Para(text) for text in body), *code, p.noise(),
              Para(f"{APPROVER}    {p.date(when)}") if p.style.chance(0.6) else p.sign([APPROVER], when)]
    return p.doc(title, item, doc_type, blocks, when)


def proposal_approval(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["proposal"]
    label = p.pick(("估算总投资", "项目总投资", "总投资估算"))
    body = [f"你单位《关于{s.name}项目建议书的请示》收悉。经研究，原则同意该项目建议书。",
            f"项目{label}{p.money(s.estimate * 0.98 if s.estimate > 0 else s.estimate)}，资金由市级财政安排。"]
    return _letter(p, f"关于{s.name}项目建议书的批复", "A1-1", "项目建议书批复", str(p.rng.randint(100, 400)), body, when)


def feasibility_approval(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["feasibility"]
    label = p.pick(("项目总投资", "估算总投资", "投资估算"))
    body = [f"你单位报来的《{s.name}可行性研究报告》收悉。经委托评估并研究，现批复如下：",
            f"一、同意实施{s.name}。二、{label}{p.pick(('为', '：', ''))}{p.money(s.estimate)}，其中预备费另列。",
            "三、项目应依法进行招标，招标方式为公开招标。"]
    return _letter(p, f"关于{s.name}可行性研究报告的批复", "A1-2", "可行性研究报告批复", str(p.rng.randint(100, 400)),
                   body, when)


def budget_approval(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["budget"]
    label = p.pick(("核定总概算", "核定概算", "概算总投资"))
    body = [f"你单位报送的{s.name}初步设计文件收悉。经审查，原则同意该初步设计。",
            f"{label}{p.pick(('为', '：', ''))}{p.money(s.budget)}，请严格按核定概算控制投资。"]
    return _letter(p, f"关于{s.name}初步设计及概算的批复", "A6-2", "初步设计概算批复", str(p.rng.randint(100, 400)),
                   body, when)


def budget_adjustment(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["adjustment"]
    body = [f"你单位《关于调整{s.name}概算的请示》收悉。因材料价格上涨及功能调整，同意调整概算。",
            f"原批复概算{p.money(s.budget)}，调整后总概算为{p.money(s.adjusted_budget)}。"]
    return _letter(p, f"关于调整{s.name}概算的批复", "A6-2", "概算调整批复", str(p.rng.randint(400, 600)), body, when)


def tender(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["tender"]
    title = p.pick((f"{s.name}施工招标公告", f"{s.name}施工招标文件", "招标公告（施工）"))
    pairs = [("招标编号", f"ZB{when.year}-{p.rng.randint(10, 99)}"), ("招标人", s.owner),
             (p.pick(("招标控制价", "最高投标限价")), p.money(s.control)),
             ("投标保证金", p.money(s.bid_bond)),
             (p.pick(("投标截止时间", "投标文件递交截止时间")), f"{p.date(s.dates['deadline'])}9时30分"),
             (p.pick(("计划工期", "工期要求")), f"{s.duration}日历天")]
    p.rng.shuffle(pairs)
    blocks = [Para(f"{s.name}已由{APPROVER}批准建设，资金来自财政资金，现对该项目施工进行公开招标。"), *p.pairs(pairs),
              p.noise(), Para(f"{p.pick(('发布日期', '公告发布日期', '日期'))}：{p.date(when)}")]
    return p.doc(title, "A4-3", "招标公告", blocks, when)


def award(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["award"]
    pairs = [(p.pick(("中标价", "中标金额", "中标价格")), p.money(s.bid)),
             (p.pick(("工期", "合同工期")), f"{s.duration}日历天"), ("质量标准", "合格")]
    blocks = [Para(f"{s.contractor}："),
              Para(f"你方于{p.date(s.dates['deadline'])}所递交的{s.name}施工投标文件已被我方接受，确定你方为中标人。"),
              *p.pairs(pairs), Para("请你方在接到本通知书后30日内与招标人签订施工合同。"),
              p.sign(["招标人", "招标代理机构"], when)]
    return p.doc("中标通知书", "A4-3", "中标通知书", blocks, when, stem="中标通知书（施工）")


def _price_text(p: Paper, amount: float, upper: float | None) -> str:
    if upper is None:
        return p.money(amount)
    from samples.text import rmb_upper

    return f"人民币（大写）{rmb_upper(upper)}（¥{amount:,.2f}）"


def works_contract(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["contract"]
    title = p.pick(("建设工程施工合同", f"{s.name}施工合同", "施工总承包合同"))
    pairs = [(p.pick(("发包人（全称）", "发包人", "甲方")), s.owner), (p.pick(("承包人（全称）", "承包人", "乙方")), s.contractor)]
    code = s.contract_code or s.project_code
    if code:
        pairs.append((p.pick(("项目代码", "投资项目代码")), code))
    parties = p.pairs(pairs)
    price = _price_text(p, s.contract, s.contract_upper)
    days = s.contract_duration or s.duration
    terms = [Para(f"一、工程名称：{s.name}。"),
             Para(f"二、合同工期：计划开工日期{p.date(s.dates['start'])}，{p.pick(('工期总日历天数', '合同工期'))}"
                  f"{days}{p.pick(('天', '日历天'))}。"),
             Para(f"三、{p.pick(('签约合同价', '合同价款', '合同总价'))}{p.pick(('为', '：'))}{price}。"),
             Para(f"其中暂列金额{p.money(round(s.contract * 0.05, 2))}，安全文明施工费{p.money(round(s.contract * 0.03, 2))}。"),
             Para(f"四、进度款按当期完成产值的85%支付；质量保证金为结算总额的{s.retention_pct:g}%。"),
             Para(f"五、承包人应提交履约保证金，金额为签约合同价的{s.perf_bond_pct:g}%。"),
             *(Para(clause) for clause in s.clauses), p.noise()]
    blocks = [*parties, *terms, p.sign(["发包人（盖章）", "承包人（盖章）"], when, label="签订日期")]
    return p.doc(title, "A4-4", "施工合同", blocks, when, stem="施工合同")


def side_contract(p: Paper, contract: SideContract, index: int) -> Doc:
    s = p.s
    roles = {"监理": ("委托人", "监理人", "监理费"), "设计": ("发包人", "设计人", "设计费"),
             "货物": ("采购人", "供应商", "合同总价"), "施工": ("发包人", "承包人", "签约合同价")}[contract.kind]
    pairs = [(roles[0], s.owner), (roles[1], contract.party), (p.pick((roles[2], "合同金额")), p.money(contract.price))]
    if contract.method:
        pairs.append((p.pick(("采购方式", "成交方式")), contract.method))
    blocks = [*p.pairs(pairs), Para(f"工程名称：{s.name}。"), p.noise(), p.sign([roles[0], roles[1]], contract.date)]
    return p.doc(contract.title, {"监理": "A4-6", "设计": "A4-2"}.get(contract.kind, "A4-4"), contract.title, blocks,
                 contract.date, stem=f"{contract.title}-{index}")


def permit(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["permit"]
    pairs = [("编号", f"{when.year}{p.rng.randint(10000000, 99999999)}"), ("建设单位", s.owner), ("工程名称", s.name),
             ("项目代码", s.project_code), ("合同价格", p.money(s.contract)), ("施工单位", s.contractor),
             (p.pick(("发证日期", "发证时间")), p.date(when))]
    return p.doc("中华人民共和国建筑工程施工许可证", "A5-2", "建筑工程施工许可证", [*p.pairs(pairs)], when,
                 stem="建筑工程施工许可证")


def start_order(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["start"]
    signed = when - timedelta(days=p.rng.randint(1, 3))
    blocks = [Para(f"致：{s.contractor}"),
              Para(f"经审查，本工程已具备施工合同约定的开工条件，现同意你方开始施工，开工日期为：{p.date(when)}。"),
              p.sign(["总监理工程师"], signed)]
    return p.doc("工程开工令", "B2-1", "工程开工令", blocks, when)
