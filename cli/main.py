"""The ``jiandang`` command: parse, call ArchiveService, print. Nothing else lives here."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")


import typer

from cli.application import JiandangTyper
from cli.collector import started
from cli.disclosure_command import register as register_disclosure
from cli.errors import exit_on_archive_error
from cli.filing_commands import register as register_filing
from cli.handover_command import register as register_handover
from cli.migrate_command import register as register_migrate
from cli.output import BarProgress, emit_json, err_console, out_console, print_candidates, shown
from cli.oversight_command import register as register_oversight
from cli.project_commands import register as register_projects
from cli.safety_commands import register as register_safety
from cli.search_commands import register as register_search
from cli.user_commands import register as register_users
from cli.watch_command import register as register_watch

# A command imports what it uses when it runs: `jiandang --help`, `status` or `show` must not load
# the classifier, Haystack or the search engines (tests/cli/test_startup.py checks sys.modules).
if TYPE_CHECKING:
    from core import ArchiveService

app = JiandangTyper(  # builds only the command it runs; the collector's policy (cli/application.py)
    name="jiandang",
    help="建档 — archive, classify and search a building project's documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's help panels cost 0.2 s of CPU on every --help
)

JsonFlag = Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")]


def _service() -> ArchiveService:
    from core.service import ArchiveService
    from core.settings import Settings
    from core.storage.confine import confine_scratch

    logging.basicConfig(level=os.environ.get("JIANDANG_LOG_LEVEL", "WARNING").upper(), format="%(levelname)s %(message)s")
    settings = Settings()
    confine_scratch(settings.home)  # temporaries and library caches stay in the archive home
    service = ArchiveService(settings)
    started()  # the heavy imports are done: freeze them, collect as usual from here (cli/collector.py)
    return service


@app.command()
@exit_on_archive_error
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files and folders (folders are walked recursively)")],
    project: Annotated[str | None, typer.Option(help="project code the files belong to")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Take files into the archive and report on every one (a project it does not know is created)."""
    from schemas.ingest import IngestRequest, IngestSource

    with _service() as service, BarProgress("ingest") as bar:
        created = project is not None and not service.projects.exists(project)
        report = service.ingest(IngestRequest(paths=paths, project=project, source=IngestSource.CLI), bar)
    if json_out:
        emit_json(report)
        return
    if created:
        out_console.print(f"created project {project} (name it: jiandang project rename {project} --name 项目名称)")
    for line in report.files:
        mark = {"ingested": "[green]✓", "duplicate": "[yellow]=", "quarantined": "[red]✗"}[line.status.value]
        out_console.print(f"{mark}[/] {shown(line.path)}  {line.document_id or ''}  {shown(line.reason or '')}")
    c = report.counts
    out_console.print(f"ingested {c.ingested}, duplicate {c.duplicate}, quarantined {c.quarantined}")


@app.command()
@exit_on_archive_error
def classify(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to classify without storing them")],
    json_out: JsonFlag = False,
) -> None:
    """Dry run: say where each file would be filed, and why."""
    with _service() as service:
        report = service.classify_paths(paths)
    if json_out:
        emit_json(report)
        return
    for line in report.files:
        if line.error:
            out_console.print(f"[red]✗[/] {shown(line.path)}: {shown(line.error)}")
            continue
        out_console.print(f"[bold]{line.class_code or '待审'}[/] {line.item_code or ''} {line.doc_type or ''}"
                          f" ({line.confidence:.2f})  {line.path}")
        for reason in line.reasons:
            out_console.print(f"    · {reason}")
        print_candidates(out_console, line.candidates)


register_search(app, _service)  # search, more-like, saved, original, check-index (cli/search_commands.py)


@app.command()
@exit_on_archive_error
def show(doc_id: Annotated[str, typer.Argument(help="document id (a unique prefix is enough)")],
         json_out: JsonFlag = False) -> None:
    """A document with its fields, filing and history."""
    with _service() as service:
        record = service.show(doc_id)
    if json_out:
        emit_json(record)
        return
    from rich.table import Table

    table = Table(show_header=False, box=None)
    cls = record.classification
    for key, value in [
        ("id", record.id), ("title", record.title), ("original", record.original_name),
        ("project", record.project), ("status", record.status), ("reason", record.quarantine_reason),
        ("class", f"{cls.class_code} {cls.item_code or ''} {cls.doc_type or ''} ({cls.confidence:.2f})"),
        ("sha256", record.sha256),
    ]:
        table.add_row(key, str(value) if value is not None else "—")
    out_console.print(table)
    for event in record.events:
        out_console.print(f"  {event.at:%Y-%m-%d %H:%M:%S} {event.kind}")


@app.command()
@exit_on_archive_error
def status(json_out: JsonFlag = False) -> None:
    """Queue and archive counts."""
    with _service() as service:
        report = service.status()
    if json_out:
        emit_json(report)
        return
    out_console.print(report.model_dump())


@app.command()
@exit_on_archive_error
def reindex(json_out: JsonFlag = False) -> None:
    """Rebuild the search index from the catalog."""
    with _service() as service, BarProgress("reindex") as bar:
        report = service.reindex(bar)
    if json_out:
        emit_json(report)
        return
    out_console.print(f"indexed {report.indexed} of {report.documents} documents")


@app.command()
@exit_on_archive_error
def demo(json_out: JsonFlag = False) -> None:
    """Build a realistic sample project, ingest it, and show what the archive makes of it."""
    from core.demo import run_demo

    with _service() as service:
        report = run_demo(service, progress_factory=lambda: BarProgress("demo ingest"))
    if json_out:
        emit_json(report)
        return
    from cli.demo_view import print_demo

    print_demo(report, out_console)
    with _service() as service:  # filing and completeness: what the demo project's archive lacks
        missing = service.completeness(report.project).missing
    out_console.print(f"completeness: {len(missing)} item(s) missing {' '.join(missing)} "
                      f"(jiandang completeness {report.project})")
    err_console.print(f"archive home: {service.settings.home}")


# The other command groups live in their own modules, one per area of work.
register_filing(app, _service)  # completeness, waive, reclassify, profile (cli/filing_commands.py)
register_watch(app, _service)  # watch (cli/watch_command.py)
register_users(app, _service)  # user, audit, serve (cli/user_commands.py)
register_handover(app, _service)  # handover, verify-bundle (cli/handover_command.py)
register_migrate(app, _service)  # migrate-catalog (cli/migrate_command.py)
register_safety(app, _service)  # verify, backup, restore, verify-backup (cli/safety_commands.py)
register_projects(app, _service)  # project add|list|rename|merge, move (cli/project_commands.py)
register_oversight(app, _service)  # oversight, oversight-agency, oversight-correct (cli/oversight_command.py)
register_disclosure(app, _service)  # disclose, disclosure draft|review|approve|publish|… (cli/disclosure_command.py)


if __name__ == "__main__":
    app()
