"""Drawings: DXF text, DWG cataloguing, title blocks (图签) and the 竣工图章 by position."""

from ingest.drawings.dwg import DwgCataloguer
from ingest.drawings.dxf import DxfConverter

__all__ = ["DwgCataloguer", "DxfConverter"]
