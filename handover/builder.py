"""``build_bundle``: one handover bundle, from a request core built out of the catalog.

Order of work, chosen so that an interruption at any point costs little and never leaves a
half-bundle under the final name:

1. plan: select documents (``--only``), assign 档号 and paths (``plan``);
2. copy the originals into ``data/`` of a staging folder beside the output (``.<name>.partial``),
   hashing each byte as it passes and comparing the sha256 with the catalog's (``copying``); a
   re-run resumes here, keeping (and re-hashing) the copies an earlier run finished;
3. write the asset register, the inventories (XLSX + DOCX), ``README.html``, the schema and,
   last, ``manifest.json`` (validated against the schema before it is written);
4. write the bag's tag files from the digests of step 2 (``bagging.write_bag``);
5. rename the staging folder to the output (atomic on one file system), or stream it into a zip.

Nothing in ``data/`` depends on the clock: dates inside XLSX/DOCX come from ``catalog_as_of``, so
an unchanged project yields the same payload manifest on every export. Only ``bag-info.txt``
(Bagging-Date) and therefore the tag manifests change.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from handover import assets, bagging, checks, eep, forms, inventory_docx, inventory_xlsx, manifest, readme
from handover.copying import CopyJob, StagedFile, hash_file, stage_originals, sweep_parts
from handover.errors import OutputExists
from handover.plan import Volume, matches_only, plan_volumes
from schemas.handover import HandoverReport, HandoverRequest

logger = logging.getLogger(__name__)

INVENTORY_DIR = "目录"
EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
Assessment = Callable[[], dict[str, Any] | None]
NOT_ASSESSED = {"status": "not_assessed", "note": "completeness not yet assessed（归档范围完整性尚未评估）"}


def _targets(request: HandoverRequest) -> tuple[Path, Path]:
    """(final path, staging folder). With ``zip`` the final path ends in ``.zip``."""
    out = request.out.expanduser().absolute()
    if request.zip and out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip")
    bag_name = out.name.removesuffix(".zip") if request.zip else out.name
    return out, out.parent / f".{bag_name}.partial"


def _prepare(out: Path, staging: Path) -> None:
    if out.exists():
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        else:
            raise OutputExists(f"{out} already exists; choose a new --out path or remove it", path=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir(exist_ok=True)
    for entry in staging.iterdir():  # tag files of an interrupted run are rewritten; data/ is kept
        if entry.name != "data":
            logger.warning("an earlier run of %s stopped while bagging; writing the bag again", staging)
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    (staging / "data").mkdir(exist_ok=True)
    sweep_parts(staging)


def _copy_originals(volumes: list[Volume], staging: Path, workers: int) -> list[StagedFile]:
    jobs = (CopyJob(source=d.doc.source, target=staging / d.path, bag_path=d.path, size=d.doc.size,
                    expected_sha256=d.doc.sha256)
            for volume in volumes for d in volume.documents)
    return list(stage_originals(jobs, workers))


def _remove_strays(staging: Path, keep: set[str]) -> None:
    """Files an earlier run staged that this bundle does not list (the project changed meanwhile)."""
    payload = staging / "data"
    for dirpath, _dirs, filenames in os.walk(payload, topdown=False):
        for name in filenames:
            path = Path(dirpath) / name
            if path.relative_to(staging).as_posix() not in keep:
                path.unlink()
        if Path(dirpath) != payload and not any(Path(dirpath).iterdir()):
            Path(dirpath).rmdir()


def _write_inventories(request: HandoverRequest, volumes: list[Volume], staging: Path,
                       when: datetime) -> tuple[list[dict[str, str]], dict[str, object]]:
    folder = staging / "data" / INVENTORY_DIR
    folder.mkdir(exist_ok=True)
    files: list[dict[str, str]] = []

    def add(name: str, role: str, description: str) -> Path:
        files.append({"path": f"data/{INVENTORY_DIR}/{name}", "role": role, "description": description})
        return folder / name

    handover_list = forms.handover_list(request, volumes)
    volume_list = forms.volume_list(request, volumes)
    contents = forms.volume_contents(volumes)
    notes = forms.volume_notes(volumes)
    for form, role, description in (
        (handover_list, "handover_list", "移交清单：每件一行，含电子文件名、大小与 SHA-256"),
        (volume_list, "volume_list", "案卷目录：每卷一行"),
    ):
        inventory_xlsx.write_workbook(add(f"{form.name}.xlsx", role, description), [form], when)
        inventory_docx.write_document(add(f"{form.name}.docx", role, description), [form], when)
    inventory_xlsx.write_workbook(add("卷内目录.xlsx", "volume_contents", "卷内目录：每卷一个工作表"), contents, when)
    inventory_docx.write_document(add("卷内目录.docx", "volume_contents", "卷内目录：每卷一页起"), contents, when)
    inventory_xlsx.write_workbook(add("卷内备考表.xlsx", "volume_notes", "卷内备考表：每卷一行"), [notes], when)
    inventory_docx.write_volume_notes(add("卷内备考表.docx", "volume_notes", "卷内备考表：每卷一页"), notes, when)

    # the store's original, not the staged copy: the inventories are written while copying goes on
    read_path = {d.archive_code: d.doc.source for v in volumes for d in v.documents}
    register = assets.build_register(volumes, request.project.name, request.asset, read_path)
    register_path = add("交付使用资产登记表.xlsx", "asset_register", "交付使用资产登记表（供固定资产系统登记）")
    assets.write_register(register_path, register, request.project.code, request.project.name, when)
    asset_info: dict[str, object] = {
        "path": files[-1]["path"], "source": register.source, "rows": len(register.rows),
        "source_documents": register.source_documents,
    }
    return files, asset_info


def _describe(request: HandoverRequest, volumes: list[Volume], staging: Path, when: datetime,
              selected: int, assess_completeness: Assessment | None) -> list[str]:
    """Write everything in ``data/`` that is not an original; return the bag paths written."""
    files, asset_info = _write_inventories(request, volumes, staging, when)
    files += [
        {"path": "data/README.html", "role": "readme", "description": "本包说明（中文）"},
        {"path": f"data/{manifest.SCHEMA_NAME}", "role": "schema", "description": "manifest.json 的 JSON Schema"},
    ]
    report = assess_completeness() if assess_completeness else None
    completeness = {"status": "assessed", "report": report} if report is not None else dict(NOT_ASSESSED)
    export_checks = checks.export_checks(volumes, selected, completeness)
    document = manifest.build_manifest(request, volumes, files=files, asset_register=asset_info,
                                       completeness=completeness, checks=export_checks)
    payload = staging / "data"
    if request.eep:
        for volume in volumes:
            for planned in volume.documents:
                eep.write_eep(staging / eep.eep_path(planned), planned, volume, request.project, when)
    (payload / manifest.SCHEMA_NAME).write_text(manifest.schema_text(), encoding="utf-8")
    (payload / "README.html").write_text(readme.render_readme(request, volumes, document), encoding="utf-8")
    manifest.write_manifest(payload / manifest.MANIFEST_NAME, document,
                            manifest.document_entries(volumes, eep=request.eep))
    eeps = [eep.eep_path(d) for v in volumes for d in v.documents] if request.eep else []
    return [f["path"] for f in files] + eeps + [f"data/{manifest.MANIFEST_NAME}"]


def build_bundle(request: HandoverRequest, assess_completeness: Assessment | None = None) -> HandoverReport:
    """Write the bundle described by ``request``; see the module docstring for the steps.

    ``assess_completeness``, when given, produces the completeness report embedded in the bundle
    (without it, or when it returns ``None``, the bundle says "not assessed"). It is called on this
    thread while the originals copy on others, so a report that takes seconds to build does not
    hold the copy back.
    """
    selected = [d for d in request.documents if matches_only(d, request.only)]
    volumes = plan_volumes(request.project.code, request.project.name, selected, request.plan,
                           request.archival_code)
    out, staging = _targets(request)
    _prepare(out, staging)
    when = (request.catalog_as_of or EPOCH).astimezone(UTC)
    logger.info("handover %s: %d documents in %d volumes → %s", request.project.code, len(selected),
                len(volumes), out)

    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    # Copying (threads that spend their time in I/O and hashing, outside the GIL) runs while this
    # thread writes the inventories and the manifest, which need nothing from the copies.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="handover-stage") as background:
        copying = background.submit(_copy_originals, volumes, staging, request.processes)
        generated = _describe(request, volumes, staging, when, len(selected), assess_completeness)
        described = lap()
        staged = copying.result()
    _remove_strays(staging, {f.path for f in staged} | set(generated))
    copy_wait = lap()

    info = bagging.bag_info(
        agency=request.project.agency, code=request.project.code, name=request.project.name,
        bagging_date=request.bagging_date or date.today(), documents=len(selected), volumes=len(volumes),
        software=request.software, asset=request.asset,
    )
    bagging.write_bag(staging, staged + [hash_file(staging / path, path) for path in generated], info)
    bagged = lap()

    if request.zip:
        size = bagging.zip_bag(staging, out)
        shutil.rmtree(staging)
    else:
        os.replace(staging, out)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    logger.info("handover %s written: %s (%d bytes, %d resumed); inventories and manifest %.2f s (copying"
                " alongside), copy finished %.2f s later, bag %.2f s, finish %.2f s", request.project.code, out,
                size, sum(f.resumed for f in staged), described, copy_wait, bagged, lap())
    return HandoverReport(path=str(out), documents=len(selected), bytes=size, volumes=len(volumes),
                          resumed_files=sum(f.resumed for f in staged),
                          archive_codes={d.doc.id: d.archive_code for v in volumes for d in v.documents})
