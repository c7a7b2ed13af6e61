"""How a Haystack Document is kept in an index and how its meta values are read for indexing.

Both engines store the whole Document as JSON so it comes back exactly as written (Haystack's
store tests compare documents exactly), and both read dates and amounts out of the meta the same
way, so a filter selects the same documents whichever engine answers.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from schemas import meta as M
from search.results import IndexedDocument

if TYPE_CHECKING:  # Haystack is imported by what writes or filters, not by a search (see results.py)
    from haystack import Document


@cache
def _document_fields() -> tuple[str, ...]:
    from haystack import Document

    return tuple(field.name for field in fields(Document))


def document_json(document: Document) -> str:
    """The exact, lossless copy of a Document that the index stores.

    The same JSON as ``Document.to_dict(flatten=False)``, whose ``dataclasses.asdict`` deep-copies
    every meta value first (a third of the cost of indexing a document): the fields are read
    as they are, and only when one holds something JSON cannot write (a dataclass in the meta,
    say) does ``to_dict`` convert it.
    """
    data = {name: getattr(document, name) for name in _document_fields()}
    if document.blob is not None:
        data["blob"] = document.blob.to_dict()
    if document.sparse_embedding is not None:
        data["sparse_embedding"] = document.sparse_embedding.to_dict()
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=True)
    except TypeError:
        pass
    try:
        return json.dumps(document.to_dict(flatten=False), ensure_ascii=False, allow_nan=True)
    except TypeError as exc:
        raise ValueError(f"document {document.id!r} has meta that is not JSON-serialisable: {exc}") from exc


def document_from_json(raw: str | bytes) -> Document:
    from haystack import Document

    return Document.from_dict(json.loads(raw))


def indexed_from_json(raw: str | bytes, score: float | None = None) -> IndexedDocument:
    """What a search hit carries, read from the stored JSON without building a Haystack Document."""
    data = json.loads(raw)
    return IndexedDocument(id=data["id"], content=data.get("content"), meta=data.get("meta") or {}, score=score)


def parse_date(value: Any) -> datetime | None:
    """A naive datetime from an ISO date/datetime string (aware ones converted to UTC), else None."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def finite_number(value: Any) -> float | None:
    """A real, finite int/float as float; booleans, strings, NaN and infinities are not amounts."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def meta_year(meta: dict[str, Any], when: datetime | None) -> int | None:
    """The ``year`` meta when it is an int, else the year of the document date."""
    year = meta.get(M.YEAR)
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    return when.year if when is not None else None
