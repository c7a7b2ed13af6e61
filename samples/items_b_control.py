"""B2–B6 监理文件: schedule, quality, cost and time control forms, and the supervisor's handover papers."""

from __future__ import annotations

from samples.items_b_management import gbt_form, to_supervisor
from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date, money, rmb_upper, yuan

# ---- B2 进度控制文件 ----------------------------------------------------------------------------


def start_order(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -2, 0)
    body = [
        f"经审查，本工程已具备施工合同约定的开工条件，现同意你方开始施工，开工日期为：{cn_date(ctx.start)}。",
        "附件：工程开工报审表（表B.0.2）及开工条件检查资料。",
    ]
    return gbt_form(kit, "B2-1", "工程开工令", "表A.0.2", "工程开工令", f"KGL-{ctx.start.year}-01", f"{ctx.contractor}（项目经理部）",
                 body, [kit.sign_supervisor(when, engineer=False)], when, fmt="pdf")


def schedule_review(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -6, 2)
    body = [
        f"根据施工合同约定，我方已完成{ctx.name}施工总进度计划的编制和批准，请予以审查。",
        "专业监理工程师审查意见：进度计划关键线路清晰，各分部工程穿插合理，满足合同工期要求。",
        "总监理工程师审核意见：同意按此计划组织施工。",
    ]
    signs = [kit.sign_contractor(when, qc=False), kit.sign_supervisor(kit.after(when, 1, 3))]
    return gbt_form(kit, "B2-2", "施工进度计划报审表", "表B.0.12", "施工进度计划报审表", f"JDJH-{kit.next('jdjh'):02d}",
                 to_supervisor(kit), body, signs, when, attachments=("施工总进度计划横道图",))


# ---- B3 质量控制文件 ----------------------------------------------------------------------------


def quality_incident(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.4, 0.6)
    title = kit.pick(("质量问题调查处理报告", "工程质量事故报告及处理意见"))
    blocks: list[Block] = [
        Heading(title), kit.head(f"ZLSG-{when.year}-01", when),
        Para(f"{cn_date(when)}上午，监理人员巡视发现六层西立面约{kit.rng.randint(6, 18)}㎡岩棉板保温层出现空鼓、局部脱落现象，未造成人员伤亡。"),
        Para("原因分析：该部位基层墙面未按要求清理浮灰，粘结砂浆涂抹面积不足，且连续阴雨天气施工，粘结层未达到强度即进行下道工序。"),
        Para(f"处理措施：拆除该区域保温层，重新处理基层后按专项方案粘贴，增设锚栓；直接经济损失约{yuan(round(kit.rng.uniform(8000, 26000), -2))}，由施工单位承担。"),
        Para("结论：本次为一般质量问题，不构成质量事故，处理后经拉拔试验检测合格。"),
        kit.sign_supervisor(kit.after(when, 3, 7)),
    ]
    return kit.doc("B3-1", "质量事故报告", title, blocks, when, fmt="docx", author=ctx.supervisor)


STANDBY = (
    ("设备用房底板混凝土浇筑", "C35P6商品混凝土，坍落度180±20mm，浇筑方量约{q}m³"),
    ("屋面防水卷材热熔铺贴", "SBS改性沥青防水卷材4mm厚两层，搭接宽度不小于100mm"),
    ("外墙保温板锚栓拉拔试验", "锚栓规格φ10×160mm，现场见证抽检{q}组"),
    ("光伏支架高强螺栓终拧", "10.9S扭剪型高强度螺栓，终拧以梅花头拧掉为准"),
    ("设备用房顶板混凝土浇筑", "C30商品混凝土，浇筑方量约{q}m³"),
)


def standby_record(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.1, 0.8)
    part, detail = STANDBY[n % len(STANDBY)]
    number = f"PZ-{kit.next('pz'):03d}"
    title = kit.pick(("旁站记录", "旁站监理记录"))
    blocks: list[Block] = [
        Para("表A.0.6"), Heading(title), kit.head(number, None),
        Fields((("旁站的关键部位、关键工序", part), ("施工单位", ctx.contractor),
                ("旁站开始时间", f"{cn_date(when)} {kit.rng.randint(7, 9)}时{kit.pick(('00', '30'))}分"),
                ("旁站结束时间", f"{cn_date(when)} {kit.rng.randint(14, 20)}时{kit.pick(('00', '30'))}分")), columns=1),
        Para("旁站的关键部位、关键工序施工情况：" + detail.format(q=kit.rng.randint(40, 260)) + "。施工人员持证上岗，施工工艺符合方案要求。"),
        Para(kit.pick(("发现的问题及处理情况：无。", "发现的问题及处理情况：局部振捣不密实，已要求补振。"))),
        Signatures((("旁站监理人员", ctx.who("sup_staff"), cn_date(when)),)),
    ]
    return kit.doc("B3-2", "旁站记录", title, blocks, when, fmt="docx", stem=f"旁站记录-{part}")


def witness_register(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -3, 3)
    title = kit.pick(("见证取样和送检见证人员备案表", "见证人员备案表"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("质量监督站", "市建设工程质量安全监督站"), ("检测单位", ctx.lab),
                ("施工单位", ctx.contractor), ("建设单位", ctx.owner), ("监理单位", ctx.supervisor))),
        Table(("见证人姓名", "单位", "证书编号", "签字样本"), (
            (ctx.who("sup_staff"), ctx.supervisor, f"JZ{kit.rng.randint(100000, 999999)}", ctx.who("sup_staff")),
            (ctx.who("sup_civil"), ctx.supervisor, f"JZ{kit.rng.randint(100000, 999999)}", ctx.who("sup_civil")))),
        Signatures((("建设单位", ctx.who("owner_lead"), cn_date(when)), ("监理单位", ctx.who("chief"), cn_date(when)))),
    ]
    return kit.doc("B3-3", "见证人员备案表", title, blocks, when, fmt="docx")


def witness_record(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.1, 0.7)
    material = kit.pick(("岩棉板", "挤塑聚苯板", "断热铝合金外窗", "HRB400E钢筋", "SBS防水卷材", "C35P6混凝土试块"))
    title = "见证记录"
    blocks: list[Block] = [
        Heading(title), kit.head(f"JZ-{kit.next('jz'):03d}", when),
        Fields((("样品名称", material), ("取样部位", kit.pick(("进场批次", "设备用房底板", "三层外墙", "屋面"))),
                ("取样数量", f"{kit.rng.randint(1, 3)}组"), ("取样地点", "施工现场"), ("取样日期", kit.d(when)))),
        Para("见证记录：取样过程符合规范要求，样品已封样并由见证人员和取样人员共同送至检测单位。"),
        Signatures((("取样人员", ctx.who("qc"), cn_date(when)), ("见证人员", ctx.who("sup_staff"), cn_date(when)))),
    ]
    return kit.doc("B3-4", "见证记录", title, blocks, when, fmt="docx", stem=f"见证记录-{material}")


def tech_doc_review(kit: Kit, n: int, item: str = "B3-5") -> Doc:
    when = kit.works(0.0, 0.4)
    what = kit.pick(("外墙外保温专项施工方案", "高处作业吊篮专项施工方案", "空调系统调试方案", "屋面光伏安装施工方案"))
    body = [
        f"现报上{what}，已经我单位上级技术负责人审查批准，请予审定。",
        "专业监理工程师审查意见：方案内容完整，技术措施可行，符合规范要求。",
        "总监理工程师审核意见：同意按此方案实施。",
    ]
    signs = [kit.sign_contractor(when, qc=False), kit.sign_supervisor(kit.after(when, 1, 3))]
    return gbt_form(kit, item, "工程技术文件报审表", "表B.0.1", "工程技术文件报审表", f"JSBS-{kit.next('jsbs'):03d}",
                 to_supervisor(kit), body, signs, when, attachments=(what,), stem=f"工程技术文件报审表（{what}）")


# ---- B4 造价控制文件 ----------------------------------------------------------------------------


def payment_application(kit: Kit, n: int, item: str = "B4-1") -> Doc:
    ctx = kit.ctx
    period = n + 1
    when = kit.works(0.15 * period, min(1.0, 0.15 * period + 0.1))
    amount = round(ctx.contract_amount * kit.rng.uniform(0.12, 0.2), 2)
    title = kit.pick(("工程款支付报审表", "工程款支付申请表")) if item == "B4-1" else "工程款支付申请表"
    body = [
        f"根据施工合同约定，我方已完成第{period}期（截至{cn_date(when)}）工程施工，建设单位应在{cn_date(kit.after(when, 14, 14))}前支付工程款共计"
        f"（大写）{rmb_upper(amount)}（小写：{yuan(amount)}），请予以审核。",
    ]
    table = Table(("项目", "申报金额（元）", "审核金额（元）"), (
        ("已完成工作量金额", money(amount * 1.25), money(amount * 1.25)),
        ("应扣预付款", money(amount * 0.05), money(amount * 0.05)),
        ("本期应付款", money(amount), money(amount))))
    doc = gbt_form(kit, item, "工程款支付报审表", "表B.0.11", title, f"ZF-{period:02d}", to_supervisor(kit), body,
                [kit.sign_contractor(when, tech=False, qc=False), kit.sign_supervisor(kit.after(when, 2, 5))], when,
                fmt="xlsx", attachments=("已完成工程量报表", "工程竣工结算证明材料"), stem=f"{title}-第{period}期")
    doc.blocks.insert(len(doc.blocks) - 2, table)
    return doc


def payment_certificate(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.2, 0.8)
    amount = round(ctx.contract_amount * kit.rng.uniform(0.1, 0.18), 2)
    body = [
        f"根据施工合同约定，经审核编号为ZF-{n + 2:02d}工程款支付报审表，扣除有关款项后，同意支付工程款共计（大写）{rmb_upper(amount)}（小写：{yuan(amount)}）。",
        f"其中：施工单位申报款为{yuan(amount * 1.04)}；经审核施工单位应得款为{yuan(amount)}；本期应扣款为{yuan(amount * 0.05)}；本期应付款为{yuan(amount)}。",
    ]
    return gbt_form(kit, "B4-2", "工程款支付证书", "表A.0.8", "工程款支付证书", f"ZFZS-{n + 1:02d}", ctx.owner, body,
                 [kit.sign_supervisor(when, engineer=False)], when, fmt="pdf")


def change_cost_review(kit: Kit, n: int, item: str = "B4-3") -> Doc:
    ctx = kit.ctx
    when = kit.works(0.3, 0.9)
    amount = round(kit.rng.uniform(18000, 160000), 2)
    change = f"结施-变-{kit.rng.randint(1, 3):02d}"
    body = [
        f"根据设计变更通知单（{change}），工程内容发生变更，增加造价{yuan(amount)}（{rmb_upper(amount)}），请予以审核。",
        "专业监理工程师审查意见：变更工程量核实无误，单价按合同约定执行。",
        f"总监理工程师审核意见：同意增加费用{yuan(amount)}，报建设单位审批。",
    ]
    signs = [kit.sign_contractor(when, tech=False, qc=False), kit.sign_supervisor(kit.after(when, 2, 4)),
             Signatures((("建设单位代表", ctx.who("owner_lead"), cn_date(kit.after(when, 4, 8))),))]
    return gbt_form(kit, item, "工程变更费用报审表", "表B.0.7", "工程变更费用报审表", f"BGFY-{kit.next('bgfy'):02d}",
                 to_supervisor(kit), body, signs, when, fmt="docx" if n % 2 == 0 else "xlsx")


def claim_application(kit: Kit, n: int, item: str = "B4-4") -> Doc:
    when = kit.works(0.45, 0.6)
    amount = round(kit.rng.uniform(26000, 90000), 2)
    body = [
        f"根据施工合同第19.1款的约定，由于建设单位要求调整外墙施工作业时间致使夜间施工增加，我方要求索赔金额（大写）{rmb_upper(amount)}（小写：{yuan(amount)}），请予批准。",
        "索赔理由：工作日白天禁止高噪声作业，导致人工降效及夜间施工增加费用。",
    ]
    return gbt_form(kit, item, "费用索赔申请表", "表B.0.13", "费用索赔报审表", f"SP-{kit.next('sp'):02d}", to_supervisor(kit), body,
                 [kit.sign_contractor(when, tech=False, qc=False)], when, attachments=("索赔金额计算书", "证明材料"))


def claim_approval(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.6, 0.7)
    amount = round(kit.rng.uniform(18000, 50000), 2)
    title = kit.pick(("费用索赔审批表", "索赔审批表"))
    body = [
        f"经审核，同意该项索赔，金额为（大写）{rmb_upper(amount)}（{yuan(amount)}）。",
        "同意/不同意索赔的理由：建设单位调整作业时间属合同外要求，索赔事实成立；夜间施工降效系数按0.15计取。",
    ]
    return gbt_form(kit, "B4-5", "费用索赔审批表", "表B.0.13", title, f"SPSP-{kit.next('spsp'):02d}", f"{ctx.contractor}（项目经理部）",
                 body, [kit.sign_supervisor(when), Signatures((("建设单位", ctx.who("owner_lead"), cn_date(when)),))], when)


# ---- B5 工期管理文件 ----------------------------------------------------------------------------


def extension_application(kit: Kit, n: int, item: str = "B5-1") -> Doc:
    when = kit.works(0.6, 0.75)
    days = kit.rng.randint(6, 15)
    body = [
        f"根据施工合同第7.5款的约定，由于连续降雨及外墙作业时间调整原因，我方申请工程临时延期{days}日历天，请予批准。",
        f"原因：{when.month}月份累计降雨{kit.rng.randint(9, 16)}天，外墙及屋面作业无法进行。",
    ]
    return gbt_form(kit, item, "工程延期申请表", "表B.0.14", kit.pick(("工程临时延期报审表", "工程延期申请表")),
                 f"YQ-{kit.next('yq'):02d}", to_supervisor(kit), body, [kit.sign_contractor(when, tech=False, qc=False)], when,
                 attachments=("气象证明", "工期计算书"))


def extension_approval(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.7, 0.8)
    days = kit.rng.randint(5, 10)
    body = [
        f"根据施工合同约定，经审核，同意工期延长{days}日历天，竣工日期从原来的{cn_date(ctx.finish)}延迟到{cn_date(kit.after(ctx.finish, days, days))}。",
        "说明：降雨天数经气象部门证明属实，扣除合同约定的正常降雨天数后予以批准。",
    ]
    return gbt_form(kit, "B5-2", "工程延期审批表", "表B.0.14", "工程延期审批表", f"YQSP-{kit.next('yqsp'):02d}",
                 f"{ctx.contractor}（项目经理部）", body,
                 [kit.sign_supervisor(when, engineer=False), Signatures((("建设单位", ctx.who("owner_lead"), cn_date(when)),))], when)


# ---- B6 监理验收文件 ----------------------------------------------------------------------------


def handover_certificate(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.acceptance, 2, 6)
    title = kit.pick(("竣工移交证书", "工程竣工移交证书"))
    blocks: list[Block] = [
        Heading(title), kit.head(f"YJ-{when.year}-01", None),
        Para(f"致：{ctx.owner}"),
        Para(f"兹证明{ctx.contractor}施工的{ctx.name}，已按施工合同的要求完成，并验收合格，即日起该工程移交建设单位管理，并进入保修期。"),
        Para("附件：单位工程质量竣工验收记录"),
        Signatures((("总监理工程师", ctx.who("chief"), cn_date(when)), ("监理单位（章）", ctx.supervisor, ""),
                    ("建设单位代表", ctx.who("owner_lead"), cn_date(when)), ("建设单位（章）", ctx.owner, ""))),
    ]
    return kit.doc("B6-1", "竣工移交证书", title, blocks, when, fmt="docx")


def supervision_handover(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.acceptance, 8, 14)
    title = "监理资料移交书"
    blocks: list[Block] = [
        Heading(title),
        Para(f"{ctx.supervisor}向{ctx.owner}移交{ctx.name}监理资料共计{kit.rng.randint(8, 16)}卷，其中文字材料{kit.rng.randint(7, 14)}卷，"
             f"声像材料1卷。"),
        Table(("序号", "案卷题名", "卷数", "保管期限"), (
            ("1", "监理规划、监理实施细则", "1", "永久"), ("2", "监理月报、会议纪要", "2", "长期"),
            ("3", "监理通知单及回复单、工作联系单", "1", "长期"), ("4", "旁站记录、见证记录", "2", "长期"),
            ("5", "工程质量评估报告、监理工作总结", "1", "永久"))),
        Signatures((("移交单位（盖章）", ctx.supervisor, cn_date(when)), ("移交人", ctx.who("chief"), cn_date(when)),
                    ("接收单位（盖章）", ctx.owner, cn_date(when)), ("接收人", ctx.who("owner_staff"), cn_date(when)))),
    ]
    return kit.doc("B6-2", "监理资料移交书", title, blocks, when, fmt="docx")


TEMPLATES = (
    Template("B2-1", "工程开工令", start_order),
    Template("B2-2", "施工进度计划报审表", schedule_review),
    Template("B3-1", "质量事故报告", quality_incident),
    Template("B3-2", "旁站记录", standby_record),
    Template("B3-3", "见证人员备案表", witness_register),
    Template("B3-4", "见证记录", witness_record),
    Template("B3-5", "工程技术文件报审表", tech_doc_review),
    Template("B4-1", "工程款支付报审表", payment_application),
    Template("B4-2", "工程款支付证书", payment_certificate),
    Template("B4-3", "工程变更费用报审表", change_cost_review),
    Template("B4-4", "费用索赔申请表", claim_application),
    Template("B4-5", "费用索赔审批表", claim_approval),
    Template("B5-1", "工程延期申请表", extension_application),
    Template("B5-2", "工程延期审批表", extension_approval),
    Template("B6-1", "竣工移交证书", handover_certificate),
    Template("B6-2", "监理资料移交书", supervision_handover),
)
