"""Documents of procedure around the money: the 中标候选人公示, the 三重一大 meeting minutes and the
补充合同 of a contract — each written one of several ways.
"""

from __future__ import annotations

from datetime import date, timedelta

from samples.model import Doc, Para
from samples.oversight.paper import Paper
from samples.oversight.scenario import SideContract

MEETINGS = ("党组会议纪要", "局务会议纪要", "主任办公会议纪要", "三重一大事项集体决策会议纪要")


def publicity_dates(p: Paper) -> tuple[date, date]:
    """From the day after the bid opening; 3–5 days unless the scenario says otherwise, always
    ending before the award is sent.
    """
    s = p.s
    start = s.dates["deadline"] + timedelta(days=1)
    room = (s.dates["award"] - start).days - 1
    days = s.publicity_days if s.publicity_days is not None else max(3, min(room, p.rng.randint(3, 5)))
    return start, start + timedelta(days=days)


def candidate_notice(p: Paper) -> Doc:
    s = p.s
    start, end = publicity_dates(p)
    title = p.pick((f"{s.name}施工中标候选人公示", "中标候选人公示", f"{s.name}施工评标结果公示"))
    intro = Para(f"{s.name}施工于{p.date(s.dates['deadline'])}开标，评标委员会推荐的中标候选人公示如下：")
    ranked = [("第一中标候选人", s.contractor), (p.pick(("投标报价", "报价")), p.money(s.bid))]
    if p.style.chance(0.5):
        period = p.pairs([(p.pick(("公示开始时间", "公示开始日期")), p.date(start)),
                          (p.pick(("公示结束时间", "公示截止时间", "公示结束日期")), p.date(end))])
    else:
        period = [Para(f"公示期自{p.date(start)}起，公示截止时间为{p.date(end)}。")]
    blocks = [intro, *p.pairs(ranked), *period, Para("对公示结果有异议的，请在公示期内以书面形式向招标人提出。"),
              p.sign(["招标人", "招标代理机构"], start)]
    return p.doc(title, "A4-3", "中标候选人公示", blocks, start, stem="中标候选人公示")


def minutes(p: Paper, when: date, n: int) -> Doc:
    s = p.s
    title = p.pick(MEETINGS)
    blocks = [Para(f"{p.pick(('会议时间', '时间'))}：{p.date(when)}"), Para(f"主持人：{p.person()}"),
              Para(f"会议研究了{s.name}的实施事项，经集体讨论，同意按批复的建设内容和概算签订有关合同，"
                   "资金支付严格按合同和财务制度办理。"), p.noise()]
    return p.doc(title, "A1-4", "会议纪要", blocks, when, stem=f"{title}-{n}")


def supplement(p: Paper, contract: SideContract, signed: date, added: float, n: int) -> Doc:
    s = p.s
    title = p.pick((f"{contract.title}补充协议", f"{contract.title}补充合同", f"补充协议（{contract.title}）"))
    pairs = [(p.pick(("采购人", "甲方")), s.owner), (p.pick(("供应商", "乙方")), contract.party),
             (p.pick(("增加合同价款", "增加金额", "调整金额")), p.money(added))]
    if p.style.chance(0.5):
        pairs.append(("调整后合同价", p.money(contract.price + added)))
    blocks = [Para("因使用需求增加，经双方协商，追加采购与原合同标的相同的货物，其他条款仍按原合同执行。"), *p.pairs(pairs),
              p.sign(["甲方（盖章）", "乙方（盖章）"], signed, label="签订日期")]
    return p.doc(title, "A4-4", "补充协议", blocks, signed, stem=f"补充协议-{n}")
