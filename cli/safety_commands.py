"""``jiandang verify``, ``backup``, ``restore`` and ``verify-backup``: keeping what went in intact.

Exit codes as ``jiandang verify-bundle`` and ``jiandang audit verify``: 0 when the check found
nothing wrong (or the backup/restore was complete), 7 when it ran and found problems (the report
still printed in full), the error tree's codes (2 input, 5 storage, …) when it could not run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, out_console
from cli.search_commands import current_user

# Commands import the core and the schemas when they run (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from core import ArchiveService
    from schemas.backup import BackupProblem
    from schemas.fixity import FixityReport, FixityScope

JsonFlag = Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")]
PROBLEMS_EXIT = 7


def register(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    _register_verify(app, service_factory)
    _register_backup(app, service_factory)


def _register_verify(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def verify(
        all_documents: Annotated[bool, typer.Option("--all", help="every original, and look for stray files (default)")] = False,
        sample: Annotated[int | None, typer.Option("--sample", min=1, help="N originals drawn at random")] = None,
        since: Annotated[str | None, typer.Option("--since", help="originals received on or after DATE (YYYY-MM-DD)")] = None,
        repair_from: Annotated[Path | None, typer.Option(
            "--repair-from", help="a backup folder: put back damaged or missing originals from it (recorded)")] = None,
        user: Annotated[str | None, typer.Option(help="who checks (recorded in each fixity event)")] = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Re-hash stored originals against the catalog; name every damaged, missing or stray file. Exit 7 if any."""
        scope, since_day = _scope(all_documents, sample, since)
        with service_factory() as service:
            report = service.safekeeping.verify(scope, sample=sample, since=since_day, user=current_user(user),
                                    repair_from=repair_from)
        if json_out:
            emit_json(report)
        else:
            _print_fixity(report)
        if report.problems:
            raise typer.Exit(PROBLEMS_EXIT)


def _register_backup(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def backup(
        dest: Annotated[Path, typer.Argument(help="the backup folder (created; later backups add to it)")],
        json_out: JsonFlag = False,
    ) -> None:
        """Snapshot the catalog, audit head, settings and saved searches; copy new originals, each checked."""
        with service_factory() as service:
            report = service.safekeeping.backup(dest)
        if json_out:
            emit_json(report)
        else:
            out_console.print(
                f"snapshot {report.snapshot} in {report.path}: {report.documents} documents, {report.originals} "
                f"originals ({report.originals_copied} new, {report.bytes_copied:,} bytes copied), audit head "
                f"{report.audit_head_seq}, {report.seconds:.1f} s", markup=False)
            _print_problems(report.problems)
        if report.problems:
            raise typer.Exit(PROBLEMS_EXIT)

    @app.command("verify-backup")
    @exit_on_archive_error
    def verify_backup(
        dest: Annotated[Path, typer.Argument(help="the backup folder")],
        snapshot: Annotated[str | None, typer.Option(help="a snapshot name (default: the latest)")] = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Check a backup: catalog snapshot, audit chain, settings, every original re-hashed. Exit 7 if invalid."""
        with service_factory() as service:
            report = service.safekeeping.verify_backup(dest, snapshot)
        if json_out:
            emit_json(report)
        else:
            out_console.print(f"{report.path} snapshot {report.snapshot}: {'valid' if report.valid else 'INVALID'} "
                              f"({report.documents} documents, {report.originals_checked} originals, "
                              f"{report.audit_entries} audit entries checked)", markup=False)
            _print_problems(report.problems)
        if not report.valid:
            raise typer.Exit(PROBLEMS_EXIT)

    @app.command()
    @exit_on_archive_error
    def restore(
        source: Annotated[Path, typer.Argument(help="the backup folder")],
        home: Annotated[Path, typer.Option("--home", help="the archive home to restore into (empty, or --force)")],
        force: Annotated[bool, typer.Option("--force", help="restore over an archive that is there")] = False,
        snapshot: Annotated[str | None, typer.Option(help="a snapshot name (default: the latest)")] = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Bring a backup back: catalog, originals (each checked), settings; rebuild the index, check the audit chain."""
        from core.service import ArchiveService

        report = ArchiveService.restore(source, home.expanduser().resolve(), force=force, snapshot=snapshot)
        if json_out:
            emit_json(report)
        else:
            out_console.print(
                f"restored snapshot {report.snapshot} (taken {report.taken_at:%Y-%m-%d %H:%M} UTC) into {report.home}: "
                f"{report.documents} documents, {report.originals} originals ({report.bytes:,} bytes), "
                f"{report.indexed} indexed, audit chain of {report.audit_entries} entries "
                + ("intact" if report.audit_valid else "BROKEN"), markup=False)
            for note in report.notes:
                out_console.print(f"  · {note}", markup=False)
            _print_problems(report.problems)
        if report.problems or not report.audit_valid:
            raise typer.Exit(PROBLEMS_EXIT)


def _print_problems(problems: list[BackupProblem]) -> None:
    for problem in problems:
        out_console.print(f"  ✗ {problem.message}", markup=False)


def _scope(all_documents: bool, sample: int | None, since: str | None) -> tuple[FixityScope, date | None]:
    from schemas.fixity import FixityScope

    if sum((all_documents, sample is not None, since is not None)) > 1:
        raise typer.BadParameter("choose one of --all, --sample N, --since DATE")
    if since is not None:
        try:
            return FixityScope.SINCE, date.fromisoformat(since)
        except ValueError:
            raise typer.BadParameter(f"--since {since!r}: use a date such as 2026-01-31") from None
    return (FixityScope.SAMPLE, None) if sample is not None else (FixityScope.ALL, None)


def _print_fixity(report: FixityReport) -> None:
    rate = report.bytes / report.seconds / 1e6 if report.seconds else 0.0
    out_console.print(f"checked {report.documents} original(s), {report.bytes:,} bytes in {report.seconds:.1f} s "
                      f"({rate:.0f} MB/s): " + ("all intact" if report.ok else f"{len(report.problems)} PROBLEM(S)"))
    if report.repaired:
        out_console.print(f"repaired from the backup: {', '.join(report.repaired)}")
    for problem in report.problems:
        out_console.print(f"  ✗ {problem.kind.value}: {problem.message}", markup=False)
