"""Files made for one request (XLSX reports): written to a temporary folder, sent, then removed."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from api.routes_documents import content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(stem: str, now: datetime, write: Callable[[Path], object]) -> FileResponse:
    """``write(path)`` fills the workbook; the answer is an attachment named ``stem-YYYYmmdd-HHMM.xlsx``."""
    folder = Path(tempfile.mkdtemp(prefix="jiandang-xlsx-"))
    name = f"{stem}-{now:%Y%m%d-%H%M}.xlsx"
    try:
        write(folder / name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(folder / name, media_type=XLSX,
                        headers={"Content-Disposition": content_disposition("attachment", name)},
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))
