"""``jiandang completeness | waive | reclassify | profile``: filing decisions and the inspector's report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, err_console, out_console

if TYPE_CHECKING:
    from core import ArchiveService

JsonFlag = Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")]
ByOption = Annotated[str, typer.Option("--by", help="who decides (recorded with the decision)")]


def register(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    _register_report(app, service_factory)
    _register_decisions(app, service_factory)


def _register_report(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def completeness(
        project: Annotated[str, typer.Argument(help="project code")],
        xlsx: Annotated[Path | None, typer.Option("--xlsx", help="also write the inspector's workbook here")] = None,
        json_out: JsonFlag = False,
    ) -> None:
        """What the project's archive has and lacks (items, stages, fields, revisions, 四性)."""
        from classify.completeness_xlsx import STATUS_ZH, report_workbook

        with service_factory() as service:
            report = service.completeness(project)
        if xlsx is not None:
            xlsx.write_bytes(report_workbook(report))
            err_console.print(f"written {xlsx}")
        if json_out:
            emit_json(report.model_dump(mode="json", exclude={"profile": {"updated_at"}}))
            return
        for line in report.items:
            if line.status == "present" and not line.required:
                continue
            mark = {"present": "[green]✓", "missing": "[red]✗", "not_applicable": "[dim]–", "waived": "[yellow]≈"}
            shown = f"{len(line.documents)} 份" if line.documents else (line.reason or "")
            out_console.print(f"{mark[line.status]}[/] {line.code:<7} {STATUS_ZH[line.status]:<3} {line.name}  {shown}")
        for stage in report.stages:
            out_console.print(f"  {stage.stage}: {stage.present}/{stage.required} ({stage.percent}%)")
        for check in report.sixing:
            out_console.print(f"  四性 {check.property} {check.dat70}: {'通过' if check.passed else '不通过'}"
                              f" ({len(check.problems)} 问题)")
        out_console.print(f"缺 {len(report.missing)} 项：{'、'.join(report.missing) or '无'}；"
                          f"文件检查 {len(report.field_findings) + len(report.revision_findings)} 条")


def _register_decisions(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def waive(
        project: Annotated[str, typer.Argument(help="project code")],
        item: Annotated[str, typer.Argument(help="checklist item, e.g. C6-7")],
        reason: Annotated[str, typer.Option("--reason", help="why the archive need not hold it")],
        by: ByOption = "archivist",
        json_out: JsonFlag = False,
    ) -> None:
        """Waive a checklist item for a project (recorded with reason and who)."""
        with service_factory() as service:
            waiver = service.waive(project, item, reason, by)
        if json_out:
            emit_json(waiver)
            return
        out_console.print(f"{project} {waiver.item_code} 豁免（{waiver.who}）：{waiver.reason}")

    @app.command()
    @exit_on_archive_error
    def reclassify(
        doc: Annotated[str, typer.Argument(help="document id (a unique prefix is enough)")],
        class_code: Annotated[str, typer.Argument(metavar="CLASS", help="sub-class (C2, D), item (C2-6) or none")],
        item: Annotated[str | None, typer.Option("--item", help="item code, e.g. C2-6")] = None,
        by: ByOption = "archivist",
        json_out: JsonFlag = False,
    ) -> None:
        """File a document where it belongs; confirms it and feeds the next training of the suggester."""
        with service_factory() as service:
            verdict = service.reclassify(doc, class_code, item, who=by)
        if json_out:
            emit_json(verdict)
            return
        out_console.print(f"{doc} → {verdict.item_code or verdict.class_code or '不归类'}（{by} 确认）")

    @app.command()
    @exit_on_archive_error
    def profile(
        project: Annotated[str, typer.Argument(help="project code")],
        building_type: Annotated[str | None, typer.Option("--type", help="建筑类型, e.g. 办公, 住宅")] = None,
        stage: Annotated[str | None, typer.Option("--stage", help="立项 | 设计 | 招标 | 施工 | 竣工")] = None,
        feature: Annotated[list[str] | None, typer.Option("--feature", help="a special feature (预应力, 桩基…)")] = None,
        no_features: Annotated[bool, typer.Option("--no-features", help="declare: none of the conditional features")] = False,
        by: ByOption = "archivist",
        json_out: JsonFlag = False,
    ) -> None:
        """Record a project's building type, stage and features (they decide conditional items)."""
        features = [] if no_features else feature
        with service_factory() as service:
            result = service.set_project_profile(project, building_type=building_type, stage=stage,
                                                 features=features, who=by)
        if json_out:
            emit_json(result)
            return
        out_console.print(result.model_dump())
