"""C1 施工管理文件: the contractor's overview, site quality check, licences, incident papers, test plan and log."""

from __future__ import annotations

from samples.items_b_management import WEATHER, gbt_form, to_supervisor
from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date, yuan

# ---- C1 施工管理文件 ----------------------------------------------------------------------------


def works_overview(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -5, 0)
    title = "工程概况表"
    blocks: list[Block] = [
        Para("表C1-1"), Heading(title),
        Fields((("工程名称", ctx.name), ("建设地点", ctx.address), ("建筑面积", f"{ctx.area}㎡"), ("结构类型", ctx.structure),
                ("层数", ctx.floors), ("合同工期", f"{(ctx.finish - ctx.start).days}天"), ("施工许可证号", ctx.numbers["permit"]),
                ("项目经理", ctx.who("pm")), ("项目技术负责人", ctx.who("tech_lead")), ("开工日期", kit.d(ctx.start)))),
        Heading("构造特征", 2),
        Table(("部位", "做法"), (("外墙", "80mm厚岩棉板外保温，真石漆饰面"), ("外窗", "断热铝合金中空Low-E玻璃窗"),
                                ("屋面", "100mm厚挤塑聚苯板保温，4mm厚SBS改性沥青防水卷材两道"),
                                ("设备用房", "钢筋混凝土框架，筏板基础，C35P6抗渗混凝土"))),
        Para("其他：施工期间机关正常办公，外墙施工采用高处作业吊篮与落地式脚手架相结合。"),
    ]
    return kit.doc("C1-1", "工程概况表", title, blocks, when, fmt="docx")


def site_quality_check(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -4, 0)
    title = "施工现场质量管理检查记录"
    checks = ("项目部质量管理体系", "现场质量责任制", "主要专业工种操作岗位证书", "分包单位管理制度", "图纸会审记录",
              "地质勘察资料", "施工技术标准", "施工组织设计、施工方案编制及审批", "物资采购管理制度",
              "施工设施和机械设备管理制度", "计量设备配备", "检测试验管理制度", "工程质量检查验收制度")
    blocks: list[Block] = [
        Para("附录A"), Heading(title), kit.head(f"ZLGL-{ctx.start.year}-01", when, ("施工许可证号", ctx.numbers["permit"])),
        kit.parties("建设单位", "设计单位", "监理单位", "施工单位"),
        Table(("序号", "项目", "主要内容"), tuple((str(i), c, kit.pick(("已建立", "齐全", "有", "已制定并落实"))) for i, c in enumerate(checks, 1))),
        Para("检查结论：现场质量管理制度完整，符合要求，工程质量有保障。"),
        Signatures((("总监理工程师", ctx.who("chief"), cn_date(when)),), seal=f"{ctx.supervisor}"),
    ]
    return kit.doc("C1-2", "施工现场质量管理检查记录", title, blocks, when, fmt="docx")


def qualification(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -20, -10)
    which = n % 2
    if which == 0:
        title = "建筑业企业资质证书"
        pairs = (("企业名称", ctx.contractor), ("证书编号", f"D2320{kit.rng.randint(10000, 99999)}"),
                 ("资质类别及等级", "建筑工程施工总承包壹级；建筑装修装饰工程专业承包贰级"),
                 ("有效期", f"至{when.year + 3}年12月31日"), ("发证机关", "江苏省住房和城乡建设厅"))
    else:
        title = "安全生产许可证"
        pairs = (("单位名称", ctx.contractor), ("编号", f"（苏）JZ安许证字〔{when.year - 2}〕{kit.rng.randint(100000, 999999)}"),
                 ("许可范围", "建筑施工"), ("有效期", f"{when.year - 2}年3月1日至{when.year + 1}年2月28日"))
    blocks: list[Block] = [Heading(title + kit.pick(("", "（副本）", "（复印件）"))), Fields(pairs, columns=1),
                           Para(f"本复印件仅用于{ctx.name}报审，再复印无效。"),
                           Signatures(((ctx.contractor, "", cn_date(when)),), seal="（公章）")]
    return kit.doc("C1-3", "企业资质证书", title, blocks, when)


def subcontractor_review(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.05, 0.3)
    body = [
        f"经考察，我方认为拟选择的{ctx.subcontractor}具有承担下列工程的施工资质和能力，可以保证本工程按施工合同第3.5款的约定进行施工。"
        "分包后，我方仍承担本工程施工合同的全部责任。请予以审查。",
    ]
    table = Table(("分包工程名称（部位）", "分包工程量", "分包工程合同额"), (
        (kit.pick(("幕墙及外窗工程", "空调冷热源安装工程", "能耗监测系统")), f"{kit.rng.randint(2000, 6000)}㎡",
         yuan(round(kit.rng.uniform(900000, 2400000), -2))),))
    doc = gbt_form(kit, "C1-4", "分包单位资格报审表", "表B.0.4", "分包单位资格报审表", f"FB-{kit.next('fb'):02d}",
                        to_supervisor(kit), body, [kit.sign_contractor(when, tech=False, qc=False), kit.sign_supervisor(kit.after(when, 1, 4))],
                        when, attachments=("分包单位资质材料", "分包单位业绩材料", "专职管理人员和特种作业人员资格证书"))
    doc.blocks.insert(4, table)
    return doc


def incident_survey(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.4, 0.6)
    title = "建设单位质量事故勘查记录"
    blocks: list[Block] = [
        Heading(title), kit.head(f"KC-{when.year}-01", when),
        Fields((("勘查时间", f"{cn_date(when)} 10:00—11:30"), ("勘查地点", "六层西立面"), ("参加人员", f"{ctx.who('owner_lead')}、{ctx.who('chief')}、{ctx.who('pm')}"),
                ("被调查人", ctx.who("foreman"))), columns=1),
        Para("勘查笔录：保温层空鼓脱落面积约12㎡，脱落部位粘结砂浆呈点状分布，粘结面积明显不足50%，基层有浮灰。"),
        Para("现场证物照片：共8张，附后。"),
        Signatures((("勘查人", ctx.who("owner_lead"), cn_date(when)), ("记录人", ctx.who("owner_staff"), cn_date(when)))),
    ]
    return kit.doc("C1-5", "质量事故勘查记录", title, blocks, when, fmt="docx")


def incident_report(kit: Kit, n: int) -> Doc:
    when = kit.works(0.4, 0.6)
    title = "建设工程质量事故报告书"
    blocks: list[Block] = [
        Heading(title), kit.head(f"SGBG-{when.year}-01", when),
        kit.parties("建设单位", "施工单位", "监理单位"),
        Para("事故发生时间及部位：六层西立面⑨~⑫轴外墙外保温。"),
        Para("事故经过：保温层粘贴完成后第3天，部分保温板空鼓并局部脱落，无人员伤亡。"),
        Para(f"事故原因及性质：基层处理不到位、粘结面积不足，属施工原因造成的一般质量问题；直接经济损失{yuan(round(kit.rng.uniform(10000, 28000), -2))}。"),
        Para("处理意见：拆除重做，增加锚栓数量，对全部外墙保温进行粘结强度及锚栓拉拔抽检。"),
        kit.sign_contractor(when, qc=False),
    ]
    return kit.doc("C1-6", "质量事故报告书", title, blocks, when, fmt="docx")


TEST_PLAN = (
    ("钢筋原材", "同厂家、同牌号、同规格每60t为一批", "见证取样"), ("混凝土抗压强度试块", "每100m³且每一工作班不少于一组", "见证取样"),
    ("混凝土抗渗试块", "每500m³不少于一组", "见证取样"), ("岩棉板", "同厂家同品种每5000㎡一批", "见证取样"),
    ("挤塑聚苯板", "同厂家同品种每1000㎡一批", "见证取样"), ("外窗物理性能", "同厂家同品种同类型3樘", "见证取样"),
    ("SBS防水卷材", "每1000卷抽5卷", "见证取样"), ("保温板粘结强度现场拉拔", "每个检验批抽查3处", "现场检测"),
    ("锚栓拉拔", "每个检验批抽查3处", "现场检测"), ("室内环境污染物浓度", "按房间总数5%抽检", "第三方检测"),
)


def test_plan(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -3, 5)
    title = kit.pick(("施工检测计划", "检测试验计划"))
    rows = tuple((str(i), item, freq, kind, f"{kit.rng.randint(1, 12)}组") for i, (item, freq, kind) in enumerate(TEST_PLAN, 1))
    blocks: list[Block] = [Heading(title), kit.head(f"JCJH-{ctx.start.year}-01", when),
                           Table(("序号", "检测项目", "检测批量/频次", "取样方式", "计划数量"), rows),
                           kit.sign_contractor(when, qc=False)]
    return kit.doc("C1-7", "施工检测计划", title, blocks, when, fmt="xlsx", sheet="检测计划")


def witness_summary(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 0, 6)
    title = kit.pick(("见证试验检测汇总表", "见证取样试验汇总表"))
    rows = []
    for i, (item, _, kind) in enumerate(TEST_PLAN, 1):
        planned = kit.rng.randint(1, 12)
        rows.append((str(i), item, str(planned), str(planned), "0", kind))
    blocks: list[Block] = [
        Heading(title), kit.head(f"JZHZ-{ctx.finish.year}-01", when, ("检测单位", ctx.lab), ("见证人", ctx.who("sup_staff"))),
        Table(("序号", "试验项目", "应送检组数", "见证送检组数", "不合格组数", "备注"), tuple(rows)),
        Signatures((("制表人", ctx.who("doc_clerk"), cn_date(when)), ("项目技术负责人", ctx.who("tech_lead"), cn_date(when)))),
    ]
    return kit.doc("C1-8", "见证试验检测汇总表", title, blocks, when, fmt="xlsx", sheet="汇总")


def construction_log(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.05, 0.95)
    title = kit.pick(("施工日志", "施工日志", "施工日记"))
    work = kit.pick(("外墙岩棉板粘贴", "外窗拆除及附框安装", "屋面找坡层施工", "设备用房底板钢筋绑扎", "风机盘管吊装", "LED灯具更换"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("日期", kit.d(when)), ("天气", kit.pick(WEATHER)),
                ("风力", f"{kit.rng.randint(1, 4)}级"), ("最高/最低气温", f"{kit.rng.randint(18, 35)}℃/{kit.rng.randint(5, 18)}℃"))),
        Para(f"生产情况记录：{work}施工，作业人员{kit.rng.randint(12, 60)}人；塔吊/吊篮运行正常。"),
        Para(f"技术质量安全工作记录：对{work}班组进行技术交底；质检员自检合格后报监理验收；班前安全教育一次。"),
        Para(kit.pick(("材料进场：岩棉板1200㎡，出厂合格证及检验报告齐全，已通知监理见证取样。", "材料进场：无。",
                       "材料进场：断热铝合金窗86樘，附型式检验报告。"))),
        Signatures((("记录人", ctx.who("foreman"), cn_date(when)),)),
    ]
    return kit.doc("C1-9", "施工日志", title, blocks, when, fmt="docx", stem=f"施工日志-{when.isoformat()}")


TEMPLATES = (
    Template("C1-1", "工程概况表", works_overview),
    Template("C1-2", "施工现场质量管理检查记录", site_quality_check),
    Template("C1-3", "企业资质证书", qualification),
    Template("C1-4", "分包单位资格报审表", subcontractor_review),
    Template("C1-5", "质量事故勘查记录", incident_survey),
    Template("C1-6", "质量事故报告书", incident_report),
    Template("C1-7", "施工检测计划", test_plan),
    Template("C1-8", "见证试验检测汇总表", witness_summary),
    Template("C1-9", "施工日志", construction_log),
)
