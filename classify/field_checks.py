"""Per-document field completeness (standards.md §4, §5.3): is each field and signature FILLED?

Each document type in the taxonomy lists ``fields`` (编号, 日期, 工程名称, …) and ``sign`` (the
parties who sign or seal). An inspector does not ask whether the form prints the label 「总监理工程师」
— every blank form does — but whether a name stands after it. So each slot is looked up by its
labels (``classify/data/fields.yaml``) and its value read: a value for a field, a date that parses
for a date, a name for a signature, text under a heading for a section. A slot whose label is
missing and one whose label is left blank are both findings for the archivist, never a reason to
refuse or re-file the document.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from classify.taxonomy import TaxonomyError
from schemas.completeness import FieldKind, FieldRule, FieldRules, FiledDocument, Finding
from schemas.taxonomy import DocType, Taxonomy

logger = logging.getLogger(__name__)

SHIPPED_RESOURCE = "fields.yaml"
VALUE_WINDOW = 40  # a value stands right after its label, not a paragraph later
_CELL = "|"
_LEADING = re.compile(r"^[\s:：|·.、)）]*")
_NOTE = re.compile(r"^[（(][^（）()]{0,16}[)）]")  # （签字）（盖章）（审批） right after a role
_SIGN_WORDS = re.compile(r"^(签字|签名|签章|盖章|签发|签收人?)[:：]?")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}|^[A-Za-z][A-Za-z .]{1,30}")
_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_DESCRIPTIVE = re.compile(r"[（()）/A-Za-z]")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]|第.{1,3}[章节])")
_CONCLUSIONS = ("检查结论", "验收结论", "检测结论", "检验结论", "试验结论", "审查结论", "复查结论", "结论")


@dataclass(frozen=True)
class Slot:
    """One field or signature of a document type, resolved against the vocabulary."""

    name: str
    labels: tuple[str, ...]
    kind: FieldKind
    extracted: str | None
    title_pattern: re.Pattern[str] | None = None
    only_if_title: re.Pattern[str] | None = None


def load_field_rules(override: str | Path | None = None) -> FieldRules:
    """The shipped vocabulary with a locality's ``fields`` block (fields / signatures replaced by name)."""
    text = resources.files("classify").joinpath("data", SHIPPED_RESOURCE).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    source = "(shipped field vocabulary)"
    if override is not None:
        block = (yaml.safe_load(Path(override).read_text(encoding="utf-8")) or {}).get("fields")
        if isinstance(block, dict):
            for key in ("fields", "signatures"):
                raw[key] = {**raw.get(key, {}), **(block.get(key) or {})}
            source = f"{source} + {override}"
    try:
        return FieldRules.model_validate(raw)
    except ValidationError as exc:
        raise TaxonomyError(source, [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]) from None


def vocabulary_problems(taxonomy: Taxonomy, rules: FieldRules) -> list[str]:
    """Field or signature names that are descriptions (brackets, slashes, Latin) but have no entry."""
    problems = []
    for _, _, doc_type in taxonomy.doc_types():
        problems += [f"doc type {doc_type.name}: field {name!r} needs an entry in fields.yaml"
                     for name in doc_type.fields if name not in rules.fields and _DESCRIPTIVE.search(name)]
        problems += [f"doc type {doc_type.name}: signature {name!r} needs an entry in fields.yaml"
                     for name in doc_type.sign if name not in rules.signatures and _DESCRIPTIVE.search(name)]
    return sorted(set(problems))


def doc_types_by_name(taxonomy: Taxonomy) -> dict[str, DocType]:
    return {doc_type.name: doc_type for _, _, doc_type in taxonomy.doc_types()}


class FieldChecker:
    """Checks filed documents against the fields and signatures their document type must carry."""

    def __init__(self, taxonomy: Taxonomy, rules: FieldRules) -> None:
        self.types = doc_types_by_name(taxonomy)
        self.rules = rules
        self.placeholders = set(rules.placeholders)
        self.all_labels = {label for r in (*rules.fields.values(), *rules.signatures.values()) for label in r.labels}
        self.all_labels |= set(rules.fields) | set(rules.signatures) | {"日期", "签字", "盖章"}

    def slot(self, name: str, signature: bool) -> Slot:
        rule = (self.rules.signatures if signature else self.rules.fields).get(name, FieldRule())
        kind: FieldKind = rule.kind or ("seal" if name.endswith(("印章", "公章")) else "person" if signature else "value")
        labels = rule.labels or ((*self.rules.seal_marks,) if kind == "seal" else (name,))
        return Slot(name, tuple(_norm(label) for label in labels), kind, rule.extracted,
                    re.compile(rule.title_pattern) if rule.title_pattern else None,
                    re.compile(rule.only_if_title) if rule.only_if_title else None)

    def check(self, documents: list[FiledDocument]) -> list[Finding]:
        findings = []
        for document in documents:
            doc_type = self.types.get(document.doc_type or "")
            if doc_type is None or document.status != "processed":
                continue
            lines = [_norm(line) for line in document.text.splitlines() if line.strip()]
            title = _norm(document.title or "")
            shown = document.title or document.original_name
            absent, blank = [], []
            for name in doc_type.fields:
                state = self.state(self.slot(name, False), lines, title, document.fields)
                (absent if state == "absent" else blank if state == "blank" else []).append(name)
            unsigned, unsigned_blank = [], []
            for name in doc_type.sign:
                state = self.state(self.slot(name, True), lines, title, document.fields)
                (unsigned if state == "absent" else unsigned_blank if state == "blank" else []).append(name)
            for check, names, wording in (
                ("fields", absent, "缺少栏目"),
                ("fields", blank, "栏目未填"),
                ("signatures", unsigned, "未见签署/盖章栏"),
                ("signatures", unsigned_blank, "签署栏空白（未签字/盖章）"),
            ):
                if names:
                    findings.append(Finding(check=check, document_id=document.id,
                                            message=f"《{shown}》{wording}：{'、'.join(names)}"))
            if self._conclusion_left_blank(lines):
                findings.append(Finding(check="conclusion", document_id=document.id,
                                        message=f"《{shown}》结论栏为空"))
        return findings

    # --- one slot -------------------------------------------------------------------------------
    def state(self, slot: Slot, lines: list[str], title: str, extracted: dict[str, object]) -> str:
        """``filled`` | ``blank`` (label there, nothing after it) | ``absent`` (no label at all)."""
        if slot.extracted and extracted.get(slot.extracted):
            return "filled"
        if slot.only_if_title and not slot.only_if_title.search(title):
            return "filled"  # not asked of this document
        if slot.title_pattern and slot.title_pattern.search(title):
            return "filled"
        seen = False
        for index, line in enumerate(lines):
            for label in slot.labels:
                start = line.find(label)
                while start >= 0:
                    seen = True
                    after = line[start + len(label):]
                    following = lines[index + 1] if index + 1 < len(lines) else ""
                    if self._filled(slot.kind, label, after, following):
                        return "filled"
                    start = line.find(label, start + 1)
        return "blank" if seen else "absent"

    def _filled(self, kind: FieldKind, label: str, after: str, following: str) -> bool:
        if kind == "seal":
            return not re.match(r"^\s*[:：]\s*(_+|＿+)?\s*$", after)
        value = self._value(after)
        if kind == "date":
            return _parses(_DATE, after[:VALUE_WINDOW])
        if kind == "month":
            return _parses(_MONTH, after[:VALUE_WINDOW], day=False)
        if kind == "section":
            rest = _LEADING.sub("", after)
            return len(rest) >= 2 or (not rest and len(following) >= 4 and not self._is_label_row(following))
        if kind == "person":
            return self._is_name(value)
        return not self._is_placeholder(value) and not self._is_label(value)

    def _value(self, after: str) -> str:
        """What stands after a label: notes such as （签字） and separators skipped, up to the next cell."""
        text = after
        for _ in range(3):
            text = _LEADING.sub("", text)
            text = _NOTE.sub("", text)
            text = _SIGN_WORDS.sub("", text)
        text = _LEADING.sub("", text)
        cell = text.split(_CELL, 1)[0].strip()
        return cell.split(" ", 1)[0].strip() if cell else ""

    def _is_name(self, value: str) -> bool:
        if self._is_placeholder(value):
            return False
        return bool(_NAME.match(value)) and not self._is_label(value)

    def _is_placeholder(self, value: str) -> bool:
        """Empty, a run of underscores or dashes, or a word such as （空） standing in for a value."""
        return not value.strip("_/-—－ ") or value in self.placeholders

    def _is_label(self, value: str) -> bool:
        """The "value" is the next slot's label (日期：, 签字) — the slot before it was left blank."""
        head = re.split(r"[:(]", value, maxsplit=1)[0]
        return value in self.all_labels or head in self.all_labels

    def _is_label_row(self, line: str) -> bool:
        cells = [c.strip() for c in line.split(_CELL) if c.strip()]
        return len(cells) > 1 and all(c in self.all_labels for c in cells)

    def _conclusion_left_blank(self, lines: list[str]) -> bool:
        """A conclusion label with nothing after it (nor under it, when it is a heading), and no
        filled conclusion anywhere in the document. Table header rows (…| 验收结论) are not slots.
        """
        found_blank = False
        for index, line in enumerate(lines):
            if self._is_label_row(line) or (line.count(" ") >= 3 and not re.search(r"[:：]", line)):
                continue
            for label in _CONCLUSIONS:
                start = line.find(label)
                if start < 0:
                    continue
                rest = line[start + len(label):]
                value = self._value(rest)
                following = lines[index + 1] if index + 1 < len(lines) else ""
                if (not value and ":" not in rest and len(following) >= 4 and not self._is_label_row(following)
                        and not _HEADING.match(following)):
                    value = following  # 「三、检查结论」 as a heading, the text under it
                if value and not self._is_placeholder(value):
                    return False
                if not value:
                    found_blank = True
                break
        return found_blank


def check_fields(documents: list[FiledDocument], taxonomy: Taxonomy, rules: FieldRules | None = None) -> list[Finding]:
    """Findings for every filed document whose type lists fields or signatures."""
    return FieldChecker(taxonomy, rules or load_field_rules()).check(documents)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ")


def _parses(pattern: re.Pattern[str], text: str, day: bool = True) -> bool:
    for match in pattern.finditer(text):
        try:
            date(int(match.group(1)), int(match.group(2)), int(match.group(3)) if day else 1)
        except ValueError:
            continue
        return True
    return False
