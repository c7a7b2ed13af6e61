"""B1 监理管理文件: the supervisor's plan, rules, reports, minutes, notices, and the GB/T 50319 form layout."""

from __future__ import annotations

from datetime import date

from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.text import cn_date, yuan

PROBLEMS = (
    ("外墙保温锚栓数量不足", "三层北立面⑤~⑧轴岩棉板锚栓数量经抽查为每平方米4个，少于设计要求的6个"),
    ("屋面防水卷材搭接宽度不够", "屋面西侧卷材短边搭接宽度实测80mm，小于规范要求的100mm"),
    ("外窗附框与墙体连接不牢", "五层南立面部分外窗附框固定片间距大于600mm，局部松动"),
    ("脚手架连墙件缺失", "东立面脚手架七至九层连墙件缺失3处，存在安全隐患"),
    ("设备用房钢筋保护层垫块不足", "设备用房底板钢筋垫块间距过大，局部保护层厚度不足"),
    ("风管支吊架间距超标", "四层走道风管支吊架间距达3.5m，大于规范允许值"),
    ("动火作业未办理审批", "屋面光伏支架焊接作业未办理动火审批，现场未配备灭火器"),
)
WEATHER = ("晴", "多云", "阴", "小雨", "晴转多云", "阴有阵雨")


def gbt_form(kit: Kit, item: str, doc_type: str, form: str, title: str, number: str, to: str, body: list[str],
          signs: list[Signatures], when: date, *, attachments: tuple[str, ...] = (), fmt: str = "docx",
          stem: str | None = None) -> Doc:
    """A GB/T 50319 表: form number, header fields, 致…, body, 附件, then each party's signature block."""
    blocks: list[Block] = []
    if kit.chance(0.8):
        blocks.append(Para(form))
    blocks += [Heading(title), kit.head(number, None), Para(f"致：{to}")]
    blocks += [Para(text) for text in body]
    if attachments:
        blocks.append(Para("附件：" + "；".join(f"{i}. {a}" for i, a in enumerate(attachments, start=1))))
    blocks += signs
    return kit.doc(item, doc_type, title, blocks, when, fmt=fmt, stem=stem or f"{title}-{number}")


def to_supervisor(kit: Kit) -> str:
    return f"{kit.ctx.supervisor}（项目监理机构）"


# ---- B1 监理管理文件 ----------------------------------------------------------------------------


def supervision_plan(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.start, -14, -6)
    title = f"{ctx.name}监理规划"
    chapters = (
        ("一、工程项目概况", f"{ctx.name}位于{ctx.address}，建设单位为{ctx.owner}，设计单位为{ctx.designer}，"
                          f"施工单位为{ctx.contractor}。建设内容：{ctx.scope}。"),
        ("二、监理工作范围、内容和目标", "监理范围为施工阶段及保修阶段全过程监理。质量目标：合格；工期目标：按合同工期完成；投资目标：控制在批复概算内。"),
        ("三、监理工作依据", "《建设工程监理规范》GB/T 50319-2013、《建筑工程施工质量验收统一标准》GB 50300-2013、《建筑节能工程施工质量验收标准》GB 50411-2019、监理合同及施工合同。"),
        ("四、项目监理机构的组织形式和人员配备", f"总监理工程师{ctx.who('chief')}，土建专业监理工程师{ctx.who('sup_civil')}，安装专业监理工程师{ctx.who('sup_mep')}，监理员{ctx.who('sup_staff')}。"),
        ("五、工程质量控制", "对外墙保温、外窗安装、屋面防水等关键工序实施旁站和平行检验，对进场节能材料实施见证取样复验。"),
        ("六、工程造价控制", "严格审核工程计量和工程款支付申请，设计变更和签证须经总监理工程师审核并报建设单位批准。"),
        ("七、工程进度控制", "审查施工总进度计划，按月检查进度执行情况，发现偏差及时要求施工单位采取纠偏措施。"),
        ("八、安全生产管理的监理工作", "审查危险性较大的分部分项工程专项施工方案，重点检查脚手架、吊篮、临时用电和动火作业。"),
    )
    blocks: list[Block] = [Heading(title), Fields((("编制", ctx.who("chief")), ("审批", ctx.who("sup_civil")),
                                                  ("监理单位", ctx.supervisor), ("编制日期", kit.d(when))))]
    for heading, text in chapters:
        blocks += [Heading(heading, 2), Para(text)]
    blocks.append(Signatures((("总监理工程师", ctx.who("chief"), cn_date(when)), ("监理单位技术负责人", ctx.who("lab_approver"), cn_date(when))),
                             seal=f"{ctx.supervisor}（公章）"))
    return kit.doc("B1-1", "监理规划", title, blocks, when, fmt="docx", author=ctx.supervisor, stem="监理规划")


DETAIL_TOPICS = ("外墙外保温工程", "建筑节能工程", "屋面防水工程", "幕墙及外窗工程", "通风与空调工程", "旁站监理")


def supervision_detail(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    topic = DETAIL_TOPICS[n % len(DETAIL_TOPICS)]
    when = kit.after(ctx.start, -4, 20)
    title = kit.pick((f"{topic}监理实施细则", f"{ctx.name}{topic}监理实施细则"))
    blocks: list[Block] = [Heading(title), Fields((("专业", topic), ("编制人（专业监理工程师）", ctx.who("sup_civil")),
                                                  ("审批人（总监理工程师）", ctx.who("chief")), ("日期", kit.d(when))))]
    blocks += [Heading("一、专业工程特点", 2),
               Para(f"本工程{topic}施工面广、交叉作业多，且办公楼不停用，须在保证办公安全的前提下分区施工。")]
    blocks += [Heading("二、监理工作流程", 2),
               Para("材料进场报验→见证取样复验→样板施工验收→工序报验→隐蔽工程验收→检验批验收→分项工程验收。")]
    blocks += [Heading("三、监理工作要点及控制措施", 2)]
    blocks += kit.paras((
        "检查保温材料的导热系数、密度、压缩强度、燃烧性能等复验报告，未经复验或复验不合格的材料不得使用。",
        "基层处理后应检查平整度，粘结面积不小于板面积的50%，锚栓数量和锚固深度符合设计要求。",
        "防火隔离带设置位置、宽度及材料燃烧性能应符合设计要求。",
        "卷材铺贴前检查基层含水率，卷材搭接宽度、收头及细部节点做法应逐项检查。",
        "风管安装完毕应做漏光检测，系统调试应有监理人员在场。",
        "对关键部位和关键工序实施旁站，并填写旁站记录。",
    ), 3, 5)
    blocks += [Heading("四、监理工作方法", 2), Para("采用巡视、平行检验、旁站、见证取样等方法，对发现的问题签发监理通知单并跟踪闭合。")]
    return kit.doc("B1-2", "监理实施细则", title, blocks, when, fmt="docx", author=ctx.supervisor, stem=f"监理实施细则（{topic}）")


def monthly_report(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    month_start = date(ctx.start.year + (ctx.start.month + n - 1) // 12, (ctx.start.month + n - 1) % 12 + 1, 1)
    when = kit.after(month_start, 33, 37)
    label = f"{month_start.year}年{month_start.month}月"
    title = kit.pick((f"监理月报（{label}）", f"{ctx.name}监理月报 {label}", f"{label}监理月报"))
    progress = min(100, 12 * (n + 1) + kit.rng.randint(0, 8))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("报告期", f"{label}1日至{label}末"), ("期数", f"第{n + 1}期"),
                ("总监理工程师", ctx.who("chief")))),
        Heading("一、本月工程实施情况", 2),
        Para(f"本月完成{kit.pick(('外墙保温', '外窗安装', '屋面保温防水', '设备用房主体', '空调管道安装'))}等工作，"
             f"累计完成合同工程量约{progress}%。"),
        Heading("二、工程质量控制情况", 2),
        Para(f"本月共验收检验批{kit.rng.randint(6, 22)}个，隐蔽工程{kit.rng.randint(2, 9)}项，见证取样{kit.rng.randint(3, 12)}组，"
             f"签发监理通知单{kit.rng.randint(0, 3)}份，均已闭合。"),
        Heading("三、工程进度控制情况", 2),
        Para(kit.pick(("本月实际进度与计划基本一致。", "受连续降雨影响，屋面工程滞后约5天，已要求施工单位增加作业班组。"))),
        Heading("四、工程造价控制情况", 2),
        Para(f"本月审核工程款支付申请一期，审定金额{yuan(round(ctx.contract_amount * kit.rng.uniform(0.08, 0.16), 2))}。"),
        Heading("五、安全生产管理工作情况", 2),
        Para("本月组织安全专项检查2次，督促整改吊篮限位失灵、临时用电线路拖地等隐患。"),
        Heading("六、下月监理工作重点", 2),
        Para("重点控制外窗淋水试验、空调系统试运行及节能材料进场复验。"),
        Signatures((("总监理工程师", ctx.who("chief"), cn_date(when)),), seal=f"{ctx.supervisor}（项目监理机构章）"),
    ]
    return kit.doc("B1-3", "监理月报", title, blocks, when, fmt="pdf", author=ctx.supervisor, stem=f"监理月报-{label}")


def site_meeting(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    first = n == 0
    when = kit.after(ctx.start, -3, 0) if first else kit.works(0.1, 0.9)
    number = f"JLHY-{n + 1:03d}"
    title = "第一次工地会议纪要" if first else kit.pick((f"第{n + 1}次监理例会会议纪要", f"监理例会纪要（第{n + 1}期）"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("会议编号", number), ("会议时间", cn_date(when)), ("会议地点", "项目部会议室"),
                ("主持人", ctx.who("chief")), ("记录人", ctx.who("sup_staff")))),
        Para(f"参会单位：{ctx.owner}、{ctx.designer}、{ctx.contractor}、{ctx.supervisor}。"),
    ]
    blocks += kit.paras((
        "一、施工单位汇报上周工程进展、存在问题及本周计划。",
        "二、监理单位通报上周质量安全检查情况，要求施工单位对外墙保温锚栓抽检不合格部位限期整改。",
        "三、建设单位要求合理安排高噪声作业时间，工作日8:30—17:30不得在办公区上方进行切割作业。",
        "四、设计代表对外窗附框节点做法进行了澄清，以设计变更形式下发。",
        "五、会议要求施工单位于本周五前报送空调系统调试方案。",
        "六、各方应做好文件资料的同步收集整理工作，监理单位每月检查一次。",
    ), 4, 6)
    blocks.append(Table(("单位", "参会人员"), ((ctx.owner, ctx.who("owner_staff")), (ctx.contractor, ctx.who("pm")),
                                             (ctx.supervisor, ctx.who("chief")), (ctx.designer, ctx.who("design_arch")))))
    return kit.doc("B1-4", "监理会议纪要", title, blocks, when, fmt="docx", author=ctx.supervisor, stem=f"{title}-{number}")


def supervision_log(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.1, 0.9)
    title = kit.pick(("监理日志", "监理工作日志"))
    blocks: list[Block] = [
        Heading(title),
        Fields((("工程名称", ctx.name), ("日期", kit.d(when)), ("天气", kit.pick(WEATHER)),
                ("气温", f"{kit.rng.randint(12, 34)}℃"), ("记录人", ctx.who("sup_staff")))),
        Para(f"施工情况：{kit.pick(('外墙保温', '外窗安装', '屋面防水', '设备用房'))}施工，现场作业人员约{kit.rng.randint(20, 70)}人。"),
        Para("监理工作：巡视检查外墙保温粘贴及锚栓施工；见证保温板取样送检；审核设备进场报验资料。"),
        Para(kit.pick(("存在问题及处理：无。", "存在问题及处理：发现部分吊篮安全绳未独立设置，已口头要求整改并复查合格。"))),
        Signatures((("监理人员", ctx.who("sup_staff"), cn_date(when)), ("总监理工程师", ctx.who("chief"), ""))),
    ]
    return kit.doc("B1-5", "监理日志", title, blocks, when, fmt="docx", author=ctx.supervisor, stem=f"监理日志-{when.isoformat()}")


def supervision_summary(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.after(ctx.finish, 12, 18)
    title = kit.pick((f"{ctx.name}监理工作总结", "监理工作总结报告"))
    blocks: list[Block] = [Heading(title), Fields((("监理单位", ctx.supervisor), ("总监理工程师", ctx.who("chief")), ("日期", kit.d(when))))]
    blocks += kit.paras((
        "一、工程概况：{name}位于{address}，建设内容为{scope}。",
        "二、监理组织机构、监理人员和投入的监理设施：项目监理机构共派驻监理人员4名，配备经纬仪、水准仪、回弹仪、测厚仪等检测设备。",
        "三、监理合同履行情况：监理单位按合同约定完成了施工阶段全部监理工作。",
        "四、监理工作成效：共审查施工方案12份，签发监理通知单9份，组织验收检验批186个，所有问题均已整改闭合。",
        "五、监理工作中发现的问题及其处理情况：外墙保温锚栓数量不足、屋面卷材搭接宽度不够等问题已按要求返工处理。",
        "六、说明和建议：建议建设单位在使用过程中加强对光伏系统和能耗监测平台的运维管理。",
    ), 5, 6, scope=ctx.scope)
    blocks.append(Signatures((("总监理工程师", ctx.who("chief"), cn_date(when)),), seal=f"{ctx.supervisor}（公章）"))
    return kit.doc("B1-6", "监理工作总结", title, blocks, when, fmt="docx", author=ctx.supervisor)


def contact_sheet(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.05, 0.95)
    number = kit.number("LXD", key="lxd")
    subject = kit.pick(("关于调整外墙施工作业时间的联系", "关于办公区临时通道设置的联系", "关于屋面光伏并网手续办理的联系"))
    return gbt_form(kit, "B1-7", "工作联系单", "表C.0.1", "工作联系单", number, ctx.owner,
                 [f"事由：{subject}", "内容：为减少施工对机关办公的影响，经协商，外墙高噪声作业调整至工作日17:30以后及周末进行，请各方知悉并配合。"],
                 [Signatures((("发文单位", ctx.supervisor, cn_date(when)), ("负责人", ctx.who("chief"), "")))], when)


def notice(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.1, 0.85)
    number = f"JLTZ-{when.year}-{kit.next('jltz'):03d}"
    subject, detail = PROBLEMS[(n * 3 + kit.rng.randint(0, 1)) % len(PROBLEMS)]
    title = kit.pick(("监理通知单", "监理通知单", "监理工程师通知单"))
    body = [
        f"事由：关于{subject}的通知",
        f"内容：经巡视检查发现，{detail}，不符合设计及规范要求。请你项目部立即组织整改，整改完毕后填写监理通知回复单报项目监理机构复查。",
    ]
    signs = [kit.sign_supervisor(when, engineer=kit.chance(0.7))]
    return gbt_form(kit, "B1-8", "监理通知单", "表A.0.3", title, number, f"{ctx.contractor}（项目经理部）", body, signs, when,
                 fmt="pdf" if n % 2 else "docx", stem=f"监理通知单-{number}")


def notice_reply(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.15, 0.9)
    number = f"HF-{kit.next('hf'):03d}"
    subject, detail = PROBLEMS[n % len(PROBLEMS)]
    body = [
        f"我方接到编号为JLTZ-{when.year}-{n + 1:03d}的监理通知单后，已按要求完成了{subject}的整改工作，特此回复，请予以复查。",
        f"整改情况：对{detail.split('，')[0]}部位进行了全面排查和返工处理，并对作业班组进行了专项技术交底。",
    ]
    signs = [kit.sign_contractor(when, tech=False, qc=False),
             Signatures((("复查意见", "经复查，整改合格。", ""), ("专业监理工程师", ctx.who("sup_civil"), cn_date(kit.after(when, 1, 3)))))]
    return gbt_form(kit, "B1-9", "监理通知回复单", "表B.0.9", "监理通知回复单", number, to_supervisor(kit), body, signs, when,
                 attachments=("整改前后照片", "自检记录"))


def suspension_order(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.3, 0.5)
    number = f"ZTL-{kit.next('ztl'):02d}"
    body = [
        f"由于屋面光伏支架焊接作业未办理动火审批、现场无消防措施，存在重大安全隐患，经建设单位同意，现通知你方于{cn_date(when)}"
        "16时起，暂停屋面动火作业部位施工，并按下述要求做好后续工作：",
        "1. 立即撤离作业人员并清理易燃物；2. 补办动火审批手续，配备灭火器材和看火人员；3. 整改完成后提交复工报审表。",
    ]
    return gbt_form(kit, "B1-10", "工程暂停令", "表A.0.5", "工程暂停令", number, f"{ctx.contractor}（项目经理部）", body,
                 [kit.sign_supervisor(when, engineer=False)], when, fmt="pdf")


def resumption(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.5, 0.55)
    number = f"FGL-{kit.next('fgl'):02d}"
    body = [
        f"鉴于编号为ZTL-01的工程暂停令所述原因已经消除，经检查已具备复工条件，经建设单位同意，现通知你方于"
        f"{cn_date(kit.after(when, 1, 2))}8时起恢复屋面光伏支架部位施工。",
        "附件：工程复工报审表（表B.0.3）及整改验收资料。",
    ]
    signs = [kit.sign_supervisor(when, engineer=False),
             Signatures((("建设单位代表", ctx.who("owner_lead"), cn_date(when)),))]
    return gbt_form(kit, "B1-11", "工程复工令", "表A.0.7", "工程复工令", number, f"{ctx.contractor}（项目经理部）", body, signs, when)


TEMPLATES = (
    Template("B1-1", "监理规划", supervision_plan),
    Template("B1-2", "监理实施细则", supervision_detail),
    Template("B1-3", "监理月报", monthly_report),
    Template("B1-4", "监理会议纪要", site_meeting),
    Template("B1-5", "监理日志", supervision_log),
    Template("B1-6", "监理工作总结", supervision_summary),
    Template("B1-7", "工作联系单", contact_sheet),
    Template("B1-8", "监理通知单", notice),
    Template("B1-9", "监理通知回复单", notice_reply),
    Template("B1-10", "工程暂停令", suspension_order),
    Template("B1-11", "工程复工令", resumption),
)
