"""Keep a jiandang process's scratch files inside its archive home.

Libraries write beside the archive unless told otherwise: SQLite's temporary files go to
``/var/tmp``, the reader pool's socket and Python's temporaries to ``/tmp``, ezdxf's font cache
and onnxruntime's device id under ``~/.cache``. On a server that is data outside the folder an
administrator backs up and secures, and on a shared machine it is data other users can see. The
command line (its edge, where settings are built) points them all into the home before anything
is imported that would read the environment.

One exception: the reader pool's forkserver listens on a Unix socket in multiprocessing's temporary
folder, and a socket's path may not exceed 107 bytes. Under a home whose path is too long for that,
only that folder (mode 0700, made and removed by multiprocessing, holding nothing but the socket)
is placed in the system's temporary folder; every file with content stays in the home.
"""

from __future__ import annotations

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
    scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
    cache.mkdir(parents=True, exist_ok=True)
    for variable in ("TMPDIR", "SQLITE_TMPDIR"):
        os.environ[variable] = str(scratch)
    os.environ["XDG_CACHE_HOME"] = str(cache)
    tempfile.tempdir = str(scratch)
    if len(os.fsencode(scratch)) > _SOCKET_ROOM:
        logger.info("the home's path is too long for a socket; the reader pool's socket goes to %s",
                    socket_folder_outside())


def socket_folder_outside() -> str:
    """Have multiprocessing make its private temporary folder (for sockets) in the system's temporary folder.

    ``multiprocessing.util.get_temp_dir`` makes the folder once per process, in ``tempfile``'s
    folder of the moment, and removes it at exit; pointing ``tempfile`` at the system's folder for
    that one call is enough. A process that made it earlier keeps the one it has.
    """
    import multiprocessing.util

    chosen = tempfile.tempdir
    tempfile.tempdir = _SYSTEM_TEMP
    try:
        return multiprocessing.util.get_temp_dir()
    finally:
        tempfile.tempdir = chosen
