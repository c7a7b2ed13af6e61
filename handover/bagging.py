"""Turning the staged ``data/`` folder into a BagIt bag (RFC 8493), and zipping a finished bag.

The payload digests are computed while the files are staged (``copying``), so the manifests are
written from those digests instead of letting ``bagit.make_bag`` read every byte again. The tag
files follow bagit-python's layout, and the tests validate every bundle with bagit-python's
validator (``bagit.Bag(path).validate()``), which is also what ``verify-bundle`` runs. Manifest
lines are sorted by path, so an unchanged project gives byte-identical payload manifests.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from datetime import date
from pathlib import Path

from handover.copying import StagedFile

ALGORITHMS = ["sha256", "sha512"]
CHUNK = 1024 * 1024
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def _manifest_path(path: str) -> str:
    """RFC 8493 §2.1.3: CR and LF in a path are percent-encoded (names never hold ``%``: ``names``)."""
    return path.replace("\r", "%0D").replace("\n", "%0A")


def _write_lines(path: Path, lines: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(f"{line}\n" for line in lines)


def _digest(path: Path, algorithm: str) -> str:
    return hashlib.new(algorithm, path.read_bytes()).hexdigest()


def write_bag(bag_root: Path, payload: list[StagedFile], info: dict[str, str]) -> None:
    """Write the tag files of the bag whose ``data/`` holds exactly ``payload``.

    The layout is bagit-python's own (``bagit.txt``, ``bag-info.txt`` with ``Payload-Oxum``, one
    payload and one tag manifest per algorithm); ``Bag.save`` is not used because it first checks
    the permissions of every payload file one by one (0.7 s on 2,000 files, measured), which the
    staging copy we just wrote cannot fail.
    """
    ordered = sorted(payload, key=lambda f: f.path)
    total = sum(f.size for f in payload)
    (bag_root / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    fields = {**info, "Payload-Oxum": f"{total}.{len(payload)}", "Bag-Size": _human_size(total)}
    _write_lines(bag_root / "bag-info.txt", [f"{key}: {value}" for key, value in sorted(fields.items())])
    for algorithm in ALGORITHMS:
        _write_lines(bag_root / f"manifest-{algorithm}.txt",
                     [f"{getattr(f, algorithm)}  {_manifest_path(f.path)}" for f in ordered])
    tag_files = ["bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS)]
    for algorithm in ALGORITHMS:
        _write_lines(bag_root / f"tagmanifest-{algorithm}.txt",
                     [f"{_digest(bag_root / name, algorithm)}  {name}" for name in tag_files])


def _human_size(size: int) -> str:
    """``Bag-Size`` is for people (RFC 8493 §2.2.2): "5.1 GB", not a byte count."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def read_manifest(bag_root: Path, algorithm: str = "sha256") -> dict[str, str]:
    """``path → digest`` from ``manifest-<alg>.txt`` (paths decoded the way bagit-python does)."""
    entries: dict[str, str] = {}
    with (bag_root / f"manifest-{algorithm}.txt").open(encoding="utf-8") as handle:
        for line in handle:
            digest, _, path = line.rstrip("\n").partition("  ")
            entries[path.replace("%0D", "\r").replace("%0A", "\n")] = digest
    return entries



def bag_info(*, agency: str, code: str, name: str, bagging_date: date, documents: int, volumes: int,
             software: str, asset: str | None) -> dict[str, str]:
    info = {
        "Source-Organization": agency,
        "External-Identifier": code,
        "External-Description": f"{name} 建设项目档案移交包",
        "Bagging-Date": bagging_date.isoformat(),
        "Bag-Software-Agent": software,
        "Project-Code": code,
        "Project-Name": name,
        "Document-Count": str(documents),
        "Volume-Count": str(volumes),
        "Archive-Code-Scheme": "项目代号-分类号-案卷号-件号",
        "Manifest": "data/manifest.json (JSON Schema: data/manifest.schema.json)",
    }
    if asset:
        info["Asset-Name"] = asset
    return info


def zip_bag(bag_root: Path, target: Path) -> int:
    """Write the bag as ``target`` (top folder = the bag's name), streamed, fixed dates, stored.

    Entries are stored, not deflated: originals are mostly PDFs and images that do not shrink, and
    a stored zip can be checked and unpacked by anything. Returns the zip's size in bytes.
    """
    tmp = target.with_name(target.name + ".part")
    top = target.name.removesuffix(".zip")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for dirpath, dirnames, filenames in os.walk(bag_root):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                arcname = f"{top}/{path.relative_to(bag_root).as_posix()}"
                entry = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
                entry.external_attr = 0o644 << 16
                entry.file_size = path.stat().st_size
                with path.open("rb") as src, archive.open(entry, "w", force_zip64=True) as dst:
                    while chunk := src.read(CHUNK):
                        dst.write(chunk)
    os.replace(tmp, target)
    return target.stat().st_size
