"""The core: ArchiveService (the one facade), settings, errors, catalog, store of originals."""

from core.demo import run_demo
from core.errors import ArchiveError
from core.service import ArchiveService
from core.settings import Settings

__all__ = ["ArchiveError", "ArchiveService", "Settings", "run_demo"]
