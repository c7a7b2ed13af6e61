"""``jiandang handover`` and ``jiandang verify-bundle``: write and check a handover bundle.

Exit codes of ``verify-bundle``: 0 when the bundle is valid; 7 when the check ran and found
problems (the same code ``jiandang audit verify`` uses for a broken chain), with the report still
printed in full; the error tree's codes (2 input, 3 not found, …) when the check could not run.
A script can therefore write ``jiandang verify-bundle B && ship B``.
"""

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
INVALID_BUNDLE_EXIT = 7


def register(app: typer.Typer, service_factory: Callable[[], ArchiveService]) -> None:
    @app.command()
    @exit_on_archive_error
    def handover(
        project: Annotated[str, typer.Argument(help="project code")],
        out: Annotated[Path, typer.Option("--out", help="the bundle folder to create (must not exist)")],
        zip_bundle: Annotated[bool, typer.Option("--zip", help="write OUT.zip instead of a folder")] = False,
        only: Annotated[str | None, typer.Option("--only", help="classes to include: C,D2,E2-x")] = None,
        asset: Annotated[str | None, typer.Option("--asset", help="the asset handed over (资产名称)")] = None,
        eep: Annotated[bool, typer.Option("--eep", help="also one DA/T 48-style EEP XML per document")] = False,
        json_out: JsonFlag = False,
    ) -> None:
        """Write the project's handover bundle: a BagIt bag with inventories, manifest and README."""
        codes = [c.strip() for c in only.split(",") if c.strip()] if only else None
        with service_factory() as service:
            report = service.handover(project, out, zip=zip_bundle, only=codes, asset=asset, eep=eep)
        if json_out:
            emit_json({"path": report.path, "documents": report.documents, "bytes": report.bytes,
                       "volumes": report.volumes})
            return
        out_console.print(f"{report.path}: {report.documents} 件 / {report.volumes} 卷, {report.bytes:,} bytes"
                          + (f" ({report.resumed_files} resumed)" if report.resumed_files else ""))
        err_console.print(f"check it with: jiandang verify-bundle {report.path}")

    @app.command("verify-bundle")
    @exit_on_archive_error
    def verify_bundle(
        path: Annotated[Path, typer.Argument(help="a bundle folder or a zipped bundle")],
        json_out: JsonFlag = False,
    ) -> None:
        """Check a bundle: bag checksums, manifest.json against its schema, listed files. Exit 7 if invalid."""
        with service_factory() as service:
            report = service.verify_bundle(path)
        if json_out:
            emit_json({"valid": report.valid, "problems": [p.model_dump() for p in report.problems],
                       "path": report.path, "documents": report.documents})
        else:
            out_console.print(f"{report.path}: {'valid' if report.valid else 'INVALID'}"
                              f" ({report.documents} documents listed)")
            for problem in report.problems:
                out_console.print(f"  ✗ {problem.file or '(bundle)'}: {problem.kind}: {problem.message}")
        if not report.valid:
            raise typer.Exit(INVALID_BUNDLE_EXIT)
