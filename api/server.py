"""Running the app under uvicorn (``jiandang serve``); uvicorn stays inside ``api``."""

from __future__ import annotations

import os

from fastapi import FastAPI

from api.app import create_app
from api.options import ApiOptions
from core import Settings


def run(settings: Settings, host: str, port: int) -> None:
    """Serve until Ctrl-C or SIGTERM, then return (no traceback): the caller stops its watcher after.

    uvicorn shuts down gracefully on the signal and then raises it again for the handler it found;
    with Python's default that is a KeyboardInterrupt inside the event loop, which cancels the
    lifespan mid-shutdown and prints tracebacks. The handlers set here receive that second signal.
    """
    import signal

    import uvicorn

    quiet = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.run(create_app(settings, ApiOptions.from_env()), host=host, port=port,
                    log_level=os.environ.get("JIANDANG_LOG_LEVEL", "info").lower())
    finally:
        for sig, handler in quiet.items():
            signal.signal(sig, handler)


def app_from_env() -> FastAPI:
    """``uvicorn --factory api.server:app_from_env``: settings and options from ``JIANDANG_*`` variables.

    For running the HTTP server as its own process (browser tests, the API load benchmark)
    without the watcher that ``jiandang serve`` adds.
    """
    return create_app(Settings(), ApiOptions.from_env())
