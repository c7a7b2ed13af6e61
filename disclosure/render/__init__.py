"""Rendering a disclosure's content as a static package: ``index.html`` (the 公告栏 page),
``disclosure.xlsx`` (the 标准目录 table), ``disclosure.json`` (with an OC4IDS-shaped block) and
``manifest.json`` (each file's sha256). ``render_package`` refuses a package that still holds
personal data (``guard.check_clean``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from disclosure.catalogue import Catalogue
from disclosure.redaction_rules import RedactionRules
from disclosure.render.guard import LeakFound, check_clean
from disclosure.render.html import render_html
from disclosure.render.json_out import render_json
from disclosure.render.meta import PackageMeta
from disclosure.render.xlsx import render_xlsx
from schemas.disclosure import DisclosureContent, PackageFile

__all__ = ["MANIFEST", "LeakFound", "PackageMeta", "manifest_of", "render_package"]

MANIFEST = "manifest.json"


def manifest_of(files: dict[str, bytes]) -> tuple[bytes, list[PackageFile]]:
    listed = [PackageFile(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
              for name, data in sorted(files.items()) if name != MANIFEST]
    body = json.dumps({"files": [f.model_dump() for f in listed]}, ensure_ascii=False, indent=2).encode("utf-8")
    return body, listed


def render_package(content: DisclosureContent, catalogue: Catalogue, meta: PackageMeta, rules: RedactionRules,
                   today: date) -> dict[str, bytes]:
    """The package's files by name; raises ``LeakFound`` rather than return one that leaks (any
    personal datum the finders see, or any text the content's redactions hid).
    """
    hidden = {r.original for r in content.redactions if len(r.original.strip()) >= 2}
    files = {"index.html": render_html(content, meta), "disclosure.xlsx": render_xlsx(content, catalogue, meta),
             "disclosure.json": render_json(content, meta)}
    check_clean(files, hidden, rules, today)
    files[MANIFEST] = manifest_of(files)[0]
    return files
