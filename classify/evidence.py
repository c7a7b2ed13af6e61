"""Collect evidence: which document types a text names, and where.

Position is weight. A phrase in the explicit title counts fully; the first short line that names a
document type is taken as the title when none was given; later heading lines count a little under half; running
text counts little however often a phrase repeats (a 隐蔽工程验收记录 citing a 设计变更 as its
basis is still a 隐蔽工程验收记录). Form structure — the set of field labels or section headings
typical of a type — is medium evidence for documents whose title was not read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from classify.matching import LONG_KEYWORD_STRENGTH, CompiledTaxonomy, Target
from classify.text import Zones

TITLE_WEIGHT = 1.0
TITLE_LINE_WEIGHT = 0.95
LATE_TITLE_WEIGHT = 0.5  # a title line behind a cover or task sheet: half a title, reviewed
HEAD_WEIGHT = 0.45  # below the usual review threshold: a heading line alone never files without review
BODY_WEIGHT, BODY_STEP, BODY_CAP = 0.15, 0.03, 0.3
MARKER_WEIGHT, MARKER_STEP, MARKER_CAP = 0.45, 0.03, 0.6
BODY_PATTERN_WEIGHT = 0.45
PROSE_SENTENCES = 20  # a text with this many full stops is a report, not a form
PROSE_MIN_MARKERS = 3  # in a report, one or two familiar labels are not a form's structure
LENGTH_BONUS, LENGTH_BONUS_CAP = 0.002, 0.03  # the longer (more specific) of two equal hits wins

HEAD_NOUN_BONUS = 0.04  # a Chinese title ends with its head noun: …张拉记录 outweighs 预应力筋…
# (第3号), (2024年5月), trailing numbers. One digit per repetition: ``(…|\d+)+$`` backtracked
# through every split of a digit run that is not at the end (2^n steps: 1 s for 22 digits), on
# every title-like line of every document.
_TRAILING_REMARK = re.compile(r"(?:\([^()]*\)|\d)+$")

SHORT_TITLE_CHARS = 30  # a keyword makes a title only in a line this short
SUBCLASS_HINT = 0.9  # a folder named after a sub-class (C2 施工技术文件) is a deliberate filing

TITLE_ZONES = frozenset({"title", "title_line"})


@dataclass(frozen=True)
class Evidence:
    """One hit: where it files, how much it weighs, and what was seen where (for the reasons)."""

    target: Target
    score: float
    zone: str  # title | title_line | late_title | head | body | markers | body_pattern | rule | folder | file
    term: str
    where: str = ""
    count: int = 1

    @property
    def in_title(self) -> bool:
        return self.zone in TITLE_ZONES


# Lines whose evidence a compiled taxonomy keeps (``CompiledTaxonomy.line_hits``); emptied when full.
# In the generated drop 43 % of the title-like lines recur (表头, 签字栏, 备注 …); the bound keeps a
# long-running reader process's memory flat whatever it reads.
LINE_CACHE_SIZE = 8192


def line_evidence(compiled: CompiledTaxonomy, line: str, weight: float, zone: str) -> list[Evidence]:
    """Every matcher that hits a title-like line (generic ones on the line without field labels)."""
    key = (line, weight, zone)
    cached = compiled.line_hits.get(key)
    if cached is None:
        if len(compiled.line_hits) >= LINE_CACHE_SIZE:
            compiled.line_hits.clear()
        cached = compiled.line_hits[key] = tuple(_line_evidence(compiled, line, weight, zone))
    return list(cached)


def _line_evidence(compiled: CompiledTaxonomy, line: str, weight: float, zone: str) -> list[Evidence]:
    stripped = compiled.strip_field_labels(line)
    core = _TRAILING_REMARK.sub("", line) or line
    found = []
    for matcher in compiled.candidates(line):
        term = matcher.find(stripped if matcher.generic else line)
        if term:
            score = matcher.strength * weight + min(LENGTH_BONUS * len(term), LENGTH_BONUS_CAP)
            score += HEAD_NOUN_BONUS * weight * _closeness_to_end(core, term)
            found.append(Evidence(matcher.target, score, zone, term, where=line))
    # In a line that names a specific document type, index keywords and family words of other
    # sub-classes are part of that name or topic words (钢筋 in 钢筋安装检验批质量验收记录, 监理 in
    # 监理资料移交书), not rival types.
    named = {e.target.subclass for e in found if e.target.item is not None and not e.target.via_keyword}
    if named:
        found = [e for e in found if e.target.subclass in named or _names_item_type(e)]
    return found


def _closeness_to_end(line: str, term: str) -> float:
    """1.0 when the term ends the title, less the further it stands from the end (head-final titles)."""
    end = line.rfind(term) + len(term) if term in line else len(line)
    return end / len(line) if line else 0.0


def _names_item_type(e: Evidence) -> bool:
    return e.target.item is not None and not e.target.via_keyword


def names_a_type(compiled: CompiledTaxonomy, line: str, triggers: list[re.Pattern[str]]) -> bool:
    """Whether a line names a document type strongly enough to be taken as the title.

    A named type or a rule trigger always does. An index keyword does only in a short line that
    ends like a document title (…报告, …记录, …表): 混凝土配合比设计报告 is a title, 钢筋 is not.
    """
    stripped = compiled.strip_field_labels(line)
    titled = len(line) <= SHORT_TITLE_CHARS and compiled.has_title_ending(line)
    for matcher in compiled.candidates(line):
        if matcher.target.via_keyword and not (titled and matcher.strength >= LONG_KEYWORD_STRENGTH):
            continue
        if matcher.find(stripped if matcher.generic else line):
            return True
    return any(trigger.search(line) for trigger in triggers)


def collect(
    compiled: CompiledTaxonomy, zones: Zones, triggers: list[re.Pattern[str]]
) -> tuple[list[Evidence], str | None]:
    """All evidence of a document, and the line taken as its title (None when none was found)."""
    evidence: list[Evidence] = []
    title_line_index = None
    title_hits: list[Evidence] = []
    if zones.title:
        title_hits = line_evidence(compiled, zones.title, TITLE_WEIGHT, "title")
        evidence.extend(title_hits)
    title_line = zones.title
    if not title_hits:
        for index, line in enumerate(zones.lines):
            if not zones.may_be_title(index):
                continue
            joined = _joined_title(compiled, zones, index)
            found = next((c for c in (line, joined) if c and names_a_type(compiled, c, triggers)), None)
            if found:
                title_line_index, title_line = index, found
                evidence.extend(line_evidence(compiled, found, TITLE_LINE_WEIGHT, "title_line"))
                break
    if not title_hits and title_line_index is None:
        late = next((line for line in zones.late_lines
                     if compiled.has_title_ending(line) and names_a_type(compiled, line, triggers)), None)
        if late:  # only named document types: a family word deep in a form is too common to count
            evidence.extend(e for e in line_evidence(compiled, late, LATE_TITLE_WEIGHT, "late_title")
                            if _names_item_type(e))
    for index, line in enumerate(zones.lines):
        if index != title_line_index:
            # a sentence near the top is still running text; a numbered heading (6.2 施工组织设计审核制度)
            # names a chapter's topic, not the document's type
            if (zones.prose and zones.prose[index]) or zones.numbered(index):
                evidence.extend(line_evidence(compiled, line, BODY_WEIGHT, "body"))
            else:
                evidence.extend(line_evidence(compiled, line, HEAD_WEIGHT, "head"))
    evidence.extend(_body_evidence(compiled, zones.body))
    evidence.extend(_structure_evidence(compiled, zones))
    return evidence, title_line


def _joined_title(compiled: CompiledTaxonomy, zones: Zones, index: int) -> str | None:
    """A title broken over two short lines (安全生产标准化达标创建 / 工作方案), read as one."""
    if index + 1 >= len(zones.lines) or len(zones.lines[index]) > SHORT_TITLE_CHARS or not zones.may_be_title(index + 1):
        return None
    joined = zones.lines[index] + zones.lines[index + 1]
    return joined if compiled.has_title_ending(joined) and len(joined) <= SHORT_TITLE_CHARS * 2 else None


def _body_evidence(compiled: CompiledTaxonomy, body: str) -> list[Evidence]:
    if not body:
        return []
    stripped = compiled.strip_field_labels(body)
    found = []
    for matcher in compiled.candidates(body):
        if not matcher.in_body:
            continue
        count = matcher.count(stripped if matcher.generic else body)
        if count:
            score = min(BODY_CAP, BODY_WEIGHT + BODY_STEP * math.log2(count)) * matcher.strength
            term = matcher.first(stripped if matcher.generic else body) or matcher.target.doc_type
            found.append(Evidence(matcher.target, score, "body", term, count=count))
    return found


def _structure_evidence(compiled: CompiledTaxonomy, zones: Zones) -> list[Evidence]:
    found = []
    full = zones.full
    prose = zones.sentences >= PROSE_SENTENCES
    present = set("".join(zones.segments))
    for matcher in compiled.matchers:
        if matcher.markers and not (prose and matcher.min_markers < PROSE_MIN_MARKERS):
            hits = matcher.marker_hits(zones.segments, present)
            if len(hits) >= matcher.min_markers:
                score = min(MARKER_CAP, MARKER_WEIGHT + MARKER_STEP * (len(hits) - matcher.min_markers))
                found.append(Evidence(matcher.target, score, "markers", "、".join(hits), count=len(hits)))
        for pattern in matcher.body_patterns:
            match = pattern.search(full)
            if match:
                found.append(Evidence(matcher.target, BODY_PATTERN_WEIGHT, "body_pattern", match.group(0)))
                break
    return found


def hint_evidence(compiled: CompiledTaxonomy, hints: list[str], zone: str, weight: float) -> list[Evidence]:
    """Folder or file names read as weak titles; a folder may also carry a sub-class code or name."""
    found: list[Evidence] = []
    for rank, hint in enumerate(hints):
        hint_weight = weight * (0.85**rank)
        code = subclass_named(compiled, hint)
        if code:  # an archivist's folder named after a sub-class says exactly that
            target = Target(code, None, compiled.label(code))
            found.append(Evidence(target, SUBCLASS_HINT * hint_weight, zone, hint, where=hint))
            continue
        found.extend(
            Evidence(e.target, e.score, zone, e.term, where=hint)
            for e in line_evidence(compiled, hint, hint_weight, zone)
        )
    return found


def subclass_named(compiled: CompiledTaxonomy, hint: str) -> str | None:
    """The sub-class a folder is named after (``C2 施工技术文件``, ``B2``, ``进度控制文件``), if any."""
    head = hint[:3].upper()
    for code in sorted(compiled.subclass_codes, key=len, reverse=True):
        follower = head[len(code) : len(code) + 1]
        if head.startswith(code) and not (follower.isascii() and follower.isalnum()):
            return code
    for name, code in compiled.subclass_names.items():
        if name in hint:
            return code
    return None
