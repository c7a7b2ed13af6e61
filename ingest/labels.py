"""Reading "label：value" pairs out of Chinese forms, in running text and in table rows.

Forms put the label and its value either on one line ("工程名称：某某工程  施工单位：某某公司") or
in neighbouring table cells, which the converters write as "工程名称 | 某某工程 | 施工单位 | 某某公司".
Labels are often spaced out to fill a cell ("工 程 名 称") and often carry a note in brackets
("施工单位（盖章）："). The value ends at the next cell, a wide gap, or where the next label starts.
A value that is empty, a placeholder ("/", "____", "年 月 日") or itself a label is not a value:
nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Labels that commonly follow a value on the same line; used to cut "某某公司 项目经理：张三".
KNOWN_LABELS = (
    "工程名称", "项目名称", "工程地点", "建设地点", "建设单位", "设计单位", "施工单位", "监理单位", "勘察单位",
    "分包单位", "检测单位", "总承包单位", "项目经理", "项目负责人", "技术负责人", "总监理工程师",
    "专业监理工程师", "负责人", "法定代表人", "委托代理人", "联系人", "联系电话", "电话", "地址", "编号",
    "表号", "文号", "日期", "时间", "图号", "版本", "比例", "专业", "部位", "结论", "签字", "签名", "盖章",
    "金额", "合同价", "工期", "开工日期", "竣工日期", "致", "主送", "抄送", "附件", "第", "共", "编写人",
    "编制人", "审核人", "审批人", "批准人", "校核人", "复核人", "校对", "设计人", "审定人", "专业负责人",
)  # fmt: skip
_PLACEHOLDERS = frozenset(
    {"无", "/", "略", "见附件", "详见附件", "年月日", "年 月 日", "签字", "盖章", "（盖章）", "(盖章)"}
)

_BRACKETED = r"(?:[(（][^()（）\n]{0,12}[)）])"
_SEPARATOR = r"(?:\s*[:：]\s*(?:\|\s*)?|\s*\|\s*)"  # "：", " | " or "： | " (label cell ends with a colon)
_KNOWN_LABEL_TAIL = re.compile(
    r"(?:"
    + "|".join(sorted((r"\s*".join(label) for label in KNOWN_LABELS), key=len, reverse=True))
    + r")"
    + r"\s*"
    + _BRACKETED
    + r"?\s*$"
)
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[章签字][^()（）]*[)）]\s*$")
_JUNK_ONLY = re.compile(r"^[\s_\-—–/\\.。…·:：|*＿]*$")
# Template placeholders: "{{项目名称}}", "XX工程", "××公司".
_TEMPLATE_PLACEHOLDER = re.compile(r"\{\{|\}\}|XX|××|＿{2,}|_{2,}")
_UNBALANCED_CLOSING = re.compile(r"^(?P<body>[^(（\[［【〔]*)[)）\]］】〕]$")


@dataclass(frozen=True)
class LabelledValue:
    label: str
    value: str
    start: int  # offset of the label in the text


def spaced(word: str) -> str:
    """Regex for a label whose characters may be spread out with spaces: 工程名称 → 工\\s*程\\s*名\\s*称."""
    return r"\s*".join(re.escape(ch) for ch in word)


def label_regex(label_pattern: str) -> re.Pattern[str]:
    """Compile "label [（note）] ：|| value" for a label pattern; the value runs to the end of its cell."""
    # The value is read in a lookahead so that a second label inside it ("… 施工单位：…") is
    # still found by the next finditer step.
    return re.compile(
        r"(?P<label>" + label_pattern + r")\s*" + _BRACKETED + r"?" + _SEPARATOR + r"(?=(?P<value>[^\n|]*))"
    )


def trim_value(raw: str) -> str | None:
    """The value part of the text after a label, or None when there is no real value."""
    value = raw.strip()
    colon = re.search(r"[:：]", value)
    if colon:
        head = value[: colon.start()].rstrip()
        tail_label = _KNOWN_LABEL_TAIL.search(head)
        if tail_label:
            head = head[: tail_label.start()]
        elif re.search(r"\s", head):
            head = head.rsplit(None, 1)[0]
        else:
            head = ""  # "xxx：" with no way to tell value from the next label
        value = head.strip()
    value = re.split(r"\s{2,}", value, maxsplit=1)[0]
    value = _TRAILING_NOTE.sub("", value).strip(" ，,;；。、")
    value = _strip_unbalanced_closing(value)
    if not value or _JUNK_ONLY.match(value) or value.replace(" ", "") in _PLACEHOLDERS:
        return None
    if _TEMPLATE_PLACEHOLDER.search(value):
        return None
    compact = re.sub(r"\s+", "", value)
    if compact in KNOWN_LABELS or _KNOWN_LABEL_TAIL.fullmatch(value):
        return None
    if not any(ch.isalnum() for ch in value):
        return None
    return value


def _strip_unbalanced_closing(value: str) -> str:
    """Drop a closing bracket that closes something opened before the label: "(编号：A-1)" → "A-1"."""
    match = _UNBALANCED_CLOSING.match(value)
    return match.group("body").strip() if match else value


def find_labelled(text: str, pattern: re.Pattern[str]) -> list[LabelledValue]:
    """Every label occurrence with a real value, in text order."""
    found = []
    for match in pattern.finditer(text):
        value = trim_value(match.group("value"))
        if value is not None:
            label = re.sub(r"\s+", "", match.group("label"))
            found.append(LabelledValue(label=label, value=value, start=match.start()))
    return found


def preceding_label(text: str, start: int, max_chars: int = 24) -> str:
    """The text just before ``start`` on the same line, ending with the label if there is one.

    Separators, bracketed notes ("（大写）", "（元）"), currency words and spaces are peeled off.
    """
    window = text[max(0, start - max_chars) : start]
    window = window[max(window.rfind("\n"), window.rfind("\f")) + 1 :]  # the same line only
    previous = None
    while window != previous:
        previous = window
        window = window.rstrip(" \t:：|=")
        window = re.sub(_BRACKETED + r"$", "", window)
        for word in ("人民币", "RMB", "小写", "大写", "为", "计", "约", "共"):
            window = window.removesuffix(word)
    return re.sub(r"\s+", "", window)
