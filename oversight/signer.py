"""Who issued a document when no label says so: the organisation in its 落款 (the signature block
above the date at its end, "市发展和改革委员会： 日期：2024年1月26日"), else in its banner (the red
header "市发展和改革委员会文件" on the first line). Used as the ``signer`` fallback of a fact rule.
"""

from __future__ import annotations

import re

from oversight.values import Value

TAIL_LINES = 12
_ORG = r"[\u4e00-\u9fff（）()]{2,30}?(?:委员会|管理局|局|厅|部|政府|中心|站|办公室|办|公司|院|所|处)"
_SIGNATURE = re.compile(rf"^\s*(?:[\u4e00-\u9fff]{{2,6}}[:：]\s*)?(?P<org>{_ORG})(?:[（(]?(?:印章|公章|盖章|章)[)）]?)?\s*(?:[:：]|\s{{2,}}|$|日期|\d{{4}}\s*年)")
_BANNER = re.compile(rf"^\s*(?P<org>{_ORG})(?:文件)?\s*$")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts


def signer(text: str) -> Value | None:
    """The issuing organisation, or None when neither the 落款 nor the banner names one."""
    starts = _line_starts(text)
    lines = text.split("\n")
    for index in range(len(lines) - 1, max(-1, len(lines) - 1 - TAIL_LINES), -1):
        match = _SIGNATURE.match(lines[index])
        if match and ("日期" in lines[index] or re.search(r"\d{4}\s*年", lines[index] + "".join(lines[index + 1 : index + 2]))):
            start = starts[index] + match.start("org")
            return Value(match.group("org"), start, start + len(match.group("org")), match.group("org"))
    if lines:
        match = _BANNER.match(lines[0])
        if match:
            return Value(match.group("org"), match.start("org"), match.end("org"), match.group("org"))
    return None
