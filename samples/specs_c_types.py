"""The shape of one look-alike C4–C6 record as data (see ``specs_c`` for the conventions)."""

from __future__ import annotations

from dataclasses import dataclass

Check = tuple[str, str, str] | tuple[str, str, str, int]


@dataclass(frozen=True)
class RecordSpec:
    item: str
    doc_type: str
    titles: tuple[str, ...]
    family: str  # "cert" (maker's certificate), "lab" (testing lab report), "record" (contractor's record)
    subject: str  # sample, system or part
    checks: tuple[Check, ...]
    fmt: str = "pdf"
    prefix: str = "JC"
    basis: str = ""  # standard the readings are judged against
    note: str = ""  # a sentence of method or circumstances
    spec: str = ""  # 规格型号
    maker: str = ""  # 生产厂家
