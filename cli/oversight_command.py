"""``jiandang oversight PROJECT``: the money chain from 估算 to 决算 and the red flags, for auditors.

``--json`` prints exactly the report contract (project, ledger, changes, flags) that scripts depend
on; ``--xlsx`` also writes the 审计底稿. ``oversight-agency`` scans every project (splitting across
projects, the per-contractor view); ``oversight-correct`` overrides an extracted value with a
reason. Every run is on the audit trail under ``--user`` (else ``JIANDANG_USER``, else the OS user).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, out_console
from cli.search_commands import current_user

# The core, the checks and the schemas load when a command runs (tests/cli/test_startup.py).
if TYPE_CHECKING:
    from core import ArchiveService
    from schemas.oversight import AgencyOverview, OversightDetail

JsonFlag = Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")]
UserOption = Annotated[str | None, typer.Option("--user", help="who is looking (default: $JIANDANG_USER, else the OS user)")]
SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}


def _print_detail(detail: OversightDetail) -> None:
    from rich.table import Table

    from oversight.labels import DISCLAIMER, SEVERITY_ZH, yuan

    report = detail.report
    out_console.print(f"[bold]{report.project}[/] {detail.name or ''}")
    ledger = Table("资金链", "金额", "出处/说明", title="资金链台账（元）")
    for line in detail.lines:
        note = "；".join(part for part in (line.note, "有冲突" if line.conflict else "",
                                           f"审计更正：{line.correction.reason}" if line.correction else "") if part)
        ledger.add_row(line.label, yuan(line.value), note or f"{len(line.documents)} 份文件")
    out_console.print(ledger)
    if report.changes:
        changes = Table("日期", "类别", "编号", "金额", "累计", title="变更签证台账")
        running = 0.0
        for entry in report.changes:
            running += entry.amount or 0.0
            changes.add_row(str(entry.date or "—"), entry.kind, entry.number or "—", yuan(entry.amount), yuan(running))
        out_console.print(changes)
    out_console.print(f"[bold]疑点 {len(report.flags)} 项[/]（{DISCLAIMER}）")
    for flag in report.flags:
        style = SEVERITY_STYLE[flag.severity]
        out_console.print(f"[{style}]{SEVERITY_ZH[flag.severity]}[/] {flag.check} {flag.message}")
        out_console.print(f"    依据：{flag.basis}  证据：{', '.join(flag.documents)}", style="dim")


def _print_agency(result: AgencyOverview) -> None:
    from rich.table import Table

    from oversight.labels import DISCLAIMER, SEVERITY_ZH, yuan

    out_console.print(f"[bold]全局疑点[/]：{result.projects} 个项目，{len(result.flags)} 项（{DISCLAIMER}）")
    for flag in result.flags:
        where = flag.project or "跨项目"
        out_console.print(f"[{SEVERITY_STYLE[flag.severity]}]{SEVERITY_ZH[flag.severity]}[/] {flag.check} [{where}] "
                          f"{flag.message}")
    table = Table("承包人", "项目", "合同数", "合同额", "结算增幅", title="承包人视图")
    for row in result.contractors[:50]:
        growth = "—" if row.settlement_growth is None else f"{row.settlement_growth * 100:.1f}%"
        table.add_row(row.contractor, "、".join(row.projects), str(row.contracts), yuan(row.contract_total), growth)
    out_console.print(table)


def register(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def oversight(
        project: Annotated[str, typer.Argument(help="project code")],
        xlsx: Annotated[Path | None, typer.Option("--xlsx", help="also write the 审计底稿 to this .xlsx")] = None,
        user: UserOption = None,
        json_out: JsonFlag = False,
    ) -> None:
        """The project's money chain (估算 → 决算), change ledger and red flags with their evidence."""
        who = current_user(user)
        with make_service() as service:
            detail = service.oversight.detail(project, who)
            if xlsx is not None:
                service.oversight.workpaper(project, xlsx, who)
        if json_out:
            emit_json(detail.report)
            return
        _print_detail(detail)
        if xlsx is not None:
            out_console.print(f"审计底稿：{xlsx}")

    @app.command("oversight-agency")
    @exit_on_archive_error
    def oversight_agency(user: UserOption = None, json_out: JsonFlag = False) -> None:
        """Every project's flags, splitting across projects (C10) and the per-contractor view."""
        with make_service() as service:
            result = service.oversight.agency(current_user(user))
        if json_out:
            emit_json(result)
            return
        _print_agency(result)

    @app.command("oversight-correct")
    @exit_on_archive_error
    def oversight_correct(
        project: Annotated[str, typer.Argument(help="project code")],
        name: Annotated[str, typer.Argument(help="fact name (with --document) or ledger key, e.g. contract_price")],
        value: Annotated[str, typer.Argument(help="the correct value: 12864500.00, 2025-07-03 or text")],
        reason: Annotated[str, typer.Option("--reason", help="why (required; kept with the correction)")],
        document: Annotated[str | None, typer.Option("--document", help="the document whose fact is corrected")] = None,
        user: UserOption = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Override an extracted value with a reason; the extracted value is kept beside it."""
        with make_service() as service:
            correction = service.oversight.correct(project, document, name, value, reason, current_user(user))
        if json_out:
            emit_json(correction)
            return
        out_console.print(f"已更正 {name} = {correction.value}（{correction.who}，{correction.at}）")
