"""The oversight room (issue 17): catalog wiring of the ``oversight`` package — stored facts per
document, auditors' corrections, audited views. ``ArchiveService.oversight`` hands one out.

May import: ``core.catalog``, ``core.security`` (the audit trail), ``core.errors``, and the ``oversight``
package and ``schemas``.
"""

from core.oversight.room import OversightAction, OversightRoom

__all__ = ["OversightAction", "OversightRoom"]
