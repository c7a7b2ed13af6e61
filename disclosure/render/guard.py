"""The last check before a package leaves: every text in every file (HTML text, XLSX cells, JSON
strings) is searched again for personal data, and for every value the redactor hid. A package in
which anything is found is refused, naming the file and the kind of datum — never the datum.

Only the number finders run here (ID, mobile, bank account), plus the hidden values literally: the
address and name finders work from labels, and the package's own notes name those labels.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser

from openpyxl import load_workbook

from disclosure.detectors import find_bank_accounts, find_ids, find_mobiles
from disclosure.redaction_rules import RedactionRules


class LeakFound(ValueError):
    """Personal data would leave in a package; ``findings`` are (file, kind name) pairs."""

    def __init__(self, findings: list[tuple[str, str]]) -> None:
        self.findings = findings
        listed = "；".join(f"{name}：{kind}" for name, kind in findings[:10])
        super().__init__(f"公开包中仍有个人信息，已拒绝生成（{listed}）")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(value for _name, value in attrs if value)


def html_text(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    return "\n".join(parser.parts)


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if value is not None]
    book.close()
    return "\n".join(cells)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)
    elif value is not None:
        yield str(value)


def json_text(data: bytes) -> str:
    return "\n".join(_strings(json.loads(data.decode("utf-8"))))


READERS = {".html": html_text, ".xlsx": xlsx_text, ".json": json_text}


def check_clean(files: dict[str, bytes], hidden: set[str], rules: RedactionRules, today: date) -> None:
    """Raise ``LeakFound`` if any file still holds personal data or a hidden value."""
    findings: list[tuple[str, str]] = []
    for name, data in files.items():
        reader = next((read for suffix, read in READERS.items() if name.endswith(suffix)), None)
        if reader is None:
            continue
        text = reader(data)
        kinds = {f.kind for f in (*find_ids(text, today), *find_mobiles(text), *find_bank_accounts(text, rules))
                 if f.kind != "id_suspect"}
        kinds |= {"hidden" for value in hidden if value in text}
        findings += [(name, rules.kind_name(kind) if kind != "hidden" else "已隐去的内容") for kind in sorted(kinds)]
    if findings:
        raise LeakFound(findings)
