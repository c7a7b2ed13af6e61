"""Human-readable rendering of the demo report (tables on stdout)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from schemas.demo import DemoReport


def print_demo(report: DemoReport, console: Console) -> None:
    c = report.counts
    console.print(f"[bold]{report.project_name}[/] ({report.project}) — {report.files} files from {report.source_dir}")
    console.print(f"ingested {c.ingested}, duplicate {c.duplicate}, quarantined {c.quarantined}; "
                  f"{report.needs_review} marked for review")
    console.print(f"filed under the right class: {report.class_accuracy:.1%}, "
                  f"right sub-class: {report.subclass_accuracy:.1%}")
    classes = Table("sub-class", "files", "filed correctly", title="filing by sub-class")
    for row in report.by_class:
        classes.add_row(row.class_code, str(row.expected), str(row.filed_correctly))
    console.print(classes)
    searches = Table("query", "hits", "top results", title="searches")
    for search in report.searches:
        searches.add_row(search.query, str(search.total), " / ".join(search.top))
    console.print(searches)
    if report.first_login is not None:
        login = report.first_login
        console.print(f"[bold]first administrator login (shown only this once):[/] "
                      f"{login.username} / {login.password}")
        console.print("start the workbench with `make run` (web UI, API and the inbox watcher on this archive)")
    console.print("reset a forgotten password: `.venv/bin/jiandang user passwd admin` (with the same JIANDANG_HOME)")
