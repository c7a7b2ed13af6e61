"""The 竣工图章 (as-built stamp): "竣工图" stamped on a drawing, with who compiled and checked it.

GB/T 50328 requires as-built drawings to carry the stamp, with the contractor (施工单位), the
compiler (编制人), checker (审核人), technical lead (技术负责人), date (编制日期) and the
supervisor's signatures (监理单位, 总监理工程师, 监理工程师). Finding the stamp text tells an
as-built sheet from a construction sheet; the fields are kept when the stamp's text is legible.
"""

from __future__ import annotations

import re

_STAMP = re.compile(r"竣\s*工\s*图(?!\s*(?:纸\s*)?目\s*录)")
_FIELDS = {
    "contractor": r"施\s*工\s*单\s*位",
    "compiled_by": r"编\s*制\s*人",
    "checked_by": r"审\s*核\s*人",
    "technical_lead": r"技\s*术\s*负\s*责\s*人",
    "compiled_on": r"编\s*制\s*日\s*期",
    "supervisor": r"监\s*理\s*单\s*位",
    "chief_supervisor": r"总\s*监(?:\s*理\s*工\s*程\s*师)?",
    "supervising_engineer": r"(?<!总)监\s*理\s*工\s*程\s*师",
}
_VALUE = r"\s*[:：]?\s*(?:\|\s*)?(?P<value>[^\s|:：]{1,40})"


def as_built_stamp(text: str) -> dict[str, str] | None:
    """None when the text has no 竣工图 stamp; else the stamp's fields that have a value."""
    match = _STAMP.search(text)
    if match is None:
        return None
    window = text[max(0, match.start() - 200) : match.end() + 600]
    fields: dict[str, str] = {}
    for key, label in _FIELDS.items():
        found = re.search(label + _VALUE, window)
        if found and not any(re.fullmatch(other, found.group("value")) for other in _FIELDS.values()):
            fields[key] = found.group("value")
    return {"stamp": "竣工图", **fields}
