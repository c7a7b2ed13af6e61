"""C4–C6 物资、施工记录、试验检测文件: certificates, lab reports, site records and test records.

Most are laid out from ``specs_c`` data; the 隐蔽工程验收记录 and the 地基验槽记录 get their own
builders because archivists and auditors look at them closely (every 隐蔽 item must have one, and
验槽 is signed by all five parties).
"""

from __future__ import annotations

import re
from functools import partial

from samples.kit import Kit, Template
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.specs_c import ALL_SPECS, RecordSpec
from samples.text import cn_date

_READING = re.compile(r"\{(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)\}")
_WINDOWS = {"C4": (0.03, 0.6), "C5": (0.05, 0.7), "C6": (0.35, 0.98)}
_EARLY = {"C5-4", "C5-5", "C5-10", "C5-11", "C5-13", "C5-14", "C5-15", "C5-16", "C5-17", "C6-6", "C6-8", "C6-15"}


def reading(kit: Kit, pattern: str, index: int = 1) -> str:
    """Fill ``{lo-hi}`` ranges with a drawn value and ``{i}`` with the row number."""

    def draw(match: re.Match[str]) -> str:
        lo_text, hi_text = match.group(1), match.group(2)
        decimals = len(lo_text.split(".")[1]) if "." in lo_text else 0
        value = kit.rng.uniform(float(lo_text), float(hi_text))
        return f"{value:.{decimals}f}"

    return _READING.sub(draw, pattern.replace("{i}", str(index)))


def _rows(kit: Kit, spec: RecordSpec, with_verdict: bool) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = []
    for check in spec.checks:
        name, requirement, pattern = check[0], check[1], check[2]
        repeat = check[3] if len(check) == 4 else 1  # type: ignore[misc]
        for index in range(1, repeat + 1):
            row = (reading(kit, name, index), requirement, reading(kit, pattern, index))
            rows.append((*row, kit.pick(("合格", "符合", "合格"))) if with_verdict else row)
    return tuple(rows)


def _when(kit: Kit, spec: RecordSpec):  # type: ignore[no-untyped-def]
    lo, hi = (0.02, 0.3) if spec.item in _EARLY else _WINDOWS[spec.item[:2]]
    return kit.works(lo, hi)


def lab_report(kit: Kit, spec: RecordSpec, n: int) -> Doc:
    """A testing lab's report: 委托/样品 header, readings with verdicts, conclusion, three signatures."""
    ctx = kit.ctx
    when = _when(kit, spec)
    sampled = kit.after(when, -5, -1)
    title = kit.pick(spec.titles)
    number = f"{spec.prefix}{when.year}-{spec.item.replace('-', '')}-{kit.next('lab-' + spec.item):04d}"
    header: list[tuple[str, str]] = [
        ("委托单位", ctx.contractor), (kit.project_label(), ctx.name),
        ("工程部位", kit.pick(("设备用房", "外墙", "屋面", "1~12层", "光伏支架", "全楼"))),
        ("样品名称", spec.subject), ("规格型号", spec.spec or "—"), ("生产厂家", spec.maker or kit.pick(("见委托单", "—"))),
        ("委托日期", kit.d(sampled)), ("检测日期", kit.d(when)), ("检测类别", kit.pick(("见证取样", "委托检测", "见证检测"))),
        ("见证单位", ctx.supervisor), ("见证人", ctx.who("sup_staff")), ("检测依据", spec.basis or "相关标准"),
    ]
    blocks: list[Block] = [
        Para(ctx.lab), Heading(title), Para(f"报告编号：{number}"), Fields(tuple(header)),
        Table(("检测项目", "技术要求", "检测结果", "单项结论"), _rows(kit, spec, True)),
    ]
    if spec.note:
        blocks.append(Para(spec.note))
    blocks.append(Para(kit.pick((f"检测结论：所检项目符合{spec.basis or '设计'}要求。", f"结论：经检测，该样品所检项目符合{spec.basis or '标准'}的规定。",
                                 "检测结论：合格。"))))
    blocks.append(Signatures((("检测", ctx.who("lab_tester"), ""), ("审核", ctx.who("lab_checker"), ""),
                              ("批准", ctx.who("lab_approver"), cn_date(when))), seal=f"{ctx.lab}（检验检测专用章）CMA"))
    return kit.doc(spec.item, spec.doc_type, title, blocks, when, fmt=spec.fmt, author=ctx.lab, stem=f"{title}-{number}")


def certificate(kit: Kit, spec: RecordSpec, n: int) -> Doc:
    """A maker's certificate, manual or customs paper that arrives with the goods."""
    ctx = kit.ctx
    when = _when(kit, spec)
    title = kit.pick(spec.titles)
    batch = f"{when.year % 100}{when.month:02d}{kit.rng.randint(1000, 9999)}"
    blocks: list[Block] = [
        Heading(title),
        Fields((("产品名称", spec.subject), ("规格型号", spec.spec or "—"), ("批号/编号", batch),
                ("数量", f"{kit.rng.randint(2, 90)}{kit.pick(('t', '批', '台', '樘'))}"), ("执行标准", spec.basis or "企业标准"),
                ("收货单位", ctx.contractor), ("使用工程", ctx.name), ("出厂日期", kit.d(when)))),
        Table(("检验项目", "标准值", "实测值"), _rows(kit, spec, False)),
    ]
    if spec.note:
        blocks.append(Para(spec.note))
    blocks.append(Para(kit.pick(("检验结论：该批产品经检验合格，准予出厂。", "结论：合格。", "本产品经检验符合标准要求，特此证明。"))))
    blocks.append(Signatures((("质检员", f"{kit.pick(('检', '质'))}{kit.rng.randint(1, 30):02d}", cn_date(when)),),
                             seal=f"{spec.maker or '生产厂家'}（质量检验专用章）"))
    return kit.doc(spec.item, spec.doc_type, title, blocks, when, fmt=spec.fmt, author=spec.maker, stem=f"{title}-{batch}")


def site_record(kit: Kit, spec: RecordSpec, n: int) -> Doc:
    """A contractor's record: 表号, header, readings, conclusion and the usual four signatures."""
    ctx = kit.ctx
    when = _when(kit, spec)
    title = kit.pick(spec.titles)
    number = f"{spec.prefix}-{kit.next('rec-' + spec.item):03d}"
    blocks: list[Block] = []
    if kit.chance(0.7):
        blocks.append(Para(f"表{spec.item.split('-')[0]}"))
    blocks += [Heading(title), kit.head(number, when, (kit.pick(("部位", "检查部位", "系统名称", "试验部位")), spec.subject))]
    if spec.note:
        blocks.append(Para(spec.note))
    blocks.append(Table(("检查/试验项目", "要求", "实测/检查结果"), _rows(kit, spec, False)))
    blocks.append(Para(kit.pick(("检查结论：符合设计及规范要求。", "试验结论：合格。", "结论：经检查，符合要求，同意进行下道工序。"))))
    blocks.append(kit.sign_record(when))
    return kit.doc(spec.item, spec.doc_type, title, blocks, when, fmt=spec.fmt, author=ctx.contractor, stem=f"{title}-{number}")


def _from_spec(spec: RecordSpec, kit: Kit, n: int) -> Doc:
    if spec.family == "lab":
        return lab_report(kit, spec, n)
    if spec.family == "cert":
        return certificate(kit, spec, n)
    return site_record(kit, spec, n)


# ---- hand-written: 隐蔽工程验收记录, 地基验槽记录 -----------------------------------------------

CONCEALED = (
    ("外墙外保温（岩棉板粘贴及锚栓）", "三层~六层北立面①~⑫轴", "建施-05、建施-21",
     "基层已清理干净；岩棉板（80mm厚，复试报告编号JC{y}-C433-0001）采用点框粘法粘贴，粘结面积不小于50%；"
     "锚栓φ10×160mm，每平方米6个，锚固深度55mm；防火隔离带宽度300mm，设置于每层楼板处。"),
    ("屋面保温层及找坡层", "屋面全部", "建施-12",
     "100mm厚挤塑聚苯板满粘铺设，板缝错开、拼缝严密；1:8水泥陶粒找坡，最薄处30mm，坡度2%；排汽道纵横间距6m。"),
    ("设备用房底板钢筋", "设备用房 ①~④/Ⓐ~Ⓓ轴 底板", "结施-03、结施-04，结施-变-01",
     "底板厚450mm，上下铁均为C18@200双向，钢筋规格、数量、间距符合设计变更要求；直螺纹接头抽检合格；保护层垫块间距600mm。"),
    ("设备用房外墙防水层", "设备用房外墙 -5.900~-0.300m", "建施-15",
     "4mm厚SBS改性沥青防水卷材两道，阴阳角附加层500mm宽，卷材搭接宽度100mm，收头采用金属压条固定并密封。"),
    ("吊顶内风管及保温", "四层走道", "暖施-04",
     "镀锌钢板风管，法兰连接严密，漏光检测合格；保温采用25mm厚橡塑板，接缝粘结严密；支吊架间距不大于3m。"),
    ("光伏支架基础预埋件", "屋面光伏区 W1~W24基础", "结施-12，结施-变-02",
     "预埋件规格-300×300×12，锚筋4C16，埋件中心线偏差不大于5mm，标高偏差不大于3mm，防腐处理完成。"),
)


def concealed_work(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    what, where, basis, content = CONCEALED[n % len(CONCEALED)]
    when = kit.works(0.1 + 0.12 * (n % 6), 0.2 + 0.13 * (n % 6))
    number = f"隐检-C5-{kit.next('yinjian', start=11):03d}"
    title = kit.pick(("隐蔽工程验收记录", "隐蔽工程验收记录", "隐蔽工程检查验收记录"))
    blocks: list[Block] = [
        Para("表C5-1"), Heading(title),
        kit.head(number, when, ("隐检项目", what), ("隐检部位", where)),
        Para(f"隐检依据：施工图图号{basis}，《建筑节能工程施工质量验收标准》GB 50411-2019及有关国家现行标准。"),
        Para("主要材料名称及规格/型号：" + kit.pick(("见隐检内容。", "详见材料进场检验记录及复试报告。"))),
        Para(f"隐检内容：{content.format(y=when.year)}"),
        Para("检查结论：经检查，符合设计要求及规范规定，同意隐蔽，进行下道工序。"),
        Para(kit.pick(("复查结论：—", "复查意见：无。"))),
        kit.sign_record(when),
    ]
    return kit.doc("C5-1", "隐蔽工程验收记录", title, blocks, when, fmt="docx" if n % 3 else "pdf",
                   author=ctx.contractor, stem=f"隐蔽工程验收记录-{what.split('（')[0]}-{number}")


def foundation_inspection(kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    when = kit.works(0.06, 0.14)
    title = kit.pick(("地基验槽记录", "地基验槽检查记录"))
    number = f"YC-{kit.next('yc'):02d}"
    blocks: list[Block] = [
        Heading(title), kit.head(number, when, ("验槽部位", "设备用房基槽 ①~④/Ⓐ~Ⓓ轴")),
        Para("依据：施工图结施-02、结施-03，岩土工程勘察报告，《建筑地基基础工程施工质量验收标准》GB 50202-2018。"),
        Para("验槽内容：1. 基槽开挖至勘察报告第③层黏土，持力层土质与勘察报告相符；2. 基底标高-5.900m，槽底平整；"
             "3. 局部（③~④/Ⓑ~Ⓒ轴）存在软弱土，已按设计要求换填级配砂石；4. 钎探记录编号QT-001，锤击数均匀。"),
        Para("检查结论：符合设计及勘察要求，同意进行下道工序。"),
        Signatures((("建设单位", ctx.who("owner_lead"), cn_date(when)), ("勘察单位", ctx.who("survey_lead"), cn_date(when)),
                    ("设计单位", ctx.who("design_struct"), cn_date(when)), ("监理单位", ctx.who("chief"), cn_date(when)),
                    ("施工单位", ctx.who("pm"), cn_date(when))), seal="（各方盖章）"),
    ]
    return kit.doc("C5-12", "地基验槽记录", title, blocks, when, fmt="docx", author=ctx.contractor, stem=f"{title}-{number}")


TEMPLATES = (
    Template("C5-1", "隐蔽工程验收记录", concealed_work),
    Template("C5-12", "地基验槽记录", foundation_inspection),
    *(Template(spec.item, spec.doc_type, partial(_from_spec, spec)) for spec in ALL_SPECS),
)
