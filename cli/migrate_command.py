"""``jiandang migrate-catalog --to URL``: copy this archive's catalog to another database (PostgreSQL).

Resumable (run it again after an interruption) and verified: row counts and checksums of every
table, and the audit chain on the target. Exit code 7 when the verification finds a difference
(the code of ``audit verify`` for a broken chain), with the report printed in full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, err_console, out_console

if TYPE_CHECKING:
    from core import ArchiveService

NOT_VERIFIED_EXIT = 7


def register(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @app.command("migrate-catalog")
    @exit_on_archive_error
    def migrate_catalog(
        to: Annotated[str, typer.Option("--to", help="the target database, e.g. postgresql://user@host:5432/jiandang")],
        json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")] = False,
    ) -> None:
        """Copy the catalog to another database (resumable), then verify counts, checksums and the audit chain."""
        with service_factory() as service:
            report = service.migrate_catalog(to, progress=None if json_out else _progress())
        if json_out:
            emit_json(report)
        else:
            from rich.table import Table

            table = Table("table", "source rows", "copied now", "target rows", "checksums")
            for row in report.tables:
                table.add_row(row.name, str(row.source_rows), str(row.copied), str(row.target_rows),
                              "match" if row.checksums_match else "[red]differ[/]")
            out_console.print(table)
            state = "verified" if report.verified else "[red]NOT verified[/]"
            out_console.print(f"{report.target}: {state}; audit chain {'intact' if report.audit_valid else 'broken'}"
                              + (" (resumed an earlier copy)" if report.resumed else ""))
            for problem in report.audit_problems:
                err_console.print(f"  {problem}")
            if report.verified:
                out_console.print("next: set database_url to the target (and search_backend, originals_dir), "
                                  "then run `jiandang reindex`")
        if not report.verified:
            raise typer.Exit(NOT_VERIFIED_EXIT)


def _progress() -> Callable[[str, int], None]:
    copied: dict[str, int] = {}

    def note(table: str, rows: int) -> None:
        copied[table] = copied.get(table, 0) + rows
        err_console.print(f"{table}: {copied[table]} row(s) copied", end="\r")

    return note
