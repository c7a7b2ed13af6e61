"""The HTTP API and the server-rendered web UI (FastAPI). Thin: validate → call the service → map."""

from schemas.base import build_from_now_on

build_from_now_on()  # before any route is defined: a server builds its models before it serves (schemas/base.py)

from api.app import create_app  # noqa: E402
from api.options import ApiOptions  # noqa: E402

__all__ = ["ApiOptions", "create_app"]
