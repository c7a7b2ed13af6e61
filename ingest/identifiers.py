"""Document numbers, drawing numbers and drawing revisions.

Three kinds of identifier matter to an archivist: the number a form or contract carries
("编号：JL-2024-031", "表号"), the number of an official document (京发改〔2023〕12号) and the number
of a drawing (结施-03, 场基施II-02). A labelled value always wins. An unlabelled drawing number is
only believed in a drawing's title block, i.e. the first or last few lines, because other documents
cite drawings all the time ("详见结施-05").
"""

from __future__ import annotations

import re

from ingest.labels import find_labelled, label_regex, spaced

TITLE_BLOCK_LINES = 6
MAX_CJK_IN_NUMBER = 12

_NUMBER_LABEL = label_regex(
    r"(?:[\u4e00-\u9fff]{0,6}?)(?:" + "|".join(spaced(w) for w in ("编号", "表号", "文号", "发文字号")) + r")"
)
# Numbers that belong to something other than the document itself.
_FOREIGN_NUMBER_LABELS = (
    "身份证", "证书", "证件", "资质", "试件", "试块", "样品", "桩", "批次", "出厂", "执业", "注册", "岗位证",
    "统一社会信用", "营业执照", "检验批", "构件", "设备", "电话", "账", "卡", "规范", "标准", "规程", "依据", "名称", "图",
)  # fmt: skip
_CODE_LIKE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff〔〕\[\]［］【】()（）\-—_/.#·]{1,40}$")
_GOVERNMENT_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*(?:第\s*)?\d{1,5}\s*号"
)
_DRAWING_LABEL = label_regex(r"图\s*号|图纸编号|图\s*纸\s*号")
_DRAWING_NUMBER = re.compile(
    r"(?<![\u4e00-\u9fffA-Za-z0-9])"
    r"[建结水电暖给排总通空景园道桥装幕消智弱强动热燃基场路绿照规勘]{1,3}施"
    r"\s*(?:[-—－]\s*)?(?:[A-Z]{1,3}|[IVX]{1,4})?\s*[-—－]?\s*\d{1,3}(?:[-—－]\d{1,3})?(?:[(（][0-9\-]{1,7}[)）])?"
    r"(?![0-9A-Za-z])"
)
_REVISION_LABEL = label_regex(r"版\s*本\s*号?|版\s*次|修\s*改\s*版\s*次|修\s*改\s*号|修\s*订\s*号|版\s*号")
_REVISION_VALUE = re.compile(r"^(?:第\s*)?[A-Za-z0-9][A-Za-z0-9./\-]{0,7}(?:\s*版)?$")


def _first_token(value: str) -> str:
    return value.split()[0] if value.split() else value


def _code_value(value: str) -> str | None:
    """The code in a labelled value: its first word, unless the words after it continue the code
    ("DL/T 5161.5", "南宁站[2025]（通知）钦防二线 08号" are single codes; "结施17 结施18" is a list).
    """
    words = value.split()
    if not words:
        return None
    first = words[0]
    if len(words) > 1 and (not re.search(r"\d", first) or words[1][0].isdigit()):
        candidate = " ".join(words)
    else:
        candidate = first
    too_wordy = len(re.findall(r"[\u4e00-\u9fff]", candidate)) > MAX_CJK_IN_NUMBER  # a name, not a code
    if (
        len(candidate) <= 40
        and not too_wordy
        and _CODE_LIKE.match(candidate.replace(" ", ""))
        and re.search(r"\d", candidate)
    ):
        return candidate
    return None


def labelled_number(text: str) -> str | None:
    """The value of the first 编号/表号/文号 label that numbers this document."""
    for found in find_labelled(text, _NUMBER_LABEL):
        if any(word in found.label for word in _FOREIGN_NUMBER_LABELS):
            continue
        code = _code_value(found.value)
        if code:
            return code
    return None


def government_number(text: str) -> str | None:
    """An official document number such as 京发改〔2023〕12号."""
    match = _GOVERNMENT_NUMBER.search(text)
    return re.sub(r"\s+", "", match.group(0)) if match else None


def _title_block(text: str) -> str:
    lines = [line for line in re.split(r"[\n\f]", text) if line.strip()]
    if len(lines) <= 2 * TITLE_BLOCK_LINES:
        return "\n".join(lines)
    return "\n".join(lines[:TITLE_BLOCK_LINES] + lines[-TITLE_BLOCK_LINES:])


def drawing_number(text: str) -> str | None:
    """图号 from its label, else a drawing-number pattern in the title block (first/last lines)."""
    for found in find_labelled(text, _DRAWING_LABEL):
        token = _first_token(found.value)
        if re.search(r"\d", token):
            return token
    match = _DRAWING_NUMBER.search(_title_block(text))
    return re.sub(r"\s+", "", match.group(0)).replace("—", "-").replace("－", "-") if match else None


def revision(text: str) -> str | None:
    """版本/版次/修改号 of a drawing, only from its label."""
    for found in find_labelled(text, _REVISION_LABEL):
        token = _first_token(found.value)
        if _REVISION_VALUE.match(token):
            return token
    return None


def document_number(text: str, drawing: str | None) -> str | None:
    """编号/文号: labelled number, else an official document number, else the drawing number."""
    return labelled_number(text) or government_number(text) or drawing
