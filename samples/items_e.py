"""E 工程竣工验收文件: acceptance reports and certificates, authority approvals, filing, final accounts, photos."""

from __future__ import annotations

from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date, money, rmb_upper, wan, yuan

# ---- E1 竣工验收与备案文件 ----------------------------------------------------------------------


def _report(kit: Kit, item: str, doc_type: str, title: str, author: str, sections: list[tuple[str, str]], signs: Signatures,
            when_offset: tuple[int, int], fmt: str = "docx") -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, *when_offset)
    blocks: list[Block] = [Heading(title), Fields(((kit.project_label(), ctx.name), ("编制单位", author), ("日期", kit.d(when))))]
    for heading, text in sections:
        blocks += [Heading(heading, 2), Para(text)]
    blocks.append(signs)
    return kit.doc(item, doc_type, title, blocks, when, fmt=fmt, author=author)


def survey_check(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _report(kit, "E1-1", "勘察单位质量检查报告", kit.pick(("勘察单位工程质量检查报告", "勘察质量检查报告")), ctx.surveyor,
                   [("一、勘察工作概况", "本工程详细勘察共完成钻孔12个，提交岩土工程勘察报告一份。"),
                    ("二、验槽情况", "参加了地基验槽，地基土质与勘察报告相符，局部软弱土已按要求处理。"),
                    ("三、检查结论", "施工单位对勘察成果的执行情况符合要求，地基基础工程质量满足勘察文件要求。")],
                   Signatures((("勘察单位项目负责人", ctx.who("survey_lead"), ""),), seal=f"{ctx.surveyor}（公章）"), (5, 12))


def design_check(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _report(kit, "E1-2", "设计单位质量检查报告", kit.pick(("设计单位工程质量检查报告", "设计质量检查报告")), ctx.designer,
                   [("一、设计概况", f"本工程施工图设计包括建筑、结构、给排水、暖通、电气、智能化及节能专业。建设内容：{ctx.scope}。"),
                    ("二、设计变更情况", "施工过程中共发出设计变更通知单6份、参与工程洽商4份，均已落实。"),
                    ("三、检查结论", "工程实体与设计文件及设计变更相符，满足设计要求，同意验收。")],
                   Signatures((("设计单位项目负责人", ctx.who("design_lead"), ""),), seal=f"{ctx.designer}（公章）"), (5, 12))


def completion_report(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    title = kit.pick(("工程竣工报告", "施工单位工程竣工报告", "单位工程竣工报告"))
    return _report(kit, "E1-3", "工程竣工报告", title, ctx.contractor,
                   [("一、工程概况", f"{ctx.name}位于{ctx.address}，{ctx.floors}，建筑面积{ctx.area}㎡，合同价{yuan(ctx.contract_amount)}。"
                                   f"于{cn_date(ctx.start)}开工，{cn_date(ctx.finish)}完工。"),
                    ("二、完成合同内容情况", f"已完成施工合同约定的全部内容：{ctx.scope}。"),
                    ("三、工程质量自评", "工程所含分部工程均验收合格，质量控制资料完整，安全和使用功能检测合格，观感质量好，自评为合格。"),
                    ("四、总监理工程师意见", "经核查，施工单位已完成合同约定的全部工作内容，同意组织竣工验收。")],
                   Signatures((("施工单位法定代表人", ctx.who("contractor_head"), ""), ("项目经理", ctx.who("pm"), ""),
                               ("总监理工程师", ctx.who("chief"), "")), seal=f"{ctx.contractor}（公章）"), (1, 4))


def assessment(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    return _report(kit, "E1-4", "工程质量评估报告", kit.pick(("工程质量评估报告", "监理单位工程质量评估报告")), ctx.supervisor,
                   [("一、工程概况", f"{ctx.name}，施工单位{ctx.contractor}。"),
                    ("二、质量评估依据", "施工图设计文件、施工合同、GB 50300-2013及相关专业验收规范。"),
                    ("三、工程质量评估", "共验收检验批186个、分项工程38个、分部工程8个，均合格；质量控制资料完整；安全和功能检验资料核查及主要功能抽查符合要求。"),
                    ("四、评估结论", "本工程质量合格，同意竣工验收。")],
                   Signatures((("总监理工程师", ctx.who("chief"), ""), ("监理单位技术负责人", ctx.who("lab_approver"), "")),
                              seal=f"{ctx.supervisor}（公章）"), (6, 12))


def acceptance_report(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.acceptance
    title = kit.pick(("工程竣工验收报告", "房屋建筑工程竣工验收报告", "建设工程竣工验收报告"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("建设单位", ctx.owner), ("工程地点", ctx.address), ("建筑面积", f"{ctx.area}㎡"),
                ("报建日期", kit.d(ctx.day(30))), ("施工许可证号", ctx.numbers["permit"]), ("施工图审查合格书编号", ctx.numbers["review"]),
                ("开工日期", kit.d(ctx.start)), ("竣工验收日期", kit.d(when)), ("工程造价", wan(ctx.contract_amount)))),
        Heading("一、竣工验收组织", 2),
        Para(f"验收组组长：{ctx.who('owner_head')}（{ctx.owner}）；副组长：{ctx.who('owner_lead')}；成员：{ctx.who('design_lead')}、"
             f"{ctx.who('survey_lead')}、{ctx.who('chief')}、{ctx.who('pm')}等。市建设工程质量安全监督站派员进行了现场监督。"),
        Heading("二、验收程序及内容", 2),
        Para("验收组听取了建设、勘察、设计、施工、监理单位关于工程合同履约情况和执行法律法规及工程建设强制性标准情况的汇报，"
             "审阅了工程档案资料，实地查验了工程质量。"),
        Heading("三、验收结论", 2),
        Para("本工程已完成设计和合同约定的各项内容，工程质量符合有关法律法规和工程建设强制性标准，验收组一致同意通过竣工验收，验收结论为：合格。"),
        kit.sign_five(when),
    ]
    return kit.doc("E1-5", "工程竣工验收报告", title, blocks, when, fmt="docx", author=ctx.owner)


def acceptance_minutes(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.acceptance
    title = kit.pick(("工程竣工验收会议纪要", f"{ctx.name}竣工验收会议纪要"))
    blocks: list[Block] = [
        Heading(title), Fields((("会议时间", cn_date(when)), ("会议地点", "机关大楼第一会议室"), ("主持人", ctx.who("owner_head")))),
        Para(f"{cn_date(when)}，{ctx.owner}组织召开{ctx.name}竣工验收会议，勘察、设计、施工、监理单位参加，质量监督站派员监督。"),
        Para("会议听取了各参建单位汇报，验收组分为实体组和资料组进行了检查，一致认为工程质量合格，同意通过竣工验收。"),
        Para("会议要求施工单位在15日内完成验收中提出的屋面局部排水不畅等整改事项，并按规定办理竣工验收备案。"),
    ]
    return kit.doc("E1-6", "竣工验收会议纪要", title, blocks, when, fmt="docx", author=ctx.owner)


def expert_opinion(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.acceptance
    title = "专家组竣工验收意见"
    blocks: list[Block] = [
        Heading(title),
        Para(f"{cn_date(when)}，验收专家组对{ctx.name}进行了竣工验收。专家组现场查验了外墙保温、外窗、屋面、冷热源机房、光伏系统及能耗监测平台，"
             "审阅了竣工资料。"),
        Para("专家组意见：工程按设计内容建成，节能改造效果明显，工程质量合格，资料基本齐全，同意通过竣工验收。"),
        Para("建议：加强光伏系统运维；完善能耗监测平台数据分析功能。"),
        Signatures((("专家组组长", ctx.who("lab_approver"), cn_date(when)), ("专家", ctx.who("cost_engineer"), cn_date(when)))),
    ]
    return kit.doc("E1-7", "专家组竣工验收意见", title, blocks, when, fmt="pdf", author=ctx.owner)


def acceptance_certificate(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.acceptance
    title = kit.pick(("工程竣工验收证书", "建设工程竣工验收证书"))
    blocks: list[Block] = [
        Heading(title), Para(f"编号：YS-{when.year}-{kit.rng.randint(10, 99)}"),
        Fields((("工程名称", ctx.name), ("建设单位", ctx.owner), ("施工单位", ctx.contractor), ("监理单位", ctx.supervisor),
                ("验收日期", kit.d(when)), ("验收结论", "合格"))),
        kit.sign_five(when),
    ]
    return kit.doc("E1-8", "竣工验收证书", title, blocks, when, author=ctx.owner)


APPROVALS = (
    ("特殊建设工程消防验收意见书", "市住房和城乡建设局", "江城建消验字〔{y}〕第{k}号", "经现场检查和资料审查，该工程消防验收合格。"),
    ("建设工程规划条件核实合格证", "市自然资源和规划局", "江城规核〔{y}〕{k}号", "经核实，该工程符合规划许可内容，规划核实合格。"),
    ("防雷装置验收意见书", "市气象局", "江城雷验字〔{y}〕{k}号", "该工程防雷装置经检测符合要求，验收合格。"),
)


def authority_approval(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    title, issuer, pattern, verdict = APPROVALS[n % len(APPROVALS)]
    when = kit.after(ctx.finish, 8, 20)
    number = pattern.format(y=when.year, k=kit.rng.randint(10, 300))
    blocks: list[Block] = [
        Heading(title), Para(number), Para(f"{ctx.owner}："),
        Para(f"你单位申请的{ctx.name}（建设地址：{ctx.address}）相关验收材料收悉。{verdict}"),
        Signatures(((issuer, "", cn_date(when)),), seal="（印章）"),
    ]
    return kit.doc("E1-9", "专项验收认可文件", title, blocks, when, author=issuer, stem=f"{title}（{number}）")


def warranty(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 0, 5)
    title = kit.pick(("房屋建筑工程质量保修书", "工程质量保修书"))
    blocks: list[Block] = [
        Heading(title), Para(f"发包人（全称）：{ctx.owner}"), Para(f"承包人（全称）：{ctx.contractor}"),
        Para(f"发包人、承包人根据《中华人民共和国建筑法》和《建设工程质量管理条例》，经协商一致就{ctx.name}签订工程质量保修书。"),
        Table(("保修项目", "保修期"), (("地基基础和主体结构", "设计文件规定的合理使用年限"), ("屋面防水、外墙面防渗漏", "5年"),
                                      ("外墙外保温", "5年"), ("供热与供冷系统", "2个采暖期、供冷期"), ("电气管线、给排水管道、设备安装", "2年"))),
        Para("质量保修金：按结算价的3%预留，缺陷责任期满后无质量问题予以返还。"),
        Signatures((("发包人（公章）", ctx.who("owner_head"), cn_date(when)), ("承包人（公章）", ctx.who("contractor_head"), cn_date(when)))),
    ]
    return kit.doc("E1-10", "质量保修书", title, blocks, when, fmt="docx", author=ctx.contractor)


def filing_form(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = ctx.filing
    title = kit.pick(("房屋建筑和市政基础设施工程竣工验收备案表", "建设工程竣工验收备案表", "竣工验收备案表"))
    blocks: list[Block] = [
        Heading(title), Para(f"备案编号：{ctx.numbers['filing']}"),
        Fields((("工程名称", ctx.name), ("工程地点", ctx.address), ("建筑面积", f"{ctx.area}㎡"), ("结构类型", ctx.structure),
                ("施工许可证号", ctx.numbers["permit"]), ("竣工验收日期", kit.d(ctx.acceptance)), ("建设单位", ctx.owner),
                ("勘察单位", ctx.surveyor), ("设计单位", ctx.designer), ("施工单位", ctx.contractor), ("监理单位", ctx.supervisor))),
        Table(("竣工验收备案文件目录", "份数"), (("工程竣工验收报告", "1"), ("规划、消防等部门出具的认可文件", "3"),
                                          ("施工单位签署的工程质量保修书", "1"), ("单位工程质量竣工验收记录", "1"))),
        Para("备案意见：该工程的竣工验收备案文件已于" + cn_date(when) + "收讫，文件齐全。"),
        Signatures((("备案机关负责人", ctx.who("archivist"), cn_date(when)),), seal="市住房和城乡建设局（竣工验收备案专用章）"),
    ]
    return kit.doc("E1-12", "竣工验收备案表", title, blocks, when, author=ctx.owner, stem=f"竣工验收备案表-{ctx.numbers['filing']}")


def archive_pre_check(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.acceptance, -6, -1)
    title = kit.pick(("建设工程档案预验收意见", "建设工程竣工档案预验收意见书"))
    blocks: list[Block] = [
        Heading(title), Para(f"江城档预验〔{when.year}〕{kit.rng.randint(10, 200)}号"),
        Para(f"{ctx.owner}：经对{ctx.name}工程档案进行预验收，档案内容基本齐全、完整、准确，案卷质量符合GB/T 50328的要求，同意预验收。"),
        Para("整改要求：补充部分竣工图图章签字；调整个别案卷卷内目录。"),
        Signatures((("市城建档案馆", ctx.who("archivist"), cn_date(when)),), seal="（印章）"),
    ]
    return kit.doc("E1-13", "档案预验收意见", title, blocks, when, author="市城建档案馆")


def archive_transfer(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.filing, 3, 12)
    title = kit.pick(("城市建设档案移交书", "建设工程档案移交书"))
    blocks: list[Block] = [
        Heading(title),
        Para(f"{ctx.owner}向市城建档案馆移交{ctx.name}工程档案共计{kit.rng.randint(20, 36)}卷。其中：文字材料{kit.rng.randint(16, 26)}卷，"
             f"图样材料{kit.rng.randint(3, 8)}卷，其他材料（照片、光盘）1卷。"),
        Para("附：城市建设档案移交目录一式三份，共3张。"),
        Signatures((("移交单位（公章）", ctx.owner, cn_date(when)), ("移交人", ctx.who("owner_staff"), cn_date(when)),
                    ("接收单位（公章）", "市城建档案馆", cn_date(when)), ("接收人", ctx.who("archivist"), cn_date(when)))),
    ]
    return kit.doc("E1-14", "城建档案移交书", title, blocks, when, fmt="docx", author=ctx.owner)


def lifelong_pledge(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -12, -5)
    title = kit.pick(("工程质量终身责任承诺书", "建筑工程五方责任主体项目负责人质量终身责任承诺书"))
    blocks: list[Block] = [
        Heading(title),
        Para(f"本人受{ctx.contractor}委派，担任{ctx.name}项目经理，对该工程的施工质量负责。本人承诺严格执行国家有关法律法规及工程建设标准，"
             "在工程设计使用年限内承担相应的质量终身责任。"),
        Fields((("承诺人", ctx.who("pm")), ("身份证号", f"3201{kit.rng.randint(10, 99)}19{kit.rng.randint(70, 90)}******"),
                ("注册执业证号", f"苏{kit.rng.randint(132000000, 132999999)}"), ("签字日期", kit.d(when)))),
    ]
    return kit.doc("E1-15", "终身责任承诺书", title, blocks, when, author=ctx.contractor)


# ---- E2 竣工决算 --------------------------------------------------------------------------------


def final_accounts(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 38, 45)
    total = round(ctx.contract_amount * kit.rng.uniform(1.01, 1.035), 2)
    title = kit.pick((f"{ctx.name}竣工决算书", "施工决算审定表"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("施工单位", ctx.contractor), ("审计单位", ctx.cost_consultant), ("编制日期", kit.d(when)))),
        Table(("项目", "送审金额（元）", "审定金额（元）", "核减（元）"), (
            ("合同内工程", money(ctx.contract_amount * 0.995), money(ctx.contract_amount * 0.98), money(ctx.contract_amount * 0.015)),
            ("设计变更及洽商", money(total * 0.03), money(total * 0.027), money(total * 0.003)),
            ("签证及索赔", money(total * 0.006), money(total * 0.005), money(total * 0.001)),
            ("合计", money(total * 1.03), money(total), money(total * 0.03)))),
        Para(f"审定工程决算价：{yuan(total)}（大写：{rmb_upper(total)}）。"),
        Signatures((("审计单位（盖章）", ctx.cost_consultant, cn_date(when)), ("造价工程师", ctx.who("cost_engineer"), cn_date(when)))),
    ]
    return kit.doc("E2-1", "施工决算文件", title, blocks, when, fmt="xlsx", sheet="决算", author=ctx.cost_consultant)


def supervision_accounts(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 30, 42)
    fee = round(ctx.supervision_fee * kit.rng.uniform(1.0, 1.05), 2)
    title = kit.pick(("监理费结算书", "监理决算文件"))
    blocks: list[Block] = [
        Heading(title), Fields((("工程名称", ctx.name), ("监理单位", ctx.supervisor), ("合同编号", ctx.numbers["sup_contract"]))),
        Table(("项目", "金额（元）"), (("合同监理酬金", money(ctx.supervision_fee)), ("延期增加酬金", money(fee - ctx.supervision_fee)),
                                       ("结算金额", money(fee)))),
        Signatures((("委托人", ctx.who("owner_lead"), cn_date(when)), ("监理人", ctx.who("chief"), cn_date(when)))),
    ]
    return kit.doc("E2-2", "监理决算文件", title, blocks, when, fmt="xlsx", sheet="结算", author=ctx.supervisor)


def financial_accounts(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 40, 46)
    building = round(ctx.contract_amount * 1.02, 2)
    equipment = round(ctx.budget * 0.05, 2)
    other = round(ctx.budget * 0.06, 2)
    title = kit.pick(("竣工财务决算报告及交付使用资产明细表", "基本建设项目竣工财务决算表"))
    blocks: list[Block] = [
        Heading(title), Fields((("项目名称", ctx.name), ("建设单位", ctx.owner), ("批复概算", wan(ctx.budget)), ("编制日期", kit.d(when)))),
        Table(("资产名称", "资产类别", "数量", "价值（元）", "使用单位"), (
            ("办公楼节能改造（增值）", "房屋及构筑物", "1项", money(building), ctx.owner),
            ("磁悬浮冷水机组", "通用设备", "2台", money(equipment * 0.6), ctx.owner),
            ("屋面光伏发电系统", "专用设备", "1套", money(equipment * 0.4), ctx.owner),
            ("待摊投资", "—", "—", money(other), "—"))),
        Para(f"交付使用资产合计：{yuan(building + equipment + other)}。资金来源：财政拨款。"),
        Signatures((("单位负责人", ctx.who("owner_head"), cn_date(when)), ("财务负责人", ctx.who("owner_staff"), cn_date(when)))),
    ]
    return kit.doc("E2-x", "竣工财务决算", title, blocks, when, fmt="xlsx", sheet="交付使用资产", author=ctx.owner)


# ---- E3 声像, E4 其他 -----------------------------------------------------------------------------


def photo_album(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    stage = ("开工前原貌", "施工过程", "竣工新貌")[n % 3]
    when = {0: kit.after(ctx.start, -5, 0), 1: kit.works(0.3, 0.7), 2: kit.after(ctx.finish, 1, 10)}[n % 3]
    title = f"{ctx.name}{stage}照片"
    scenes = {"开工前原貌": ("办公楼南立面原貌", "屋面原防水层老化", "原空调冷却塔", "北侧自行车棚"),
              "施工过程": ("外墙岩棉板粘贴", "外窗吊装", "设备用房底板浇筑", "光伏支架安装"),
              "竣工新貌": ("办公楼南立面新貌", "屋面光伏阵列", "冷热源机房", "能耗监测平台大屏")}[stage]
    rows = tuple((f"ZP-{n + 1}-{i:02d}", scene, cn_date(when), ctx.who("owner_staff"), f"IMG_{kit.rng.randint(1000, 9999)}.jpg")
                 for i, scene in enumerate(scenes, 1))
    blocks: list[Block] = [Heading(title), Table(("照片号", "题名/说明", "拍摄时间", "摄影者", "文件名"), rows),
                           Para("说明：照片原件为数码照片（JPG格式），存于声像档案光盘。")]
    return kit.doc("E3-1", "工程照片", title, blocks, when, fmt="docx", author=ctx.owner)


def video_index(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 5, 15)
    title = kit.pick(("工程建设录像资料目录", "声像资料（录像）目录"))
    rows = tuple((str(i), name, f"{kit.rng.randint(3, 25)}分钟", f"VID_{kit.rng.randint(100, 999)}.mp4")
                 for i, name in enumerate(("开工仪式", "外墙保温施工过程", "光伏系统并网调试", "竣工验收会议"), 1))
    blocks: list[Block] = [Heading(title), Fields((("工程名称", ctx.name), ("载体", "光盘1张"))),
                           Table(("序号", "录像内容", "时长", "文件名"), rows)]
    return kit.doc("E3-2", "录像资料", title, blocks, when, fmt="xlsx", sheet="录像目录", author=ctx.owner)


def chronicle(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.filing, 1, 10)
    title = kit.pick(("工程建设大事记", f"{ctx.name}建设大事记"))
    events = ((ctx.day(3), "局长办公会议研究同意项目立项"), (ctx.day(20), "可行性研究报告获批复"),
              (ctx.day(76), "施工招标完成，确定中标人"), (ctx.start, "工程开工"), (ctx.finish, "工程完工"),
              (ctx.acceptance, "通过竣工验收"), (ctx.filing, "完成竣工验收备案"))
    blocks: list[Block] = [Heading(title), Table(("日期", "事项"), tuple((cn_date(d), e) for d, e in events))]
    return kit.doc("E4-1", "其他工程文件", title, blocks, when, fmt="docx", author=ctx.owner)


TEMPLATES = (
    Template("E1-1", "勘察单位质量检查报告", survey_check),
    Template("E1-2", "设计单位质量检查报告", design_check),
    Template("E1-3", "工程竣工报告", completion_report),
    Template("E1-4", "工程质量评估报告", assessment),
    Template("E1-5", "工程竣工验收报告", acceptance_report),
    Template("E1-6", "竣工验收会议纪要", acceptance_minutes),
    Template("E1-7", "专家组竣工验收意见", expert_opinion),
    Template("E1-8", "竣工验收证书", acceptance_certificate),
    Template("E1-9", "专项验收认可文件", authority_approval),
    Template("E1-10", "质量保修书", warranty),
    Template("E1-12", "竣工验收备案表", filing_form),
    Template("E1-13", "档案预验收意见", archive_pre_check),
    Template("E1-14", "城建档案移交书", archive_transfer),
    Template("E1-15", "终身责任承诺书", lifelong_pledge),
    Template("E2-1", "施工决算文件", final_accounts),
    Template("E2-2", "监理决算文件", supervision_accounts),
    Template("E2-x", "竣工财务决算", financial_accounts),
    Template("E3-1", "工程照片", photo_album),
    Template("E3-2", "录像资料", video_index),
    Template("E4-1", "其他工程文件", chronicle),
)
