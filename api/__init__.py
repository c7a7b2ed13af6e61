"""The HTTP API and the server-rendered web UI (FastAPI). Thin: validate → call the service → map."""

from api.app import create_app
from api.options import ApiOptions

__all__ = ["ApiOptions", "create_app"]
