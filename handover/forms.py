"""The inventory forms as data: 移交清单, 案卷目录, 卷内目录, 卷内备考表.

Each form is built once here as title, header fields, columns and rows, then rendered by
``inventory_xlsx`` and ``inventory_docx``; the two files can therefore never disagree. Column sets
follow ``standards.md``: 移交清单 the union of DA/T 93-2022 Annex A and the 交接文据 field list
(§1.7), 卷内目录 GB/T 50328 / DA/T 22-2015 (序号, 档号, 文件编号, 责任者, 题名, 日期 YYYYMMDD, 页次,
页数, 备注), 卷内备考表 the 本卷情况说明 / 立卷人 / 检查人 form. Blanks for signatures and dates are
left for people to fill in by hand: the forms are printed, signed and sealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handover.plan import PlannedDocument, Volume
from schemas.cells import xml_text as cell_xml_text
from schemas.handover import HandoverRequest, ReviewStatus

SIGN_OFF = ("移交人（签名）：", "接收人（签名）：", "审核人（签名）：", "移交单位（印章）：", "接收单位（印章）：",
            "交接日期：      年    月    日")
Row = list[object]


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids (a vertical tab pasted from Word…) made spaces.

    Every inventory is XML inside (XLSX, DOCX, EEP); a space keeps a printed form's words apart.
    """
    return str(cell_xml_text(text, instead=" "))


PHOTO_FORMATS = frozenset({"jpg", "jpeg", "png", "tif", "tiff"})


@dataclass
class Form:
    name: str  # file stem and document heading, e.g. 移交清单
    title: str
    fields: list[tuple[str, str]]
    columns: list[str]
    rows: list[Row]
    footer: list[str] = field(default_factory=list)
    sheet: str | None = None  # XLSX sheet name; forms sharing one follow each other on it
    widths: list[int] = field(default_factory=list)  # XLSX column widths (characters)


def ymd(doc: PlannedDocument) -> str:
    """日期 as DA/T 22 writes it: eight digits, YYYYMMDD; empty when the document has no date."""
    return doc.doc.doc_date.strftime("%Y%m%d") if doc.doc.doc_date else ""


def responsible(doc: PlannedDocument) -> str:
    """责任者: the parties named on the document, in a stable order."""
    names = list(dict.fromkeys(doc.doc.parties[k] for k in sorted(doc.doc.parties)))
    return "、".join(names)


def title_of(doc: PlannedDocument) -> str:
    return doc.doc.title or doc.doc.original_name.rsplit(".", 1)[0]


def remark(doc: PlannedDocument) -> str:
    status = doc.doc.review_status
    if status == ReviewStatus.UNREADABLE:
        return f"无法读取：{doc.doc.quarantine_reason or '原因未记录'}"
    if status == ReviewStatus.NEEDS_REVIEW:
        return "分类待复核"
    return ""


def _span(volumes: list[Volume]) -> str:
    if not volumes:
        return "—"
    first, last = volumes[0], volumes[-1]
    return f"{first.documents[0].archive_code} 至 {last.documents[-1].archive_code}"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"


def handover_list(request: HandoverRequest, volumes: list[Volume]) -> Form:
    """移交清单: one row per document (件), with the electronic file's name, size and SHA-256."""
    rows: list[Row] = []
    for volume in volumes:
        for doc in volume.documents:
            rows.append([len(rows) + 1, doc.archive_code, title_of(doc), doc.doc.number or "", responsible(doc),
                         ymd(doc), doc.doc.pages or "", doc.retention or "", "", doc.path.rsplit("/", 1)[-1],
                         doc.doc.size, doc.doc.sha256, remark(doc)])
    total = sum(v.bytes for v in volumes)
    p = request.project
    return Form(
        name="移交清单", title="建设项目档案移交清单",
        fields=[("项目名称", p.name), ("项目代号", p.code), ("移交单位", p.agency), ("接收单位", ""),
                ("案卷数", f"{len(volumes)} 卷"), ("文件数", f"{len(rows)} 件"),
                ("电子文件数据量", _mb(total)), ("起止档号", _span(volumes))],
        columns=["序号", "档号", "题名", "文件编号", "责任者", "日期", "页数", "保管期限", "密级",
                 "电子文件名", "大小（字节）", "SHA-256", "备注"],
        rows=rows, footer=list(SIGN_OFF),
        widths=[6, 26, 40, 20, 20, 10, 6, 10, 6, 40, 12, 66, 20],
    )


def volume_list(request: HandoverRequest, volumes: list[Volume]) -> Form:
    """案卷目录: one row per volume."""
    rows: list[Row] = []
    for n, v in enumerate(volumes, start=1):
        first, last = (d.replace("-", "") if d else "" for d in v.date_range)
        span = f"{first}—{last}" if first else ""
        rows.append([n, v.code, v.title, request.project.agency, span, len(v.documents), v.pages or "",
                     v.retention or "", "", "含未归类文件，移交前请复核" if v.unfiled else ""])
    return Form(
        name="案卷目录", title="案卷目录",
        fields=[("项目名称", request.project.name), ("项目代号", request.project.code)],
        columns=["序号", "案卷档号", "案卷题名", "编制单位", "起止日期", "卷内件数", "页数", "保管期限", "密级", "备注"],
        rows=rows, widths=[6, 22, 50, 24, 20, 8, 6, 10, 6, 24],
    )


def volume_contents(volumes: list[Volume]) -> list[Form]:
    """卷内目录: one form per volume, one row per document in 件号 order."""
    forms = []
    for v in volumes:
        rows: list[Row] = [
            [doc.item_no, doc.archive_code, doc.doc.number or "", responsible(doc), title_of(doc), ymd(doc),
             doc.start_page or "", doc.doc.pages or "", remark(doc)]
            for doc in v.documents
        ]
        forms.append(Form(
            name="卷内目录", title="卷内目录",
            fields=[("案卷档号", v.code), ("案卷题名", v.title)],
            columns=["序号", "档号", "文件编号", "责任者", "题名", "日期", "页次", "页数", "备注"],
            rows=rows, widths=[6, 26, 20, 20, 50, 10, 6, 6, 20],
        ))
    return forms


def volume_note_text(v: Volume) -> str:
    """本卷情况说明, from what the catalog knows about the volume's documents."""
    drawings = len(v.documents) if v.class_code == "D" else 0  # D 竣工图
    photos = 0 if drawings else sum(1 for d in v.documents if (d.doc.format or "") in PHOTO_FORMATS)
    review = sum(1 for d in v.documents if d.doc.review_status == ReviewStatus.NEEDS_REVIEW)
    unreadable = sum(1 for d in v.documents if d.doc.review_status == ReviewStatus.UNREADABLE)
    text = (f"本卷共有文件 {len(v.documents)} 件"
            + (f"，{v.pages} 页" if v.pages else "")
            + f"，其中图样材料 {drawings} 件，照片 {photos} 件，文字材料 {len(v.documents) - drawings - photos} 件。"
            + "电子文件与原件逐一核对 SHA-256 一致。")
    if review:
        text += f"有 {review} 件分类待复核。"
    if unreadable:
        text += f"有 {unreadable} 件无法读取，见卷内目录备注。"
    return text


def volume_notes(volumes: list[Volume]) -> Form:
    """卷内备考表: one row per volume (the DOCX renders one form page per row)."""
    rows: list[Row] = [
        [n, v.code, v.title, len(v.documents), v.pages or "", volume_note_text(v), "", "", "", ""]
        for n, v in enumerate(volumes, start=1)
    ]
    return Form(
        name="卷内备考表", title="卷内备考表", fields=[],
        columns=["序号", "案卷档号", "案卷题名", "件数", "页数", "本卷情况说明", "立卷人", "立卷日期", "检查人", "检查日期"],
        rows=rows, widths=[6, 22, 40, 6, 6, 70, 10, 12, 10, 12],
    )
