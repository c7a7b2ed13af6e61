"""The item checklist: for one project, each item present / missing / not applicable / waived.

This is the inspector's first question (standards.md §5.2): for every item the 建设单位 must keep
(keeper flag ▲ in the taxonomy) and every conditional item that applies, is there a document filed
under it? Items of stages the project has not reached are not yet due. A waiver (with its reason
and who granted it) closes an item without a document. Documents filed under an item the checklist
does not require are listed as present too, so the report shows the whole archive.

A document answers for the row it is filed under, and for nothing else: a form that GB/T 50328
lists under both B and C (taxonomy rule ``shared_form``) is signed in several originals, and the
监理's volume must hold its own copy just as the contractor's does — the inspector who opens the B
volume does not go looking in C. Only forms the checklist names in ``one_copy_forms`` (a locality
that files such a form once) let one copy answer both rows, and the report says so (``via``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping

from classify.applicability import Applicability, decide
from classify.archival_code import assign_codes
from schemas.completeness import (
    STAGES,
    ChecklistRules,
    CompletenessReport,
    Dat28Mapping,
    DocumentRef,
    FiledDocument,
    ItemReport,
    ProjectProfile,
    StageSummary,
    Waiver,
)
from schemas.taxonomy import Item, Taxonomy

logger = logging.getLogger(__name__)
_REFS_KEPT = 200_000  # document lines kept between reports (a few large projects' worth)


def required_items(taxonomy: Taxonomy, rules: ChecklistRules) -> set[str]:
    """Items the keeper must hold (flag R), plus the checklist's additions, minus its exclusions."""
    position = taxonomy.meta.keep_order.index(rules.required_keeper)
    flagged = {
        item.code
        for _, item in taxonomy.items()
        if item.keep and len(item.keep) > position and item.keep[position] in rules.required_flags
    }
    return (flagged | set(rules.also_required)) - set(rules.not_required)


def stage_of(rules: ChecklistRules, item_code: str, subclass: str) -> str | None:
    for stage in rules.stages:
        if item_code in stage.items:
            return stage.name
    return next((stage.name for stage in rules.stages if subclass in stage.subclasses), None)


def shared_form_alternatives(taxonomy: Taxonomy, rules: ChecklistRules) -> dict[str, str]:
    """doc type → the other row one copy also answers for: only the checklist's ``one_copy_forms``."""
    return {
        member.doc_type: member.alternative
        for rule in taxonomy.disambiguation
        if rule.kind == "shared_form"
        for member in rule.members
        if member.alternative and member.doc_type in rules.one_copy_forms
    }


class ChecklistAssessor:
    """Builds the item part of a completeness report from filed documents, profile and waivers."""

    def __init__(self, taxonomy: Taxonomy, rules: ChecklistRules) -> None:
        self.taxonomy = taxonomy
        self.rules = rules
        self.required = required_items(taxonomy, rules)
        self.conditional = {code: c for c in rules.conditions for code in c.items}
        self.alternatives = shared_form_alternatives(taxonomy, rules)
        self._dat28 = {m.code: m for m in rules.dat28}  # dat28_for builds this table on every call
        self._refs: dict[tuple[str | None, ...], DocumentRef] = {}

    def dat28(self, item_code: str | None, subclass: str | None) -> Dat28Mapping | None:
        """``archival_code.dat28_for`` with the table built once (it is asked once per document)."""
        return self._dat28.get(item_code or "") or self._dat28.get(subclass or "")

    def assess(
        self,
        project: str,
        documents: list[FiledDocument],
        profile: ProjectProfile | None = None,
        waivers: list[Waiver] = (),  # type: ignore[assignment]
        terms: Mapping[str, frozenset[str]] | None = None,
        codes: dict[str, str] | None = None,
    ) -> CompletenessReport:
        """``terms`` (each document's trigger terms, ``applicability.trigger_terms``) and ``codes`` (the
        processed documents' 档号) may be handed in by a caller that keeps them: then no text is read.
        """
        filed = [d for d in documents if d.status == "processed"]
        if codes is None:
            codes = assign_codes(self.rules, self.taxonomy, project, filed)
        mentioning = filed if terms is None else [d for d in filed if terms[d.id]]  # most mention no trigger
        decisions = {c.id: decide(c, profile, mentioning, terms) for c in self.rules.conditions}
        by_item = self._documents_by_item(filed, codes)
        waived = {w.item_code: w for w in waivers}
        due = _due_stages(profile)
        report = CompletenessReport(project=project, profile=profile, documents=len(documents))
        for subclass, item in self.taxonomy.items():
            line = self._item_line(item, subclass.code, by_item.get(item.code, []), waived, decisions, due)
            if line is not None:
                report.items.append(line)
        report.missing = [line.code for line in report.items if line.status == "missing"]
        report.stages = _stage_summaries(report.items, due)
        report.conditions = [d.as_dict() for d in decisions.values()]
        report.unplaced = [
            self._ref(d, codes) for d in filed if d.class_code and not d.item_code
        ]
        logger.info("completeness %s: %d items, %d missing", project, len(report.items), len(report.missing))
        return report

    def _documents_by_item(self, filed: list[FiledDocument], codes: dict[str, str]) -> dict[str, list[DocumentRef]]:
        by_item: dict[str, list[DocumentRef]] = defaultdict(list)
        for document in filed:
            if not document.item_code:
                continue
            by_item[document.item_code].append(self._ref(document, codes))
            alternative = self.alternatives.get(document.doc_type or "")
            if alternative and alternative != document.item_code:
                via = f"同一表式（{document.doc_type}）归 {document.item_code}，视同 {alternative} 存档联"
                by_item[alternative].append(self._ref(document, codes, via))
        return by_item

    def _ref(self, document: FiledDocument, codes: dict[str, str], via: str | None = None) -> DocumentRef:
        """The document's line under its item; the same line is reused from the last report while nothing
        it shows changed (building 10,000 of them was a fifth of a report's time).
        """
        code = codes.get(document.id)
        key = (document.id, document.title, document.original_name, document.item_code, document.class_code, code, via)
        ref = self._refs.get(key)
        if ref is None:
            if len(self._refs) > _REFS_KEPT:
                self._refs.clear()
            mapping = self.dat28(document.item_code, document.class_code)
            ref = self._refs[key] = DocumentRef(
                id=document.id, title=document.title, original_name=document.original_name,
                archival_code=code, retention=mapping.retention if mapping else None, via=via,
            )
        return ref

    def _item_line(
        self,
        item: Item,
        subclass: str,
        documents: list[DocumentRef],
        waived: dict[str, Waiver],
        decisions: dict[str, Applicability],
        due: set[str],
    ) -> ItemReport | None:
        condition = self.conditional.get(item.code)
        decision = decisions.get(condition.id) if condition else None
        required = item.code in self.required if condition is None else bool(decision and decision.applies)
        waiver = waived.get(item.code)
        if not (required or condition or documents or waiver):
            return None
        stage = stage_of(self.rules, item.code, subclass)
        mapping = self.dat28(item.code, subclass)
        line = ItemReport(
            code=item.code, name=item.name, status="missing", required=required, stage=stage,
            dat28_category=mapping.category if mapping else None, retention=mapping.retention if mapping else None,
            documents=documents, waiver=waiver,
        )
        if documents:
            line.status = "present"
        elif waiver is not None:
            line.status, line.reason = "waived", f"{waiver.who} 豁免：{waiver.reason}"
        elif stage is not None and stage not in due:
            line.status, line.reason = "not_applicable", f"项目尚未到「{stage}」阶段"
        elif decision is not None and not decision.applies:
            line.status, line.reason = "not_applicable", f"{condition.name if condition else ''}：{decision.reason}"
        elif not required:
            return None
        elif decision is not None:
            line.reason = f"{decision.condition.name}：{decision.reason}"
        return line


def _due_stages(profile: ProjectProfile | None) -> set[str]:
    reached = profile.stage if profile else STAGES[-1]
    return set(STAGES[: STAGES.index(reached) + 1])


def _stage_summaries(items: list[ItemReport], due: set[str]) -> list[StageSummary]:
    summaries = []
    for stage in STAGES:
        lines = [i for i in items if i.stage == stage and i.required]
        present = sum(1 for i in lines if i.status in ("present", "waived"))
        missing = sum(1 for i in lines if i.status == "missing")
        counted = present + missing
        summaries.append(StageSummary(
            stage=stage, due=stage in due, required=counted, present=present, missing=missing,
            percent=round(100.0 * present / counted, 1) if counted else 100.0,
        ))
    return summaries
