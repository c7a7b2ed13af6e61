"""A1–A3 工程准备阶段文件: approvals (红头文件), land and planning papers, survey and design documents."""

from __future__ import annotations

from datetime import date

from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date, rmb_upper, wan, yuan


def _official(
    kit: Kit,
    item: str,
    doc_type: str,
    title: str,
    issuer: str,
    number: str,
    addressee: str,
    body: list[str],
    when: date,
    cc: str = "",
) -> Doc:
    """A 红头文件: issuer banner, 文号, 主送, numbered body, 落款 and 抄送."""
    blocks: list[Block] = [Para(issuer + kit.pick(("文件", "", "")))] if kit.chance(0.6) else []
    blocks += [Para(number), Heading(title), Para(f"{addressee}：")]
    blocks += [Para(text) for text in body]
    blocks.append(Signatures(((issuer, "", cn_date(when)),), seal="（印章）"))
    if cc:
        blocks.append(Para(f"抄送：{cc}。"))
    return kit.doc(item, doc_type, title, blocks, when, author=issuer, stem=f"{title}（{number}）")


# ---- A1 立项文件 --------------------------------------------------------------------------------


def proposal_approval(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(0, 8))
    body = [
        f"你单位《关于{ctx.name}项目建议书的请示》收悉。经研究，现批复如下：",
        f"一、原则同意{ctx.name}项目建议书。项目代码：{when.year % 100:02d}01-320102-04-01-{kit.rng.randint(100000, 999999)}。",
        f"二、建设地点：{ctx.address}。",
        f"三、建设规模和内容：{ctx.scope}。",
        f"四、投资估算及资金来源：项目估算总投资{wan(ctx.budget)}，资金来源为财政性资金。",
        "五、请据此抓紧开展可行性研究报告编制等前期工作，严格控制建设标准和投资规模。",
    ]
    return _official(kit, "A1-1", "项目建议书批复", f"关于{ctx.name}项目建议书的批复", "市发展和改革委员会",
                     ctx.numbers["proposal"], ctx.owner, body, when, "市财政局，市住房和城乡建设局")


def feasibility_approval(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(14, 24))
    verb = kit.pick(("可行性研究报告", "可研报告"))
    body = [
        f"你单位报来的《{ctx.name}可行性研究报告》及相关材料收悉。经委托评估并研究，现就该项目{verb}批复如下：",
        f"一、为降低公共机构能耗、改善办公环境，同意实施{ctx.name}。",
        f"二、建设内容：{ctx.scope}。总建筑面积{ctx.area}平方米。",
        f"三、项目总投资{wan(ctx.budget)}，其中工程费用{wan(ctx.budget * 0.86)}，工程建设其他费用"
        f"{wan(ctx.budget * 0.09)}，预备费{wan(ctx.budget * 0.05)}。所需资金由市级财政安排。",
        "四、项目应依法进行招标，招标范围为勘察、设计、施工、监理，招标组织形式为委托招标，招标方式为公开招标。",
        "五、请按照批复内容开展初步设计，初步设计概算不得突破本批复总投资。",
    ]
    return _official(kit, "A1-2", "可行性研究报告批复", f"关于{ctx.name}可行性研究报告的批复",
                     "市发展和改革委员会", ctx.numbers["fsr"], ctx.owner, body, when, "市财政局")


def expert_review(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(9, 13))
    title = kit.pick((f"{ctx.name}可行性研究报告专家评审意见", f"{ctx.name}可研报告专家论证意见"))
    experts = [(f"专家{i + 1}", kit.ctx.who(role), kit.pick(("高级工程师", "正高级工程师", "教授级高工")))
               for i, role in enumerate(("lab_approver", "cost_engineer", "archivist"))]
    blocks: list[Block] = [
        Heading(title),
        Para(f"{cn_date(when)}，市工程咨询中心在市发展和改革委员会组织召开了{ctx.name}可行性研究报告评审会。"
             f"会议邀请了建筑、结构、暖通、电气及造价等专业专家组成专家组（名单附后），"
             f"听取了{ctx.owner}和编制单位的汇报，审阅了相关资料，经认真讨论，形成评审意见如下："),
    ]
    blocks += kit.paras((
        "一、项目建设是必要的。办公楼建成使用已逾二十年，围护结构保温性能差，空调系统能效偏低，年综合能耗较高。",
        "二、报告编制依据较充分，内容基本符合可行性研究报告编制深度要求。",
        "三、建议补充既有建筑能耗审计数据，细化节能量测算，明确改造后单位面积能耗指标。",
        "四、建议进一步比选空调冷热源方案，对磁悬浮冷水机组与螺杆机组进行全寿命周期费用比较。",
        "五、投资估算编制方法基本合理，建议按评审意见调整后报批。",
        "六、施工期间办公楼不停用，应编制专项交通组织和安全文明施工方案。",
    ), 4, 6)
    blocks.append(Table(("序号", "姓名", "职称"), tuple((a, b, c) for a, b, c in experts)))
    blocks.append(Signatures((("专家组组长", experts[0][1], cn_date(when)),)))
    return kit.doc("A1-3", "专家评审意见", title, blocks, when, fmt="docx")


def setup_minutes(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(2, 6))
    number = f"第{kit.rng.randint(3, 19)}期"
    title = kit.pick((f"关于{ctx.name}立项有关事项的会议纪要", f"{ctx.owner}局长办公会议纪要（{number}）"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("会议时间", cn_date(when)), ("会议地点", "机关大楼第三会议室"), ("主持人", ctx.who("owner_head")),
                ("记录人", ctx.who("owner_staff")))),
        Para(f"{cn_date(when)}，{ctx.who('owner_head')}主持召开局长办公会议，专题研究{ctx.name}立项有关事项。纪要如下："),
    ]
    blocks += kit.paras((
        f"一、会议听取了基建处关于{ctx.name}前期工作情况的汇报，同意项目立项，由基建处牵头编制项目建议书报市发展和改革委员会审批。",
        f"二、明确{ctx.who('owner_lead')}为项目负责人，{ctx.who('owner_staff')}为现场代表，负责项目前期及实施阶段的协调工作。",
        "三、项目实施期间机关正常办公，施工组织须分区分段进行，确保办公安全。",
        "四、严格执行政府投资项目管理规定，勘察、设计、施工、监理依法公开招标。",
        "五、档案室提前介入，按照建设项目档案管理规范同步做好文件收集和归档工作。",
    ), 3, 5)
    blocks.append(Para(f"出席：{ctx.who('owner_head')}、{ctx.who('owner_lead')}、{ctx.who('owner_staff')}等。"))
    return kit.doc("A1-4", "立项会议纪要", title, blocks, when, fmt="docx")


# ---- A2 建设用地、拆迁文件 ----------------------------------------------------------------------


def site_selection(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(5, 15))
    number = f"用字第320102{when.year}{kit.rng.randint(10, 99):05d}号"
    title = kit.pick(("建设项目用地预审与选址意见书", "建设项目选址意见书"))
    blocks: list[Block] = [
        Heading(title),
        Para(number),
        Para("根据《中华人民共和国土地管理法》《中华人民共和国城乡规划法》和国家有关规定，经审核，本建设项目符合国土空间用途管制要求，核发此书。"),
        Fields((("项目名称", ctx.name), ("项目代码", f"2401-320102-04-01-{kit.rng.randint(100000, 999999)}"),
                ("建设单位名称", ctx.owner), ("项目建设依据", ctx.numbers["proposal"]),
                ("项目拟选位置", ctx.address), ("拟用地面积", f"{kit.rng.randint(300, 900)}平方米（设备用房）"),
                ("拟建设规模", "地下设备用房一座"), ("附图及附件名称", "用地范围图")), columns=1),
        Signatures((("核发机关", "市自然资源和规划局", cn_date(when)),), seal="（印章）"),
    ]
    return kit.doc("A2-1", "选址意见书", title, blocks, when, stem=f"{title}-{number}")


def land_allocation(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(16, 26))
    title = "国有建设用地划拨决定书"
    number = f"江城划拨〔{when.year}〕{kit.rng.randint(10, 99)}号"
    blocks: list[Block] = [
        Heading(title), Para(f"编号：{number}"),
        Para(f"{ctx.owner}：根据《中华人民共和国土地管理法》《划拨用地目录》等规定，经市人民政府批准，"
             f"将位于{ctx.address}的国有建设用地使用权划拨给你单位，用于{ctx.name}建设。"),
        Fields((("宗地面积", f"{kit.rng.randint(300, 900)}平方米"), ("土地用途", "机关团体用地"),
                ("建设用地批准书编号", f"江城〔{when.year}〕市划字第{kit.rng.randint(10, 99)}号"), ("划拨价款", "无偿划拨")), columns=1),
        Para("受划拨人应按照本决定书规定的用途使用土地，不得擅自改变土地用途。"),
        Signatures((("市自然资源和规划局", "", cn_date(when)),), seal="（印章）"),
    ]
    return kit.doc("A2-2", "建设用地批准书", title, blocks, when, stem=f"{title}（{number}）")


def relocation_agreement(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(20, 40))
    amount = round(kit.rng.uniform(30000, 180000), -2)
    title = kit.pick(("临时建筑拆除补偿协议", "设备用房用地范围内附属设施拆除安置协议"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("甲方（拆除实施单位）", ctx.owner), ("乙方（使用单位）", "市机关后勤服务中心"),
                ("项目名称", ctx.name), ("协议编号", f"CC-{when.year}-{kit.rng.randint(1, 9):02d}")), columns=1),
        Para(f"因{ctx.name}建设需要，甲方拟拆除办公楼北侧自行车棚、临时库房等附属设施共计{kit.rng.randint(150, 420)}平方米。"
             "经双方协商一致，订立本协议。"),
        Para(f"一、补偿金额：甲方一次性支付乙方设施拆除及物品搬迁补偿款人民币{rmb_upper(amount)}（{yuan(amount)}）。"),
        Para("二、乙方应于协议签订之日起十五日内完成物品清理和搬迁，并配合甲方完成拆除工作。"),
        Para("三、临时停车及物品存放场地由甲方在院内另行安排。"),
        Signatures((("甲方代表", ctx.who("owner_lead"), cn_date(when)), ("乙方代表", ctx.who("archivist"), cn_date(when)))),
    ]
    return kit.doc("A2-3", "拆迁安置协议", title, blocks, when, fmt="docx")


def land_planning_permit(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(26, 34))
    title = "建设用地规划许可证"
    number = ctx.numbers["land_plan"]
    blocks: list[Block] = [
        Heading(title), Para(number),
        Para("根据《中华人民共和国城乡规划法》第三十七、三十八条规定，经审核，本用地项目符合城乡规划要求，颁发此证。"),
        Fields((("用地单位", ctx.owner), ("用地项目名称", ctx.name), ("用地位置", ctx.address),
                ("用地性质", "行政办公用地"), ("用地面积", f"{kit.rng.randint(8000, 16000)}平方米"),
                ("建设规模", f"总建筑面积{ctx.area}平方米"), ("附图及附件名称", "用地红线图、规划设计条件")), columns=1),
        Signatures((("发证机关", "市自然资源和规划局", cn_date(when)),), seal="（印章）"),
        Para("遗失声明及其他说明：本证是经城乡规划主管部门依法审核，建设用地符合城乡规划要求的法律凭证。"),
    ]
    return kit.doc("A2-4", "建设用地规划许可证", title, blocks, when, stem=f"{title}（{number}）")


def land_title(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(8, 30))
    title = kit.pick(("不动产权证书", "不动产权证书（复印件）"))
    blocks: list[Block] = [
        Heading(title), Para(ctx.numbers["property"]),
        Fields((("权利人", ctx.owner), ("共有情况", "单独所有"), ("坐落", ctx.address),
                ("不动产单元号", f"320102{kit.rng.randint(100000, 999999)}GB{kit.rng.randint(10000, 99999)}F99990001"),
                ("权利类型", "国有建设用地使用权/房屋所有权"), ("权利性质", "划拨/自建房"),
                ("用途", "机关团体用地/办公"), ("面积", f"宗地面积{kit.rng.randint(8000, 16000)}㎡/房屋建筑面积{ctx.area}㎡"),
                ("使用期限", "无固定期限")), columns=1),
        Para("附记：本复印件与原件核对一致，原件存建设单位资产管理部门。"),
        Signatures((("登记机构", "市不动产登记中心", cn_date(when)),), seal="（不动产登记专用章）"),
    ]
    return kit.doc("A2-5", "土地使用证明文件", title, blocks, when)


def staking_notice(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(60, 80))
    title = kit.pick(("建设用地钉桩通知单", "建设工程钉桩（验线）通知单"))
    rows = tuple((f"J{i}", f"{kit.rng.uniform(3541000, 3542000):.3f}", f"{kit.rng.uniform(502000, 503000):.3f}")
                 for i in range(1, 5))
    blocks: list[Block] = [
        Heading(title),
        kit.head(f"钉桩字〔{when.year}〕{kit.rng.randint(10, 99)}号", when),
        Para(f"{ctx.owner}：你单位{ctx.name}（地下设备用房）钉桩工作已由市测绘院按规划许可附图完成，界桩坐标如下，请妥善保护桩位。"),
        Table(("桩号", "X坐标（m）", "Y坐标（m）"), rows),
        Para("坐标系统：2000国家大地坐标系；高程系统：1985国家高程基准。"),
        Signatures((("测量单位", "市测绘院", cn_date(when)), ("规划管理部门", "市自然资源和规划局", cn_date(when)))),
    ]
    return kit.doc("A2-6", "钉桩通知单", title, blocks, when)


# ---- A3 勘察、设计文件 --------------------------------------------------------------------------


def geotech_report(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(30, 45))
    number = f"KC{when.year}-{kit.rng.randint(100, 999)}"
    title = kit.pick((f"{ctx.name}岩土工程勘察报告（详细勘察）", f"{ctx.name}工程地质勘察报告"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("勘察单位", ctx.surveyor), ("报告编号", number), ("勘察阶段", "详细勘察"), ("提交日期", kit.d(when)))),
        Heading("1 工程概况", 2),
        Para(f"拟建地下设备用房位于{ctx.address}办公楼北侧，地下一层，基础埋深约5.2m，拟采用筏板基础。"
             f"本次勘察共布置钻孔{kit.rng.randint(8, 16)}个，其中控制性钻孔4个，完成进尺约{kit.rng.randint(180, 320)}m。"),
        Heading("2 场地地层", 2),
        Table(("层号", "岩土名称", "层厚（m）", "承载力特征值fak（kPa）"), (
            ("①", "杂填土", "0.8~1.9", "—"), ("②", "粉质黏土", "2.1~3.6", "160"),
            ("③", "黏土", "3.0~5.2", "200"), ("④", "强风化泥质砂岩", "未揭穿", "300"))),
        Heading("3 结论与建议", 2),
    ]
    blocks += kit.paras((
        "场地稳定性较好，适宜建设。场地类别为Ⅱ类，抗震设防烈度7度。",
        "建议以③层黏土作为基础持力层，地基承载力特征值取200kPa。",
        "勘察期间测得地下水稳定水位埋深1.6~2.3m，地下水对混凝土结构具微腐蚀性。",
        "基坑开挖深度约5.5m，建议采用钻孔灌注桩加内支撑支护，并做好降排水。",
        "基槽开挖后应通知勘察单位参加验槽。",
    ), 3, 5)
    blocks.append(Signatures((("项目负责人", ctx.who("survey_lead"), cn_date(when)),
                              ("注册土木工程师（岩土）", ctx.who("survey_lead"), "")), seal=f"{ctx.surveyor}（勘察专用章）"))
    return kit.doc("A3-1", "岩土工程勘察报告", title, blocks, when, author=ctx.surveyor, stem=f"岩土工程勘察报告-{number}")


def hydro_report(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(30, 45))
    title = f"{ctx.name}水文地质勘察报告"
    blocks: list[Block] = [
        Heading(title),
        kit.head(f"SW{when.year}-{kit.rng.randint(10, 99)}", when, ("勘察单位", ctx.surveyor)),
        Para("场地地下水类型主要为上层滞水及孔隙潜水，受大气降水和地表水补给，水位年变幅约1.0~1.5m。"),
        Para(f"抽水试验测得渗透系数k={kit.rng.uniform(0.5, 3.0):.2f}m/d，建议基坑降水采用管井降水，井深不小于12m。"),
        Para("地下水对混凝土结构具微腐蚀性，对钢筋混凝土结构中的钢筋在干湿交替作用下具弱腐蚀性。"),
        Signatures((("项目负责人", ctx.who("survey_lead"), cn_date(when)),), seal=f"{ctx.surveyor}（印章）"),
    ]
    return kit.doc("A3-2", "水文地质勘察报告", title, blocks, when)


def preliminary_design(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(32, 42))
    title = kit.pick((f"{ctx.name}初步设计说明书", f"{ctx.name}初步设计文件（设计说明）"))
    blocks: list[Block] = [Heading(title), Fields((("设计单位", ctx.designer), ("设计证书", f"A{kit.rng.randint(132000000, 132999999)}"),
                                                   ("项目负责人", ctx.who("design_lead")), ("编制日期", kit.d(when))))]
    sections = (
        ("1 设计依据", "《公共建筑节能设计标准》GB 50189-2015、《建筑节能与可再生能源利用通用规范》GB 55015-2021、可行性研究报告批复及建设单位提供的既有建筑资料。"),
        ("2 建筑专业", "外墙采用80mm厚岩棉板外保温系统，外窗更换为断热铝合金中空Low-E玻璃窗（6+12A+6），屋面增设100mm厚挤塑聚苯板保温层并重做防水。"),
        ("3 结构专业", "新建地下设备用房采用钢筋混凝土框架结构，筏板基础，混凝土强度等级C35，抗渗等级P6；屋面光伏支架采用Q355B钢结构，既有屋面经复核满足荷载要求。"),
        ("4 暖通专业", "冷热源采用两台磁悬浮变频离心式冷水机组配合空气源热泵，末端更换为直流无刷风机盘管，新风系统设置全热回收。"),
        ("5 电气专业", "照明全部更换为LED灯具，走道及楼梯间采用感应控制；新建能耗监测平台，实现分项计量；屋面光伏装机容量约120kWp。"),
        ("6 节能计算", f"改造后建筑综合节能率预计不低于{kit.rng.randint(18, 28)}%，年节约标准煤约{kit.rng.randint(120, 260)}吨。"),
    )
    for heading, text in sections:
        blocks += [Heading(heading, 2), Para(text)]
    return kit.doc("A3-3", "初步设计文件", title, blocks, when, fmt="docx", author=ctx.designer)


def scheme_review(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(28, 36))
    body = [
        f"你单位报送的{ctx.name}设计方案收悉。经审查，原则同意该设计方案，并提出以下意见：",
        "一、外立面改造应与周边建筑风貌协调，外墙色彩以浅灰色为主，不得设置大面积玻璃幕墙。",
        "二、屋面光伏组件不得超出女儿墙高度，设备用房出地面部分应结合景观处理。",
        "三、请据此深化设计，并按规定办理建设工程规划许可手续。",
    ]
    return _official(kit, "A3-4", "设计方案审查意见", kit.pick(("设计方案审查意见", "审定设计方案通知书")),
                     "市自然资源和规划局", f"江城规方〔{when.year}〕{kit.rng.randint(10, 99)}号", ctx.owner, body, when)


def fire_review(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(40, 52))
    title = kit.pick(("特殊建设工程消防设计审查意见书", "建设工程消防设计审查意见书"))
    body = [
        f"根据《中华人民共和国消防法》《建设工程消防设计审查验收管理暂行规定》，我局对{ctx.name}消防设计文件进行了审查，"
        "审查结论为：合格。",
        "一、外墙保温材料燃烧性能应为A级，防火隔离带设置应满足规范要求。",
        "二、新建设备用房应设置独立的防火分区及自动灭火系统。",
        "三、施工中不得擅自改变经审查合格的消防设计内容，如需变更应重新申请审查。",
    ]
    return _official(kit, "A3-5", "消防设计审查意见", title, "市住房和城乡建设局",
                     f"江城建消审字〔{when.year}〕第{kit.rng.randint(100, 999)}号", ctx.owner, body, when)


def calc_book(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(44, 54))
    title = kit.pick(("地下设备用房结构计算书", "屋面光伏支架结构计算书"))
    blocks: list[Block] = [
        Heading(title),
        kit.head(f"JS-{kit.rng.randint(1, 9):02d}", when, ("设计单位", ctx.designer)),
        Para("计算软件：PKPM结构设计软件（2021版）；设计使用年限50年，结构安全等级二级。"),
        Table(("荷载类型", "取值（kN/㎡）", "说明"), (("恒载", "4.5", "含面层"), ("活载", "7.0", "设备房"),
                                                 ("基本风压", "0.40", "50年一遇"), ("基本雪压", "0.65", "50年一遇"))),
        Para(f"计算结果：最大层间位移角1/{kit.rng.randint(1200, 2400)}，柱轴压比最大{kit.rng.uniform(0.45, 0.7):.2f}，均满足规范要求。"),
        Signatures((("计算", ctx.who("design_struct"), cn_date(when)), ("校对", ctx.who("design_arch"), cn_date(when)),
                    ("审核", ctx.who("design_lead"), cn_date(when)))),
    ]
    return kit.doc("A3-6", "设计计算书", title, blocks, when)


def drawing_review(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(54, 62))
    title = kit.pick(("施工图设计文件审查合格书", "施工图审查合格书"))
    blocks: list[Block] = [
        Heading(title), Para(f"审查合格书编号：{ctx.numbers['review']}"),
        Fields((("工程名称", ctx.name), ("建设单位", ctx.owner), ("勘察单位", ctx.surveyor),
                ("设计单位", ctx.designer), ("审查机构", "江城建设工程施工图审查中心"),
                ("审查范围", "建筑、结构、给排水、暖通、电气、节能"), ("建筑面积", f"{ctx.area}㎡"),
                ("审查结论", "合格")), columns=1),
        Para("经审查，该工程施工图设计文件符合工程建设强制性标准，涉及公共利益和公众安全的内容满足要求，审查合格。"),
        Signatures((("审查机构", "江城建设工程施工图审查中心", cn_date(when)),), seal="（施工图审查专用章）"),
    ]
    return kit.doc("A3-7", "施工图审查合格书", title, blocks, when)


def energy_filing(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.day(kit.rng.randint(56, 64))
    title = kit.pick(("建筑节能设计备案登记表", "民用建筑节能设计审查备案表"))
    blocks: list[Block] = [
        Heading(title),
        kit.head(f"JNBA-{when.year}-{kit.rng.randint(100, 999)}", when, ("建设单位", ctx.owner), ("设计单位", ctx.designer)),
        Table(("部位", "设计传热系数K[W/(㎡·K)]", "限值"), (("外墙", "0.48", "≤0.50"), ("屋面", "0.38", "≤0.40"),
                                                    ("外窗", "2.20", "≤2.40"))),
        Para("经审查，该工程节能设计符合《公共建筑节能设计标准》GB 50189-2015要求，准予备案。"),
        Signatures((("备案机关", "市住房和城乡建设局", cn_date(when)),), seal="（建筑节能备案专用章）"),
    ]
    return kit.doc("A3-8", "节能设计备案文件", title, blocks, when)


TEMPLATES = (
    Template("A1-1", "项目建议书批复", proposal_approval),
    Template("A1-2", "可行性研究报告批复", feasibility_approval),
    Template("A1-3", "专家评审意见", expert_review),
    Template("A1-4", "立项会议纪要", setup_minutes),
    Template("A2-1", "选址意见书", site_selection),
    Template("A2-2", "建设用地批准书", land_allocation),
    Template("A2-3", "拆迁安置协议", relocation_agreement),
    Template("A2-4", "建设用地规划许可证", land_planning_permit),
    Template("A2-5", "土地使用证明文件", land_title),
    Template("A2-6", "钉桩通知单", staking_notice),
    Template("A3-1", "岩土工程勘察报告", geotech_report),
    Template("A3-2", "水文地质勘察报告", hydro_report),
    Template("A3-3", "初步设计文件", preliminary_design),
    Template("A3-4", "设计方案审查意见", scheme_review),
    Template("A3-5", "消防设计审查意见", fire_review),
    Template("A3-6", "设计计算书", calc_book),
    Template("A3-7", "施工图审查合格书", drawing_review),
    Template("A3-8", "节能设计备案文件", energy_filing),
)
