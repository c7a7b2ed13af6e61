"""A4–A7 工程准备阶段文件: tenders, contracts, permits, cost sheets and the parties' rosters."""

from __future__ import annotations

from datetime import date

from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date, money, rmb_upper, wan, yuan

# ---- A4 招投标文件 ------------------------------------------------------------------------------


def _award(kit: Kit, item: str, doc_type: str, winner: str, what: str, amount: float, when: date, extra: str) -> Doc:
    ctx = kit.ctx
    tender = f"{ctx.numbers['tender']}-{kit.next('tender'):02d}"
    title = "中标通知书"
    blocks: list[Block] = [
        Heading(title), Para(f"招标编号：{tender}"), Para(f"{winner}："),
        Para(f"我方于{cn_date(kit.after(when, -30, -20))}发布的{ctx.name}{what}招标，经评标委员会评审，确定你方为中标人。"),
        Fields((("中标价", f"{yuan(amount)}（大写：{rmb_upper(amount)}）"), ("工期", extra),
                ("质量标准", "合格"), ("项目负责人", ctx.who("pm") if "施工" in what else ctx.who("chief" if "监理" in what else "design_lead"))),
               columns=1),
        Para("请你方在接到本通知书后30日内到招标人处签订合同，并按招标文件规定提交履约担保。"),
        Signatures((("招标人", ctx.owner, cn_date(when)), ("招标代理机构", ctx.bidding_agent, cn_date(when))), seal="（盖章）"),
    ]
    return kit.doc(item, doc_type, title, blocks, when, stem=f"中标通知书（{what}）")


def design_award(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _award(kit, "A4-1", "中标通知书", ctx.designer, "勘察设计", ctx.design_fee, ctx.day(kit.rng.randint(20, 26)), "设计周期45日历天")


def design_contract(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(26, 30))
    title = kit.pick(("建设工程设计合同", "建设工程勘察设计合同"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("合同编号", ctx.numbers["design_contract"]), ("工程名称", ctx.name), ("发包人", ctx.owner),
                ("设计人", ctx.designer), ("签约合同价", f"{yuan(ctx.design_fee)}"), ("签订日期", kit.d(when))), columns=1),
        Para("第一条 本合同依据《中华人民共和国民法典》《建设工程勘察设计管理条例》订立。"),
        Para("第二条 设计范围：方案设计、初步设计、施工图设计及施工配合，含建筑、结构、给排水、暖通、电气、节能、光伏专业。"),
        Para(f"第三条 设计费：{rmb_upper(ctx.design_fee)}，按设计进度分期支付。"),
        Para("第四条 设计人应派驻现场设计代表，参加图纸会审、隐蔽工程验收及竣工验收。"),
        Signatures((("发包人（盖章）法定代表人或委托代理人", ctx.who("owner_head"), cn_date(when)),
                    ("设计人（盖章）法定代表人或委托代理人", ctx.who("design_lead"), cn_date(when)))),
    ]
    return kit.doc("A4-2", "勘察设计合同", title, blocks, when, fmt="docx", stem=f"{title}-{ctx.numbers['design_contract']}")


def works_tender(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(58, 66))
    title = f"{ctx.name}施工招标文件"
    blocks: list[Block] = [
        Heading(title),
        Fields((("招标编号", f"{ctx.numbers['tender']}-SG"), ("招标人", ctx.owner), ("招标代理机构", ctx.bidding_agent),
                ("日期", kit.d(when)))),
        Heading("第一章 招标公告", 2),
        Para(f"{ctx.name}已由市发展和改革委员会以{ctx.numbers['fsr']}批准建设，建设资金来自财政资金，项目已具备招标条件，现对该项目的施工进行公开招标。"),
        Para(f"招标范围：施工图纸范围内的全部工程内容，包括{ctx.scope}。计划工期{(ctx.finish - ctx.start).days}日历天。"),
        Para("投标人资格要求：具备建筑工程施工总承包二级及以上资质，具有有效的安全生产许可证；拟派项目经理须具备建筑工程专业一级注册建造师执业资格。"),
        Heading("第二章 投标人须知", 2),
        Para(f"招标控制价：{yuan(ctx.contract_amount * 1.06)}；投标保证金：人民币捌万元整。"),
        Para("评标办法：综合评估法，其中投标报价占60分，施工组织设计占30分，信誉及业绩占10分。"),
    ]
    return kit.doc("A4-3", "施工招标文件", title, blocks, when, fmt="docx")


def works_award(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    days = (ctx.finish - ctx.start).days
    return _award(kit, "A4-3", "中标通知书", ctx.contractor, "施工", ctx.contract_amount, ctx.day(kit.rng.randint(74, 78)), f"{days}日历天")


def works_contract(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(80, 84))
    days = (ctx.finish - ctx.start).days
    title = kit.pick(("建设工程施工合同", "建设工程施工合同（合同协议书）"))
    blocks: list[Block] = [
        Heading(title), Para("GF-2017-0201"),
        Para(f"发包人（全称）：{ctx.owner}"), Para(f"承包人（全称）：{ctx.contractor}"),
        Para(f"根据《中华人民共和国民法典》《中华人民共和国建筑法》及有关法律规定，遵循平等、自愿、公平和诚实信用的原则，"
             f"双方就{ctx.name}施工及有关事项协商一致，共同达成如下协议："),
        Heading("一、工程概况", 2),
        Fields((("工程名称", ctx.name), ("工程地点", ctx.address), ("工程内容", ctx.scope),
                ("资金来源", "财政资金")), columns=1),
        Heading("二、合同工期", 2),
        Para(f"计划开工日期：{cn_date(ctx.start)}；计划竣工日期：{cn_date(ctx.finish)}。工期总日历天数：{days}天。"),
        Heading("三、质量标准", 2), Para("工程质量符合合格标准。"),
        Heading("四、签约合同价与合同价格形式", 2),
        Para(f"签约合同价为：人民币（大写）{rmb_upper(ctx.contract_amount)}（¥{money(ctx.contract_amount)}元）。"),
        Table(("费用项目", "金额（元）"), (
            ("安全文明施工费", money(round(ctx.contract_amount * 0.031, 2))),
            ("材料和工程设备暂估价金额", money(round(ctx.contract_amount * 0.08, -2))),
            ("暂列金额", money(round(ctx.contract_amount * 0.05, -2))))),
        Para("合同价格形式：单价合同。"),
        Heading("五、项目经理", 2), Para(f"承包人项目经理：{ctx.who('pm')}。"),
        Para(f"合同编号：{ctx.numbers['contract']}。本协议书自双方签字盖章后成立，合同一式十份，均具有同等法律效力。"),
        Signatures((("发包人（公章）法定代表人或其委托代理人", ctx.who("owner_head"), cn_date(when)),
                    ("承包人（公章）法定代表人或其委托代理人", ctx.who("contractor_head"), cn_date(when)))),
    ]
    return kit.doc("A4-4", "施工合同", title, blocks, when, fmt="docx", stem=f"施工合同-{ctx.numbers['contract']}")


def supervision_tender(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(46, 56))
    title = kit.pick((f"{ctx.name}监理招标文件", f"{ctx.name}监理大纲（投标文件）"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("招标编号", f"{ctx.numbers['tender']}-JL"), ("招标人", ctx.owner), ("投标人", ctx.supervisor), ("日期", kit.d(when)))),
        Para("监理服务范围：施工准备阶段、施工阶段及缺陷责任期的质量、进度、造价控制，合同、信息管理及安全生产管理的监理工作。"),
        Para(f"拟派总监理工程师：{ctx.who('chief')}（注册监理工程师），专业监理工程师{kit.rng.randint(2, 4)}名，监理员{kit.rng.randint(1, 3)}名。"),
        Para(f"监理服务费投标报价：{yuan(ctx.supervision_fee)}。"),
    ]
    return kit.doc("A4-5", "监理招投标文件", title, blocks, when, fmt="docx")


def supervision_contract(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(66, 72))
    title = kit.pick(("建设工程监理合同", "建设工程委托监理合同"))
    blocks: list[Block] = [
        Heading(title), Para("GF-2012-0202"),
        Fields((("合同编号", ctx.numbers["sup_contract"]), ("委托人", ctx.owner), ("监理人", ctx.supervisor),
                ("工程名称", ctx.name), ("工程规模", f"建筑面积{ctx.area}㎡"), ("工程概算投资额", wan(ctx.budget)),
                ("签约酬金", f"{yuan(ctx.supervision_fee)}（{rmb_upper(ctx.supervision_fee)}）")), columns=1),
        Para(f"总监理工程师：{ctx.who('chief')}，注册号{kit.rng.randint(32000000, 32999999)}。"),
        Para(f"监理期限：自{cn_date(ctx.start)}始，至{cn_date(ctx.finish)}止；相关服务期限：缺陷责任期二年。"),
        Signatures((("委托人（盖章）", ctx.who("owner_head"), cn_date(when)), ("监理人（盖章）", ctx.who("chief"), cn_date(when)))),
    ]
    return kit.doc("A4-6", "监理合同", title, blocks, when, fmt="docx", stem=f"监理合同-{ctx.numbers['sup_contract']}")


# ---- A5 开工审批文件 ----------------------------------------------------------------------------


def works_planning_permit(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(64, 72))
    title = "建设工程规划许可证"
    number = ctx.numbers["works_plan"]
    blocks: list[Block] = [
        Heading(title), Para(number),
        Para("根据《中华人民共和国城乡规划法》第四十条规定，经审核，本建设工程符合国土空间规划和用途管制要求，颁发此证。"),
        Fields((("建设单位（个人）", ctx.owner), ("建设项目名称", ctx.name), ("建设位置", ctx.address),
                ("建设规模", f"改造建筑面积{ctx.area}平方米；新建地下设备用房{kit.rng.randint(300, 900)}平方米"),
                ("附图及附件名称", "总平面图、设备用房平面图及立面图")), columns=1),
        Signatures((("发证机关", "市自然资源和规划局", cn_date(when)),), seal="（印章）"),
    ]
    return kit.doc("A5-1", "建设工程规划许可证", title, blocks, when, stem=f"{title}（{number}）")


def construction_permit(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -10, -3)
    title = kit.pick(("建筑工程施工许可证", "中华人民共和国建筑工程施工许可证"))
    blocks: list[Block] = [
        Heading(title), Para(f"编号：{ctx.numbers['permit']}"),
        Para("根据《中华人民共和国建筑法》第八条规定，经审查，本建筑工程符合施工条件，准予施工。"),
        Fields((("建设单位", ctx.owner), ("工程名称", ctx.name), ("建设地址", ctx.address),
                ("建设规模", f"{ctx.area}平方米"), ("合同价格", f"{wan(ctx.contract_amount)}"),
                ("勘察单位", ctx.surveyor), ("设计单位", ctx.designer), ("施工单位", ctx.contractor),
                ("监理单位", ctx.supervisor), ("勘察单位项目负责人", ctx.who("survey_lead")),
                ("设计单位项目负责人", ctx.who("design_lead")), ("施工单位项目负责人", ctx.who("pm")),
                ("总监理工程师", ctx.who("chief")), ("合同工期", f"{(ctx.finish - ctx.start).days}天")), columns=1),
        Signatures((("发证机关", "市住房和城乡建设局", cn_date(when)),), seal="（印章）"),
    ]
    return kit.doc("A5-2", "施工许可证", title, blocks, when, stem=f"施工许可证-{ctx.numbers['permit']}")


# ---- A6 工程造价文件 ----------------------------------------------------------------------------

_COST_PARTS = (
    ("外墙保温工程", 0.18), ("外窗更换工程", 0.16), ("屋面保温防水工程", 0.07), ("设备用房土建工程", 0.12),
    ("空调冷热源及末端工程", 0.22), ("电气照明改造工程", 0.09), ("能耗监测系统", 0.04), ("光伏发电系统", 0.07),
    ("措施项目费", 0.05),
)


def _cost_sheet(kit: Kit, item: str, doc_type: str, title: str, total: float, when: date, note: str) -> Doc:
    ctx = kit.ctx
    rows = []
    remaining = total
    for index, (part, share) in enumerate(_COST_PARTS, start=1):
        amount = round(total * share * kit.rng.uniform(0.93, 1.07), 2) if index < len(_COST_PARTS) else round(remaining, 2)
        remaining -= amount
        rows.append((str(index), part, money(amount), f"{amount / total * 100:.2f}%"))
    rows.append(("", "合计", money(total), "100.00%"))
    blocks: list[Block] = [
        Heading(title),
        Fields(((kit.project_label(), ctx.name), ("编制单位", ctx.cost_consultant), ("编制日期", kit.d(when)),
                ("金额单位", "元"))),
        Table(("序号", "单项工程名称", "金额（元）", "占比"), tuple(rows)),
        Para(note),
        Signatures((("编制人（造价工程师）", ctx.who("cost_engineer"), cn_date(when)), ("审核人", ctx.who("lab_checker"), cn_date(when))),
                   seal=f"{ctx.cost_consultant}（造价咨询专用章）"),
    ]
    return kit.doc(item, doc_type, title, blocks, when, fmt="xlsx", sheet=doc_type, author=ctx.cost_consultant)


def estimate(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _cost_sheet(kit, "A6-1", "投资估算", f"{ctx.name}投资估算表", round(ctx.budget * 0.86, 2),
                       ctx.day(kit.rng.randint(10, 14)), "估算依据：可行性研究报告、类似工程造价指标及现行定额。")


def budget_estimate(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _cost_sheet(kit, "A6-2", "设计概算", f"{ctx.name}设计概算汇总表", round(ctx.budget * 0.84, 2),
                       ctx.day(kit.rng.randint(40, 46)), f"本概算经市发展和改革委员会{ctx.numbers['budget_approval']}批复。")


def control_price(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _cost_sheet(kit, "A6-3", "招标控制价", f"{ctx.name}招标控制价汇总表", round(ctx.contract_amount * 1.06, 2),
                       ctx.day(kit.rng.randint(56, 60)), "招标控制价按施工图纸、《建设工程工程量清单计价规范》GB 50500-2013及本省计价定额编制。")


def contract_price(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _cost_sheet(kit, "A6-4", "合同价格文件", f"{ctx.name}已标价工程量清单（合同价）汇总表", ctx.contract_amount,
                       ctx.day(kit.rng.randint(80, 84)), f"中标价即签约合同价：{yuan(ctx.contract_amount)}。")


def settlement(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    total = round(ctx.contract_amount * kit.rng.uniform(1.01, 1.04), 2)
    return _cost_sheet(kit, "A6-5", "结算价格文件", f"{ctx.name}竣工结算审核汇总表", total, kit.after(ctx.finish, 30, 40),
                       f"送审金额{yuan(total * 1.035)}，审定金额{yuan(total)}，核减{yuan(total * 0.035)}。含设计变更及签证增加费用。")


# ---- A7 工程建设基本信息 ------------------------------------------------------------------------


def overview_sheet(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.start
    title = "工程概况信息表"
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("建设地点", ctx.address), ("建设单位", ctx.owner), ("设计单位", ctx.designer),
                ("勘察单位", ctx.surveyor), ("施工单位", ctx.contractor), ("监理单位", ctx.supervisor),
                ("建筑面积（㎡）", ctx.area), ("层数", ctx.floors), ("结构类型", ctx.structure),
                ("工程造价（万元）", f"{ctx.contract_amount / 10000:.2f}"), ("开工日期", kit.d(ctx.start)),
                ("竣工日期", kit.d(ctx.finish)), ("施工许可证号", ctx.numbers["permit"]))),
    ]
    return kit.doc("A7-1", "工程概况信息表", title, blocks, when, fmt="docx")


def _roster(kit: Kit, item: str, doc_type: str, title: str, unit: str, roles: list[tuple[str, str]]) -> Doc:
    ctx = kit.ctx
    rows = tuple(
        (str(i), ctx.who(role), post, kit.pick(("高级工程师", "工程师", "助理工程师")), f"{kit.rng.randint(1000, 9999)}****{kit.rng.randint(10, 99)}")
        for i, (role, post) in enumerate(roles, start=1)
    )
    blocks: list[Block] = [
        Heading(title),
        Fields(((kit.project_label(), ctx.name), ("单位名称", unit))),
        Table(("序号", "姓名", "岗位", "职称", "证书编号"), rows),
        Signatures(((f"{unit}（盖章）", "", cn_date(ctx.start)),)),
    ]
    return kit.doc(item, doc_type, title, blocks, ctx.start, fmt="xlsx", sheet="名册")


def owner_roster(kit: Kit, n: int) -> Doc:
    return _roster(kit, "A7-2", "人员名册", "建设单位工程项目负责人及现场管理人员名册", kit.ctx.owner,
                   [("owner_lead", "项目负责人"), ("owner_staff", "现场代表"), ("owner_head", "分管领导")])


def supervisor_roster(kit: Kit, n: int) -> Doc:
    return _roster(kit, "A7-3", "人员名册", "监理单位工程项目总监及监理人员名册", kit.ctx.supervisor,
                   [("chief", "总监理工程师"), ("sup_civil", "专业监理工程师（土建）"), ("sup_mep", "专业监理工程师（安装）"),
                    ("sup_staff", "监理员")])


def contractor_roster(kit: Kit, n: int) -> Doc:
    return _roster(kit, "A7-4", "人员名册", "施工单位工程项目经理及质量管理人员名册", kit.ctx.contractor,
                   [("pm", "项目经理"), ("tech_lead", "技术负责人"), ("qc", "质检员"), ("foreman", "施工员"),
                    ("safety", "安全员"), ("doc_clerk", "资料员"), ("surveyor_staff", "测量员")])


TEMPLATES = (
    Template("A4-1", "中标通知书", design_award),
    Template("A4-2", "勘察设计合同", design_contract),
    Template("A4-3", "施工招标文件", works_tender),
    Template("A4-3", "中标通知书", works_award),
    Template("A4-4", "施工合同", works_contract),
    Template("A4-5", "监理招投标文件", supervision_tender),
    Template("A4-6", "监理合同", supervision_contract),
    Template("A5-1", "建设工程规划许可证", works_planning_permit),
    Template("A5-2", "施工许可证", construction_permit),
    Template("A6-1", "投资估算", estimate),
    Template("A6-2", "设计概算", budget_estimate),
    Template("A6-3", "招标控制价", control_price),
    Template("A6-4", "合同价格文件", contract_price),
    Template("A6-5", "结算价格文件", settlement),
    Template("A7-1", "工程概况信息表", overview_sheet),
    Template("A7-2", "人员名册", owner_roster),
    Template("A7-3", "人员名册", supervisor_roster),
    Template("A7-4", "人员名册", contractor_roster),
)
