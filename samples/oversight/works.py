"""Documents of the works and after: changes, 洽商, 签证, payment certificates, the acceptance file
set, 竣工验收/备案, settlement review and 竣工财务决算 — plus filler that carries figures and dates
a reader must not take for facts.
"""

from __future__ import annotations

from datetime import date, timedelta

from samples.model import Doc, Para, Table
from samples.oversight.paper import Paper
from samples.oversight.scenario import Change, Payment

CHANGE_TITLES = {"design_change": ("设计变更通知单", "工程设计变更单", "设计变更通知书"),
                 "negotiation": ("工程洽商记录", "技术核定单"),
                 "visa": ("现场签证单", "工程现场签证单", "经济签证单")}
CHANGE_ITEMS = {"design_change": "C2-6", "negotiation": "C2-7", "visa": "C3-10"}
REASONS = ("现场实际与设计不符", "建设单位使用功能调整", "材料规格调整", "基础埋深调整", "管线迁改")


def _amount_text(p: Paper, kind: str, amount: float) -> tuple[str, str]:
    if amount < 0 and p.style.chance(0.5):
        return p.pick(("减少造价", "费用减少", "减少费用")), p.money(-amount)
    labels = {"design_change": ("增加造价", "变更金额", "费用增加"), "negotiation": ("增加费用", "洽商金额", "变更金额"),
              "visa": ("签证金额", "签证费用", "费用合计")}[kind]
    return p.pick(labels), p.money(amount, signed=True)


def change(p: Paper, entry: Change) -> Doc:
    s = p.s
    title = p.pick(CHANGE_TITLES[entry.kind])
    label, amount = _amount_text(p, entry.kind, entry.amount)
    number_label = {"design_change": "变更编号", "negotiation": "洽商编号", "visa": "签证编号"}[entry.kind]
    pairs = [("工程名称", s.name), (p.pick((number_label, "编号")), entry.number)]
    if entry.kind == "visa":
        pairs.append((p.pick(("施工日期", "发生日期", "作业日期")), p.date(entry.work_date)))
        pairs.append((p.pick(("签证事由", "事由")), p.pick(REASONS)))
    else:
        pairs.append(("日期", p.date(entry.date)))
        pairs.append((p.pick(("变更原因", "原因")), p.pick(REASONS)))
    blocks = [*p.pairs(pairs), *([Para(entry.note)] if entry.note else []), Para(f"{label}：{amount}。"), p.noise()]
    if entry.kind == "visa":
        blocks.append(Para(f"签证日期：{p.date(entry.date)}") if p.style.chance(0.5)
                      else p.sign(["建设单位代表", "监理工程师", "施工单位代表"], entry.date))
    else:
        blocks.append(p.sign(["设计单位", "监理单位", "施工单位"], entry.date))
    return p.doc(title, CHANGE_ITEMS[entry.kind], title, blocks, entry.date, stem=f"{title}-{entry.number}")


def payment(p: Paper, row: Payment) -> Doc:
    s = p.s
    rows = ((p.pick(("本期完成产值", "本期完成工程量价款")), f"{row.work_done:,.2f}"),
            (p.pick(("本期应付款", "本期支付金额", "本期支付")), f"{row.paid:,.2f}"),
            (p.pick(("累计支付", "累计已支付", "累计支付金额")), f"{row.cumulative:,.2f}"))
    period = [Para(f"第{row.period}期")] if p.style.chance(0.5) else []  # else only inside a sentence
    blocks = [*period, Para(f"致：{s.owner}"),
              Para(f"根据施工合同约定，经审核{s.contractor}第{row.period}期工程款支付申请，扣除有关款项后，同意支付。"),
              Para(p.pick(("金额单位：元", "单位：元", "（单位：元）"))), Table(("项目", "金额"), rows),
              p.sign(["总监理工程师"], row.date)]
    return p.doc("工程款支付证书", "B4-2", "工程款支付证书", blocks, row.date, stem=f"工程款支付证书-第{row.period}期")


ACCEPTANCE_SET = {
    "completion_report": ("工程竣工报告", "E1-3", -12), "supervision_assessment": ("工程质量评估报告", "E1-4", -9),
    "survey_inspection": ("勘察单位工程质量检查报告", "E1-1", -8), "design_inspection": ("设计单位工程质量检查报告", "E1-2", -8),
    "warranty": ("房屋建筑工程质量保修书", "E1-10", -14),
}


def acceptance_file(p: Paper, kind: str) -> Doc:
    title, item, offset = ACCEPTANCE_SET[kind]
    when = p.s.dates["acceptance"] + timedelta(days=offset + p.rng.randint(0, 3))
    text = [Para(f"工程名称：{p.s.name}。"), Para("经检查，工程质量符合设计文件及验收规范要求。")]
    if kind == "warranty":
        text.append(Para(f"质量保证金为结算总额的{p.s.retention_pct:g}%，保修期满后返还。"))
    return p.doc(title, item, title, [*text, p.sign(["编制单位"], when)], when)


def acceptance(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["acceptance"]
    title = p.pick(("工程竣工验收报告", "建设工程竣工验收证书"))
    pairs = [("工程名称", s.name), ("施工单位", s.contractor), ("开工日期", p.date(s.dates["start"])),
             (p.pick(("竣工验收日期", "验收日期")), p.date(when)), ("验收结论", "合格")]
    return p.doc(title, "E1-5", title, [*p.pairs(pairs), p.sign(["建设单位", "监理单位", "施工单位"], when)], when)


def filing(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["filing"]
    pairs = [("工程名称", s.name), ("建设单位", s.owner), ("竣工验收日期", p.date(s.dates["acceptance"])),
             (p.pick(("备案日期", "备案时间")), p.date(when))]
    return p.doc("建设工程竣工验收备案表", "E1-12", "竣工验收备案表", [*p.pairs(pairs)], when)


def settlement_review(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["review"]
    cut = round(s.submitted - s.approved, 2)
    pairs = [("合同金额", p.money(s.contract)), (p.pick(("送审金额", "送审价")), p.money(s.submitted)),
             (p.pick(("审定金额", "审定价", "审定造价")), p.money(s.approved)), ("审减金额", p.money(cut))]
    blocks = [Para(f"受{s.owner}委托，我公司对{s.name}竣工结算进行了审核。"), *p.pairs(pairs), p.noise(),
              p.sign(["造价咨询单位"], when, label="报告日期")]
    return p.doc(f"{s.name}结算审核报告", "A6-5", "结算审核报告", blocks, when, stem="结算审核报告")


def settlement_submission(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["submitted"]
    blocks = [Para(f"工程名称：{s.name}"), Para(f"{p.pick(('结算总价', '结算金额'))}：{p.money(s.submitted)}"),
              p.sign(["施工单位"], when, label="编制日期")]
    return p.doc("工程竣工结算书", "A6-5", "竣工结算书", blocks, when)


def final_accounts(p: Paper) -> Doc:
    s, when = p.s, p.s.dates["final"]
    pairs = [("项目名称", s.name), ("批复概算", p.money(s.adjusted_budget or s.budget)),
             (p.pick(("决算总投资", "竣工决算总额")), p.money(s.final))]
    blocks = [*p.pairs(pairs), Para("决算编制依据财政部基本建设财务规则。"), p.sign([s.owner], when)]
    return p.doc(f"{s.name}竣工财务决算报告", "E2-x", "竣工财务决算报告", blocks, when, stem="竣工财务决算报告")


def filler(p: Paper, when: date, n: int) -> Doc:
    """A 施工日志 or 监理月报: figures and dates, none of them a fact of the money chain."""
    title = p.pick(("施工日志", "监理月报", "隐蔽工程验收记录"))
    blocks = [Para(f"日期：{p.date(when)}  天气：晴"), p.noise(),
              Para(f"本月完成产值约{p.rng.randint(50, 300)}万元，累计完成形象进度{p.rng.randint(10, 90)}%。"), p.noise()]
    return p.doc(title, {"施工日志": "C1-9", "监理月报": "B1-3"}.get(title, "C5-1"), title, blocks, when,
                 stem=f"{title}-{n}")
