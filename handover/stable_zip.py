"""Making XLSX and DOCX files byte-stable: fixed zip timestamps and fixed document dates.

openpyxl stamps ``dcterms:modified`` with the clock on every save and both libraries write zip
entries with the current time, so two exports a second apart would differ in every inventory.
The inventories live in the payload (they are what the receiving archivist signs), so we rewrite
each file once after saving: same entries in the same order, every entry dated with the
catalog's "as of" moment, and the core properties' created/modified set to it as well.
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import datetime
from pathlib import Path

CORE_PROPS = "docProps/core.xml"
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalise(path: Path, when: datetime) -> None:
    """Rewrite the OOXML zip at ``path`` so its bytes depend only on its content and ``when``."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == CORE_PROPS:
                data = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    os.replace(tmp, path)
