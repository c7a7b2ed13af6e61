"""``jiandang project add|list|rename|merge`` and ``jiandang move``: projects as records, documents moved.

Each change goes on the audit trail as ``cli:<os user>``, like the account commands, and into the
documents' history through the service's project desk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, out_console
from cli.user_commands import JsonFlag, _actor
from core.errors import InputError

if TYPE_CHECKING:  # the core and the schemas load when a command runs (tests/cli/test_startup.py)
    from core import ArchiveService

Figures = Annotated[list[str] | None, typer.Option("--figure", help="a figure as LABEL=VALUE, e.g. 建筑面积=12000㎡ (repeatable)")]


def _figures(pairs: list[str] | None) -> dict[str, str] | None:
    if pairs is None:
        return None
    figures = {}
    for pair in pairs:
        label, sep, value = pair.partition("=")
        if not sep or not label.strip():
            raise InputError(f"--figure {pair!r}: write LABEL=VALUE", figure=pair)
        figures[label.strip()] = value.strip()
    return figures


def register(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:
    projects = typer.Typer(help="projects as records: add, list, rename, merge", no_args_is_help=True)
    app.add_typer(projects, name="project")

    @projects.command("add")
    @exit_on_archive_error
    def project_add(
        code: Annotated[str, typer.Argument(help="project code, e.g. JD-2025-003")],
        name: Annotated[str, typer.Option("--name", help="project name, e.g. 市档案馆新馆建设工程")],
        owner: Annotated[str | None, typer.Option("--owner", help="建设单位")] = None,
        figure: Figures = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Create a project (uploads and the web UI name only existing projects)."""
        from schemas.projects import NewProject

        new = NewProject(code=code, name=name, owner=owner, figures=_figures(figure) or {})
        with make_service() as service:
            summary = service.projects.add(new, _actor())
            service.audit.append(_actor(), "project.add", code, name=name, owner=owner, figures=new.figures, via="cli")
        emit_json(summary) if json_out else out_console.print(f"added project {summary.code} {summary.name}")

    @projects.command("list")
    @exit_on_archive_error
    def project_list(json_out: JsonFlag = False) -> None:
        """Projects and trays (INBOX) with their document counts."""
        with make_service() as service:
            summaries = service.list_projects()
        if json_out:
            emit_json({"projects": [p.model_dump(mode="json") for p in summaries]})
            return
        for p in summaries:
            kind = "  (tray)" if p.kind == "tray" else ""
            out_console.print(f"{p.code}\t{p.name or ''}\t{p.owner or ''}\t{p.documents} documents, "
                              f"{p.needs_review} to review, {p.quarantined} quarantined{kind}")

    @projects.command("rename")
    @exit_on_archive_error
    def project_rename(
        code: str,
        new_code: Annotated[str | None, typer.Option("--code", help="a new code (fixes a typo; 档号 follow)")] = None,
        name: Annotated[str | None, typer.Option("--name")] = None,
        owner: Annotated[str | None, typer.Option("--owner", help="建设单位")] = None,
        figure: Figures = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Change a project's code, name, 建设单位 or figures."""
        from schemas.projects import ProjectChange

        with make_service() as service:
            summary, changed = service.projects.change(
                code, ProjectChange(code=new_code, name=name, owner=owner, figures=_figures(figure)), _actor())
            if changed:
                service.audit.append(_actor(), "project.rename", summary.code, changed=changed, via="cli")
        if json_out:
            emit_json({"project": summary.model_dump(mode="json"), "changed": changed})
            return
        out_console.print(f"{summary.code}: " + (", ".join(f"{k} {v[0]!s} → {v[1]!s}" for k, v in changed.items())
                                                  or "nothing changed"))

    @projects.command("merge")
    @exit_on_archive_error
    def project_merge(
        source: Annotated[str, typer.Argument(help="the project whose documents move (it is removed)")],
        into: Annotated[str, typer.Option("--into", help="the project that receives them")],
        json_out: JsonFlag = False,
    ) -> None:
        """Move every document of SOURCE into another project; SOURCE is removed (a tray is kept)."""
        with make_service() as service:
            report = service.projects.merge(source, into, _actor())
            service.audit.append(_actor(), "project.merge", source, into=into, moved=report.moved, via="cli")
        emit_json(report) if json_out else out_console.print(
            f"merged {source} into {into}: {report.moved} document(s) moved"
            + ("; the tray stays" if report.source_kept else f"; {source} removed"))

    @app.command("move")
    @exit_on_archive_error
    def move(
        doc_ids: Annotated[list[str], typer.Argument(help="document ids (a unique prefix is enough)")],
        to: Annotated[str, typer.Option("--to", help="the project (or INBOX) to move them into")],
        reason: Annotated[str | None, typer.Option("--reason", help="why, for the history and the audit trail")] = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Move documents into another project; their 档号 and the search index follow."""
        with make_service() as service:
            report = service.projects.move(doc_ids, to, _actor(), reason)
            for doc_id in report.moved:
                service.audit.append(_actor(), "document.move", doc_id, to=report.to, reason=reason, via="cli")
        if json_out:
            emit_json(report)
            return
        out_console.print(f"moved {len(report.moved)} document(s) to {report.to}"
                          + (f"; {len(report.unchanged)} already there" if report.unchanged else ""))
