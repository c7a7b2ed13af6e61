"""Running the app under uvicorn (``jiandang serve``); uvicorn stays inside ``api``."""

from __future__ import annotations

import os

from fastapi import FastAPI

from api.app import create_app
from api.handover_tasks import recover_exports
from api.options import SERVER_PROCESSES, ApiOptions
from core import Settings


def run(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve until Ctrl-C or SIGTERM, then return (no traceback): the caller stops its watcher after.

    uvicorn shuts down gracefully on the signal and then raises it again for the handler it found;
    with Python's default that is a KeyboardInterrupt inside the event loop, which cancels the
    lifespan mid-shutdown and prints tracebacks. The handlers set here receive that second signal.

    ``workers`` > 1: that many server processes share the port (uvicorn's supervisor spawns them
    and starts a new one if one dies). One Python process holds the interpreter lock for most of
    a request's work, so on a machine with several cores concurrent users are served by several
    processes. Each builds the app from the same ``JIANDANG_*`` environment (``app_from_env``);
    everything they share lives in the catalog and the archive home (task states included).
    """
    import signal

    import uvicorn

    log_level = os.environ.get("JIANDANG_LOG_LEVEL", "info").lower()
    quiet = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if workers > 1:
            recover_exports(settings.home)  # once for all: a worker uvicorn restarts must not fail a sibling's export
            os.environ["JIANDANG_HOME"] = str(settings.home)
            os.environ[SERVER_PROCESSES] = str(workers)
            uvicorn.run("api.server:app_from_env", factory=True, workers=workers, host=host, port=port,
                        log_level=log_level)
        else:
            uvicorn.run(create_app(settings, ApiOptions.from_env()), host=host, port=port, log_level=log_level)
    finally:
        for sig, handler in quiet.items():
            signal.signal(sig, handler)


def app_from_env() -> FastAPI:
    """``uvicorn --factory api.server:app_from_env``: settings and options from ``JIANDANG_*`` variables.

    For running the HTTP server as its own process (browser tests, the API load benchmark)
    without the watcher that ``jiandang serve`` adds.
    """
    return create_app(Settings(), ApiOptions.from_env())
