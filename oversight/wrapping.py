"""Undo the line breaks a PDF puts inside a value: "¥23,\n778,141.12", "¥9\n9,351.34",
"壹仟玖佰壹拾柒万肆仟\n肆佰玖拾元", "2024年5\n月17日".

Text extracted from PDFs is wrapped where the printed line ended, so a figure at the end of a
line arrives in two pieces and a reader sees "23" where the document says 23,778,141.12. The
joined text is what the reader reads; ``Unwrapped.original`` maps each of its positions back to
the stored text, so evidence still points at the passage as stored.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_UPPER = "零壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟万萬亿億元圆角分"
# a newline (with the spaces around it) that falls inside one value
_INSIDE_VALUE = re.compile(
    r"(?<=[,，.¥￥])[ \t]*\n[ \t]*(?=\d)|(?<=\.\d)[ \t]*\n[ \t]*(?=\d(?![\d\s|.]))"  # ¥23,⏎778 / 12.⏎50 / 12.5⏎0
    r"|(?<=\d)[ \t]*\n[ \t]*(?=\d{1,3}(?:[,，]\d{3})*\.\d{2}(?!\d))"  # ¥9⏎9,351.34 (figure with cents)
    r"|(?<=\d)[ \t]*\n[ \t]*(?=\d{0,2}[,，]\d{3})"  # ¥12⏎,864,500 or 1⏎2,864
    rf"|(?<=[{_UPPER}])[ \t]*\n[ \t]*(?=[{_UPPER}])"  # 大写 numerals across lines
    r"|(?<=\d年|\d月)[ \t]*\n[ \t]*(?=\d{1,2}[月日号])"  # dates: 2024年⏎5月17日, 2024年5月⏎17日
    r"|(?<=\d{4})[ \t]*\n[ \t]*(?=年\d)|(?:(?<=年\d)|(?<=年\d\d))[ \t]*\n[ \t]*(?=月\d)"  # 2024⏎年5月 / 2024年5⏎月
    r"|(?:(?<=月\d)|(?<=月\d\d))[ \t]*\n[ \t]*(?=[日号])"  # 2024年5月17⏎日
)


@dataclass(frozen=True)
class Unwrapped:
    text: str
    cuts: tuple[int, ...]  # positions in ``text`` after which characters were removed
    removed: tuple[int, ...]  # characters removed up to and including each cut (cumulative)

    def original(self, position: int) -> int:
        """The stored-text position of ``position`` in the joined text."""
        index = bisect_right(self.cuts, position)
        return position + (self.removed[index - 1] if index else 0)


def unwrap(text: str) -> Unwrapped:
    pieces: list[str] = []
    cuts: list[int] = []
    removed: list[int] = []
    cursor, total = 0, 0
    for match in _INSIDE_VALUE.finditer(text):
        pieces.append(text[cursor : match.start()])
        total += match.end() - match.start()
        cuts.append(match.start() - (total - (match.end() - match.start())))
        removed.append(total)
        cursor = match.end()
    if not cuts:
        return Unwrapped(text, (), ())
    pieces.append(text[cursor:])
    return Unwrapped("".join(pieces), tuple(cuts), tuple(removed))
