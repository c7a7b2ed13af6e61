"""Legacy and national formats: Word 97–2003 / WordML .doc, WPS .wps, and OFD (GB/T 33190)."""

from ingest.legacy.ofd import OfdConverter
from ingest.legacy.word import LegacyWordConverter

__all__ = ["LegacyWordConverter", "OfdConverter"]
