"""DA/T 48-2009 style electronic-record packages (EEP): one XML file per document, on request.

Some 城建档案馆 receive electronic records as EEP files (基于XML的电子文件封装规范): one XML
document that carries a record's metadata and its bytes (Base64) together, so each file stays
self-describing even when taken out of the bundle. ``jiandang handover --eep`` adds one under
``data/EEP/<档号>.xml`` for every document.

What is and is not confirmed: the element names below (电子文件封装包, 封装包格式描述, 版本,
被签名对象, 封装包类型, 封装内容, 文件实体块, 元数据块, 文件数据, 编码, 编码数据 …) follow the
standard's structure as public summaries describe it; we hold no copy of its XSD, so the files are
*EEP-style*, not certified conformant. No 电子签名块 is written: jiandang holds no signing key.
Fixity travels as the SHA-256 in 元数据块, which the bag's manifests repeat.

Files are streamed: the original is read in chunks and Base64-encoded as written (76-character
lines), so memory does not depend on the file's size.
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

from handover.forms import xml_text
from handover.plan import PlannedDocument, Volume
from schemas.handover import HandoverProject

EEP_DIR = "EEP"
FORMAT_DESCRIPTION = "本封装包依据 DA/T 48-2009《基于XML的电子文件封装规范》的结构生成（未经该标准的 XSD 校验）"
_CHUNK = 57 * 1024  # 57 bytes make one 76-character Base64 line


def eep_path(planned: PlannedDocument) -> str:
    """Where a document's EEP lives in the bag (档号 are ASCII, so the name is portable)."""
    return f"data/{EEP_DIR}/{planned.archive_code}.xml"


def _element(out: TextIO, indent: int, name: str, value: object) -> None:
    text = "" if value is None else escape(xml_text(str(value)))
    out.write(f"{'  ' * indent}<{name}>{text}</{name}>\n")


def _metadata(out: TextIO, planned: PlannedDocument, volume: Volume, project: HandoverProject) -> None:
    doc = planned.doc
    rows: list[tuple[str, object]] = [
        ("档号", planned.archive_code), ("案卷档号", volume.code), ("件号", planned.item_no),
        ("题名", doc.title or Path(doc.original_name).stem), ("文件编号", doc.number),
        ("责任者", "；".join(f"{role}：{name}" for role, name in sorted(doc.parties.items()))),
        ("日期", doc.doc_date.isoformat() if doc.doc_date else None), ("文种", doc.doc_type),
        ("分类号", volume.class_code), ("归档范围条目", doc.item_code), ("保管期限", planned.retention),
        ("页数", doc.pages), ("项目代号", project.code), ("项目名称", project.name),
        ("立档单位", project.agency),
    ]
    out.write("          <元数据块>\n")
    for name, value in rows:
        _element(out, 6, name, value)
    out.write("            <数字摘要 算法=\"SHA-256\">" + doc.sha256 + "</数字摘要>\n")
    out.write("          </元数据块>\n")


def write_eep(target: Path, planned: PlannedDocument, volume: Volume, project: HandoverProject,
              created: datetime) -> None:
    """Write the EEP of one document to ``target`` (via a ``.part`` name, renamed when complete)."""
    doc = planned.doc
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    with part.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<电子文件封装包>\n')
        _element(out, 1, "封装包格式描述", FORMAT_DESCRIPTION)
        _element(out, 1, "版本", "2009")
        out.write("  <被签名对象>\n")
        _element(out, 2, "封装包类型", "原始型")
        _element(out, 2, "封装包类型描述", "本封装包包含一件电子文件的元数据与计算机文件，自归档系统导出后未经修改")
        _element(out, 2, "封装包创建时间", created.strftime("%Y-%m-%dT%H:%M:%S"))
        _element(out, 2, "封装包创建单位", project.agency)
        out.write("    <封装内容>\n      <文件实体块>\n        <文件实体>\n")
        _element(out, 5, "聚合层次", "文件")
        _metadata(out, planned, volume, project)
        out.write("          <文件数据>\n            <文档>\n")
        _element(out, 7, "文档标识符", doc.id)
        _element(out, 7, "文档序号", 1)
        out.write("              <文档数据>\n                <编码>\n")
        out.write("                  <电子属性>\n")
        _element(out, 10, "格式信息", doc.format)
        _element(out, 10, "计算机文件名", doc.original_name)
        _element(out, 10, "计算机文件大小", doc.size)
        out.write("                  </电子属性>\n")
        _element(out, 9, "编码描述", "“编码数据”为计算机文件二进制流的 Base64 编码（RFC 2045，每行 76 字符）")
        _element(out, 9, "反编码关键字", "base64")
        out.write("                  <编码数据>\n")
        with doc.source.open("rb") as source:
            while chunk := source.read(_CHUNK):
                out.write(base64.encodebytes(chunk).decode("ascii"))
        out.write("                  </编码数据>\n")
        out.write("                </编码>\n              </文档数据>\n            </文档>\n          </文件数据>\n")
        out.write("        </文件实体>\n      </文件实体块>\n    </封装内容>\n  </被签名对象>\n</电子文件封装包>\n")
    part.replace(target)
