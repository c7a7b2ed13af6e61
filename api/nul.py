"""No NUL (U+0000) in a request's query, path or JSON body: refused with 422, and said so in the schema.

Why at the edge: PostgreSQL's text cannot hold NUL (psycopg refuses the parameter), so a search
filter, an audit ``since`` or a project code carrying ``%00`` reached the catalog and came back a
500 on a PostgreSQL catalog, while SQLite quietly compared it. No archive value has a NUL in it
(names, codes, dates, query text), so such a request means nothing: it is refused as invalid input,
the same way on both catalogs, before any query is built. JSON bodies (a project's name, a
correction's value, a redaction's text) are held to the same rule: on PostgreSQL a NUL there was
refused only at the catalog, with a 400 for a request the schema called valid, and on SQLite it
was stored. The schema says it too (a ``pattern`` on every string parameter and every string of a
request body, ``propertyNames`` on free-form maps), so a client generating requests from the
schema (schemathesis) knows a NUL is not valid input rather than finding a refusal of valid input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NO_NUL = "^[^\\u0000]*$"  # JSON Schema (ECMA 262) pattern: no U+0000 anywhere
# A field the archive strips and then requires (a saved search's name, a reason) says so in its
# pattern, and still refuses NUL: a field with a pattern of its own does not get NO_NUL added.
VISIBLE = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"  # at least one character that is not white space
TWO_VISIBLE = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*[^\\s\\u0000][^\\u0000]*$"  # at least two


async def refuse_nul(request: Request) -> None:
    """A route dependency: 422 when a query or path parameter, or a JSON body's string, holds U+0000."""
    places = [(("query", name), value) for name, value in request.query_params.multi_items()]
    places += [(("path", name), str(value)) for name, value in request.path_params.items()]
    if request.headers.get("content-type", "").startswith("application/json"):
        places += _body_strings(await request.body())
    problems = [{"type": "string_pattern_mismatch", "loc": where, "input": value,
                 "msg": "不能含空字符（U+0000）"} for where, value in places if "\x00" in value]
    if problems:
        raise RequestValidationError(problems)


def _body_strings(body: bytes) -> list[tuple[tuple[Any, ...], str]]:
    """Every string of a JSON body (keys included) with its place; only parsed when an escaped NUL is there.

    A raw NUL byte is not valid JSON at all (FastAPI refuses it), so ``\\u0000`` in the bytes is
    the only way one gets in; the common body without it costs one substring search.
    """
    if b"\\u0000" not in body:
        return []
    try:
        value = json.loads(body)
    except ValueError:
        return []  # FastAPI's own parsing refuses it with its message
    found: list[tuple[tuple[Any, ...], str]] = []

    def walk(item: Any, where: tuple[Any, ...]) -> None:
        if isinstance(item, str):
            found.append((where, item))
        elif isinstance(item, dict):
            for key, inner in item.items():
                found.append(((*where, key), key))
                walk(inner, (*where, key))
        elif isinstance(item, list):
            for number, inner in enumerate(item):
                walk(inner, (*where, number))

    walk(value, ("body",))
    return found


def _forbid_in(schema: dict[str, Any], components: dict[str, Any] | None = None,
               seen: set[str] | None = None) -> None:
    """Give every plain string in ``schema`` the ``NO_NUL`` pattern, following ``$ref`` into ``components``.

    With ``components`` (a request body) the walk goes into objects, arrays and referenced models,
    and free-form maps get ``propertyNames`` too; each component is visited once.
    """
    if schema.get("type") == "string" and "pattern" not in schema and "format" not in schema:
        schema["pattern"] = NO_NUL
    inner = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    if components is not None:
        seen = set() if seen is None else seen
        reference = schema.get("$ref", "")
        name = reference.rsplit("/", 1)[-1]
        if reference.startswith("#/components/schemas/") and name not in seen and name in components:
            seen.add(name)
            inner.append(components[name])
        inner += list(schema.get("properties", {}).values())
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                inner.append(schema[key])
        if isinstance(schema.get("additionalProperties"), dict):
            schema.setdefault("propertyNames", {}).setdefault("pattern", NO_NUL)
    for branch in inner:
        _forbid_in(branch, components, seen)


def schema_without_nul(build: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """Wrap ``app.openapi``: every string query or path parameter, and every string a JSON request
    body can hold, gets the ``NO_NUL`` pattern.
    """

    def openapi() -> dict[str, Any]:
        schema = build()
        components = schema.get("components", {}).get("schemas", {})
        seen: set[str] = set()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") in ("query", "path"):
                        _forbid_in(parameter.get("schema", {}))
                body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                _forbid_in(body.get("schema", {}), components, seen)
        return schema

    return openapi
