"""``jiandang watch``: take files from watched folders, in the foreground, until Ctrl-C.

Thin like every command: build the roots from the arguments (or the configured shares), hand
them to ``ArchiveService.watch`` with a stop flag that SIGINT/SIGTERM set, print each batch as it
closes (stderr) and, with ``--json``, one report at the end on stdout. A signal never interrupts
a file half-way: the loop finishes the file it is on, and what is still waiting stays in the job
table for the next start.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, err_console, out_console
from core import ArchiveService
from core.watching.batches import ClosedBatch
from schemas.watch import ProjectMapping, WatchMode, WatchReport, WatchRoot

ONCE_WINDOW = 1.0  # --once: the files are already there; a short stability check is enough


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    stop = threading.Event()

    def handler(signum: int, _frame: object) -> None:
        err_console.print(f"[yellow]{signal.Signals(signum).name}: finishing the current file, then stopping[/]")
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _roots(
    service: ArchiveService,
    dirs: list[Path] | None,
    once: bool,
    project: str | None,
    mode: WatchMode | None,
    window: float | None,
) -> list[WatchRoot]:
    roots = [WatchRoot(path=d) for d in dirs] if dirs else list(service.settings.watch_roots)
    overrides: dict[str, object] = {}
    if project:
        overrides.update(project=project, project_mapping=ProjectMapping.FIXED)
    if mode:
        overrides["mode"] = mode
    result = []
    for root in roots:
        changes = dict(overrides)
        if window is not None:
            changes["stability_window"] = window
        elif once:
            changes["stability_window"] = min(root.stability_window, ONCE_WINDOW)
        result.append(root.model_copy(update=changes))
    return result


def _print_batch(batch: ClosedBatch) -> None:
    counts: dict[str, int] = {}
    for line in batch.lines:
        counts[line.status.value] = counts.get(line.status.value, 0) + 1
    summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
    err_console.print(f"[bold]batch {batch.summary.batch_id[:8]}[/] {batch.summary.folder}: {summary}")
    check = batch.summary.manifest
    if check is not None:
        err_console.print(f"    manifest {Path(check.manifest).name}: {len(check.mismatched)} mismatched, "
                          f"{len(check.missing)} missing, {len(check.unlisted)} unlisted")
    for line in batch.lines:
        if line.status.value == "quarantined":
            err_console.print(f"    [red]✗[/] {line.path}: {line.reason}")


def register(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    """Add the ``watch`` command to ``app``."""

    @app.command()
    @exit_on_archive_error
    def watch(
        dirs: Annotated[list[Path] | None, typer.Argument(help="folders to watch (default: the configured shares)")] = None,
        once: Annotated[bool, typer.Option("--once", help="take what is there now, then exit")] = False,
        project: Annotated[str | None, typer.Option(help="file everything under this project code")] = None,
        mode: Annotated[WatchMode | None, typer.Option(help="events, polling or auto (from the mount table)")] = None,
        window: Annotated[float | None, typer.Option(help="stability window in seconds", min=0.01)] = None,
        json_out: Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")] = False,
    ) -> None:
        """Watch folders and take in every file exactly once (Ctrl-C stops cleanly)."""
        with service_factory() as service, _stop_on_signals() as stop:
            roots = _roots(service, dirs, once, project, mode, window)
            if not once:
                err_console.print(f"watching {', '.join(str(r.path) for r in roots)} — Ctrl-C to stop")
            report = service.watch(roots or None, stop, once=once, on_batch=_print_batch,
                                   keep_lines=once or json_out)
        _print(report, json_out)


def _print(report: WatchReport, json_out: bool) -> None:
    if json_out:
        emit_json(report)
        return
    c = report.counts
    out_console.print(f"{len(report.batches)} batch(es): ingested {c.ingested}, duplicate {c.duplicate}, "
                      f"quarantined {c.quarantined}")
