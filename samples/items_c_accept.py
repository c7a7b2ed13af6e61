"""C7–C8 施工质量验收 and 施工验收文件: the GB 50300 ladder 检验批 < 分项 < 分部 < 单位工程.

Each form names its level in the title, which is what tells them apart (standards.md §4 rule 3);
the sample project has several of each so that a classifier must read that word, not the layout.
"""

from __future__ import annotations

from samples.items_b_management import gbt_form, to_supervisor
from samples.items_c_records import reading
from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date

# (分部, 子分部, 分项, code, 验收依据, 主控项目 [(项目, 要求, 读数)], 一般项目)
LOTS = (
    ("建筑节能", "围护系统节能", "墙体节能", "09010101", "GB 50411-2019",
     (("保温材料品种、规格", "符合设计要求", "岩棉板80mm，符合"), ("保温材料复验", "导热系数、密度、抗拉强度、燃烧性能", "报告编号见附件，合格"),
      ("保温层厚度", "≥80mm", "{80-84}mm"), ("保温板粘结面积", "≥50%", "{55-70}%"), ("锚栓数量及锚固深度", "≥6个/㎡，≥50mm", "6个/㎡，{52-58}mm")),
     (("抹面层表面平整度", "≤4mm", "{1-4}mm"), ("网格布铺贴", "搭接≥100mm", "符合"))),
    ("建筑节能", "围护系统节能", "门窗节能", "09010301", "GB 50411-2019",
     (("外窗品种、规格", "符合设计要求", "符合"), ("外窗气密性、传热系数复验", "复验合格", "合格"), ("中空玻璃密封", "密封良好", "符合")),
     (("外窗框与墙体间缝隙", "发泡胶填塞饱满，密封胶密封", "符合"), ("窗扇密封条", "安装位置正确，镶嵌牢固", "符合"))),
    ("屋面", "保温与隔热", "板状材料保温层", "04020101", "GB 50207-2012",
     (("保温材料质量", "符合设计要求", "符合"), ("保温层厚度", "正偏差不限，负偏差≤4mm", "{0-3}mm"), ("屋面热桥部位处理", "符合设计要求", "符合")),
     (("保温板铺设", "紧贴基层，铺平垫稳", "符合"), ("表面平整度", "≤5mm", "{1-5}mm"))),
    ("地基与基础", "混凝土基础", "钢筋", "01050101", "GB 50204-2015",
     (("受力钢筋品种、级别、规格、数量", "符合设计要求", "C18@200，符合"), ("钢筋连接方式", "符合设计要求", "直螺纹连接"),
      ("机械连接接头力学性能", "符合JGJ 107", "报告合格")),
     (("受力钢筋间距", "±10mm", "{-8-8}mm"), ("保护层厚度", "±10mm", "{-6-6}mm"), ("绑扎钢筋网长、宽", "±10mm", "{-7-7}mm"))),
    ("屋面", "防水与密封", "卷材防水层", "04030101", "GB 50207-2012",
     (("防水卷材及配套材料质量", "符合设计要求", "符合"), ("卷材防水层渗漏", "不得有渗漏和积水", "蓄水试验无渗漏"),
      ("细部防水构造", "符合设计要求", "符合")),
     (("搭接缝", "粘结牢固，密封严密", "符合"), ("卷材搭接宽度", "-10mm", "{-6-0}mm"))),
    ("通风与空调", "送风系统", "风管与配件制作", "07010101", "GB 50243-2016",
     (("风管板材厚度", "≥0.6mm", "{0.6-0.8}mm"), ("风管强度及严密性", "符合规范规定", "漏风量检测合格")),
     (("风管外径或外边长偏差", "≤3mm", "{1-3}mm"), ("法兰平面度", "≤2mm", "{0-2}mm"))),
)


def inspection_lot(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    division, subdivision, item, code, basis, main, general = LOTS[n % len(LOTS)]
    when = kit.works(0.15, 0.85)
    lot_no = f"{code}{kit.next('lot-' + code):03d}"
    title = kit.pick((f"{item}检验批质量验收记录", f"{item}工程检验批质量验收记录"))
    rows: list[tuple[str, ...]] = []
    for kind, checks in (("主控项目", main), ("一般项目", general)):
        for index, (what, requirement, pattern) in enumerate(checks, start=1):
            sampled = f"{kit.rng.randint(3, 10)}/{kit.rng.randint(10, 30)}"
            rows.append((kind, str(index), what, requirement, sampled, reading(kit, pattern), "√"))
    blocks: list[Block] = [
        Para(f"编号：{lot_no}"), Heading(title),
        Fields((("单位（子单位）工程名称", ctx.name), ("分部（子分部）工程名称", f"{division}/{subdivision}"), ("分项工程名称", item),
                ("施工单位", ctx.contractor), ("项目负责人", ctx.who("pm")), ("检验批容量", f"{kit.rng.randint(300, 1000)}㎡"),
                ("检验批部位", kit.pick(("北立面三~六层", "南立面七~十二层", "屋面A区", "设备用房底板", "四层走道"))),
                ("施工依据", "施工图及专项施工方案"), ("验收依据", basis))),
        Table(("类别", "序号", "验收项目", "设计要求及规范规定", "最小/实际抽样数量", "检查记录", "检查结果"), tuple(rows)),
        Para("施工单位检查结果：主控项目全部合格，一般项目满足规范要求，符合要求。"),
        Signatures((("专业工长", ctx.who("foreman"), cn_date(when)), ("项目专业质量检查员", ctx.who("qc"), cn_date(when)))),
        Para("监理单位验收结论：合格。"),
        Signatures((("专业监理工程师", ctx.who("sup_civil"), cn_date(kit.after(when, 0, 2))),)),
    ]
    return kit.doc("C7-1", "检验批质量验收记录", title, blocks, when, fmt="xlsx", sheet="检验批", author=ctx.contractor,
                   stem=f"{title}-{lot_no}")


def sub_item(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    division, subdivision, item, code, *_ = LOTS[n % len(LOTS)]
    when = kit.works(0.6, 0.95)
    count = kit.rng.randint(4, 12)
    title = f"{item}分项工程质量验收记录"
    rows = tuple((str(i), f"{item}检验批", f"{kit.rng.randint(300, 1000)}㎡", f"第{i}施工段", "符合要求", "合格") for i in range(1, count + 1))
    blocks: list[Block] = [
        Heading(title), Para(f"编号：{code[:6]}"),
        Fields((("单位（子单位）工程名称", ctx.name), ("分部（子分部）工程名称", f"{division}/{subdivision}"), ("检验批数量", str(count)),
                ("施工单位", ctx.contractor), ("项目负责人", ctx.who("pm")), ("项目技术负责人", ctx.who("tech_lead")))),
        Table(("序号", "检验批名称", "检验批容量", "部位/区段", "施工单位检查结果", "监理单位验收结论"), rows),
        Para("说明：所含检验批质量验收记录完整，均验收合格。"),
        Para("施工单位检查结果：符合要求。监理单位验收结论：合格。"),
        Signatures((("项目专业技术负责人", ctx.who("tech_lead"), cn_date(when)), ("专业监理工程师", ctx.who("sup_civil"), cn_date(when)))),
    ]
    return kit.doc("C7-2", "分项工程质量验收记录", title, blocks, when, fmt=kit.pick(("xlsx", "docx")), author=ctx.contractor)


DIVISIONS = (
    ("地基与基础", ("土方", "基坑支护", "混凝土基础", "地下防水"), True),
    ("屋面", ("基层与保护", "保温与隔热", "防水与密封", "细部构造"), False),
    ("通风与空调", ("送风系统", "空调水系统", "冷源设备", "空调（冷、热）水系统"), False),
    ("建筑电气", ("电气照明", "防雷及接地", "供电干线"), False),
    ("电梯", ("曳引式电梯",), False),
)


def division(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    name, parts, foundation = DIVISIONS[n % len(DIVISIONS)]
    when = kit.works(0.35 if foundation else 0.75, 0.45 if foundation else 0.99)
    title = kit.pick((f"{name}分部工程质量验收记录", f"{name}分部（子分部）工程质量验收记录"))
    rows = tuple((str(i), part, str(kit.rng.randint(2, 6)), "符合要求", "合格") for i, part in enumerate(parts, start=1))
    signs = [("施工单位项目负责人", ctx.who("pm"), cn_date(when)), ("设计单位项目负责人", ctx.who("design_lead"), cn_date(when)),
             ("总监理工程师", ctx.who("chief"), cn_date(when))]
    if foundation:
        signs.insert(1, ("勘察单位项目负责人", ctx.who("survey_lead"), cn_date(when)))
    blocks: list[Block] = [
        Heading(title), Para(f"编号：{kit.rng.randint(1, 9):02d}"),
        Fields((("单位（子单位）工程名称", ctx.name), ("子分部工程数量", str(len(parts))), ("分项工程数量", str(kit.rng.randint(6, 16))),
                ("施工单位", ctx.contractor), ("技术（质量）部门负责人", ctx.who("contractor_head")))),
        Table(("序号", "子分部工程名称", "分项工程数量", "施工单位检查结果", "监理单位验收结论"), rows),
        Para("质量控制资料：完整。安全和功能检验结果：符合要求。观感质量检验结果：好。"),
        Para("综合验收结论：合格。"),
        Signatures(tuple(signs), seal="（各单位盖章）"),
    ]
    return kit.doc("C7-3", "分部工程质量验收记录", title, blocks, when, fmt="docx", author=ctx.contractor)


def energy_division(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.9, 1.0)
    title = kit.pick(("建筑节能分部工程质量验收记录", "建筑节能分部工程质量验收表"))
    rows = tuple((str(i), part, str(kit.rng.randint(3, 14)), "合格") for i, part in
                 enumerate(("墙体节能", "门窗节能", "屋面节能", "供暖空调设备及管网节能", "配电与照明节能", "监测与控制节能", "太阳能光伏节能"), 1))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("施工单位", ctx.contractor), ("项目负责人", ctx.who("pm")), ("验收日期", kit.d(when)))),
        Table(("序号", "分项工程名称", "检验批数量", "验收结论"), rows),
        Para("质量控制资料：完整。外墙节能构造现场实体检验：合格（报告见C6）。外窗气密性现场实体检测：合格。设备系统节能性能检测：合格。"),
        Para("验收结论：该建筑节能分部工程质量验收合格。"),
        Signatures((("施工单位项目负责人", ctx.who("pm"), cn_date(when)), ("设计单位项目负责人", ctx.who("design_lead"), cn_date(when)),
                    ("总监理工程师", ctx.who("chief"), cn_date(when)), ("建设单位项目负责人", ctx.who("owner_lead"), cn_date(when)))),
    ]
    return kit.doc("C7-4", "建筑节能分部工程质量验收记录", title, blocks, when, fmt="docx", author=ctx.contractor)


def sprinkler_defects(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.85, 0.98)
    title = "自动喷水灭火系统验收缺陷项目划分记录"
    blocks: list[Block] = [
        Heading(title), kit.head(f"ZP-{kit.next('zp'):02d}", when, ("系统名称", "设备用房自动喷水灭火系统")),
        Table(("缺陷分类", "包含条款", "检查结果"), (("严重缺陷（A）", "GB 50261 第9.0.4条等", "0项"),
                                                 ("重缺陷（B）", "GB 50261 第9.0.3条等", "0项"), ("轻缺陷（C）", "GB 50261 第9.0.5条等", f"{kit.rng.randint(0, 2)}项"))),
        Para("结论：系统验收合格。"),
        Signatures((("施工单位", ctx.who("pm"), cn_date(when)), ("监理单位", ctx.who("chief"), cn_date(when)))),
    ]
    return kit.doc("C7-5", "自动喷水系统验收缺陷项目划分记录", title, blocks, when, fmt="docx", author=ctx.contractor)


def intelligent_item(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.85, 0.98)
    what = kit.pick(("能耗监测系统", "综合布线系统", "建筑设备监控系统"))
    title = f"{what}分项工程质量验收记录"
    blocks: list[Block] = [
        Heading(title),
        Fields((("单位（子单位）工程名称", ctx.name), ("分部工程名称", "智能建筑"), ("分包单位", "捷通智能科技有限公司"),
                ("检测单位", ctx.lab))),
        Table(("序号", "检测项目", "检测结果", "结论"), (("1", "系统功能", "符合设计要求", "合格"), ("2", "数据采集准确性", f"误差{kit.rng.uniform(0.2, 1.5):.1f}%", "合格"),
                                                  ("3", "系统稳定性", "连续运行无故障", "合格"))),
        Para("验收结论：合格。"),
        Signatures((("项目专业技术负责人", ctx.who("tech_lead"), cn_date(when)), ("专业监理工程师", ctx.who("sup_mep"), cn_date(when)))),
    ]
    return kit.doc("C7-6", "智能建筑分项工程质量验收记录", title, blocks, when, fmt="docx", author=ctx.contractor)


# ---- C8 施工验收文件 ----------------------------------------------------------------------------


def pre_acceptance(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 0, 4)
    body = [
        f"我方已按施工合同要求完成{ctx.name}，经自检合格，现将有关资料报上，请予以验收。",
        "预验收意见：经预验收，该工程合格，可以组织正式验收。",
    ]
    return gbt_form(kit, "C8-1", "竣工预验收报验表", "表B.0.10", kit.pick(("单位工程竣工验收报审表", "单位（子单位）工程竣工预验收报验表")),
                    f"JG-{ctx.finish.year}-01", to_supervisor(kit), body,
                    [kit.sign_contractor(when, qc=False), kit.sign_supervisor(kit.after(when, 2, 6), engineer=False)], when,
                    attachments=("工程质量验收报告", "工程功能检验资料"))


def unit_acceptance(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.acceptance
    divisions = kit.rng.randint(7, 9)
    checks = kit.rng.randint(38, 52)
    title = kit.pick(("单位工程质量竣工验收记录", "单位（子单位）工程质量竣工验收记录"))
    blocks: list[Block] = [
        Para("表H.0.1-1"), Heading(title),
        Fields((("工程名称", ctx.name), ("结构类型", ctx.structure), ("层数/建筑面积", f"{ctx.floors}/{ctx.area}㎡"),
                ("施工单位", ctx.contractor), ("技术负责人", ctx.who("contractor_head")), ("开工日期", kit.d(ctx.start)),
                ("项目负责人", ctx.who("pm")), ("项目技术负责人", ctx.who("tech_lead")), ("完工日期", kit.d(ctx.finish)))),
        Table(("序号", "项目", "验收记录", "验收结论"), (
            ("1", "分部工程验收", f"共{divisions}分部，经查符合设计及标准规定{divisions}分部", "合格"),
            ("2", "质量控制资料核查", f"共{checks}项，经核查符合规定{checks}项", "完整"),
            ("3", "安全和使用功能核查及抽查结果", f"共核查{kit.rng.randint(20, 30)}项，符合规定；共抽查{kit.rng.randint(8, 14)}项，符合规定", "符合要求"),
            ("4", "观感质量验收", f"共抽查{kit.rng.randint(18, 26)}项，达到“好”和“一般”的项均符合要求", "好"),
        )),
        Para("综合验收结论：工程质量合格，同意验收。"),
        kit.sign_five(when),
    ]
    return kit.doc("C8-2", "单位工程质量竣工验收记录", title, blocks, when, fmt="docx", author=ctx.contractor)


def _check_table(kit: Kit, item: str, doc_type: str, title: str, names: tuple[str, ...], verdicts: tuple[str, ...], form: str) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.acceptance, -4, 0)
    rows = tuple((str(i), name, str(kit.rng.randint(1, 40)), kit.pick(verdicts), ctx.who("sup_civil")) for i, name in enumerate(names, 1))
    blocks: list[Block] = [
        Para(form), Heading(title), Fields((("工程名称", ctx.name), ("施工单位", ctx.contractor))),
        Table(("序号", "项目名称", "份数", "核查意见", "核查人"), rows),
        Para("结论：资料完整，符合要求。"),
        Signatures((("施工单位项目负责人", ctx.who("pm"), cn_date(when)), ("总监理工程师", ctx.who("chief"), cn_date(when)))),
    ]
    return kit.doc(item, doc_type, title, blocks, when, fmt="xlsx", sheet=doc_type[:20], author=ctx.contractor)


def control_documents(kit: Kit, n: int) -> Doc:
    names = ("图纸会审记录、设计变更通知单、工程洽商记录", "工程定位测量、放线记录", "原材料出厂合格证书及进场检验、试验报告",
             "施工试验报告及见证检测报告", "隐蔽工程验收记录", "施工记录", "地基、基础、主体结构检验及抽样检测资料",
             "分项、分部工程质量验收记录", "工程质量事故调查处理资料", "新技术论证、备案及施工记录")
    return _check_table(kit, "C8-3", "质量控制资料核查记录", "单位（子单位）工程质量控制资料核查记录", names, ("完整", "齐全，符合要求"), "表H.0.1-2")


def safety_function(kit: Kit, n: int) -> Doc:
    names = ("地基承载力检验报告", "屋面淋水或蓄水试验记录", "建筑物垂直度、标高测量记录", "沉降观测测量记录",
             "外窗气密性、水密性、耐风压检测报告", "室内环境检测报告", "给水管道通水试验记录", "照明全负荷试验记录",
             "空调系统试运行记录", "电梯运行记录", "外墙热工性能检验报告", "设备系统节能性能检测报告")
    return _check_table(kit, "C8-4", "安全和功能检验资料核查记录", "单位（子单位）工程安全和功能检验资料核查及主要功能抽查记录",
                        names, ("符合要求", "抽查合格"), "表H.0.1-3")


def appearance(kit: Kit, n: int) -> Doc:
    names = ("主体结构外观", "室外墙面", "变形缝、雨水管", "屋面", "室内墙面", "室内顶棚", "门窗", "管道接口、坡度、支架",
             "风管、支架", "配电箱、盘、板、接线盒", "设备器具、开关、插座", "运行、平层、开关门")
    return _check_table(kit, "C8-5", "观感质量检查记录", "单位（子单位）工程观感质量检查记录", names, ("好", "好", "一般"), "表H.0.1-4")


def records_handover(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.acceptance, 6, 12)
    title = "施工资料移交书"
    blocks: list[Block] = [
        Heading(title),
        Para(f"{ctx.contractor}按有关规定向{ctx.owner}办理{ctx.name}施工资料移交手续。共计{kit.rng.randint(18, 32)}卷，"
             f"其中图样资料{kit.rng.randint(3, 6)}卷，文字资料{kit.rng.randint(14, 24)}卷，其他资料1卷。"),
        Para("附：施工资料移交目录。"),
        Signatures((("移交单位（公章）", ctx.contractor, cn_date(when)), ("单位负责人", ctx.who("contractor_head"), ""),
                    ("技术负责人", ctx.who("tech_lead"), ""), ("移交人", ctx.who("doc_clerk"), cn_date(when)),
                    ("接收单位（公章）", ctx.owner, cn_date(when)), ("接收人", ctx.who("owner_staff"), cn_date(when)))),
    ]
    return kit.doc("C8-6", "施工资料移交书", title, blocks, when, fmt="docx", author=ctx.contractor)


TEMPLATES = (
    Template("C7-1", "检验批质量验收记录", inspection_lot),
    Template("C7-2", "分项工程质量验收记录", sub_item),
    Template("C7-3", "分部工程质量验收记录", division),
    Template("C7-4", "建筑节能分部工程质量验收记录", energy_division),
    Template("C7-5", "自动喷水系统验收缺陷项目划分记录", sprinkler_defects),
    Template("C7-6", "智能建筑分项工程质量验收记录", intelligent_item),
    Template("C8-1", "竣工预验收报验表", pre_acceptance),
    Template("C8-2", "单位工程质量竣工验收记录", unit_acceptance),
    Template("C8-3", "质量控制资料核查记录", control_documents),
    Template("C8-4", "安全和功能检验资料核查记录", safety_function),
    Template("C8-5", "观感质量检查记录", appearance),
    Template("C8-6", "施工资料移交书", records_handover),
)
