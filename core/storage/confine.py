"""Keep a jiandang process's scratch files inside its archive home.

Libraries write beside the archive unless told otherwise: SQLite's temporary files go to
``/var/tmp``, the reader pool's socket and Python's temporaries to ``/tmp``, ezdxf's font cache
and onnxruntime's device id under ``~/.cache``. On a server that is data outside the folder an
administrator backs up and secures, and on a shared machine it is data other users can see. The
command line (its edge, where settings are built) points them all into the home before anything
is imported that would read the environment.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def confine_scratch(home: Path) -> None:
    """Send temporary files and caches of this process (and its children) under ``home``."""
    scratch, cache = home / "tmp", home / "cache" / "libraries"
    scratch.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    for variable in ("TMPDIR", "SQLITE_TMPDIR"):
        os.environ[variable] = str(scratch)
    os.environ["XDG_CACHE_HOME"] = str(cache)
    tempfile.tempdir = str(scratch)
