"""A streaming scan of one XML part: no DTD, no entity, bounded element count and depth.

Office Open XML and OFD never carry a DOCTYPE: one in a part is an external-entity (XXE) or an
entity-expansion (billion laughs) attack, refused before any parser that might honour it sees
the part. Element count and depth are counted as the bytes stream through expat, so a part that
would become a tree of 150 million nodes is refused after reading its first few million, in
bounded memory. Expat here never loads a DTD or resolves an entity.
"""

from __future__ import annotations

import xml.parsers.expat as expat

from ingest.failures import ConversionError
from ingest.guards.limits import LIMITS, Limits
from schemas.ingest import QuarantineCode

DTD_REASON = ("的 {part} 含有 DTD/实体声明（<!DOCTYPE …>），正常的 Office/OFD 文件不会这样写："
              "可能是外部实体（XXE）或实体膨胀攻击，已拒绝读取")


class XmlScan:
    """Feed a part's bytes in chunks; raises ConversionError as soon as a limit is passed."""

    def __init__(self, part: str, limits: Limits = LIMITS, count: bool = True) -> None:
        self.part = part
        self.elements = 0
        self._depth = 0
        self._limits = limits
        self._parser = expat.ParserCreate()
        self._parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser.StartDoctypeDeclHandler = self._doctype
        self._parser.EntityDeclHandler = self._entity
        if count:
            self._parser.StartElementHandler = self._start
            self._parser.EndElementHandler = self._end
        self._broken = False

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self._broken:
            return
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError:
            # Malformed XML is the reader's to report (it may recover); only our limits refuse here.
            self._broken = True

    def _doctype(self, *_args: object) -> None:
        raise ConversionError(QuarantineCode.CORRUPT, DTD_REASON.format(part=self.part))

    def _entity(self, *_args: object) -> None:
        raise ConversionError(QuarantineCode.CORRUPT, DTD_REASON.format(part=self.part))

    def _start(self, _name: str, _attrs: object) -> None:
        self.elements += 1
        self._depth += 1
        if self.elements > self._limits.xml_elements:
            raise ConversionError(QuarantineCode.TOO_LARGE, (
                f"的 {self.part} 有超过 {self._limits.xml_elements:,} 个 XML 元素，读入内存会耗尽内存"
                "（元素炸弹），已拒绝读取"))
        if self._depth > self._limits.xml_depth:
            raise ConversionError(QuarantineCode.CORRUPT, (
                f"的 {self.part} 中 XML 元素嵌套超过 {self._limits.xml_depth} 层，不是正常文件，已拒绝读取"))

    def _end(self, _name: str) -> None:
        self._depth -= 1


def scan_xml(data: bytes, part: str, limits: Limits = LIMITS) -> None:
    """Scan one whole XML document held in memory (a WordML .doc)."""
    scan = XmlScan(part, limits)
    for start in range(0, len(data), 1 << 20):
        scan.feed(data[start:start + (1 << 20)])
    scan.feed(b"", final=True)
