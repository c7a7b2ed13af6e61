"""Keep a jiandang process's scratch files inside its archive home.

Libraries write beside the archive unless told otherwise: SQLite's temporary files go to
``/var/tmp``, the reader pool's socket and Python's temporaries to ``/tmp``, ezdxf's font cache
and onnxruntime's device id under ``~/.cache``. On a server that is data outside the folder an
administrator backs up and secures, and on a shared machine it is data other users can see. The
command line (its edge, where settings are built) points them all into the home before anything
is imported that would read the environment.

One exception: the reader pool talks over a Unix socket in the scratch folder, and a socket's
path may not exceed 107 bytes. Under a home whose path is too long for that, the scratch folder
is a private one (mode 0700) in the system's temporary folder, named after the home.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

# multiprocessing's socket: <scratch>/pymp-XXXXXXXX/listener-XXXXXXXX, within sun_path's 107 bytes.
_SOCKET_ROOM = 107 - len("/pymp-xxxxxxxx/listener-xxxxxxxx") - 4
# The system's own temporary folder, not $TMPDIR: a parent jiandang may have pointed that into its home.
_SYSTEM_TEMP = "/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()


def confine_scratch(home: Path) -> None:
    """Send temporary files and caches of this process (and its children) under ``home``."""
    scratch, cache = home / "tmp", home / "cache" / "libraries"
    if len(os.fsencode(scratch)) > _SOCKET_ROOM:
        tag = hashlib.sha256(os.fsencode(home.resolve())).hexdigest()[:12]
        scratch = Path(_SYSTEM_TEMP) / f"jiandang-{os.getuid()}-{tag}"
        logger.info("the home's path is too long for a socket; scratch files go to %s", scratch)
    scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
    cache.mkdir(parents=True, exist_ok=True)
    for variable in ("TMPDIR", "SQLITE_TMPDIR"):
        os.environ[variable] = str(scratch)
    os.environ["XDG_CACHE_HOME"] = str(cache)
    tempfile.tempdir = str(scratch)
