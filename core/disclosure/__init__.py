"""The disclosure room (issue 18): catalog wiring of the ``disclosure`` package — versions of a
project's 阳光工程 disclosure through draft → reviewed → approved → published (or retracted), the
published packages' files with their sha256, the due list. ``ArchiveService.disclosure`` hands one out.

May import: ``core.oversight`` (the project facts and the holiday calendar), ``core.catalog``,
``core.security`` (accounts, the audit trail), ``core.errors``, and the ``disclosure``, ``oversight``
and ``schemas`` packages.
"""

from core.disclosure.room import DisclosureAction, DisclosureRoom

__all__ = ["DisclosureAction", "DisclosureRoom"]
