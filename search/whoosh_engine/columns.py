"""Per-document columns of one Whoosh segment as numpy arrays, read once per segment.

Whoosh's scorer, facet and sort collectors read a field length, a facet value or a date one
document at a time. ``whoosh_engine.arrays`` needs them for every match at once, so each segment's
columns are read whole into arrays; segments never change, so ``SegmentArrayCache`` keeps them
until a merge removes the segment.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from schemas.search import FACET_FIELDS
from search.whoosh_engine.schema import CONTENT_CHARS, CONTENT_WORDS, DATE, TITLE_CHARS, TITLE_WORDS

SCORED_FIELDS = (CONTENT_CHARS, CONTENT_WORDS, TITLE_CHARS, TITLE_WORDS)


@dataclass
class SegmentArrays:
    """What never changes inside one segment: field lengths, facet values, date sort keys."""

    lengths: dict[str, np.ndarray]  # field → Whoosh's byte-rounded length per document
    facet_codes: dict[str, np.ndarray]  # facet → index into facet_values per document
    facet_values: dict[str, list[Any]]
    dates: np.ndarray


def _length_column(reader: SegmentReader, field: str) -> np.ndarray:
    """Whoosh's byte-rounded field length per document (what its scorer reads one at a time)."""
    count = reader.doc_count_all()
    if field not in reader.schema or not reader.schema[field].scorable:
        return np.ones(count)
    column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return np.ones(count)
    encoded = np.fromiter(column, np.int64, count)
    lengths = np.asarray(_LENGTH_OF_BYTE)[encoded]
    return np.where(encoded > 0, lengths, 1.0)  # the scorer's default for "no length"


_LENGTH_OF_BYTE = [byte_to_length(code) for code in range(256)]


def _coded_column(reader: SegmentReader, name: str) -> tuple[np.ndarray, list[Any]]:
    """A column as small integer codes per document plus the (translated) value of each code.

    Raw values are numbered first and only the distinct ones are translated, which is what
    makes reading a 100,000-document segment take milliseconds, not seconds.
    """
    count = reader.doc_count_all()
    if not reader.has_column(name):
        return np.zeros(count, np.int64), [None]
    numbering: dict[Any, int] = {}
    codes = np.fromiter(
        (numbering.setdefault(raw, len(numbering)) for raw in reader.column_reader(name, translate=False)),
        np.int64,
        count,
    )
    translate = reader.schema[name].from_column_value
    return codes, [translate(raw) for raw in numbering]


def read_segment_arrays(reader: SegmentReader) -> SegmentArrays:
    """Read the per-document columns of one segment (done once per segment, then cached)."""
    count = reader.doc_count_all()
    lengths = {field: _length_column(reader, field) for field in SCORED_FIELDS}
    codes: dict[str, np.ndarray] = {}
    values: dict[str, list[Any]] = {}
    for name in FACET_FIELDS:
        codes[name], values[name] = _coded_column(reader, name)
    dates = np.fromiter(reader.column_reader(DATE, translate=False), np.int64, count)
    return SegmentArrays(lengths, codes, values, dates)


class SegmentArrayCache:
    """``SegmentArrays`` per segment id; segments are immutable, so entries stay valid until merged away."""

    def __init__(self) -> None:
        self._arrays: dict[str, SegmentArrays] = {}
        self._lock = threading.Lock()  # API requests search from several threads

    def for_readers(self, readers: list[tuple[SegmentReader, int]]) -> list[SegmentArrays]:
        current = {reader.segment().segment_id(): reader for reader, _ in readers}
        with self._lock:
            for gone in set(self._arrays) - set(current):
                del self._arrays[gone]
            for segment_id, reader in current.items():
                if segment_id not in self._arrays:
                    self._arrays[segment_id] = read_segment_arrays(reader)
            return [self._arrays[segment_id] for segment_id in current]
