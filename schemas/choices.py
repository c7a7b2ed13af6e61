"""The fixed choices the command line offers as options (roles, watch modes), as plain enums.

Kept apart from the pydantic models that use them so that ``jiandang --help`` can build its
options without building those models (``schemas.api`` alone costs about a second of start-up
on a busy 2-core machine). ``schemas.api`` and ``schemas.watch`` re-export them.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who someone is in the archive room; a role grants a fixed set of permissions."""

    ARCHIVIST = "archivist"  # 档案员: takes files in, corrects filing
    AUDITOR = "auditor"  # 审计/纪检: reads everything, changes nothing, reads the audit log
    ASSET_MANAGER = "asset_manager"  # 资产管理: reads, exports handover bundles
    APPROVER = "approver"  # 审批人 (分管领导): reads, approves or retracts a disclosure (issue 18)
    ADMIN = "admin"  # 管理员: everything, including accounts


class WatchMode(StrEnum):
    """How changes are noticed: inotify, polling, or decided from the mount table."""

    EVENTS = "events"
    POLLING = "polling"
    AUTO = "auto"


class ProjectMapping(StrEnum):
    """Which project a watched file belongs to."""

    FIRST_LEVEL_FOLDER = "first-level-folder"  # root/<project code>/…
    FIXED = "fixed"  # every file of the root goes to ``project``
