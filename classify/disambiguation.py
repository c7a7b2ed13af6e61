"""The disambiguation rules of the taxonomy, applied to the evidence of one document.

Each rule decides between document types that look alike (设计变更 vs 洽商 vs 签证, 检验批 vs 分项 vs
分部, 竣工报告 vs 竣工验收报告, 监理规划 vs 监理大纲, 竣工图 vs 施工图). A rule that decides drops the
losers' evidence — the rule explains them away — and leaves a sentence saying which rule fired; the
sentence is shown only if its document type ends up winning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from classify.evidence import Evidence, subclass_named
from classify.matching import CompiledTaxonomy, Target, compile_regex
from classify.text import Zones, compact
from schemas.taxonomy import DisambiguationRule, Taxonomy

AS_BUILT_SCORE = 0.92  # a stamped drawing is about as certain as a title
CONSTRUCTION_DRAWING_SCORE = 0.55
VOLUME_CATALOGUE_SCORE = 0.85  # a 卷内目录 listing 竣工图 sheets goes with that volume
VOLUME_MIN_ROWS = 2
CHANGE_SHEET_SCORE = 0.8  # a sheet marked 变更 in its title block: the change it belongs to is named
TRIGGER_DECIDED_SCORE = 0.76  # "变更单" + the issuer's fields: nearly as good as a full title
UNDECIDED_FAMILY_SCORE = 0.45  # "变更单" with no sign of its issuer: family known, member guessed
VOICE_DEMOTION = 0.5
VOICE_PROOF_MARKERS = 3
WEAK_ZONES = frozenset({"head", "body", "markers"})
NOT_FILED_HEAD_LINES = 3  # a not-filed trigger counts in the title and the first lines, not deep in the body
PARTY_LINES = 15  # a contract names its parties within its first lines


@dataclass
class RuleNotes:
    """Sentences per document type, and document types a rule wants reviewed."""

    by_doc_type: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_class_prefix: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    review: set[str] = field(default_factory=set)
    not_filed: str | None = None  # a rule said this is not a document to file at all

    def add(self, doc_type: str, sentence: str, review: bool = False) -> None:
        self.by_doc_type[doc_type].append(sentence)
        if review:
            self.review.add(doc_type)


class Disambiguator:
    def __init__(self, taxonomy: Taxonomy, compiled: CompiledTaxonomy) -> None:
        self._rules = taxonomy.disambiguation
        self._compiled = compiled
        self._regex: dict[str, re.Pattern[str]] = {}
        self.triggers = [self._re(p) for rule in self._rules for p in rule.triggers]

    def _re(self, pattern: str) -> re.Pattern[str]:
        if pattern not in self._regex:
            self._regex[pattern] = compile_regex(pattern)
        return self._regex[pattern]

    def _count(self, patterns: tuple[str, ...], text: str) -> list[str]:
        return [p for p in patterns if self._re(p).search(text)]

    def apply(
        self, evidence: list[Evidence], zones: Zones, title_line: str | None
    ) -> tuple[list[Evidence], RuleNotes]:
        notes = RuleNotes()
        for rule in self._rules:
            if rule.kind == "origin":
                evidence = self._origin(rule, evidence, zones, title_line, notes)
            elif rule.kind == "level_order":
                evidence = self._levels(rule, evidence, notes)
            elif rule.kind == "drawing_stamp":
                evidence = self._drawing(rule, evidence, zones, notes)
            elif rule.kind == "voice":
                evidence = self._voice(rule, evidence, zones, notes)
            elif rule.kind == "not_filed" and notes.not_filed is None:
                evidence = self._not_filed(rule, evidence, zones, title_line, notes)
        return evidence, notes

    def _not_filed(
        self, rule: DisambiguationRule, evidence: list[Evidence], zones: Zones, title_line: str | None,
        notes: RuleNotes,
    ) -> list[Evidence]:
        # the first lines joined too: a heading broken over two lines ("某局物业管理服务" / "公开招标文件")
        head = "".join(zones.lines[:NOT_FILED_HEAD_LINES])
        for text in (zones.title, title_line, *(zones.lines[:NOT_FILED_HEAD_LINES]), head):
            hit = next(
                (m.group(0) for m in (self._re(p).search(text or "") for p in rule.triggers) if m), None
            )
            if not hit:
                continue
            listed = [p for p in rule.volume_contents if len(self._re(p).findall(zones.full)) >= VOLUME_MIN_ROWS]
            if listed and rule.volume_subclass and self._count(rule.volume_catalogues, hit):
                item = self._drawing_discipline(zones.full)
                target = Target(rule.volume_subclass, item, f"{self._compiled.label(rule.volume_subclass)}卷内目录")
                notes.add(target.doc_type, f"规则「{rule.name}」：「{hit}」所列为{'、'.join(listed)} → 随其案卷归 {target.code}")
                return [*evidence, Evidence(target, VOLUME_CATALOGUE_SCORE, "rule", hit)]
            notes.not_filed = f"规则「{rule.name}」：标题为「{hit}」，{rule.explanation}"
            return evidence
        party = next((m.group(0) for line in zones.lines[:PARTY_LINES] for p in rule.party_triggers
                      if (m := self._re(p).search(line))), None)
        if party:  # a buyer and a seller sign a purchase, whatever the contract's title says
            notes.not_filed = f"规则「{rule.name}」：文首写明「{party}」，{rule.explanation}"
        return evidence

    def _drawing_discipline(self, text: str) -> str | None:
        rule = next((r for r in self._rules if r.kind == "drawing_stamp"), None)
        return self._discipline(rule, text) if rule else None

    def shared_form_copy(self, doc_type: str, code: str, folders: list[str]) -> tuple[str | None, str | None]:
        """Which copy of a form listed under both B and C this is: (the other row or None, the reason).

        The form's content is the same in both copies; only whose volume it arrived in tells them
        apart. A copy found in a folder named after a sub-class of the other row's class (a 监理
        volume ``B2 进度控制文件``) is that party's 存档联 and is filed under the other row; any other
        copy stays with the party that filled the form in.
        """
        for rule in self._rules:
            if rule.kind != "shared_form":
                continue
            for member in rule.members:
                member_item = self._compiled.by_doc_type[member.doc_type].target.item
                if (member.doc_type != doc_type and member_item != code) or not member.alternative:
                    continue  # the same row named by a catalogue title (计划报审表) is the same form
                other = member.alternative.rsplit("-", 1)[0]
                folder = next((f for f in folders if (subclass_named(self._compiled, f) or "")[:1] == other[:1]), None)
                if folder is not None and other[:1] != code[:1]:
                    return member.alternative, (
                        f"规则「{rule.name}」：{doc_type}在 B、C 两类都列出；文件夹「{folder}」是"
                        f"{self._compiled.label(other)}的案卷 → 该方存档联，归 {member.alternative}"
                    )
                return None, (
                    f"规则「{rule.name}」：{doc_type}由施工单位填报 → {code}；"
                    f"监理单位存档联归 {member.alternative}（各方存档联各自归档，复核时可改）"
                )
        return None, None

    # --- rule kinds ------------------------------------------------------------------------------
    def _origin(
        self,
        rule: DisambiguationRule,
        evidence: list[Evidence],
        zones: Zones,
        title_line: str | None,
        notes: RuleNotes,
    ) -> list[Evidence]:
        members = [m.doc_type for m in rule.members]
        named = _ordered_title_members(evidence, members)
        full = zones.full
        counts = {m.doc_type: self._count(m.markers, full) for m in rule.members}
        if len(named) == 1:
            winner = named[0][0]
            sentence = f"规则「{rule.name}」：标题写明「{named[0][1]}」，按标题定为{winner}"
        elif named:
            # equal evidence: the rule's default member, else the type the title names first
            winner = max(named, key=lambda pair: (len(counts[pair[0]]), pair[0] == rule.default_member,
                                                  -named.index(pair)))[0]
            shown = "、".join(f"「{term}」" for _, term in named)
            sentence = (
                f"规则「{rule.name}」：标题同时出现{shown}，按签发方和栏目"
                f"（{'、'.join(counts[winner]) or '无'}）定为{winner}"
            )
        else:
            trigger = next(
                (t.group(0) for t in (self._re(p).search(title_line or "") for p in rule.triggers) if t), None
            )
            named_elsewhere = any(e.in_title and e.target.item and not e.target.via_keyword for e in evidence)
            if trigger is None or named_elsewhere:  # no family word, or the title names another type
                return evidence
            best = max(members, key=lambda d: (len(counts[d]), -members.index(d)))
            if counts[best]:
                winner, score, review = best, TRIGGER_DECIDED_SCORE, False
                sentence = f"规则「{rule.name}」：标题只写「{trigger}」，按栏目（{'、'.join(counts[best])}）判断为{best}"
            else:
                winner, score, review = members[0], UNDECIDED_FAMILY_SCORE, True
                sentence = f"规则「{rule.name}」：标题只写「{trigger}」，看不出签发方，暂定{winner}，请复核"
            target = self._compiled.by_doc_type[winner].target
            evidence = [*evidence, Evidence(target, score, "rule", trigger, where=title_line or "")]
            notes.add(winner, sentence, review)
            return self._keep_winner(evidence, members, winner)
        notes.add(winner, sentence)
        return self._keep_winner(evidence, members, winner)

    def _levels(self, rule: DisambiguationRule, evidence: list[Evidence], notes: RuleNotes) -> list[Evidence]:
        order = [m.doc_type for m in rule.members]
        level_name = {m.doc_type: m.level or m.doc_type for m in rule.members}
        in_title = [d for d in order if any(_names(e, d) and e.in_title for e in evidence)]
        if not in_title:
            return evidence
        winner = in_title[0]
        elsewhere = [d for d in order if d != winner and any(_names(e, d) for e in evidence)]
        if len(in_title) > 1:
            shown = "、".join(f"「{level_name[d]}」" for d in in_title)
            notes.add(winner, f"规则「{rule.name}」：标题写了{shown}，取最具体的「{level_name[winner]}」")
        elif elsewhere:
            shown = "、".join(f"「{level_name[d]}」" for d in elsewhere)
            notes.add(
                winner,
                f"规则「{rule.name}」：以标题所写层级「{level_name[winner]}」为准；文中出现的{shown}不改变层级",
            )
        return self._keep_winner(evidence, order, winner)

    def _drawing(
        self, rule: DisambiguationRule, evidence: list[Evidence], zones: Zones, notes: RuleNotes
    ) -> list[Evidence]:
        full = zones.full
        marks = self._title_block(rule, full)
        if len(marks) < rule.min_drawing_markers:
            return evidence
        stamp = next((m for m in rule.as_built_markers if self._re(m).search(full)), None)
        shown = "、".join(marks[:5])
        if stamp and rule.as_built_subclass:
            title_text = zones.title or (zones.lines[0] if zones.lines else "")
            item = self._discipline(rule, title_text) or self._discipline(rule, full)
            label = self._compiled.label(item) if item else "竣工图"
            fields = self._count(rule.stamp_fields, full)
            target = Target(rule.as_built_subclass, item, label)
            sentence = (
                f"规则「{rule.name}」：图纸（图签：{shown}）上有「{stamp}」章"
                f"（章内栏目 {len(fields)}/{len(rule.stamp_fields)}）→ 竣工图，归 {target.code}"
            )
            notes.add(label, sentence)
            return [*evidence, Evidence(target, AS_BUILT_SCORE, "rule", stamp)]
        change = next((m.group(0) for m in (self._re(p).search(full) for p in rule.change_markers) if m), None)
        if change and rule.change_item:
            target = Target(rule.change_item.rsplit("-", 1)[0], rule.change_item, "设计变更附图")
            notes.add(target.doc_type, f"规则「{rule.name}」：图纸（图签：{shown}）标注「{change}」且无竣工图章 → "
                                       f"设计变更的附图，随变更归 {target.code}")
            return [*evidence, Evidence(target, CHANGE_SHEET_SCORE, "rule", change)]
        if rule.construction_doc_type:
            target = self._compiled.by_doc_type[rule.construction_doc_type].target
            sentence = (
                f"规则「{rule.name}」：图纸有设计图签（{shown}）但没有竣工图章 → 施工图，不归 D；"
                f"作 {target.subclass} 参考，需复核"
            )
            notes.add(target.doc_type, sentence, review=True)
            return [*evidence, Evidence(target, CONSTRUCTION_DRAWING_SCORE, "rule", "施工图")]
        return evidence

    def _voice(
        self, rule: DisambiguationRule, evidence: list[Evidence], zones: Zones, notes: RuleNotes
    ) -> list[Evidence]:
        """Without a title, weaken structural hits of the party the text is not written by."""
        full = zones.full
        if len(rule.voices) < 2 or any(e.in_title for e in evidence) or zones.sentences < rule.min_sentences:
            return evidence
        first, second = rule.voices[0], rule.voices[1]
        counts = {v.subclass_prefix: full.count(compact(v.term)) for v in (first, second)}
        if sum(counts.values()) < rule.min_mentions:
            return evidence
        ratio = counts[first.subclass_prefix] / max(1, counts[second.subclass_prefix])
        voice, other = (first, second) if ratio >= rule.min_share else (second, first)
        notes.by_class_prefix[voice.subclass_prefix].append(
            f"规则「{rule.name}」：标题未指明文种，全文「{first.term}」{counts[first.subclass_prefix]} 次、"
            f"「{second.term}」{counts[second.subclass_prefix]} 次 → 按{voice.term}方口吻判断"
        )
        return [  # three or more of a type's chapter headings already say whose document it is
            replace(e, score=e.score * VOICE_DEMOTION)
            if e.target.subclass.startswith(other.subclass_prefix) and e.zone in WEAK_ZONES
            and not (e.zone == "markers" and e.count >= VOICE_PROOF_MARKERS)
            else e
            for e in evidence
        ]

    def _keep_winner(self, evidence: list[Evidence], members: list[str], winner: str) -> list[Evidence]:
        """Drop the losing members' evidence, including the index keywords of their items."""
        winner_item = self._compiled.by_doc_type[winner].target.item
        losing_items = {self._compiled.by_doc_type[d].target.item for d in members} - {winner_item}
        losers = [d for d in members if d != winner]
        return [
            e
            for e in evidence
            if not _names(e, *losers) and not (e.target.via_keyword and e.target.item in losing_items)
        ]

    def _title_block(self, rule: DisambiguationRule, text: str) -> list[str]:
        """The drawing markers found close together (a title block), not scattered through a report."""
        hits = sorted(
            (match.start(), pattern)
            for pattern in rule.drawing_markers
            for match in self._re(pattern).finditer(text)
        )
        best: list[str] = []
        start = 0
        for end in range(len(hits)):
            while hits[end][0] - hits[start][0] > rule.drawing_window:
                start += 1
            window = list(dict.fromkeys(pattern for _, pattern in hits[start : end + 1]))
            if len(window) > len(best):
                best = window
        return best

    def _discipline(self, rule: DisambiguationRule, text: str) -> str | None:
        for discipline in rule.disciplines:
            if any(self._re(p).search(text) for p in discipline.patterns):
                return discipline.item
        return None


def _names(e: Evidence, *doc_types: str) -> bool:
    """Whether a hit names one of these document types (an item keyword names no type)."""
    return not e.target.via_keyword and e.target.doc_type in doc_types


def _ordered_title_members(evidence: list[Evidence], members: list[str]) -> list[tuple[str, str]]:
    """Members named in the title, in the order they appear there, with the words that named them."""
    found: dict[str, tuple[int, str]] = {}
    for e in evidence:
        if e.in_title and _names(e, *members):
            position = e.where.find(e.term)
            if e.target.doc_type not in found or position < found[e.target.doc_type][0]:
                found[e.target.doc_type] = (position, e.term)
    return [(d, term) for d, (_, term) in sorted(found.items(), key=lambda kv: kv[1][0])]
