"""Turn built ``Doc``s into files: pick each one's path, render it, write it, and keep the manifest.

Files are rewritten only when their bytes change, so generating the demo project a second time
leaves the share untouched (a watcher sees nothing new). Files a previous run listed in its manifest
but this run does not produce are removed, so an ``omit_items`` run really lacks those items;
nothing the generator did not write itself is ever deleted.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from samples.catalogue import class_folder
from samples.model import Doc, SampleFile
from samples.render_docx import DocxWriter
from samples.render_pdf import render_pdf
from samples.render_xlsx import render_xlsx

logger = logging.getLogger(__name__)

MANIFEST_NAME = "样例清单.json"
_UNSAFE = re.compile(r'[\\/:*?"<>|%\x00-\x1f]')


class Renderer:
    """Picks the writer for a document's format; keeps the parsed DOCX template between documents."""

    def __init__(self) -> None:
        self._docx: DocxWriter | None = None

    def __call__(self, doc: Doc) -> bytes:
        if doc.format == "pdf":
            return render_pdf(doc)
        if doc.format == "xlsx":
            return render_xlsx(doc)
        if doc.format == "docx":
            if self._docx is None:
                self._docx = DocxWriter()
            return self._docx.render(doc)
        raise ValueError(f"unknown format {doc.format!r}")


def safe_stem(stem: str, limit: int = 80) -> str:
    """A file-name-safe stem: no path separators, no ``%`` (BagIt tools disagree on it), not too long."""
    cleaned = _UNSAFE.sub("-", stem).strip(" .") or "文件"
    return cleaned[:limit]


def folder_paths(docs: list[Doc], prefix: str = "") -> list[str]:
    """Chinese class folders and the documents' own names; duplicates get （2）, （3） …."""
    taken: set[str] = set()
    paths = []
    for doc in docs:
        folder = f"{prefix}{class_folder(doc.class_code)}"
        stem = safe_stem(doc.file_stem)
        candidate = f"{folder}/{stem}.{doc.format}"
        copy = 2
        while candidate in taken:
            candidate = f"{folder}/{stem}（{copy}）.{doc.format}"
            copy += 1
        taken.add(candidate)
        paths.append(candidate)
    return paths


def flat_paths(docs: list[Doc], rng: random.Random) -> list[str]:
    """Neutral names in one folder, numbered in shuffled order so neither name nor order hints the class."""
    order = list(range(len(docs)))
    rng.shuffle(order)
    width = max(3, len(str(len(docs))))
    paths = [""] * len(docs)
    for number, index in enumerate(order, start=1):
        paths[index] = f"文件{number:0{width}d}.{docs[index].format}"
    return paths


def write_file(path: Path, data: bytes) -> None:
    if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(data)
    temporary.replace(path)  # a watcher never sees a half-written file under its final name


def _write_chunk(root: Path, docs: list[Doc], paths: list[str]) -> list[SampleFile]:
    files = []
    render = Renderer()
    for doc, relative in zip(docs, paths, strict=True):
        write_file(root / relative, render(doc))
        files.append(SampleFile(relative, doc.class_code, doc.item_code, doc.doc_type, doc.format, doc.title))
    return files


def write_all(root: Path, docs: list[Doc], paths: list[str], workers: int = 1) -> list[SampleFile]:
    """Render and write every document; ``workers`` > 1 renders in that many processes.

    Rendering is pure CPU work (layout, XML, deflate), so processes, not threads, are what scale.
    The output does not depend on ``workers``.
    """
    chunk = 500
    if workers <= 1 or len(docs) <= chunk:
        files = []
        for start in range(0, len(docs), chunk):
            files += _write_chunk(root, docs[start : start + chunk], paths[start : start + chunk])
            logger.info("sample documents written: %d of %d", len(files), len(docs))
        return files
    files = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(_write_chunk, root, docs[s : s + chunk], paths[s : s + chunk]) for s in range(0, len(docs), chunk)]
        for job in jobs:
            files += job.result()
            logger.info("sample documents written: %d of %d", len(files), len(docs))
    return files


def previous_paths(root: Path) -> list[str]:
    manifest = root / MANIFEST_NAME
    if not manifest.is_file():
        return []
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
        return [entry["relative_path"] for entry in listed]
    except (ValueError, KeyError, TypeError, AttributeError):
        logger.warning("ignoring unreadable sample manifest %s", manifest)
        return []


def remove_stale(root: Path, old: Iterable[str], keep: Iterable[str]) -> int:
    """Delete files an earlier run wrote that this run does not; prune folders left empty."""
    keep_set = set(keep)
    resolved_root = root.resolve()
    removed = 0
    for relative in old:
        if relative in keep_set:
            continue
        path = (root / relative).resolve()
        if resolved_root not in path.parents or not path.is_file():
            continue
        path.unlink()
        removed += 1
        parent = path.parent
        while parent != resolved_root and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    if removed:
        logger.info("removed %d sample files left by an earlier run", removed)
    return removed


def write_manifest(root: Path, header: dict[str, object], files: list[SampleFile]) -> None:
    body = dict(header)
    body["files"] = [asdict(f) for f in files]
    write_file(root / MANIFEST_NAME, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))
