"""Running the app under uvicorn (``jiandang serve``); uvicorn stays inside ``api``."""

from __future__ import annotations

import os

from api.app import create_app
from api.options import ApiOptions
from core import Settings


def run(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(settings, ApiOptions.from_env()), host=host, port=port,
                log_level=os.environ.get("JIANDANG_LOG_LEVEL", "info").lower())
