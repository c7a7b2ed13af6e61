"""What a package says about itself besides its content: which version, in what state, when
published; and the helpers every renderer shares (dates, counts, the public item ids).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from schemas.disclosure import DisclosureContent, DisclosureState

LOCAL_TIME = ZoneInfo("Asia/Shanghai")  # notices are dated in the agency's own time
STATE_NAMES = {
    DisclosureState.DRAFT: "草稿", DisclosureState.REVIEWED: "已审核，待批准", DisclosureState.APPROVED: "已批准，待发布",
    DisclosureState.PUBLISHED: "已发布", DisclosureState.RETRACTED: "已撤回", DisclosureState.SUPERSEDED: "已被新版本取代",
}
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class PackageMeta:
    version: int
    state: DisclosureState
    published_at: datetime | None = None
    report_channel: str | None = None

    @property
    def draft(self) -> bool:
        return self.state is not DisclosureState.PUBLISHED

    @property
    def published_on(self) -> str | None:
        return cn_date(self.published_at.astimezone(LOCAL_TIME).date()) if self.published_at else None


def cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def numeral(index: int) -> str:
    return NUMERALS[index] if index < len(NUMERALS) else str(index + 1)


def public_id(key: str) -> str:
    """An item's id as published: stable across versions, letters only (a hex id could hold a run
    of digits that reads like a phone number, and the archive's document ids stay inside).
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return "".join(chr(ord("a") + int(ch, 16)) for ch in digest)


def redaction_counts(content: DisclosureContent) -> list[tuple[str, int]]:
    counts = Counter(r.kind_name for r in content.redactions)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def title_of(content: DisclosureContent) -> str:
    return f"{content.project_name or content.project} 信息公开"
