"""The oversight room (issue 17): the ``oversight`` package wired to the catalog — the facts read
once per document and stored, auditors' corrections (append-only), and the audited views: a
project's money chain and flags, the agency-wide scan, the 审计底稿.

May import: ``core.catalog``, ``core.security`` (the audit trail), ``core.errors``, ``oversight``,
``schemas``.
"""

from core.oversight.room import OversightAction, OversightRoom

__all__ = ["OversightAction", "OversightRoom"]
