"""Search commands for auditors: ``search`` (with export), ``more-like``, ``saved``, ``original``,
``check-index``. Every search and every read of an original is put on the audit trail under the
``--user`` given, else ``JIANDANG_USER``, else the operating-system account.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, out_console
from core import ArchiveService
from core.searching.search_audit import current_user
from schemas.search import SearchQuery, SearchResult

JsonFlag = Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")]
UserOption = Annotated[
    str | None, typer.Option("--user", help="who is searching (default: $JIANDANG_USER, else the OS user)")
]
QUERY_HELP = ('keywords; "quoted phrase", OR, -exclude, (groups); filters project: class: type: contractor: '
              "year: date:2024-01..2024-06 金额>100000 sort:date")


def _print_result(result: SearchResult) -> None:
    out_console.print(f"{result.total} document(s)")
    for hit in result.hits:
        out_console.print(f"[bold]{hit.id}[/] {hit.class_code or '—'}  {hit.title}  ({hit.original_name})")
        for snippet in hit.highlights[:2]:
            out_console.print("    " + snippet.replace("<mark>", "[reverse]").replace("</mark>", "[/reverse]"))
    for facet, counts in result.facets.items():
        if counts:
            shown = "  ".join(f"{value} {count}" for value, count in list(counts.items())[:8])
            out_console.print(f"[dim]{facet}: {shown}[/]")


def register(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:
    """Add the search commands to ``app``; ``make_service`` builds the service from settings."""
    _register_search(app, make_service)
    _register_saved(app, make_service)
    _register_upkeep(app, make_service)


def _register_search(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:

    @app.command()
    @exit_on_archive_error
    def search(
        query: Annotated[str, typer.Argument(help=QUERY_HELP)],
        project: Annotated[str | None, typer.Option(help="only this project")] = None,
        class_code: Annotated[str | None, typer.Option("--class", help="class letter (C) or sub-class (C2)")] = None,
        doc_type: Annotated[str | None, typer.Option("--type", help="document type (验收记录, …)")] = None,
        year: Annotated[int | None, typer.Option(help="only documents dated in this year")] = None,
        sort: Annotated[str | None, typer.Option(help="relevance (default) or date (newest first)")] = None,
        limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
        offset: Annotated[int, typer.Option(min=0, help="skip this many hits (pagination)")] = 0,
        export: Annotated[Path | None, typer.Option(help="write every match to this .csv or .xlsx")] = None,
        user: UserOption = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Find documents by Chinese keyword; every search is on the audit trail."""
        if sort not in (None, "relevance", "date"):
            raise typer.BadParameter("--sort takes relevance or date")
        request = SearchQuery(text=query, project=project, class_code=class_code, doc_type=doc_type,
                              year=year, sort=sort, limit=limit, offset=offset)
        with make_service() as service:
            _search_and_report(service, request, export, current_user(user), json_out)

    @app.command("more-like")
    @exit_on_archive_error
    def more_like(
        doc_id: Annotated[str, typer.Argument(help="document id")],
        limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
        user: UserOption = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Documents most like this one."""
        with make_service() as service:
            result = service.more_like_this(doc_id, limit=limit, user=current_user(user))
        if json_out:
            emit_json(result)
            return
        _print_result(result)


def _register_saved(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:
    saved = typer.Typer(help="saved searches: add, list, run, remove", no_args_is_help=True)
    app.add_typer(saved, name="saved")

    @saved.command("add")
    @exit_on_archive_error
    def saved_add(
        name: Annotated[str, typer.Argument(help="a name to run it by")],
        query: Annotated[str, typer.Argument(help=QUERY_HELP)],
        user: UserOption = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Save a query under a name (the query is checked first)."""
        request = SearchQuery(text=query, limit=1, facets=False)
        with make_service() as service:
            service.search(request)  # a malformed query is refused now, not when it is run
            entry = service.saved_searches.add(name, SearchQuery(text=query), current_user(user))
        if json_out:
            emit_json(entry)
            return
        out_console.print(f"saved {entry.name!r}: {entry.query.text}")

    @saved.command("list")
    @exit_on_archive_error
    def saved_list(json_out: JsonFlag = False) -> None:
        """The saved searches."""
        with make_service() as service:
            listing = service.saved_searches.list()
        if json_out:
            emit_json(listing)
            return
        for entry in listing.searches:
            out_console.print(f"[bold]{entry.name}[/]  {entry.query.text}  ({entry.created_by}, {entry.created_at})")

    @saved.command("run")
    @exit_on_archive_error
    def saved_run(
        name: Annotated[str, typer.Argument(help="the saved search's name")],
        limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
        export: Annotated[Path | None, typer.Option(help="write every match to this .csv or .xlsx")] = None,
        user: UserOption = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Run a saved search (audited like any search)."""
        with make_service() as service:
            request = service.saved_searches.get(name).query.model_copy(update={"limit": limit})
            _search_and_report(service, request, export, current_user(user), json_out)

    @saved.command("remove")
    @exit_on_archive_error
    def saved_remove(name: Annotated[str, typer.Argument()], json_out: JsonFlag = False) -> None:
        """Forget a saved search."""
        with make_service() as service:
            service.saved_searches.remove(name)
        if json_out:
            emit_json({"removed": name})
            return
        out_console.print(f"removed {name!r}")


def _register_upkeep(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def original(
        doc_id: Annotated[str, typer.Argument(help="document id")],
        out: Annotated[Path, typer.Option("--out", help="file or folder to copy the original to")],
        user: UserOption = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Copy a stored original out of the archive (the read is on the audit trail)."""
        with make_service() as service:
            found = service.read_original(doc_id, current_user(user), purpose="copy")
            target = out / found.name if out.is_dir() else out
            shutil.copyfile(found.path, target)
        if json_out:
            emit_json({"document_id": found.doc_id, "path": str(target), "bytes": found.size})
            return
        out_console.print(f"{found.doc_id} → {target}")

    @app.command("check-index")
    @exit_on_archive_error
    def check_index(
        repair: Annotated[bool, typer.Option("--repair", help="fix what is found")] = False,
        json_out: JsonFlag = False,
    ) -> None:
        """Compare the search index with the catalog; --repair brings them back in step."""
        with make_service() as service:
            report = service.check_index(repair=repair)
        if json_out:
            emit_json(report)
            return
        out_console.print(f"catalog {report.catalog}, index {report.index}; "
                          f"missing from index {len(report.missing_from_index)}, "
                          f"not in catalog {len(report.not_in_catalog)}"
                          + (", repaired" if report.repaired else ""))


def _search_and_report(
    service: ArchiveService, request: SearchQuery, export: Path | None, who: str, json_out: bool
) -> None:
    """Run one audited search, optionally export every match, and print it (shared by search and saved run)."""
    result = service.search(request, user=who)
    report = service.export_search(request, export, who) if export else None
    if json_out:
        payload = result.model_dump(mode="json")
        if report is not None:
            payload["export"] = report.model_dump(mode="json")
        emit_json(payload)
        return
    _print_result(result)
    if report is not None:
        out_console.print(f"exported {report.rows} row(s) to {report.path}")
