"""The core: ``ArchiveService`` (the one facade both skins call), its settings and error tree,
and the rooms it wires together (see ARCHITECTURE.md for the map).

The names below are loaded on first use, so that ``import core.settings`` (the CLI's start-up,
a reader process) does not import the whole archive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.demo import run_demo
    from core.errors import ArchiveError
    from core.service import ArchiveService
    from core.settings import Settings

__all__ = ["ArchiveError", "ArchiveService", "Settings", "run_demo"]


def __getattr__(name: str) -> Any:
    if name == "ArchiveService":
        from core.service import ArchiveService

        return ArchiveService
    if name == "Settings":
        from core.settings import Settings

        return Settings
    if name == "ArchiveError":
        from core.errors import ArchiveError

        return ArchiveError
    if name == "run_demo":
        from core.demo import run_demo

        return run_demo
    raise AttributeError(f"module 'core' has no attribute {name!r}")
