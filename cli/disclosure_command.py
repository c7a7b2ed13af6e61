"""``jiandang disclose`` (write a project's disclosure package) and ``jiandang disclosure …`` (the
workflow: draft, redact, withhold, review, approve, publish, return, retract, history, due).

``disclose PROJECT --out DIR`` writes the latest published version exactly as published (its stored
files, sha256 checked); with ``--draft``, or while nothing is published, a preview of the archive
as it stands now, marked 草稿 on every page. ``--json`` prints exactly
``{"path", "categories": [{"name", "items"}], "redactions"}``.

Workflow commands name the person acting with ``--by``; the archive checks that this account
exists and that its role may take the step (an approver approves, an archivist reviews).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, err_console, out_console
from cli.search_commands import current_user

# The core and the schemas load when a command runs (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from core import ArchiveService
    from schemas.disclosure import DisclosureVersion

JsonFlag = Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")]
ByOption = Annotated[str, typer.Option("--by", help="the account acting (its role must allow the step)")]
Project = Annotated[str, typer.Argument(help="project code")]
Version = Annotated[int, typer.Argument(help="version number (see `jiandang disclosure history`)")]
STATUS_WORDS = {"disclosed": "已按时公开", "disclosed_late": "逾期后公开", "overdue": "逾期未公开", "pending": "待公开",
                "withheld": "不予公开", "undated": "无形成日期"}


def _print_version(version: DisclosureVersion, json_out: bool) -> None:
    if json_out:
        emit_json(version)
        return
    items = sum(len(c.published_items) for c in version.content.categories)
    out_console.print(f"{version.project} 第 {version.number} 版：{version.state.value}，{items} 项，"
                      f"隐去 {len(version.content.redactions)} 处"
                      + (f"，sha256 {version.package_sha256}" if version.package_sha256 else ""))


def register(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def disclose(
        project: Project,
        out: Annotated[Path, typer.Option("--out", help="the folder to write index.html, XLSX and JSON into")],
        version: Annotated[int | None, typer.Option("--version", help="a given version instead of the latest published")] = None,
        draft: Annotated[bool, typer.Option("--draft", help="a preview of the archive as it stands now (marked 草稿)")] = False,
        json_out: JsonFlag = False,
    ) -> None:
        """Write the project's 阳光工程 disclosure package (index.html for the 公告栏, XLSX, JSON)."""
        with service_factory() as service:
            path, content, meta = service.disclosure.export(project, out, current_user(), version, draft=draft)
        from schemas.disclosure import DisclosureSummary

        summary = DisclosureSummary.of(str(path), content)
        if json_out:
            emit_json(summary)
            return
        for category in summary.categories:
            out_console.print(f"{category.name}：{category.items} 项")
        out_console.print(f"{path}：第 {meta.version} 版，{'草稿（未经批准，不得公开）' if meta.draft else '已发布'}，"
                          f"隐去个人信息 {summary.redactions} 处")

    group = typer.Typer(help="阳光工程 disclosure workflow: draft → review → approve → publish; retract.",
                        no_args_is_help=True)
    app.add_typer(group, name="disclosure")
    _register_drafting(group, service_factory)
    _register_steps(group, service_factory)
    _register_reports(group, service_factory)


def _register_drafting(group: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @group.command("draft")
    @exit_on_archive_error
    def draft_cmd(project: Project, by: ByOption, json_out: JsonFlag = False) -> None:
        """Build (or rebuild) the project's draft from the archive."""
        with service_factory() as service:
            _print_version(service.disclosure.draft(project, by), json_out)

    @group.command("redact")
    @exit_on_archive_error
    def redact_cmd(project: Project, text: Annotated[str, typer.Argument(help="text to hide wherever it appears")],
                   by: ByOption, reason: Annotated[str | None, typer.Option(help="why")] = None,
                   json_out: JsonFlag = False) -> None:
        """Hide a text in the draft (the reviewer's own redaction)."""
        with service_factory() as service:
            _print_version(service.disclosure.add_redaction(project, text, reason, by), json_out)

    @group.command("withhold")
    @exit_on_archive_error
    def withhold_cmd(project: Project, item: Annotated[str, typer.Argument(help="item key, e.g. bidding/award/<doc id>")],
                     by: ByOption, reason: Annotated[str | None, typer.Option(help="why it is not published")] = None,
                     release: Annotated[bool, typer.Option("--release", help="publish it again")] = False,
                     json_out: JsonFlag = False) -> None:
        """Keep an item of the draft out of publication, with a reason (or release it)."""
        if not release and not reason:
            raise typer.BadParameter("give --reason, or --release")
        with service_factory() as service:
            _print_version(service.disclosure.withhold(project, item, None if release else reason, by), json_out)


def _register_steps(group: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    def _step(action: str, doc: str) -> None:
        @exit_on_archive_error
        def command(project: Project, version: Version, by: ByOption,
                    reason: Annotated[str | None, typer.Option(help="why (required to return or retract)")] = None,
                    json_out: JsonFlag = False) -> None:
            with service_factory() as service:
                _print_version(service.disclosure.act(project, version, action, by, reason), json_out)

        command.__doc__ = doc
        group.command(action)(command)

    _step("review", "Mark a draft as reviewed (archivist).")
    _step("approve", "Approve a reviewed version for publication (approver; not its reviewer).")
    _step("publish", "Publish an approved version: its files are stored with their sha256.")
    _step("return", "Send a reviewed or approved version back to draft, with --reason.")
    _step("retract", "Retract a published version, with --reason; the version and its files are kept.")


def _register_reports(group: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @group.command("history")
    @exit_on_archive_error
    def history_cmd(project: Project, json_out: JsonFlag = False) -> None:
        """Every version of the project's disclosure, newest first."""
        with service_factory() as service:
            entries = service.disclosure.history(project)
        if json_out:
            emit_json({"project": project, "versions": [e.model_dump(mode="json") for e in entries]})
            return
        for e in entries:
            out_console.print(f"第 {e.number} 版 {e.state.value} {e.items} 项 隐去 {e.redactions} 处 "
                              f"{e.package_sha256 or ''} {e.retraction_reason or ''}")

    @group.command("due")
    @exit_on_archive_error
    def due_cmd(project: Annotated[str | None, typer.Argument(help="project code (all projects' overdue items without)")] = None,
                json_out: JsonFlag = False) -> None:
        """The due list (C24): each item's formation date + 20 working days (7 for 许可) and its status."""
        with service_factory() as service:
            rows = service.disclosure.due(project) if project else service.disclosure.overdue()
        if json_out:
            emit_json({"project": project, "items": [r.model_dump(mode="json") for r in rows]})
            return
        if not rows:
            err_console.print("没有逾期未公开的事项" if project is None else "没有可公开的事项")
        for r in rows:
            out_console.print(f"{r.project} {r.category_name} {r.item}：形成 {r.formed or '—'}，应于 {r.due or '—'} 前公开，"
                              f"{STATUS_WORDS[r.status]}" + (f"（{r.overdue_days} 个工作日）" if r.overdue_days else ""))
