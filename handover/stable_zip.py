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
import shutil
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import IO

CORE_PROPS = "docProps/core.xml"
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")

# Rewrites one zip entry from its source stream to its destination stream (see ``normalise``).
EntryTransform = Callable[[IO[bytes], IO[bytes]], None]


def _restamp(stamp: bytes) -> EntryTransform:
    def transform(src: IO[bytes], dst: IO[bytes]) -> None:
        dst.write(_STAMP.sub(lambda m: m.group(1) + stamp + m.group(3), src.read()))
    return transform


def normalise(path: Path, when: datetime, transforms: Mapping[str, EntryTransform] | None = None) -> None:
    """Rewrite the OOXML zip at ``path`` so its bytes depend only on its content and ``when``.

    Entries are streamed, never read whole, and ``transforms`` may rewrite named entries on the
    way through: that is how the DOCX writer pours thousands of table rows into ``document.xml``
    without holding them in an XML tree.
    """
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    rewrite = {CORE_PROPS: _restamp(stamp), **(transforms or {})}
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            with src.open(info) as reader, dst.open(entry, "w") as writer:
                transform = rewrite.get(info.filename)
                if transform is None:
                    shutil.copyfileobj(reader, writer, 1024 * 1024)
                else:
                    transform(reader, writer)
    os.replace(tmp, path)
