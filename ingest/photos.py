"""Site photos: when and where a picture was taken, from its EXIF block.

Photo archives (E-class 声像档案) are filed by date and place; the camera wrote both into the file,
so we keep them as metadata instead of asking the archivist to type them. Everything is optional:
scanners and screenshots carry no EXIF, and a malformed block must never cost us the image.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Any

from PIL import ExifTags, Image

logger = logging.getLogger(__name__)

_DATE_TAGS = (ExifTags.Base.DateTimeOriginal, ExifTags.Base.DateTimeDigitized)


def _degrees(value: Any, ref: Any) -> float | None:
    """(degrees, minutes, seconds) rationals + "N"/"S"/"E"/"W" → signed decimal degrees."""
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    if str(ref).strip().upper() in ("S", "W"):
        result = -result
    return round(result, 6)


def _taken_at(exif: Image.Exif) -> str | None:
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    for tag in _DATE_TAGS:
        raw = sub.get(tag)
        if raw:
            break
    else:
        raw = exif.get(ExifTags.Base.DateTime)
    if not raw:
        return None
    try:
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


def photo_meta(data: bytes) -> dict[str, Any]:
    """taken_at (ISO), latitude/longitude (decimal degrees), camera; only what the file states."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            found: dict[str, Any] = {}
            taken = _taken_at(exif)
            if taken:
                found["taken_at"] = taken
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
            longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
            if latitude is not None and longitude is not None:
                found["latitude"], found["longitude"] = latitude, longitude
            camera = " ".join(
                str(exif.get(tag)).strip("\x00 ") for tag in (ExifTags.Base.Make, ExifTags.Base.Model) if exif.get(tag)
            )
            if camera:
                found["camera"] = camera
            return found
    except Exception:  # EXIF is a bonus: a broken block must not cost us the image
        logger.debug("unreadable EXIF", exc_info=True)
        return {}
