"""``generate_sample_project``: one realistic 机关 building project's archive, every sub-class filled.

Every document is built from its own random stream (seed, template, copy), and omitted items are
still *built* (just not written), so leaving an item out changes nothing else: the remaining files
keep their names, numbers and bytes. That is what lets a completeness test compare a full and a
thinned-out project file by file.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from pathlib import Path

from samples import writer
from samples.catalogue import project_plan, sample_items
from samples.context import default_context
from samples.kit import Kit
from samples.model import Doc, SampleProject

logger = logging.getLogger(__name__)

LAYOUTS = ("folders", "flat")


def build_project_docs(code: str, name: str, seed: int) -> list[Doc]:
    """All documents of the full project, in plan order, not yet rendered."""
    kit = Kit(default_context(code, name, random.Random(f"{seed}/context")), random.Random(seed))
    docs = []
    for template, copy in project_plan():
        # keyed by what the document is, so adding a template elsewhere leaves this one unchanged
        kit.rng = random.Random(f"{seed}/{template.item}/{template.doc_type}/{copy}")
        docs.append(template.build(kit, copy))
    return docs


def generate_sample_project(
    root: Path,
    *,
    code: str = "JD-2024-001",
    name: str = "市机关办公楼节能改造工程",
    omit_items: Iterable[str] = (),
    seed: int = 7,
    layout: str = "folders",
    write_manifest: bool = True,
) -> SampleProject:
    """Write the sample project under ``root`` and say what each file is.

    ``omit_items`` leaves every document of those item codes out. ``layout="flat"`` puts all files
    in ``root`` under neutral names (文件001.pdf …) so an evaluation cannot lean on names or folders.
    ``write_manifest=False`` skips ``root/样例清单.json``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    omitted = frozenset(omit_items)
    unknown = omitted - sample_items()
    if unknown:
        raise ValueError(f"the sample project has no documents for item(s): {', '.join(sorted(unknown))}")

    docs = [doc for doc in build_project_docs(code, name, seed) if doc.item_code not in omitted]
    if layout == "flat":
        paths = writer.flat_paths(docs, random.Random(f"{seed}/flat"))
    else:
        paths = writer.folder_paths(docs)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    old = writer.previous_paths(root)
    files = writer.write_all(root, docs, paths)
    writer.remove_stale(root, old, paths)
    manifest = root / writer.MANIFEST_NAME
    if write_manifest:
        header = {"generator": "samples", "version": 1, "project": {"code": code, "name": name},
                  "seed": seed, "layout": layout, "omitted_items": sorted(omitted)}
        writer.write_manifest(root, header, files)
    elif manifest.is_file():
        manifest.unlink()  # a manifest from an earlier run would now describe other files
    logger.info("sample project %s: %d files in %s (%d items omitted)", code, len(files), root, len(omitted))
    return SampleProject(code=code, name=name, root=root, files=files, omitted_items=omitted)
