"""The document's own title, read from its first lines (not its file name).

Construction forms and official documents name themselves in a short heading near the top:
"土方开挖检验批质量验收记录", "设计变更通知单", "关于印发《…》的通知". Such a heading is a short line
without a label colon that ends with a document-kind word (记录, 表, 单, 报告, 通知书, 方案, …).
Headings are often letter-spaced to fill the width ("监 理 日 志"); the spaces are removed, and a
form number before them ("表A.1") or an English translation after them is dropped. A drawing prints
its title last, in the title block, so the last lines are searched too. When no line qualifies,
the title stored in the file's properties is used if it looks like a real title (not "布局1" or
"Microsoft Word - 文档1"), and otherwise the first meaningful line.
"""

from __future__ import annotations

import re

from ingest.labels import KNOWN_LABELS
from ingest.sources import CELL_SEPARATOR, SHEET_HEADING_PREFIX

SEARCH_LINES = 15
TAIL_SEARCH_LINES = 30
MIN_TITLE_CHARS, MAX_TITLE_CHARS = 4, 50
FALLBACK_MAX_CHARS = 60

TITLE_ENDINGS = (
    "记录", "记录表", "表", "单", "报告", "报告书", "通知书", "通知", "通报", "方案", "规划", "细则", "合同",
    "协议", "协议书", "证", "证书", "证明", "图", "书", "函", "批复", "决定", "意见", "纪要", "日志", "计划",
    "清单", "目录", "说明", "办法", "规定", "制度", "申请", "签证", "指令", "台账", "大纲", "文件", "公告",
    "公示", "交底", "大事记", "鉴定", "评估", "请示", "须知", "手册", "汇总", "标准", "规范", "报审", "报验", "记要",
    "设计", "令",
)  # fmt: skip
# An organisation's name often stands above the title; it is not part of it.
ORGANISATION_ENDINGS = ("公司", "集团", "局", "院", "所", "部", "中心", "委员会", "政府", "办公室", "站", "厅", "处")  # fmt: skip
MAX_JOINED_PREFIX = 40
_SPACE_NEAR_CJK = re.compile(r"(?<=[\u4e00-\u9fff（）《》])\s+|\s+(?=[\u4e00-\u9fff（）《》])")
_TRAILING_BRACKETS = re.compile(r"\s*[(（【\[][^()（）【】\[\]]{0,20}[)）】\]]\s*$")
_LEADING_NUMBERING = re.compile(
    r"^(?:\d+(?:\.\d+)*|[一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+[章节条])"
)
_FORM_CODE_PREFIX = re.compile(r"^附?表\s*(?:[A-Z](?:[.\-]?\d+)*|\d+(?:[.\-]\d+)*)(?![\dA-Za-z])\s*")
# Labels that announce the title itself (图名, 图纸名称, 文件名称, 标题, 题名), followed by a value.
_TITLE_LABEL = re.compile(r"^(?:图\s*纸?\s*名\s*称?|文\s*件\s*名\s*称|标\s*题|题\s*名)\s*[:：]?\s*(?=\S)")
_CODE_CELL = re.compile(r"^[\s(（]*[A-Za-z0-9.\-_/]+[)）\s]*$")
_TRAILING_TRANSLATION = re.compile(r"(?<=[\u4e00-\u9fff）)])\s*[A-Za-z][A-Za-z\s\-'&,./]*$")
# A line naming the form set a form comes from, or ending in its number ("统编 施2020-77", "用表 C5-1").
_FORM_SET_LINE = re.compile(r"(?:统编|统一用表|用表|表式)|[A-Za-z\u4e00-\u9fff]-?\d+(?:[.\-]\d+)*[a-z]?$")
_PAGE_MARKER = re.compile(r"^(?:第\s*\d+\s*页|共\s*\d+\s*页)")
_EMBEDDED_JUNK = re.compile(
    r"^(?:microsoft\s|untitled|无标题|文档\d*$|sheet\d*$|book\d*$|工作簿\d*$|布局\d*$|layout\d*$|model$|模型$)",
    re.IGNORECASE,
)


def _compact(line: str) -> str:
    """A heading with letter-spacing removed: "监 理 日 志" → "监理日志", "2019 年" → "2019年"."""
    return _SPACE_NEAR_CJK.sub("", line.strip())


def _strip_form_code(cell: str) -> str:
    """Drop a leading form number ("表A.1", "表3.0.12-3") or a title label with its value on the same line.

    The form number is printed above many forms. A drawing's title block often puts its label and
    value in one text run, "图名 一层平面图": the label says "this is the title", it is not part of it.
    """
    return _TITLE_LABEL.sub("", _FORM_CODE_PREFIX.sub("", cell, count=1), count=1)


def _row_heading(line: str) -> str | None:
    """The heading a table row can carry: one cell that is a title, or short cells that spell one
    ("主体工程 | 分部 | （子分部） | 工程质量验收记录"). Form-number and code cells are skipped.
    """
    cells = [_strip_form_code(cell.strip()) for cell in line.split(CELL_SEPARATOR.strip())]
    cells = [cell for cell in cells if cell and not _CODE_CELL.match(cell)]
    if 1 < len(cells) <= 5 and not any(_compact(cell) in KNOWN_LABELS for cell in cells):
        joined = "".join(_compact(cell) for cell in cells)
        if looks_like_title(joined):
            return joined
    for cell in cells:
        if looks_like_title(cell):
            return cell
    return None


def _candidate_lines(text: str) -> list[str]:
    """Stripped lines that could hold the title, blank lines kept as "" (a title only continues
    the line directly above it); sheet headings and page markers are left out.
    """
    return [
        line
        for raw in re.split(r"[\n\f]", text)
        if not (line := raw.strip()).startswith(SHEET_HEADING_PREFIX) and not _PAGE_MARKER.match(line)
    ]


def _heading_of(line: str) -> str | None:
    if CELL_SEPARATOR.strip() in line:
        return _row_heading(line)
    return line if looks_like_title(line) else None


def _only_labels(line: str) -> bool:
    """True for lines such as "专 业 签 字 专 业" that are nothing but form labels."""
    rest = _compact(line)
    for label in sorted(KNOWN_LABELS, key=len, reverse=True):
        rest = rest.replace(label, "")
    return not re.search(r"[\u4e00-\u9fff]", rest)


def looks_like_title(line: str) -> bool:
    """A short heading that ends with a document-kind word and is not a label or a sentence."""
    compact = _TRAILING_TRANSLATION.sub("", _strip_form_code(_compact(line)))
    if not MIN_TITLE_CHARS <= len(compact) <= MAX_TITLE_CHARS:
        return False
    if any(mark in compact for mark in ("：", ":", "|", "。", "；")) or _LEADING_NUMBERING.match(compact):
        return False
    if len(re.findall(r"[\u4e00-\u9fff]", compact)) < 3:
        return False
    core = _TRAILING_BRACKETS.sub("", compact)
    if core.endswith("文件") and core[:-2].endswith(ORGANISATION_ENDINGS):
        return False  # "北京市发展和改革委员会文件" is the issuer's letterhead, not the title
    return core.endswith(TITLE_ENDINGS)


def _title_prefix(line: str) -> str | None:
    """A line above a bare title ("实施方案") that is the first half of it, if it can be."""
    compact = _compact(line)
    if any(mark in compact for mark in ("：", ":", "|", "。")) or _LEADING_NUMBERING.match(compact):
        return None
    if len(re.findall(r"[\u4e00-\u9fff]", compact)) < 4 or len(compact) > MAX_JOINED_PREFIX:
        return None
    if _FORM_SET_LINE.search(compact):
        return None  # "某省统一用表 施-31": the form set and number printed above the title
    if (
        compact.endswith(ORGANISATION_ENDINGS)
        or compact.startswith(KNOWN_LABELS)
        or looks_like_title(compact)
    ):
        return None
    return compact


def _usable_embedded_title(embedded: str | None) -> str | None:
    if not embedded:
        return None
    embedded = embedded.strip()
    if _EMBEDDED_JUNK.match(embedded) or not re.search(r"[\u4e00-\u9fff]{2,}", embedded):
        return None
    return embedded


def _title_at(lines: list[str], index: int) -> str | None:
    """The title if lines[index] is a heading, joined with the line above when it is its first half."""
    heading = _heading_of(lines[index]) if lines[index] else None
    if heading is None:
        return None
    title = _clean_title(heading)
    if len(title) <= 8 and index > 0 and lines[index - 1] and CELL_SEPARATOR.strip() not in lines[index - 1]:
        prefix = _title_prefix(lines[index - 1])
        if prefix:
            title = prefix + title
    return title


def _clean_title(heading: str) -> str:
    """A heading without letter-spacing, form number or trailing English translation."""
    return _TRAILING_TRANSLATION.sub("", _strip_form_code(_compact(heading))).strip()


def find_title(text: str, embedded_title: str | None = None) -> str | None:
    """The document's own title; None only when the text has no meaningful line at all.

    Order: a heading among the first lines; a heading among the last lines (a drawing's title
    block is printed last); the title in the file's properties; the first meaningful line.
    """
    lines = _candidate_lines(text)
    filled = [index for index, line in enumerate(lines) if line]
    head, tail = filled[:SEARCH_LINES], filled[SEARCH_LINES:][-TAIL_SEARCH_LINES:]
    for index in head + tail:
        title = _title_at(lines, index)
        if title:
            return title
    embedded = _usable_embedded_title(embedded_title)
    if embedded:
        return embedded
    meaningful = [
        lines[index]
        for index in head
        if re.search(r"[\u4e00-\u9fff]{2,}", lines[index]) and not _only_labels(lines[index])
    ]
    # Prefer a line that is not a "label：value" pair; a form with nothing else gets its first pair.
    unlabelled = [line for line in meaningful if not re.search(r"[:：]", line)]
    for line in unlabelled or meaningful:
        compact = _compact(line)
        return compact if len(compact) <= FALLBACK_MAX_CHARS else compact[:FALLBACK_MAX_CHARS] + "…"
    return None
