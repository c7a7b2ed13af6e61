"""The rule classifier: taxonomy data in, a filing decision with its reasons out.

It never forces a document into a class. The decision is the sub-class with the strongest
evidence; confidence falls when another sub-class has evidence nearly as strong; below the review
threshold the document goes to the archivist's review queue, and with almost no evidence the
class stays empty. Folder and file names are consulted only when the content says nothing, so a
mis-named file cannot override what the document says about itself.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from classify.cues import PartyCue, load_cues, prefer_party
from classify.disambiguation import Disambiguator, RuleNotes
from classify.evidence import Evidence, collect, hint_evidence
from classify.matching import CompiledTaxonomy, compile_taxonomy
from classify.text import file_name_title, folder_titles, split_zones
from schemas.documents import Candidate, Classification
from schemas.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

DEFAULT_REVIEW_THRESHOLD = 0.5
MIN_CONFIDENCE_TO_FILE = 0.25  # below this the class stays empty (a suggestion may still be given)
CONTENT_SILENT_BELOW = 0.3  # content evidence weaker than this lets folder / file names speak
FOLDER_WEIGHT, FILE_WEIGHT = 0.35, 0.4
RUNNER_UP_PENALTY = 0.6
RUNNER_UP_MENTION = 0.3  # weaker rivals are not worth a line in the reasons
ITEM_REFINEMENT_RATIO = 0.6  # an item hit this close to a family hit of its sub-class names the item
MAX_CONFIDENCE = 0.99
MAX_REASONS = 6
MAX_CANDIDATES = 3  # the review page offers three places to pick from

_ZONE_WORDS = {"head": "文首", "body": "正文", "markers": "栏目", "folder": "文件夹", "file": "文件名"}


class RuleClassifier:
    """Classify one document from its title, text and (weakly) where it was found."""

    def __init__(self, taxonomy: Taxonomy, review_threshold: float = DEFAULT_REVIEW_THRESHOLD) -> None:
        self._compiled: CompiledTaxonomy = compile_taxonomy(taxonomy)
        self._rules = Disambiguator(taxonomy, self._compiled)
        self._cues = load_cues(self._compiled)
        self.review_threshold = review_threshold

    def classify(
        self,
        title: str | None,
        text: str,
        folder_hints: Sequence[str] = (),
        file_name: str | None = None,
        review_threshold: float | None = None,
    ) -> Classification:
        threshold = self.review_threshold if review_threshold is None else review_threshold
        zones = split_zones(title, text or "")
        evidence, title_line = collect(self._compiled, zones, self._rules.triggers)
        evidence, notes = self._rules.apply(evidence + self._cues.form_numbers(zones), zones, title_line)
        content_best = max((e.score for e in evidence), default=0.0)
        hinted = False
        if content_best < CONTENT_SILENT_BELOW:
            hints = hint_evidence(self._compiled, folder_titles(list(folder_hints)), "folder", FOLDER_WEIGHT)
            name = file_name_title(file_name)
            if name:
                hints += hint_evidence(self._compiled, [name], "file", FILE_WEIGHT)
            if hints and max(h.score for h in hints) > content_best:
                evidence, hinted = evidence + hints, True
        party = self._cues.party(zones)
        return self._verdict(evidence, notes, threshold, hinted, folder_titles(list(folder_hints)), party)

    # --- deciding --------------------------------------------------------------------------------
    def _verdict(
        self, evidence: list[Evidence], notes: RuleNotes, threshold: float, hinted: bool, folders: list[str],
        party: PartyCue | None = None,
    ) -> Classification:
        best: dict[str, Evidence] = {}
        for e in evidence:
            if e.target.subclass not in best or e.score > best[e.target.subclass].score:
                best[e.target.subclass] = e
        ranked = prefer_party(sorted(best.values(), key=lambda e: e.score, reverse=True), party)
        if notes.not_filed:
            reasons = [notes.not_filed, "不归类，待人工确认"]
            return Classification(confidence=0.0, needs_review=True, reasons=reasons, not_a_project_record=True,
                                  candidates=[unfiled(reasons), *self._candidates(ranked, evidence, notes)])
        if not evidence:
            return Classification(
                confidence=0.0,
                needs_review=True,
                reasons=["标题、正文、文件夹和文件名中都没有可辨识的文种或类目 → 不归类，待人工复核"],
            )
        top = ranked[0]
        runner = next((e for e in ranked[1:] if not _subsumed(e, top, evidence)), None)
        confidence = _confidence(top, runner)
        chosen = self._refine(top, evidence)
        reasons = self._reasons(chosen, top, notes, party)
        other_copy, shared = self._rules.shared_form_copy(chosen.target.doc_type, chosen.target.code, folders)
        if shared:
            reasons.append(shared)
        if other_copy:
            chosen = replace(chosen, target=replace(chosen.target, subclass=other_copy.rsplit("-", 1)[0],
                                                    item=other_copy))
        if runner is not None and runner.score >= RUNNER_UP_MENTION:
            reasons.append(f"另有较弱线索：{self._sentence(runner)}")
        review = (
            confidence < threshold or hinted or chosen.target.review or chosen.target.doc_type in notes.review
        )
        reasons = reasons[: MAX_REASONS - 1]  # room for the closing sentence below
        candidates = self._candidates(ranked, evidence, notes)
        if confidence < MIN_CONFIDENCE_TO_FILE:
            reasons.append(f"把握太低（{confidence:.2f}），不归类；以上仅供复核参考")
            return Classification(confidence=confidence, reasons=reasons, needs_review=True,
                                  candidates=[unfiled(reasons[-1:]), *candidates])
        if review:
            reasons.append(f"送人工复核（把握 {confidence:.2f}，阈值 {threshold:.2f}）")
        logger.debug("classified as %s (%.2f)", chosen.target.code, confidence)
        first = Candidate(class_code=chosen.target.subclass, item_code=chosen.target.item,  # scores comparable
                          doc_type=chosen.target.doc_type, score=round(min(MAX_CONFIDENCE, top.score), 3),
                          reasons=reasons[:2])
        return Classification(
            class_code=chosen.target.subclass,
            item_code=chosen.target.item,
            doc_type=chosen.target.doc_type,
            confidence=confidence,
            reasons=reasons,
            needs_review=review,
            candidates=[first, *(c for c in candidates if c.class_code != first.class_code)][:MAX_CANDIDATES],
        )

    def _reasons(self, chosen: Evidence, top: Evidence, notes: RuleNotes, party: PartyCue | None) -> list[str]:
        rule_notes = notes.by_doc_type.get(chosen.target.doc_type, [])
        reasons = [
            *([] if chosen.zone == "rule" and rule_notes else [self._sentence(chosen)]),
            *rule_notes,
            *notes.by_class_prefix.get(chosen.target.subclass[:1], []),
        ]
        if chosen is not top:
            reasons.append(f"同类中「{chosen.term}」指明条目 {chosen.target.code}")
        if party is not None and chosen.target.subclass[:1] in party.classes:
            reasons.append(party.sentence())
        return reasons

    def _candidates(self, ranked: list[Evidence], evidence: list[Evidence], notes: RuleNotes) -> list[Candidate]:
        """The best hit of each sub-class, strongest first: what the review page offers to pick from."""
        found = []
        for top in ranked[:MAX_CANDIDATES]:
            chosen = self._refine(top, evidence)
            sentence = notes.by_doc_type.get(chosen.target.doc_type, [])[:1] if chosen.zone == "rule" else []
            found.append(Candidate(class_code=chosen.target.subclass, item_code=chosen.target.item,
                                   doc_type=chosen.target.doc_type, score=round(min(MAX_CONFIDENCE, top.score), 3),
                                   reasons=sentence or [self._sentence(chosen)]))
        return found

    def _refine(self, top: Evidence, evidence: list[Evidence]) -> Evidence:
        """A family-level winner (item unknown) takes the item of a close hit in its own sub-class."""
        if top.target.item is not None:
            return top
        same = [
            e
            for e in evidence
            if e.target.subclass == top.target.subclass
            and e.target.item is not None
            and e.score >= ITEM_REFINEMENT_RATIO * top.score
        ]
        specific = [e for e in same if e.target.item not in self._compiled.catch_all_items]
        return max(specific or same, key=lambda e: e.score) if same else top

    def _sentence(self, e: Evidence) -> str:
        code = e.target.item or f"{e.target.subclass}（条目未定）"
        what = f"{code} {e.target.doc_type}"
        if e.zone == "title":
            return f"标题含「{e.term}」→ {what}"
        if e.zone == "title_line":
            return f"文首标题行「{_short(e.where)}」含「{e.term}」→ {what}"
        if e.zone == "form_number":
            return f"表号「{e.term}」（{e.where}）→ {what}"
        if e.zone == "late_title":
            return f"封面或附页之后的标题行「{_short(e.where)}」含「{e.term}」→ {what}（非文首，权重减半）"
        if e.zone == "head":
            return f"文首「{_short(e.where)}」含「{e.term}」→ {what}（非标题行，权重减半）"
        if e.zone == "body":
            return f"正文出现「{e.term}」{e.count} 次 → {what}（仅正文线索，权重低）"
        if e.zone == "markers":
            return f"具备{e.target.doc_type}的栏目/章节 {e.count} 项（{_short(e.term, 30)}）→ {what}"
        if e.zone == "body_pattern":
            return f"正文有「{e.term}」→ {what}"
        if e.zone in ("folder", "file"):
            return f"内容没有可辨识的文种；{_ZONE_WORDS[e.zone]}「{_short(e.where)}」提示 → {what}（弱线索）"
        return f"按消歧规则 → {what}"


def _confidence(top: Evidence, runner: Evidence | None) -> float:
    """The winner's score, lowered when a rival sub-class has evidence nearly as strong."""
    confidence = top.score
    if runner is not None:
        confidence *= 1 - RUNNER_UP_PENALTY * (runner.score / top.score) ** 2
    return round(max(0.0, min(MAX_CONFIDENCE, confidence)), 3)


def unfiled(reasons: list[str]) -> Candidate:
    """The "not filed" choice, offered like any other place."""
    return Candidate(class_code=None, reasons=reasons[:2])


def _subsumed(candidate: Evidence, top: Evidence, evidence: list[Evidence]) -> bool:
    """A hit inside the winning phrase of the same line (验收记录 in 隐蔽工程验收记录) is no rival."""
    winners = [e for e in evidence if e.target.subclass == top.target.subclass and e.in_title]
    rivals = [
        e for e in evidence if e.target.subclass == candidate.target.subclass and e.score >= candidate.score
    ]
    return bool(winners) and all(
        any(r.where == w.where and r.term in w.term and r.term != w.term for w in winners) for r in rivals
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
