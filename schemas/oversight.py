"""Project oversight for auditors: facts with their evidence, the money ledger, changes and flags.

These are the shapes every skin hands out and issue 18 (disclosure) builds on. ``OversightReport``
is the ``--json`` / ``GET /api/projects/{code}/oversight`` contract and must not change shape:
scripts depend on it. Everything richer (where each ledger value came from, corrections, the
per-contract change curves) lives in ``OversightDetail`` and ``ProjectFacts``.

Amounts are float 元 everywhere; each fact also keeps the unit it was written in (元 / 万元 / 亿元 /
大写, or % for a 下浮率) so an auditor can see what the document said.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from schemas.base import Schema

Severity = Literal["high", "medium", "low"]
FactValue = float | int | str | dt.date | bool


class Evidence(Schema):
    """Where a fact was read: the document, its page, the passage and the character span in its text."""

    document_id: str
    page: int = Field(ge=1, description="1-based page (form feeds in the stored text)")
    start: int = Field(ge=0, description="character offset of the passage in the document's stored text")
    end: int = Field(ge=0)
    passage: str = Field(description="the line the value was read from, as written")


class Fact(Schema):
    """One value a document states, e.g. contract_price = 12864500.0 元 (written in 大写 and 小写)."""

    name: str = Field(description="fact name, e.g. contract_price, acceptance_date (oversight/data/kinds.yaml)")
    label: str = Field(description="the fact's Chinese name, e.g. 合同价")
    type: Literal["money", "date", "percent", "days", "text", "party", "code", "pattern", "number"]
    value: FactValue
    unit: str | None = Field(default=None, description="as written: 元, 万元, 亿元, 大写, %, 天")
    tax: Literal["含税", "不含税"] | None = None
    raw: str = Field(description="the value's text as written")
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: Evidence
    corrected: Correction | None = Field(default=None, description="an auditor's correction that overrides it")

    @model_validator(mode="after")
    def _typed_value(self) -> Fact:
        """JSON keeps dates as text; a date fact read back from storage is a date again."""
        if self.type == "date" and isinstance(self.value, str):
            self.value = dt.date.fromisoformat(self.value)
        return self


class DocumentFacts(Schema):
    """What one document says, and what kind of document the oversight reader took it for."""

    document_id: str
    title: str | None = None
    kind: str = Field(description="document kind id (oversight/data/kinds.yaml), e.g. contract, visa")
    kind_name: str
    contract_type: str | None = Field(default=None, description="施工 / 监理 / 设计 / 勘察 / 货物 / 服务")
    date: dt.date | None = Field(default=None, description="the document's own date for ordering checks")
    facts: list[Fact] = Field(default_factory=list)
    inconsistencies: list[str] = Field(default_factory=list, description="e.g. 大写 and 小写 disagree")

    def first(self, name: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.name == name), None)

    def values(self, name: str) -> list[FactValue]:
        return [fact.value for fact in self.facts if fact.name == name]


class Correction(Schema):
    """An auditor's correction of an extracted value; it overrides the value and never erases it."""

    id: int | None = None
    project: str
    document_id: str | None = Field(default=None, description="None: a ledger line with no document behind it")
    name: str = Field(description="fact name (with a document) or ledger key (without)")
    value: FactValue | None
    reason: str = Field(min_length=2)
    who: str
    at: str = Field(description="UTC time, ISO 8601")
    replaces: FactValue | None = Field(default=None, description="the value it overrides, as extracted")

    @model_validator(mode="after")
    def _typed_value(self) -> Correction:
        for name in ("value", "replaces"):
            value = getattr(self, name)
            if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
                with contextlib.suppress(ValueError):
                    setattr(self, name, dt.date.fromisoformat(value))
        return self


class Conflict(Schema):
    """Two documents that disagree on one fact; both are named, neither is silently picked."""

    name: str
    label: str
    scope_key: str = Field(description="what must agree: the project, or a contract (type/counterparty)")
    values: list[tuple[FactValue, str]] = Field(description="(value, document id) per distinct value")


class ProjectFacts(Schema):
    """Every fact of a project with its evidence: the facts API (``ArchiveService.oversight.facts``)."""

    project: str
    documents: list[DocumentFacts]
    conflicts: list[Conflict] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[DocumentFacts]:
        return [doc for doc in self.documents if doc.kind in kinds]


Fact.model_rebuild()


class Ledger(Schema):
    """The money chain, in 元 (null where the archive does not state it)."""

    estimate: float | None = None
    approved_budget: float | None = None
    control_price: float | None = None
    bid_price: float | None = None
    contract_price: float | None = None
    changes_total: float | None = None
    settlement_submitted: float | None = None
    settlement_approved: float | None = None
    final_accounts: float | None = None
    paid_total: float | None = None


class ChangeEntry(Schema):
    document_id: str
    kind: str = Field(description="设计变更 / 工程洽商 / 现场签证")
    number: str | None = None
    date: dt.date | None = None
    amount: float | None = None


class Flag(Schema):
    """A reason to open the file, never a verdict: the check, what was compared, and where to look."""

    check: str = Field(description="check id, C01…C25 as in the audit reference (C00: conflicting values)")
    severity: Severity
    message: str
    values: dict[str, Any] = Field(default_factory=dict, description="the values compared")
    documents: list[str] = Field(default_factory=list, description="evidence document ids")
    basis: str = Field(description="the rule's legal basis, with its confidence tag")


class OversightReport(Schema):
    """The ``--json`` and API contract: scripts depend on exactly these keys."""

    project: str
    ledger: Ledger
    changes: list[ChangeEntry]
    flags: list[Flag]


class LedgerLine(Schema):
    """One ledger value with where it came from (for the page and the 审计底稿)."""

    key: str
    label: str
    value: float | None
    documents: list[str] = Field(default_factory=list)
    extracted: float | None = Field(default=None, description="the value read from the documents")
    correction: Correction | None = None
    conflict: bool = False
    note: str | None = None


class ContractLine(Schema):
    document_id: str
    contract_type: str | None
    counterparty: str | None
    price: float | None
    date: dt.date | None
    method: str | None = None
    tendered: bool = False


class OversightDetail(Schema):
    """Everything the project page and the 审计底稿 show; ``report`` is the contract subset."""

    report: OversightReport
    name: str | None = None
    lines: list[LedgerLine]
    contracts: list[ContractLine]
    payments: list[dict[str, Any]] = Field(default_factory=list)
    facts: ProjectFacts


class ContractorSummary(Schema):
    """One contractor across the agency's projects (C10's per-contractor view)."""

    contractor: str
    projects: list[str]
    contracts: int
    contract_total: float
    settlement_approved_total: float | None = None
    settlement_growth: float | None = Field(default=None, description="(审定 − 合同) / 合同 over settled projects")


class AgencyFlag(Flag):
    project: str | None = Field(default=None, description="None for a flag across projects (C10)")
    document_projects: dict[str, str] = Field(default_factory=dict, description="evidence document → its project")


class AgencyOverview(Schema):
    projects: int
    flags: list[AgencyFlag]
    contractors: list[ContractorSummary]
