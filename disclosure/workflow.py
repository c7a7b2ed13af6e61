"""The disclosure workflow as rules: which action moves a version from which state to which, and
who may take it.

    draft ──review──▶ reviewed ──approve──▶ approved ──publish──▶ published ──retract──▶ retracted
      ▲                   │                     │
      └──────return───────┴─────────────────────┘

Only a draft may change (rebuilt from the archive, a redaction added, an item withheld); a
reviewed or approved version that the archive has moved past is superseded by a new draft, so an
approval always covers exactly the content that is published. Approval needs a second person:
whoever reviewed a version may not approve it. A retraction keeps the version and its files and
states why.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.disclosure import DisclosureState as S

MIN_REASON = 2


class WorkflowRefused(ValueError):
    """An action the version's state or the person's part in it does not allow."""


@dataclass(frozen=True)
class Step:
    action: str
    name: str  # Chinese, for messages and the audit trail
    sources: frozenset[S]
    target: S
    needs_reason: bool = False


STEPS = {
    "review": Step("review", "审核", frozenset({S.DRAFT}), S.REVIEWED),
    "return": Step("return", "退回修改", frozenset({S.REVIEWED, S.APPROVED}), S.DRAFT, needs_reason=True),
    "approve": Step("approve", "批准", frozenset({S.REVIEWED}), S.APPROVED),
    "publish": Step("publish", "发布", frozenset({S.APPROVED}), S.PUBLISHED),
    "retract": Step("retract", "撤回", frozenset({S.PUBLISHED}), S.RETRACTED, needs_reason=True),
}
STATE_WORDS = {S.DRAFT: "草稿", S.REVIEWED: "已审核", S.APPROVED: "已批准", S.PUBLISHED: "已发布",
               S.RETRACTED: "已撤回", S.SUPERSEDED: "已被取代"}
OPEN_STATES = frozenset({S.DRAFT, S.REVIEWED, S.APPROVED})


def step(action: str, state: S, who: str, *, reviewed_by: str | None = None, reason: str | None = None) -> Step:
    """The step ``action`` takes from ``state``, or ``WorkflowRefused`` saying why not."""
    if action not in STEPS:
        raise WorkflowRefused(f"未知的操作 {action!r}")
    found = STEPS[action]
    if state not in found.sources:
        allowed = "、".join(STATE_WORDS[s] for s in sorted(found.sources))
        raise WorkflowRefused(f"{STATE_WORDS[state]}的版本不能{found.name}（只有{allowed}的版本可以）")
    if found.needs_reason and len((reason or "").strip()) < MIN_REASON:
        raise WorkflowRefused(f"{found.name}须写明理由")
    if action == "approve" and reviewed_by is not None and reviewed_by == who:
        raise WorkflowRefused(f"审核人 {who} 不能批准自己审核的版本：批准须由另一人进行")
    return found


def editable(state: S) -> None:
    """Only a draft's content may change."""
    if state is not S.DRAFT:
        raise WorkflowRefused(f"{STATE_WORDS[state]}的版本不能修改；请先退回为草稿或生成新草稿")
