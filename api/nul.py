"""No NUL (U+0000) in a request's query or path: refused with 422, and said so in the OpenAPI schema.

Why at the edge: PostgreSQL's text cannot hold NUL (psycopg refuses the parameter), so a search
filter, an audit ``since`` or a project code carrying ``%00`` reached the catalog and came back a
500 on a PostgreSQL catalog, while SQLite quietly compared it. No archive value has a NUL in it
(names, codes, dates, query text), so such a request means nothing: it is refused as invalid input,
the same way on both catalogs, before any query is built. The schema says it too (a ``pattern`` on
every string parameter), so a client generating requests from the schema (schemathesis) knows a
NUL is not valid input rather than finding a refusal of valid input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NO_NUL = "^[^\\u0000]*$"  # JSON Schema (ECMA 262) pattern: no U+0000 anywhere


def refuse_nul(request: Request) -> None:
    """A route dependency: 422 when a query or path parameter holds U+0000."""
    places = [("query", name, value) for name, value in request.query_params.multi_items()]
    places += [("path", name, str(value)) for name, value in request.path_params.items()]
    problems = [{"type": "string_pattern_mismatch", "loc": (where, name), "input": value,
                 "msg": "不能含空字符（U+0000）"} for where, name, value in places if "\x00" in value]
    if problems:
        raise RequestValidationError(problems)


def _forbid_in(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and "pattern" not in schema and "format" not in schema:
        schema["pattern"] = NO_NUL
    for branch in schema.get("anyOf", []) + schema.get("oneOf", []):
        _forbid_in(branch)


def schema_without_nul(build: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """Wrap ``app.openapi``: every string query or path parameter gets the ``NO_NUL`` pattern."""

    def openapi() -> dict[str, Any]:
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                    if parameter.get("in") in ("query", "path"):
                        _forbid_in(parameter.get("schema", {}))
        return schema

    return openapi
