"""Replacing a small file so that a reader, or a crash, sees the old content or the new, never half.

The new text goes to a uniquely named temporary file beside the target (unique, so two threads or
processes writing at once never share one) and is renamed over it; a rename within one directory
is atomic.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding=encoding) as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
