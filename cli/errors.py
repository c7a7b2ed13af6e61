"""Mapping the error tree to exit codes and one-line messages (the CLI half of core/errors.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from cli.output import err_console
from core.errors import ArchiveError, ConfigError, InputError, NotFound, SearchIndexError, StorageError

EXIT_CODES: list[tuple[type[ArchiveError], int]] = [
    (InputError, 2),
    (NotFound, 3),
    (ConfigError, 4),
    (StorageError, 5),
    (SearchIndexError, 6),
    (ArchiveError, 1),
]

F = TypeVar("F", bound=Callable[..., Any])


def exit_code_for(error: ArchiveError) -> int:
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


def exit_on_archive_error(func: F) -> F:
    """Turn an ArchiveError into a message on stderr and its exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ArchiveError as error:
            err_console.print(f"[red]jiandang: {error.message}[/]")
            raise typer.Exit(exit_code_for(error)) from None

    return wrapper  # type: ignore[return-value]
