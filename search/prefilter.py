"""Narrowing a Haystack filter to an engine query, the same way for every engine.

Only the easy, exact parts of a Haystack filter are translated (``==`` on a string for ``id`` and
the keyword meta fields, combined with AND/OR). The result narrows the candidates; the exact
Haystack semantics are always applied afterwards with ``document_matches_filter``. An AND keeps
the parts it can translate (fewer conditions only widen the candidates); an OR is translated only
when every branch is, else nothing is (a missing branch would drop matches). The engines differ
only in how a term, an AND and an OR are built, which they pass in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

Q = TypeVar("Q")


def haystack_prefilter(
    filters: dict[str, Any] | None,
    fields: Mapping[str, str],
    term: Callable[[str, str], Q],
    all_of: Callable[[list[Q]], Q],
    any_of: Callable[[list[Q]], Q],
) -> Q | None:
    """A query every document matching ``filters`` also matches, or None (no narrowing).

    ``fields`` maps Haystack field names (``id``, ``meta.<key>``) to the engine's field names.
    """
    if not filters or not isinstance(filters, dict):
        return None
    operator = filters.get("operator")
    if "field" in filters:
        field = fields.get(filters.get("field", ""))
        value = filters.get("value")
        if operator == "==" and field and isinstance(value, str) and value:
            return term(field, value)
        return None
    conditions = filters.get("conditions")
    if not isinstance(conditions, list) or not conditions:
        return None
    parts = [haystack_prefilter(c, fields, term, all_of, any_of) for c in conditions]
    if operator == "AND":
        known = [p for p in parts if p is not None]
        return None if not known else known[0] if len(known) == 1 else all_of(known)
    if operator == "OR" and all(p is not None for p in parts):
        present = [p for p in parts if p is not None]
        return present[0] if len(present) == 1 else any_of(present)
    return None
