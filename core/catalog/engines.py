"""What differs between the catalog's two engines: SQLite (embedded default) and PostgreSQL (a server).

- URLs: ``postgresql://…`` and ``postgres://…`` mean psycopg 3 (``postgresql+psycopg://``).
- Checks at start, each refusal naming the setting to fix: the server is reachable, the database
  is ``UTF8`` with a ctype that knows Chinese letters (not ``C``/``POSIX``), the schema is not
  newer than this program, the user may create tables (checked by migrating).
- Locks: on PostgreSQL, transaction-scoped advisory locks (``serialize``) make the few
  read-then-write steps safe between app nodes (two nodes taking the same bytes at once, the
  audit chain's next link, migrations at start); SQLite has one writer at a time anyway.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from core.errors import ConfigError

POSTGRES = "postgresql"
SQLITE = "sqlite"
_BAD_CTYPES = {"c", "posix"}


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` as psycopg 3 URLs; anything else unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def dialect_of(url: str) -> str:
    return make_url(url).get_backend_name()


def safe_url(url: str) -> str:
    """The URL with any password hidden (for messages, logs and ``jiandang status``)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: say so without echoing it
        return "<unreadable URL>"


def lock_key(name: str) -> str:
    """The SQL expression of the 64-bit advisory-lock key for ``name``."""
    return f"hashtextextended('jiandang:{name}', 0)"


def serialize(session: Session | Connection, *names: str) -> None:
    """Hold PostgreSQL advisory locks on ``names`` until the transaction ends (no-op on SQLite).

    Keys are taken in sorted order, so two transactions locking overlapping sets never deadlock.
    """
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name != POSTGRES:
        return
    for name in sorted(set(names)):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"jiandang:{name}"})


def unreachable(url: str, exc: Exception) -> ConfigError:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ConfigError(f"cannot connect to the catalog database {safe_url(url)} (setting database_url): {reason}",
                       setting="database_url")


def check_postgres(connection: Connection, url: str) -> None:
    """Refuse a PostgreSQL database that would silently mangle Chinese (encoding, ctype)."""
    encoding, ctype = connection.execute(text(
        "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()"
    )).one()
    if encoding.upper() != "UTF8" or ctype.lower() in _BAD_CTYPES:
        raise ConfigError(
            f"the catalog database {safe_url(url)} (setting database_url) has encoding {encoding} and LC_CTYPE "
            f"{ctype!r}; jiandang needs UTF8 with a ctype that knows Chinese letters. Create it with "
            "CREATE DATABASE … ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0",
            setting="database_url")


def explain_migration_error(url: str, exc: Exception) -> ConfigError | None:
    """A clear refusal for the migration failures a setting causes (permissions), else None."""
    if isinstance(exc, OperationalError):
        return unreachable(url, exc)
    if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == "42501":
        return ConfigError(
            f"the user of database_url ({safe_url(url)}) may not create the catalog's tables: "
            f"{str(exc.orig).splitlines()[0]}. Grant it CREATE on the database and its schema, or let the owner "
            "run `jiandang status` once to migrate", setting="database_url")
    return None
