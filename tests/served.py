"""Waiting for a server the tests started in its own process (``jiandang serve``, uvicorn)."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 180.0) -> None:
    """Return once ``url`` answers 200; fail with the server's log if it exits or stays silent.

    The timeout is generous: start-up on a machine loaded by other tests takes many seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer {url} within {timeout:.0f} s")
