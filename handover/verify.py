"""``verify_bundle``: is this bundle intact and does it say what it holds? Names every problem.

Checks, in order, all of which run even after an earlier one failed (a reader wants the full
list, not the first complaint):

1. bagit-python's own validation (structure, Payload-Oxum, every sha256/sha512, tag manifests);
   when bagit's message names no file (a Payload-Oxum mismatch), the manifests are compared with
   the files on disk and re-hashed here so that the problem is pinned to a file;
2. ``data/manifest.json`` parses and validates against the published schema;
3. every file manifest.json lists is present, nothing in ``data/`` is unlisted, and each
   document's sha256 in manifest.json agrees with the bag's manifest.

A zipped bundle is unpacked into a temporary folder first (zip paths are sanitised by zipfile).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import bagit

from handover.bagging import read_manifest
from handover.errors import BundleNotFound
from handover.manifest import MANIFEST_NAME, schema_problems
from schemas.handover import BundleProblem, VerifyBundleReport

CHUNK = 1024 * 1024


def _problem(kind: str, message: str, file: str | None = None) -> BundleProblem:
    return BundleProblem(file=file, kind=kind, message=message)


def _bagit_problems(bag: bagit.Bag, root: Path, processes: int) -> list[BundleProblem]:
    try:
        bag.validate(processes=processes)
        return []
    except bagit.BagValidationError as exc:
        details = list(exc.details or [])
        if details:
            return _merge_algorithms([_detail_problem(d) for d in details])
        problems = [_problem("bag", str(exc.message), "bag-info.txt" if "Oxum" in str(exc) else None)]
        return problems + _pinpoint(bag, root)
    except bagit.BagError as exc:
        return [_problem("bag", str(exc))]


def _merge_algorithms(problems: list[BundleProblem]) -> list[BundleProblem]:
    """One checksum problem per file, naming every algorithm that disagreed (sha256, sha512)."""
    merged: dict[tuple[str | None, str], BundleProblem] = {}
    for problem in problems:
        key = (problem.file, problem.kind)
        if key in merged and problem.kind == "checksum_mismatch":
            first = merged[key]
            algorithms = first.message.split(" ", 1)[0] + "/" + problem.message.split(" ", 1)[0]
            merged[key] = first.model_copy(update={"message": f"{algorithms} {first.message.split(' ', 1)[1]}"})
        else:
            merged.setdefault(key, problem)
    return list(merged.values())


def _detail_problem(detail: object) -> BundleProblem:
    path = getattr(detail, "path", None)
    if isinstance(detail, bagit.ChecksumMismatch):
        return _problem("checksum_mismatch", f"{detail.algorithm} 校验值不符（文件被改动或损坏）", path)
    if isinstance(detail, bagit.FileMissing):
        return _problem("missing", "清单中有、包中没有的文件", path)
    if isinstance(detail, bagit.UnexpectedFile):
        return _problem("unexpected", "包中有、清单中没有的文件", path)
    return _problem("bag", str(detail), path)


def _pinpoint(bag: bagit.Bag, root: Path) -> list[BundleProblem]:
    """Name the files behind a Payload-Oxum mismatch: missing, extra, or changed bytes."""
    only_in_manifest, only_on_disk = bag.compare_manifests_with_fs()
    problems = [_problem("missing", "清单中有、包中没有的文件", p) for p in sorted(only_in_manifest)]
    problems += [_problem("unexpected", "包中有、清单中没有的文件", p) for p in sorted(only_on_disk)]
    missing = set(only_in_manifest)
    for rel_path, hashes in sorted(bag.entries.items()):
        if rel_path in missing or not (root / rel_path).is_file():
            continue
        digests = {alg: hashlib.new(alg) for alg in hashes}
        with (root / rel_path).open("rb") as handle:
            while chunk := handle.read(CHUNK):
                for digest in digests.values():
                    digest.update(chunk)
        for alg, expected in hashes.items():
            if digests[alg].hexdigest() != expected.lower():
                problems.append(_problem("checksum_mismatch", f"{alg} 校验值不符（文件被改动或损坏）", rel_path))
                break
    return problems


def _manifest_problems(root: Path) -> tuple[list[BundleProblem], dict[str, Any] | None]:
    where = f"data/{MANIFEST_NAME}"
    path = root / where
    if not path.is_file():
        return [_problem("manifest_missing", "缺少 manifest.json", where)], None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [_problem("manifest_unreadable", f"manifest.json 不是有效的 JSON：{exc}", where)], None
    problems = [_problem("manifest_schema", message, where) for message in schema_problems(document)]
    return problems, (document if not problems else None)


def _listing_problems(root: Path, document: dict[str, Any]) -> list[BundleProblem]:
    listed = {d["path"]: d for d in document["documents"]}
    others = {f["path"] for f in document["files"]}
    others |= {document["asset_register"]["path"]} | {d["eep"] for d in document["documents"] if d.get("eep")}
    expected = set(listed) | others | {f"data/{MANIFEST_NAME}"}
    problems = [_problem("listed_missing", "manifest.json 列出、包中没有的文件", p)
                for p in sorted(expected) if not (root / p).is_file()]
    on_disk = {p.relative_to(root).as_posix() for p in (root / "data").rglob("*") if p.is_file()}
    problems += [_problem("not_listed", "包中有、manifest.json 未列出的文件", p) for p in sorted(on_disk - expected)]
    try:
        bagged = read_manifest(root)
    except OSError:
        bagged = {}
    for path, entry in sorted(listed.items()):
        if path in bagged and bagged[path] != entry["sha256"]:
            problems.append(_problem("sha256_disagrees", "manifest.json 与 manifest-sha256.txt 的校验值不一致", path))
    return problems


def verify_directory(root: Path, processes: int = 1) -> VerifyBundleReport:
    problems: list[BundleProblem] = []
    try:
        bag = bagit.Bag(str(root))
    except bagit.BagError as exc:
        problems.append(_problem("not_a_bag", f"不是 BagIt 包：{exc}"))
        bag = None
    if bag is not None:
        problems += _bagit_problems(bag, root, processes)
    manifest_problems, document = _manifest_problems(root)
    problems += manifest_problems
    if document is not None:
        problems += _listing_problems(root, document)
    documents = len(document["documents"]) if document else 0
    return VerifyBundleReport(path=str(root), valid=not problems, problems=problems, documents=documents)


def verify_bundle(path: Path, processes: int = 1) -> VerifyBundleReport:
    """Verify a bag folder or a zipped bag (one top folder holding ``bagit.txt``)."""
    path = path.expanduser()
    if path.is_dir():
        return verify_directory(path, processes)
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="jiandang-verify-") as tmp, zipfile.ZipFile(path) as archive:
            archive.extractall(tmp)
            tops = [p for p in Path(tmp).iterdir() if p.is_dir()]
            root = tops[0] if len(tops) == 1 else Path(tmp)
            report = verify_directory(root, processes)
            return report.model_copy(update={"path": str(path)})
    raise BundleNotFound(f"{path} is neither a bundle folder nor a zipped bundle", path=str(path))
