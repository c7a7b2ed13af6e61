"""The base of every model in ``schemas``: pydantic builds a model's validator and serializer when
it is first used, not when its module is imported.

A command imports far more models than it uses (``jiandang search`` imported about 90 through the
catalog, the audit trail and the project desk, and used four); building them all at import cost
about 0.15 s of every command's start (README "Start-up"). A model is built once, on its first
validation, dump or schema; FastAPI builds the API's models when it builds its routes, as before.
Two threads may use a model first at once (the server's warm-up and a request): pydantic 2.14
(pinned) rebuilds under a lock; before 2.14 a deferred build raced (pydantic PR 13438).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Schema(BaseModel):
    """``pydantic.BaseModel`` built on first use (``defer_build``); subclasses add their own config."""

    model_config = ConfigDict(defer_build=True)


def build_from_now_on() -> None:
    """Build every model now, and every model defined from now on when it is defined: for a server.

    FastAPI makes a ``TypeAdapter`` over a route's models when the route is defined, and a
    ``TypeAdapter`` over a deferred model is deferred too: it would be built by the route's first
    request (and warn, outside FastAPI's own silencing, of the ``Body`` alias it carries). The API
    (``api/__init__.py``) calls this before its routes are defined, so a server builds what it
    serves before it serves, as before deferral; only a command line start defers.
    """
    pending = [Schema]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        model.model_config["defer_build"] = False  # read by a subclass defined later, and by TypeAdapter
        if not model.__pydantic_complete__:
            model.model_rebuild()
