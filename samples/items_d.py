"""D 竣工图: as-built sheets, each with its title block and the 竣工图章 that makes it an as-built drawing."""

from __future__ import annotations

from samples.kit import Kit, Template
from samples.model import Doc, Drawing
from samples.text import cn_date

# item → (专业, doc_type, [(图号, 图名, rooms)], change references)
SHEETS = {
    "D-1": ("建筑", "建筑竣工图", (("建施-01", "一层平面图", ("门厅", "值班室", "会议室", "办公室", "走廊", "楼梯间", "电梯厅")),
                                   ("建施-05", "北立面图及外墙保温节点", ("保温层", "防火隔离带", "窗洞口", "勒脚")))),
    "D-2": ("结构", "结构竣工图", (("结施-03", "设备用房基础平面图", ("筏板", "集水坑", "后浇带", "电梯基坑")),
                                   ("结施-04", "设备用房底板配筋图", ("上铁C18@200", "下铁C18@200", "附加筋")))),
    "D-3": ("钢结构", "钢结构竣工图", (("钢施-01", "屋面光伏支架钢结构布置图", ("GZ1", "GL1", "斜撑", "柱脚")),)),
    "D-4": ("幕墙", "幕墙竣工图", (("幕施-01", "南立面幕墙立面图", ("玻璃板块", "开启扇", "转接件", "竖龙骨")),)),
    "D-5": ("装饰", "室内装饰竣工图", (("装施-01", "门厅吊顶平面图", ("门厅", "服务台", "电梯厅", "吊灯")),)),
    "D-6": ("给排水", "给排水竣工图", (("水施-01", "设备用房给排水平面图", ("水泵房", "集水坑", "消火栓", "排水沟")),)),
    "D-7": ("电气", "电气竣工图", (("电施-07", "标准层照明平面图", ("办公室", "会议室", "走廊", "配电间")),
                                   ("电施-09", "低压配电系统图", ("进线柜", "并网柜", "电容柜", "馈线柜")))),
    "D-8": ("智能化", "智能化竣工图", (("智施-01", "能耗监测系统图", ("数据中心", "采集器", "电表", "水表")),)),
    "D-9": ("暖通", "通风空调竣工图", (("暖施-02", "四层空调风管平面图", ("新风机组", "风机盘管", "排风口", "走廊")),
                                       ("暖施-06", "冷热源机房平面图", ("冷水机组", "冷冻水泵", "分水器", "集水器")))),
    "D-10": ("总图", "室外工程竣工图", (("总施-01", "室外工程总平面图", ("办公楼", "设备用房", "停车场", "广场")),)),
    "D-11": ("室外管线", "室外管线竣工图", (("总施-03", "室外给排水及电力管线综合图", ("给水管", "雨水管", "污水管", "电缆沟")),)),
    "D-12": ("道路绿化", "道路绿化竣工图", (("总施-05", "室外道路及绿化竣工图", ("车行道", "人行道", "绿地", "喷灌")),)),
}
CHANGE_NOTES = {  # only numbers the sample project's own 设计变更/洽商 series really contain
    "建筑": "本图依据工程洽商记录洽-01（外窗附框）修改。", "结构": "本图依据设计变更结施-变-01修改，底板厚度改为450mm。",
    "钢结构": "本图依据设计变更结施-变-02修改，立柱改为HW175×175。", "幕墙": "本图依据设计变更结施-变-03修改转接件锚栓。",
    "暖通": "本图依据工程洽商记录洽-02修改冷凝水管走向。",
}


def as_built(item: str, kit: Kit, n: int) -> Doc:
    ctx = kit.ctx
    discipline, doc_type, sheets = SHEETS[item]
    number, sheet_name, rooms = sheets[n % len(sheets)]
    if n >= len(sheets):
        number = f"{number.split('-')[0]}-{int(number.split('-')[1]) + n:02d}"
    when = kit.after(ctx.finish, 3, 18)
    notes = [CHANGE_NOTES.get(discipline, "本图按施工图施工，无变更。"), "图中尺寸以毫米计，标高以米计。",
             kit.pick(("未注明做法详见原施工图设计说明。", "本竣工图与现场实际情况一致。"))]
    sheet = Drawing(
        sheet_name=sheet_name, drawing_number=number, discipline=discipline,
        title_block=(("建设单位", ctx.owner), ("工程名称", ctx.name), ("图名", sheet_name), ("图号", number),
                     ("专业", discipline), ("比例", "1:100"), ("设计单位", ctx.designer), ("日期", cn_date(when))),
        stamp=(("施工单位", ctx.contractor), ("编制人", ctx.who("doc_clerk")), ("审核人", ctx.who("tech_lead")),
               ("技术负责人", ctx.who("contractor_head")), ("编制日期", cn_date(when)), ("监理单位", ctx.supervisor),
               ("总监理工程师", ctx.who("chief")), ("现场监理", ctx.who("sup_civil"))),
        notes=tuple(notes), rooms=rooms,
    )
    return kit.doc(item, doc_type, sheet_name, [sheet], when, author=ctx.contractor, stem=f"{number} {sheet_name}")


def _drawing_builder(item: str):  # type: ignore[no-untyped-def]
    def build(kit: Kit, n: int) -> Doc:
        return as_built(item, kit, n)

    return build


TEMPLATES = (
    *(Template(item, SHEETS[item][1], _drawing_builder(item)) for item in SHEETS),
)
