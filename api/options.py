"""Knobs of the HTTP skin that the archive core does not need (cookies, body limits)."""

from __future__ import annotations

import os
from dataclasses import dataclass

SERVER_PROCESSES = "JIANDANG_SERVER_PROCESSES"  # set by ``jiandang serve --workers N`` for its processes


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ApiOptions:
    """Built at the edge (``jiandang serve``, tests) and handed to ``create_app``."""

    secure_cookies: bool = False  # set True behind HTTPS (JIANDANG_SECURE_COOKIES=1)
    max_upload_bytes: int = 512 * 1024 * 1024  # whole multipart body of one upload
    max_upload_files: int = 200
    max_form_bytes: int = 64 * 1024  # any other POST body (login, forms)
    upload_workers: int = 1  # one writer at a time anyway (core.storage.locks.writer_lock)
    export_keep_days: int = 7  # handover zips on the server are removed this long after they finished
    sole_server: bool = True  # False: one of several processes serving this home (serve --workers N)

    @classmethod
    def from_env(cls) -> ApiOptions:
        limit = os.environ.get("JIANDANG_MAX_UPLOAD_BYTES")
        return cls(
            secure_cookies=_env_flag("JIANDANG_SECURE_COOKIES", False),
            max_upload_bytes=int(limit) if limit else cls.max_upload_bytes,
            export_keep_days=int(os.environ.get("JIANDANG_EXPORT_KEEP_DAYS", cls.export_keep_days)),
            sole_server=int(os.environ.get(SERVER_PROCESSES, "1")) <= 1,
        )
