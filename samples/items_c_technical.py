"""C2–C3 施工技术、进度造价文件: method statements, briefings, drawing reviews, design changes, 洽商 and submissions.

设计变更 and 洽商 are numbered series (结施-变-01, 02 …; 洽-01 …) because 竣工图 cite those numbers
as the basis of each amendment, and an archivist checks the series has no gaps.
"""

from __future__ import annotations

from samples import items_b_control as control
from samples.items_b_management import gbt_form, to_supervisor
from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date, money, rmb_upper, yuan

# ---- C2 施工技术文件 ----------------------------------------------------------------------------


def tech_doc_submission(kit: Kit, n: int) -> Doc:
    return control.tech_doc_review(kit, n, item="C2-1")


def organisation_design(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -15, -8)
    title = kit.pick((f"{ctx.name}施工组织设计", "施工组织设计（总体）"))
    chapters = (
        ("第一章 编制依据", "施工合同、施工图纸、《建筑施工组织设计规范》GB/T 50502-2009及现行施工质量验收规范。"),
        ("第二章 工程概况", f"{ctx.name}位于{ctx.address}，建筑面积{ctx.area}㎡，{ctx.floors}，{ctx.structure}。建设内容：{ctx.scope}。"),
        ("第三章 施工部署", "按照“先地下、后地上，先外墙、后屋面，室内分层穿插”的原则组织施工，外墙按立面分为四个施工段流水作业。"),
        ("第四章 施工进度计划", f"计划开工{cn_date(ctx.start)}，计划竣工{cn_date(ctx.finish)}，总工期{(ctx.finish - ctx.start).days}日历天。"),
        ("第五章 主要施工方法", "外墙保温采用粘锚结合工艺；外窗采用先装附框后装窗的干法安装；屋面保温采用满粘法铺设挤塑板。"),
        ("第六章 质量保证措施", "建立样板引路制度，关键工序实行三检制，节能材料严格执行进场复验。"),
        ("第七章 安全文明施工措施", "办公区与施工区硬隔离，设置安全通道及防护棚，吊篮每日班前检查。"),
    )
    blocks: list[Block] = [Heading(title), Fields((("编制人", ctx.who("tech_lead")), ("审核人", ctx.who("pm")),
                                                  ("审批人", ctx.who("contractor_head")), ("编制日期", kit.d(when))))]
    for heading, text in chapters:
        blocks += [Heading(heading, 2), Para(text)]
    blocks.append(Signatures((("施工单位技术负责人（审批）", ctx.who("contractor_head"), cn_date(when)),), seal=f"{ctx.contractor}（公章）"))
    return kit.doc("C2-2", "施工组织设计", title, blocks, when, fmt="docx", author=ctx.contractor, stem="施工组织设计")


DANGEROUS = (
    ("高处作业吊篮", "吊篮型号ZLP630，悬挂机构前梁外伸长度1.3m，配重1000kg；安全绳独立设置并固定于可靠结构。"),
    ("设备用房基坑支护", "基坑开挖深度5.5m，采用φ800钻孔灌注桩加一道钢筋混凝土内支撑；本方案已组织专家论证。"),
    ("落地式钢管脚手架", "搭设高度48m，采用双排扣件式钢管脚手架，连墙件两步三跨设置。"),
)


def dangerous_plan(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    what, detail = DANGEROUS[n % len(DANGEROUS)]
    when = kit.after(ctx.start, -10, 15)
    title = f"{what}专项施工方案"
    blocks: list[Block] = [Heading(title), Fields((("工程名称", ctx.name), ("编制人", ctx.who("tech_lead")), ("审批人", ctx.who("contractor_head")),
                                                  ("日期", kit.d(when)))),
                           Heading("一、危险性较大的分部分项工程概况", 2), Para(detail),
                           Heading("二、施工安全保证措施", 2),
                           Para("设专职安全员全程监督，作业前进行安全技术交底，每日班前检查并形成记录，遇5级以上大风停止作业。"),
                           Heading("三、应急处置措施", 2),
                           Para("成立应急救援小组，配备急救药箱、担架等器材，与就近医院建立联动机制。")]
    if "基坑" in what:
        blocks.append(Para(f"专家论证意见：{cn_date(kit.after(when, 3, 7))}召开专家论证会，论证结论为“修改后通过”。"))
    return kit.doc("C2-3", "危大工程专项施工方案", title, blocks, when, fmt="docx", author=ctx.contractor)


BRIEFINGS = (
    ("外墙外保温工程", "基层清理→弹线→配制粘结砂浆→粘贴岩棉板→安装锚栓→抹底层抹面砂浆→压入耐碱网格布→抹面层砂浆",
     "粘结面积不小于50%，锚栓每平方米不少于6个，锚固深度不小于50mm。"),
    ("屋面防水工程", "基层处理→涂刷基层处理剂→附加层施工→热熔铺贴卷材→收头密封→蓄水试验",
     "卷材长边搭接不小于100mm，短边不小于150mm，上下层卷材不得相互垂直铺贴。"),
    ("外窗安装工程", "旧窗拆除→洞口修补→附框安装→窗框安装→发泡胶填塞→内外密封胶施工",
     "固定片间距不大于600mm，距窗角不大于150mm，窗框与附框之间用聚氨酯发泡胶填充饱满。"),
    ("空调水管道安装", "支吊架安装→管道预制→管道安装→试压→冲洗→保温",
     "冷冻水管道保温采用30mm厚橡塑保温管壳，支吊架处设置防冷桥木托。"),
)


def briefing(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    what, steps, points = BRIEFINGS[n % len(BRIEFINGS)]
    when = kit.works(0.02, 0.5)
    safety = kit.chance(0.3)
    title = f"{what}{'安全' if safety else ''}技术交底记录"
    number = f"JD-{kit.next('jd'):03d}"
    blocks: list[Block] = [
        Para("表C2-4"), Heading(title), kit.head(number, when, ("交底项目", what)),
        Para(f"工艺流程：{steps}。"), Para(f"质量要求：{points}"),
        Para("安全注意事项：高处作业必须系挂安全带，吊篮内作业不得超过2人，严禁在吊篮内进行电焊作业。"),
        Signatures((("交底人", ctx.who("tech_lead"), cn_date(when)), ("审核人", ctx.who("pm"), cn_date(when)),
                    ("接受交底人", f"{ctx.who('foreman')}等{kit.rng.randint(8, 25)}人", cn_date(when)))),
    ]
    return kit.doc("C2-4", "技术交底记录", title, blocks, when, fmt="docx", stem=f"技术交底-{what}")


def drawing_review_minutes(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -8, -2)
    title = "图纸会审记录"
    questions = (
        ("建施-05", "外墙保温在窗洞口侧边的收口做法未明确。", "窗洞口侧边保温厚度30mm，采用岩棉条，详见节点大样建施-21。"),
        ("结施-03", "设备用房底板后浇带位置与集水坑冲突。", "后浇带向东平移1.2m，详见设计变更。"),
        ("暖施-02", "新风机组吊装位置与既有梁冲突。", "机组改为落地安装，基础由结构专业补图。"),
        ("电施-07", "光伏并网柜安装位置未注明。", "安装于设备用房低压配电间，详见电施-09。"),
        ("建施-12", "屋面设备基础处防水卷材上翻高度不明确。", "上翻高度不小于250mm，收头用金属压条固定。"),
    )
    chosen = questions[: kit.rng.randint(3, 5)]
    blocks: list[Block] = [
        Para("表C2-5"), Heading(title),
        kit.head(f"TZHS-{kit.next('tzhs'):02d}", when, ("专业名称", "建筑、结构、暖通、电气"), ("地点", "项目部会议室")),
        Table(("序号", "图号", "图纸问题", "答复意见"), tuple((str(i), a, b, c) for i, (a, b, c) in enumerate(chosen, 1))),
        Signatures((("建设单位", ctx.who("owner_lead"), cn_date(when)), ("设计单位", ctx.who("design_lead"), cn_date(when)),
                    ("监理单位", ctx.who("chief"), cn_date(when)), ("施工单位", ctx.who("tech_lead"), cn_date(when)))),
    ]
    return kit.doc("C2-5", "图纸会审记录", title, blocks, when, fmt="docx")


CHANGES = (
    ("结施", "设备用房底板", "基槽开挖后发现局部存在软弱下卧层（验槽记录YC-01）",
     "设备用房底板厚度由400mm调整为450mm，底板下铁钢筋由C16@200调整为C18@200，其余不变。", ("结施-03", "结施-04"), 38620.00),
    ("结施", "屋面光伏支架", "经复核屋面风荷载体型系数，原支架立柱截面偏小",
     "光伏支架立柱由HW150×150×7×10调整为HW175×175×7.5×11，每跨增设L63×5斜撑一道。", ("结施-12",), 56480.00),
    ("结施", "外立面幕墙转接件", "幕墙分包深化设计后转接件受力增大",
     "幕墙转接件后置埋件化学锚栓由M12调整为M16，锚固深度不小于125mm，并应进行现场拉拔试验。", ("结施-15", "结施-16"), 21350.00),
    ("建施", "外墙保温", "建设单位要求提高防火性能", "六层以上外墙保温由挤塑聚苯板调整为岩棉板，锚栓加密至每平方米8个。", ("建施-05", "建施-21"), 64200.00),
    ("暖施", "新风机组", "与既有结构梁冲突", "四层新风机组由吊装改为落地安装，增设设备基础。", ("暖施-02",), 12800.00),
    ("电施", "光伏并网", "供电部门接入方案调整", "光伏并网点由屋面汇流箱改至设备用房低压配电间，增设并网柜一面。", ("电施-07", "电施-09"), 27600.00),
)


def design_change(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    discipline, part, reason, content, drawings, base_cost = CHANGES[n % len(CHANGES)]
    series = kit.next(f"change-{discipline}")
    change_no = f"{discipline}-变-{series:02d}"
    serial = f"设变-{ctx.start.year}-{kit.next('change-all'):03d}"
    when = kit.works(0.08 + 0.1 * (n % 6), 0.15 + 0.12 * (n % 6))
    cost = round(base_cost * kit.rng.uniform(0.9, 1.1), 2)
    title = kit.pick(("设计变更通知单", "设计变更通知单", "设计变更通知书", "工程设计变更单"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("变更编号", change_no), ("流水号", serial), ("变更部位", part), ("专业", {"结施": "结构", "建施": "建筑", "暖施": "暖通", "电施": "电气"}[discipline]),
                ("涉及图号", "、".join(drawings)), ("日期", kit.d(when)))),
        Para(f"变更原因：{reason}。"),
        Para(f"变更内容：{content}"),
        Para(kit.pick((f"本变更增加造价约{yuan(cost)}（以审定为准）。", f"经初步测算，增加造价{yuan(cost)}，大写{rmb_upper(cost)}。",
                       f"费用影响：增加造价{money(cost)}元。"))),
        Signatures((("设计人", ctx.who("design_struct") if discipline == "结施" else ctx.who("design_mep"), cn_date(when)),
                    ("专业负责人", ctx.who("design_struct"), cn_date(when)), ("项目负责人", ctx.who("design_lead"), cn_date(when))),
                   seal=f"{ctx.designer}（出图专用章）"),
        Table(("接收单位", "签收人", "日期"), (("建设单位", ctx.who("owner_staff"), cn_date(when)), ("监理单位", ctx.who("sup_civil"), cn_date(when)),
                                            ("施工单位", ctx.who("tech_lead"), cn_date(when)))),
    ]
    return kit.doc("C2-6", "设计变更通知单", title, blocks, when, author=ctx.designer, stem=f"设计变更通知单-{change_no}")


NEGOTIATIONS = (
    ("外窗附框", "原设计钢附框现场锈蚀风险大，施工单位提议改为断热铝合金附框，规格同原设计，固定方式不变。", ("建施-08",)),
    ("空调冷凝水管", "四层走道吊顶空间不足，冷凝水管改由卫生间管井排放，管径不变。", ("暖施-04", "暖施-05")),
    ("屋面排水", "屋面光伏支架基础与雨水口冲突，雨水口向东平移600mm并增设一处溢流口。", ("建施-12", "水施-03")),
    ("设备用房集水坑", "集水坑位置与后浇带冲突，集水坑向北平移1.5m。", ("结施-03",)),
)


def negotiation(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    part, content, drawings = NEGOTIATIONS[n % len(NEGOTIATIONS)]
    number = f"洽-{kit.next('qs'):02d}"
    when = kit.works(0.15, 0.75)
    title = kit.pick(("工程洽商记录", "工程洽商记录", "技术核定单"))
    blocks: list[Block] = [
        Para("表C2-7"), Heading(title),
        kit.head(number, when, ("专业名称", kit.pick(("建筑", "给排水", "暖通", "结构"))), ("提出单位", ctx.contractor)),
        Para(f"洽商摘要：关于{part}的调整。"),
        Table(("序号", "图号", "洽商内容"), tuple((str(i), d, content if i == 1 else "同上") for i, d in enumerate(drawings, 1))),
        Para(kit.pick(("本洽商不增加造价。", f"本洽商增加造价约{yuan(round(kit.rng.uniform(3000, 20000), 2))}。"))),
        Signatures((("建设单位", ctx.who("owner_lead"), cn_date(when)), ("设计单位（专业负责人）", ctx.who("design_arch"), cn_date(when)),
                    ("监理单位", ctx.who("sup_civil"), cn_date(when)), ("施工单位", ctx.who("tech_lead"), cn_date(when)))),
    ]
    return kit.doc("C2-7", "工程洽商记录", title, blocks, when, fmt="docx", stem=f"工程洽商记录-{number}")


# ---- C3 进度造价文件 ----------------------------------------------------------------------------


def start_application(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -6, -2)
    body = [
        f"我方承担的{ctx.name}，已完成相关准备工作，具备开工条件，申请于{cn_date(ctx.start)}开工，请予以审批。",
        "证明文件资料：施工组织设计已审批；施工许可证已办理；管理及施工人员已到位，主要材料已落实；施工现场“三通一平”已完成。",
        "审核意见：经审查，本工程现场准备工作满足开工要求，同意开工。",
    ]
    signs = [kit.sign_contractor(when, tech=False, qc=False), kit.sign_supervisor(kit.after(when, 1, 2), engineer=False),
             Signatures((("建设单位代表", ctx.who("owner_lead"), cn_date(kit.after(when, 1, 3))),))]
    return gbt_form(kit, "C3-1", "工程开工报审表", "表B.0.2", kit.pick(("工程开工报审表", "单位工程开工报审表")),
                         f"KG-{ctx.start.year}-01", to_supervisor(kit), body, signs, when)


def resumption_application(kit: Kit, n: int) -> Doc:
    when = kit.works(0.48, 0.52)
    body = [
        "编号为ZTL-01的工程暂停令所停工的屋面光伏支架部位，现已满足复工条件，我方申请复工，请予审批。",
        "附件：动火审批表、消防器材配备清单、整改验收记录。",
        "审核意见：经现场检查，整改到位，同意复工。",
    ]
    signs = [kit.sign_contractor(when, tech=False, qc=False), kit.sign_supervisor(kit.after(when, 1, 1), engineer=False)]
    return gbt_form(kit, "C3-2", "工程复工报审表", "表B.0.3", "工程复工报审表", f"FG-{kit.next('fg'):02d}",
                         to_supervisor(kit), body, signs, when)


def schedule_submission(kit: Kit, n: int) -> Doc:
    doc = control.schedule_review(kit, n)
    doc.item_code = "C3-3"
    return doc


def schedule(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -8, -4)
    title = kit.pick(("施工总进度计划", "施工进度计划（横道图）"))
    tasks = ("施工准备", "设备用房基坑支护及土方", "设备用房主体结构", "外墙外保温", "外窗更换", "屋面保温防水",
             "空调冷热源安装", "空调末端及管道", "电气照明改造", "能耗监测系统", "光伏发电系统", "调试及竣工验收")
    span = (ctx.finish - ctx.start).days
    rows = []
    for i, task in enumerate(tasks):
        start = ctx.start + (ctx.finish - ctx.start) * (i / (len(tasks) + 2))
        length = max(10, int(span * kit.rng.uniform(0.12, 0.3)))
        finish = min(ctx.finish, start + (ctx.finish - ctx.start) * (length / span))
        rows.append((str(i + 1), task, start.isoformat(), finish.isoformat(), str((finish - start).days)))
    blocks: list[Block] = [Heading(title), kit.head(f"JDJH-{ctx.start.year}", when),
                           Table(("序号", "工作名称", "开始时间", "完成时间", "持续时间（天）"), tuple(rows)),
                           kit.sign_contractor(when, qc=False)]
    return kit.doc("C3-4", "施工进度计划", title, blocks, when, fmt="xlsx", sheet="进度计划")


def resources(kit: Kit, n: int) -> Doc:
    when = kit.works(0.1, 0.9)
    month = f"{when.year}年{when.month}月"
    title = kit.pick((f"人、机、料动态表（{month}）", f"{month}人员机械材料动态表"))
    labour = tuple((w, str(kit.rng.randint(2, 30))) for w in ("木工", "钢筋工", "混凝土工", "抹灰工", "防水工", "电工", "管道工", "焊工"))
    blocks: list[Block] = [
        Heading(title), kit.head(f"DT-{when.month:02d}", when),
        Table(("工种", "人数"), labour),
        Table(("机械名称", "规格型号", "数量"), (("高处作业吊篮", "ZLP630", str(kit.rng.randint(6, 16))), ("汽车吊", "25t", "1"),
                                              ("电焊机", "BX1-500", str(kit.rng.randint(2, 6))))),
        Table(("材料名称", "单位", "本月进场", "累计进场"), (("岩棉板", "㎡", str(kit.rng.randint(800, 3000)), str(kit.rng.randint(3000, 9000))),
                                                   ("断热铝合金窗", "樘", str(kit.rng.randint(20, 120)), str(kit.rng.randint(120, 420))))),
        kit.sign_contractor(when, tech=False),
    ]
    return kit.doc("C3-5", "人、机、料动态表", title, blocks, when, fmt="xlsx", sheet="动态表")


def extension_submission(kit: Kit, n: int) -> Doc:
    return control.extension_application(kit, n, item="C3-6")


def payment_submission(kit: Kit, n: int) -> Doc:
    return control.payment_application(kit, n, item="C3-7")


def change_cost_submission(kit: Kit, n: int) -> Doc:
    return control.change_cost_review(kit, n, item="C3-8")


def claim_submission(kit: Kit, n: int) -> Doc:
    return control.claim_application(kit, n, item="C3-9")


VISAS = (
    ("设备用房基坑局部超挖回填", "③~④/Ⓑ~Ⓒ轴软弱土换填级配砂石", "m³", (28, 65), 168.00),
    ("原屋面防水层铲除外运", "屋面西区原SBS卷材及保护层铲除并外运", "㎡", (420, 980), 18.50),
    ("外墙原空调机位拆除", "拆除北立面原空调室外机及支架", "处", (30, 90), 260.00),
)


def site_visa(kit: Kit, n: int) -> Doc:
    """A 现场签证: a quantity and its price, signed on site; a cost record, not a drawing change."""
    ctx = kit.ctx
    what, detail, unit, (lo, hi), price = VISAS[n % len(VISAS)]
    when = kit.works(0.1, 0.8)
    quantity = kit.rng.randint(lo, hi)
    amount = round(quantity * price, 2)
    number = f"QZ-{when.year}-{kit.next('qz'):03d}"
    title = kit.pick(("现场签证单", "工程现场签证单", "经济签证单"))
    blocks: list[Block] = [
        Heading(title), kit.head(number, when, ("签证事由", what)),
        Para(f"签证内容：{detail}，经现场各方共同计量确认。"),
        Table(("项目", "单位", "数量", "单价（元）", "合价（元）"), ((what, unit, str(quantity), money(price), money(amount)),)),
        Para(f"签证金额合计：{yuan(amount)}（大写：{rmb_upper(amount)}）。"),
        Signatures((("施工单位", ctx.who("pm"), cn_date(when)), ("监理单位", ctx.who("sup_civil"), cn_date(when)),
                    ("建设单位", ctx.who("owner_lead"), cn_date(when)))),
    ]
    return kit.doc("C3-10", "现场签证单", title, blocks, when, fmt=kit.pick(("docx", "pdf")), stem=f"现场签证单-{number}")


TEMPLATES = (
    Template("C2-1", "工程技术文件报审表", tech_doc_submission),
    Template("C2-2", "施工组织设计", organisation_design),
    Template("C2-3", "危大工程专项施工方案", dangerous_plan),
    Template("C2-4", "技术交底记录", briefing),
    Template("C2-5", "图纸会审记录", drawing_review_minutes),
    Template("C2-6", "设计变更通知单", design_change),
    Template("C2-7", "工程洽商记录", negotiation),
    Template("C3-1", "工程开工报审表", start_application),
    Template("C3-2", "工程复工报审表", resumption_application),
    Template("C3-3", "施工进度计划报审表", schedule_submission),
    Template("C3-4", "施工进度计划", schedule),
    Template("C3-5", "人、机、料动态表", resources),
    Template("C3-6", "工程延期申请表", extension_submission),
    Template("C3-7", "工程款支付申请表", payment_submission),
    Template("C3-8", "工程变更费用报审表", change_cost_submission),
    Template("C3-9", "费用索赔申请表", claim_submission),
    Template("C3-10", "现场签证单", site_visa),
)
