"""Read one document's facts: find its kind, then each fact right after one of its labels.

Input is what the catalog holds (title, stored text with form feeds between pages, filing); output
is a ``DocumentFacts`` where every value keeps its page, passage, span and a confidence. Nothing is
guessed: a fact with no label in front of it is absent, except the dates a kind allows to fall
back on (a contract's date is where it is signed, at its end).

Pure and cheap (regexes over the text once per fact rule), so it runs once per document when the
document arrives and its result is stored; views never read text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from oversight.dates import find_dates
from oversight.recognise import OTHER, recognise
from oversight.rules import CompiledRule, CompiledRules
from oversight.signer import signer
from oversight.values import Value, row_values, value_at
from oversight.wrapping import Unwrapped, unwrap
from schemas.oversight import DocumentFacts, Evidence, Fact

EXTRACTOR_VERSION = 2  # bump when reading changes: stored facts of an older version are read again
PASSAGE_CHARS = 160
CONFIDENCE = {"labelled": 0.9, "twin": 0.97, "bare": 0.8, "fallback": 0.6, "pattern": 0.85}
UNLESS_BEFORE_CHARS = 6
SHORT_LABEL = 2  # labels this short count only where a label starts (line, cell, after punctuation)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PENALTY = re.compile(r"违约金|罚款|滞纳金|赔偿|罚金")


@dataclass(frozen=True)
class Source:
    """What the catalog knows of one document."""

    document_id: str
    title: str | None
    text: str
    item_code: str | None = None
    joined: Unwrapped | None = None  # set by read_document when a PDF broke values across lines
    original: str | None = None  # the stored text, when ``text`` is its joined form

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the text read, as a span of the text stored (line breaks inside values put back)."""
        if self.joined is None:
            return start, end
        return self.joined.original(start), self.joined.original(max(start, end - 1)) + 1

    @property
    def stored_text(self) -> str:
        return self.text if self.original is None else self.original


def passage(text: str, start: int, end: int) -> tuple[int, str]:
    """The line around a span (form feeds and newlines end lines), cut to a readable length."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\f", 0, start)) + 1
    stops = [i for i in (text.find("\n", end), text.find("\f", end)) if i >= 0]
    line_end = min(stops) if stops else len(text)
    if line_end - line_start > PASSAGE_CHARS:
        line_start = max(line_start, start - PASSAGE_CHARS // 3)
        line_end = min(line_end, line_start + PASSAGE_CHARS)
    return text.count("\f", 0, start) + 1, text[line_start:line_end].strip()


def _fact(source: Source, rules: CompiledRules, name: str, value: Value, start: int, confidence: float) -> Fact:
    start, end = source.span(start, value.end)
    page, line = passage(source.stored_text, start, end)
    return Fact(
        name=name, label=rules.label(name), type=rules.source.facts[name].type, value=value.value, unit=value.unit, tax=value.tax, raw=value.raw,
        confidence=confidence,
        evidence=Evidence(document_id=source.document_id, page=page, start=start, end=end, passage=line),
    )


def _rest_of_line(text: str, position: int) -> str:
    end = text.find("\n", position)
    return text[position : end if end >= 0 else len(text)]


def _clause(text: str, start: int, end: int) -> str:
    """The sentence around a span (from the last 。；or line break before it to the next one)."""
    before = max(text.rfind(mark, 0, start) for mark in "。；;\n")
    after = [i for i in (text.find(mark, end) for mark in "。；;\n") if i >= 0]
    return text[before + 1 : min(after) if after else len(text)]


def _inside_longer_label(text: str, match: re.Match[str]) -> bool:
    """A two-character label ("日期", "金额") right after other words is the tail of another label:
    "开工日期" is not the document's 日期, "暂列金额" not its 金额.
    """
    label = "".join(match.group(0).split())
    return len(label) <= SHORT_LABEL and match.start() > 0 and bool(_CJK.match(text[match.start() - 1]))


def _labelled(source: Source, compiled: CompiledRule) -> list[tuple[Value, int, bool]]:
    """(value, label start, negative) for every label of the rule followed by a value of its type."""
    found = []
    kind = compiled.definition.type
    text = source.text
    for match in compiled.label_regex.finditer(text):
        if _inside_longer_label(text, match):
            continue
        if compiled.rule.row == "last" and "|" in _rest_of_line(text, match.end()):
            cells = row_values(kind, text, match.end())
            value = cells[-1] if cells else value_at(kind, text, match.end())
        else:
            value = value_at(kind, text, match.end())
        if value is None:
            continue
        if compiled.rule.then and not text.startswith(compiled.rule.then, value.end):
            continue
        if kind == "money" and _PENALTY.search(_clause(text, match.start(), value.end)):
            continue  # "乙方承担合同金额5万元…的违约金": an amount in a penalty clause is not the fact
        label = "".join(match.group(0).split())
        found.append((value, match.start(), label in compiled.negative_labels))
    return found


def _fallback_date(source: Source, how: str) -> Value | None:
    hits = find_dates(source.text)
    if not hits:
        return None
    hit = hits[0] if how == "first" else hits[-1]
    return Value(hit.value, hit.start, hit.end, hit.raw)


def _addressee(source: Source) -> Value | None:
    """The organisation a notice is addressed to: a first-lines "某某有限公司：" on its own."""
    offset = 0
    for line in source.text[:400].splitlines(keepends=True):
        stripped = line.strip()
        if stripped.endswith(("：", ":")) and 4 <= len(stripped) <= 41 and any(
            word in stripped for word in ("公司", "院", "所", "中心", "集团", "单位", "局")
        ):
            start = offset + line.index(stripped)
            return Value(stripped[:-1], start, start + len(stripped) - 1, stripped[:-1])
        offset += len(line)
    return None


def _fallback(source: Source, how: str) -> Value | None:
    if how == "addressee":
        return _addressee(source)
    if how == "signer":
        return signer(source.text)
    return _fallback_date(source, how)


def _read_rule(source: Source, rules: CompiledRules, compiled: CompiledRule) -> tuple[list[Fact], list[str]]:
    facts: list[Fact] = []
    problems: list[str] = []
    if compiled.definition.type == "pattern":
        return _patterns(source, rules, compiled.fact), problems
    hits = _labelled(source, compiled) if compiled.label_regex else []
    for value, _, _ in hits[1:]:  # later mentions are not kept, but a 大写 that disagrees is still said
        if value.twin is not None and abs(value.twin - float(value.value)) > 0.005:
            problems.append(f"{rules.label(compiled.fact)}：小写 {value.value:,.2f} 与大写 {value.twin:,.2f} 不一致")
    for value, start, negative in hits[:1]:  # one value per fact and document: the first labelled one
        if negative and isinstance(value.value, float):
            value = Value(-abs(value.value), value.start, value.end, value.raw, value.unit, value.tax,
                          -abs(value.twin) if value.twin is not None else None, value.bare)
        confidence = CONFIDENCE["bare"] if value.bare else CONFIDENCE["labelled"]
        if value.twin is not None:
            if abs(value.twin - float(value.value)) > 0.005:
                problems.append(f"{rules.label(compiled.fact)}：小写 {value.value:,.2f} 与大写 {value.twin:,.2f} 不一致")
            else:
                confidence = CONFIDENCE["twin"]
        facts.append(_fact(source, rules, compiled.fact, value, start, confidence))
    if not facts and compiled.rule.fallback:
        value = _fallback(source, compiled.rule.fallback)
        if value is not None:
            facts.append(_fact(source, rules, compiled.fact, value, value.start, CONFIDENCE["fallback"]))
    return facts, problems


def _patterns(source: Source, rules: CompiledRules, name: str) -> list[Fact]:
    regexes, unless = rules.patterns[name]
    facts: list[Fact] = []
    seen: set[str] = set()
    for regex in regexes:
        for match in regex.finditer(source.text):
            before = source.text[max(0, match.start() - UNLESS_BEFORE_CHARS) : match.start()]
            if any(word in before for word in unless) or match.group(0) in seen:
                continue
            seen.add(match.group(0))
            value = Value(match.group(0), match.start(), match.end(), match.group(0))
            facts.append(_fact(source, rules, name, value, match.start(), CONFIDENCE["pattern"]))
    return facts


def read_document(source: Source, rules: CompiledRules) -> DocumentFacts:
    """The document's kind and every fact its kind's rules find, in rule order then text order."""
    joined = unwrap(source.text)
    if joined.cuts:
        source = Source(source.document_id, source.title, joined.text, source.item_code, joined, source.text)
    found = recognise(rules, source.title, source.text, source.item_code)
    if found.kind is None:
        return DocumentFacts(document_id=source.document_id, title=source.title, kind=OTHER, kind_name="其他")
    facts: list[Fact] = []
    problems: list[str] = []
    for compiled in found.kind.rules:
        got, issues = _read_rule(source, rules, compiled)
        facts.extend(got)
        problems.extend(issues)
    definition = found.kind.definition
    dated = next((f.value for f in facts if f.name == definition.date_fact and isinstance(f.value, date)), None)
    return DocumentFacts(
        document_id=source.document_id, title=source.title, kind=definition.id, kind_name=definition.name,
        contract_type=found.contract_type, date=dated, facts=facts, inconsistencies=problems,
    )
