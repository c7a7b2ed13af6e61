"""The taxonomy compiled into matchers: one per document type and one per item's keyword list.

A matcher knows where a hit files (sub-class, item, document type) and how much a hit is worth
before its position is taken into account: a named document type (``设计变更通知单``) is strong,
a family-level type (``…试验报告`` → C6, item unknown) is weaker, and the draft's index keywords
are weaker still — shorter keywords more so, single characters not at all.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from classify.prefilter import MatcherIndex, required_characters
from classify.text import compact
from schemas.taxonomy import DocType, Item, SubClass, Taxonomy

DOC_TYPE_STRENGTH = 1.0
GENERIC_STRENGTH = 0.65
KEYWORD_STRENGTH = {2: 0.45, 3: 0.55}  # by length; 4 and more characters
LONG_KEYWORD_STRENGTH = 0.7  # a four-character term (淋水试验, 定位测量) is more specific than a family word
CATALOGUE_FACTOR = 0.98
CATCH_ALL_FACTOR = 0.8  # "其他…" rows: chosen only when no specific row of the sub-class matches
BODY_KEYWORD_MIN_CHARS = 3
MIN_NAME_CHARS = 4  # two-character keywords are too common to count in running text


@dataclass(frozen=True)
class Target:
    """Where a hit files. ``item`` is None for family-level types (sub-class known, item not)."""

    subclass: str
    item: str | None
    doc_type: str
    review: bool = False
    via_keyword: bool = False  # an index keyword of the item, not a named document type

    @property
    def code(self) -> str:
        return self.item or self.subclass


@dataclass(frozen=True)
class Matcher:
    target: Target
    strength: float
    patterns: tuple[re.Pattern[str], ...]
    vetoes: tuple[str, ...] = ()
    markers: tuple[re.Pattern[str], ...] = ()
    min_markers: int = 3
    body_patterns: tuple[re.Pattern[str], ...] = ()
    generic: bool = False  # family-level type or keyword: matched against text without field labels
    in_body: bool = True

    def find(self, text: str) -> str | None:
        """The longest hit in a title-like text, unless a veto word is present."""
        if any(veto in text for veto in self.vetoes):
            return None
        best = None
        for pattern in self.patterns:
            match = pattern.search(text)
            if match and match.group(0) and (best is None or len(match.group(0)) > len(best)):
                best = match.group(0)
        return best

    def first(self, text: str) -> str | None:
        """The first hit in running text (no vetoes: a body mentions many things)."""
        for pattern in self.patterns:
            match = pattern.search(text)
            if match and match.group(0):
                return match.group(0)
        return None

    def count(self, text: str) -> int:
        return sum(len(pattern.findall(text)) for pattern in self.patterns)

    def marker_hits(self, segments: tuple[str, ...], present: Collection[str] = ()) -> list[str]:
        """Markers that open a heading, cell or label (a mention inside a sentence does not count).

        ``present``: the characters of the segments, when the caller has them; a marker that needs
        a CJK character none of them has (``classify.prefilter``) cannot match and is not tried.
        Most of the 600 markers fail on every document, each tried on some 100 segments.
        """
        return [p.pattern for p, needs in zip(self.markers, self._marker_needs, strict=True)
                if (not present or needs.issubset(present)) and any(p.match(segment) for segment in segments)]

    @cached_property
    def _marker_needs(self) -> tuple[frozenset[str], ...]:
        return tuple(required_characters(p.pattern) for p in self.markers)


@dataclass(frozen=True)
class CompiledTaxonomy:
    matchers: tuple[Matcher, ...]
    by_doc_type: dict[str, Matcher]
    field_labels: tuple[str, ...]
    subclass_names: dict[str, str]  # compact name → sub-class code, for folder hints
    subclass_labels: dict[str, str]  # sub-class code → name
    item_names: dict[str, str]  # item code → item name
    title_endings: tuple[str, ...] = ()
    catch_all_items: frozenset[str] = frozenset()
    index: MatcherIndex | None = None  # which matchers a line can hit at all (built by compile_taxonomy)
    # What ``classify.evidence.line_evidence`` found on a line, by (line, weight, zone): a pure
    # function of the line, and forms repeat their headings and labels from document to document.
    line_hits: dict[tuple[str, float, str], tuple] = field(default_factory=dict, init=False, compare=False, repr=False)

    def candidates(self, line: str) -> Iterator[Matcher]:
        """The matchers that could hit ``line``, in taxonomy order; the others cannot match it."""
        if self.index is None:
            yield from self.matchers
            return
        for position in self.index.positions(line):
            yield self.matchers[position]

    def has_title_ending(self, line: str) -> bool:
        return line.endswith(self.title_endings) if self.title_endings else False

    @property
    def subclass_codes(self) -> tuple[str, ...]:
        return tuple(self.subclass_labels)

    def label(self, code: str | None) -> str:
        """Human name of an item or sub-class code."""
        if code is None:
            return ""
        return self.item_names.get(code) or self.subclass_labels.get(code, "")

    def strip_field_labels(self, text: str) -> str:
        """Remove form field labels (建设单位, 总监理工程师…) so family words inside them do not count."""
        for label in self.field_labels:
            text = text.replace(label, "")
        return text


def compile_taxonomy(taxonomy: Taxonomy) -> CompiledTaxonomy:
    matchers: list[Matcher] = []
    stamp_decided = {r.as_built_subclass for r in taxonomy.disambiguation if r.kind == "drawing_stamp"}
    explicit = {doc_type.name for _, _, doc_type in taxonomy.doc_types()}
    for subclass in taxonomy.subclasses():
        for item in subclass.items:
            own = tuple(d for d in item.doc_types if d.source is None)
            catalogued = tuple(d for d in item.doc_types if d.source is not None)
            doc_types = (own or tuple(d for d in _named_after(item) if d.name not in explicit)) + catalogued
            matchers.extend(_doc_type_matcher(subclass, item, d) for d in doc_types)
            if subclass.code not in stamp_decided:  # 竣工图 items are told apart by the stamp rule
                matchers.extend(_keyword_matchers(subclass, item))
        matchers.extend(_doc_type_matcher(subclass, None, d) for d in subclass.doc_types)
    labels = sorted({compact(t) for t in taxonomy.meta.matching.field_label_terms}, key=len, reverse=True)
    names: dict[str, str] = {}
    for subclass in taxonomy.subclasses():
        for name in (subclass.name, *subclass.name_variants):
            names[compact(name)] = subclass.code
    return CompiledTaxonomy(
        matchers=tuple(matchers),
        by_doc_type={m.target.doc_type: m for m in matchers if not m.target.via_keyword},
        field_labels=tuple(labels),
        subclass_names=names,
        subclass_labels={subclass.code: subclass.name for subclass in taxonomy.subclasses()},
        item_names={item.code: item.name for _, item in taxonomy.items()},
        title_endings=tuple(compact(e) for e in taxonomy.meta.matching.title_endings),
        catch_all_items=frozenset(item.code for _, item in taxonomy.items() if item.catch_all),
        index=MatcherIndex(matchers),
    )


def compile_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _literal(term: str) -> re.Pattern[str]:
    return re.compile(re.escape(compact(term)), re.IGNORECASE)


def _doc_type_matcher(subclass: SubClass, item: Item | None, doc_type: DocType) -> Matcher:
    patterns = doc_type.title_patterns or (re.escape(compact(doc_type.name)),)
    vetoes = tuple(compact(v) for v in doc_type.not_keywords)  # the item's not_keywords qualify its keywords
    return Matcher(
        target=Target(subclass.code, item.code if item else None, doc_type.name, doc_type.review),
        strength=_strength(item, doc_type),
        patterns=tuple(compile_regex(p) for p in patterns),
        vetoes=vetoes,
        markers=tuple(compile_regex(p) for p in doc_type.markers),
        min_markers=doc_type.min_markers,
        body_patterns=tuple(compile_regex(p) for p in doc_type.body_patterns),
        generic=item is None,
        in_body=item is not None,  # family words (…检测报告, 监理…) in running text say nothing
    )


def _strength(item: Item | None, doc_type: DocType) -> float:
    """A catalogue title may say its own weight; otherwise an item's type is strong, a family's weaker.

    A catalogue alias of a row weighs a hair less than the row's own name, so where both match the
    same title the taxonomy's name is the one shown.
    """
    default = DOC_TYPE_STRENGTH if item else GENERIC_STRENGTH
    base = doc_type.strength or default * (CATALOGUE_FACTOR if doc_type.source else 1.0)
    return base * (CATCH_ALL_FACTOR if item and item.catch_all else 1.0)


def _named_after(item: Item) -> tuple[DocType, ...]:
    """An item without document types is recognised by its own name when that reads as a title.

    Appendix A names most rows by their form (设备单机试运转记录, 大容量电气线路结点测温记录); rows
    that list several things (砂、石、砖…出厂证明文件) or catch the rest (其他…) are left to keywords.
    """
    if item.catch_all or "、" in item.name or len(compact(item.name)) < MIN_NAME_CHARS:
        return ()
    return (DocType(name=item.name),)


def _keyword_matchers(subclass: SubClass, item: Item) -> list[Matcher]:
    """One matcher per keyword length, so a long keyword is worth more than a short one."""
    by_strength: dict[float, list[str]] = {}
    for keyword in item.keywords:
        term = compact(keyword)
        if len(term) < 2:
            continue
        strength = KEYWORD_STRENGTH.get(len(term), LONG_KEYWORD_STRENGTH)
        if item.catch_all:
            strength *= CATCH_ALL_FACTOR
        by_strength.setdefault(strength, []).append(term)
    target = Target(subclass.code, item.code, item.name, via_keyword=True)
    vetoes = tuple(compact(v) for v in item.not_keywords)
    return [
        Matcher(
            target=target,
            strength=strength,
            patterns=tuple(_literal(t) for t in terms),
            vetoes=vetoes,
            generic=True,
            in_body=min(len(t) for t in terms) >= BODY_KEYWORD_MIN_CHARS,
        )
        for strength, terms in sorted(by_strength.items(), reverse=True)
    ]
