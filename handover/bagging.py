"""Turning the staging folder into a BagIt bag (bagit-python), and zipping a finished bag.

``bagit.make_bag`` moves the folder's content into ``data/`` in place and ``chdir``s while it
works, so it only ever runs on our own staging copy, never on the store of originals. After it
returns, the sha256 manifest it wrote is compared with what the catalog expects: the bag must
describe exactly the bytes we copied.
"""

from __future__ import annotations

import os
import zipfile
from datetime import date
from pathlib import Path

import bagit

from handover.errors import OriginalDamaged

ALGORITHMS = ["sha256", "sha512"]
CHUNK = 1024 * 1024
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def make_bag(staging: Path, info: dict[str, str], processes: int) -> bagit.Bag:
    return bagit.make_bag(str(staging), bag_info=dict(info), processes=processes, checksums=ALGORITHMS)


def read_manifest(bag_root: Path, algorithm: str = "sha256") -> dict[str, str]:
    """``path → digest`` from ``manifest-<alg>.txt`` (paths decoded the way bagit-python does)."""
    entries: dict[str, str] = {}
    with (bag_root / f"manifest-{algorithm}.txt").open(encoding="utf-8") as handle:
        for line in handle:
            digest, _, path = line.rstrip("\n").partition("  ")
            entries[path.replace("%0D", "\r").replace("%0A", "\n")] = digest
    return entries


def check_bagged_digests(bag_root: Path, expected: dict[str, str]) -> None:
    """Every copied original hashes (per bagit's manifest) to the sha256 recorded at ingest."""
    written = read_manifest(bag_root)
    bad = [path for path, sha in expected.items() if written.get(path) != sha]
    if bad:
        raise OriginalDamaged(
            f"{len(bad)} original(s) no longer match the checksum recorded at ingest, first: "
            f"{bad[0].rsplit('/', 1)[-1]}; run `jiandang verify` to check the store", path=bad[0])


def bag_info(*, agency: str, code: str, name: str, bagging_date: date, documents: int, volumes: int,
             software: str, asset: str | None) -> dict[str, str]:
    info = {
        "Source-Organization": agency,
        "External-Identifier": code,
        "External-Description": f"{name} 建设项目档案移交包",
        "Bagging-Date": bagging_date.isoformat(),
        "Bag-Software-Agent": f"{software} (bagit.py {bagit.VERSION})",
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
