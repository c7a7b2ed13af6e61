"""A project's facts as one whole: auditors' corrections laid over what was read, and the places
where two documents disagree.

Corrections override a value and keep it: the fact still carries what the document said, with
the correction beside it. A correction for a fact no document states adds the fact (an auditor
found the 概算 in a paper file) and says so. Conflicts compare the documents that must agree on a
fact (the fact's ``scope``): one per project (估算, 审定金额 …) or one per contract (its type and
counterparty), among documents of one kind or of kinds the rules say state the same figure
(``agree``); both values are named, neither is picked silently.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from oversight.rules import CompiledRules
from schemas.oversight import Conflict, Correction, DocumentFacts, Evidence, Fact, FactValue, ProjectFacts

MONEY_TOLERANCE = 0.5  # 元: two amounts closer than this are the same amount
ASSUMED_TYPE = "施工"  # a permit or a settlement that names no contract type is about the works


def effective(fact: Fact) -> FactValue:
    """The value that counts: an auditor's correction if there is one, else what was read."""
    return fact.corrected.value if fact.corrected is not None and fact.corrected.value is not None else fact.value


def number(doc: DocumentFacts, name: str) -> float | None:
    """A document's first value of a fact as a number (corrections applied), or None."""
    fact = doc.first(name)
    if fact is None:
        return None
    value = effective(fact)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def value(doc: DocumentFacts, name: str) -> FactValue | None:
    """A document's first value of a fact (corrections applied), or None."""
    fact = doc.first(name)
    return None if fact is None else effective(fact)


def _apply(documents: list[DocumentFacts], corrections: list[Correction], rules: CompiledRules) -> None:
    by_id = {doc.document_id: doc for doc in documents}
    for correction in sorted(corrections, key=lambda c: (c.at, c.id or 0)):
        doc = by_id.get(correction.document_id or "")
        if doc is None:
            continue
        fact = doc.first(correction.name)
        if fact is not None:
            fact.corrected = correction.model_copy(update={"replaces": fact.value})
            continue
        if correction.name not in rules.source.facts or correction.value is None:
            continue
        added = Fact(name=correction.name, label=rules.label(correction.name), type=rules.source.facts[correction.name].type,
                     value=correction.value, raw="（审计更正）",
                     confidence=1.0, evidence=Evidence(document_id=doc.document_id, page=1, start=0, end=0,
                                                       passage=f"审计更正：{correction.reason}"),
                     corrected=correction)
        doc.facts.append(added)
        if correction.name == _date_fact(rules, doc.kind) and isinstance(correction.value, date):
            doc.date = correction.value


def _date_fact(rules: CompiledRules, kind: str) -> str | None:
    return next((k.definition.date_fact for k in rules.kinds if k.definition.id == kind), None)


def counterparty(doc: DocumentFacts) -> str | None:
    for name in ("contractor", "winner"):
        fact = doc.first(name)
        if fact is not None:
            return str(effective(fact))
    return None


def _same(a: FactValue, b: FactValue) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < MONEY_TOLERANCE
    return a == b


def _contract_key(doc: DocumentFacts, known: dict[str, set[str]]) -> str | None:
    """Which contract a document is about: its type and counterparty ("施工合同（某公司）")."""
    kind_type = doc.contract_type or ASSUMED_TYPE
    party = counterparty(doc)
    if party is None:
        parties = known.get(kind_type, set())
        if len(parties) > 1:
            return None  # which of several contracts it is about cannot be told
        party = next(iter(parties), "")
    return f"{kind_type}合同" + (f"（{party}）" if party else "")


def _contracts_by_key(documents: list[DocumentFacts], known: dict[str, set[str]]) -> dict[str, set[str]]:
    """Contract key → the contracts under it (their numbers, else their document ids)."""
    contracts: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        if doc.kind == "contract" and (key := _contract_key(doc, known)) is not None:
            number = doc.first("number")
            contracts[key].add(str(effective(number)) if number else doc.document_id)
    return contracts


def _group_key(doc: DocumentFacts, name: str, rules: CompiledRules, known: dict[str, set[str]],
               contracts: dict[str, set[str]]) -> str | None:
    """What must agree with this document's fact: the project or the one contract, within a family."""
    scope = rules.source.facts[name].scope
    if scope == "none":
        return None
    key = "项目" if scope == "project" else _contract_key(doc, known)
    if key is not None and scope == "contract" and len(contracts.get(key, ())) > 1:
        if doc.kind != "contract":
            return None  # several contracts fit: nothing to compare with
        number = doc.first("number")
        key = f"{key}#{effective(number) if number else doc.document_id}"
    if key is None:
        return None
    family = "+".join(rules.source.agree[name]) if doc.kind in rules.source.agree.get(name, ()) else doc.kind
    return f"{key}/{family}"


def find_conflicts(documents: list[DocumentFacts], rules: CompiledRules) -> list[Conflict]:
    """Documents that must agree on a fact and do not. Two contracts with one party are two
    contracts (each its own, unless they share a number); a permit or a settlement report is
    compared with the contract only when it can be only one.
    """
    known: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        party = counterparty(doc)
        if party and doc.kind in ("contract", "award"):
            known[doc.contract_type or ASSUMED_TYPE].add(party)
    contracts = _contracts_by_key(documents, known)
    groups: dict[tuple[str, str], list[tuple[FactValue, str]]] = defaultdict(list)
    for doc in documents:
        for name in dict.fromkeys(fact.name for fact in doc.facts):
            key = _group_key(doc, name, rules, known, contracts)
            if key is not None:
                groups[(name, key)].append((effective(doc.first(name)), doc.document_id))
    conflicts = []
    for (name, key), values in groups.items():
        distinct: list[tuple[FactValue, str]] = []
        for value, doc_id in values:
            if not any(_same(value, seen) for seen, _ in distinct):
                distinct.append((value, doc_id))
        if len(distinct) > 1:
            scope_key = key.split("/")[0].split("#")[0]
            conflicts.append(Conflict(name=name, label=rules.label(name), scope_key=scope_key, values=distinct))
    return conflicts


def assemble(project: str, documents: list[DocumentFacts], corrections: list[Correction],
             rules: CompiledRules) -> ProjectFacts:
    """The project's facts with corrections applied and conflicts found.

    ``documents`` are changed in place (corrections attached): callers pass freshly loaded ones.
    """
    _apply(documents, corrections, rules)
    documents.sort(key=lambda doc: (doc.date or date.max, doc.document_id))
    return ProjectFacts(project=project, documents=documents, conflicts=find_conflicts(documents, rules),
                        corrections=corrections)
