"""Load the taxonomy file, merge a locality override, and refuse a tree that cannot be trusted.

The taxonomy is the one place where filing rules live, so a mistake in it (two items with one
code, a regex that does not compile, a rule naming a document type that does not exist) must stop
the program at start-up with a message that names the node, not mis-file documents quietly.
"""

from __future__ import annotations

import copy
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from classify.titles import TitleCatalogueError, merge_titles, shipped_catalogue
from classify.validation import check_taxonomy
from schemas.taxonomy import Taxonomy, TaxonomyOverride

logger = logging.getLogger(__name__)

SHIPPED_RESOURCE = "taxonomy.yaml"
OVERRIDE_KEY = "override"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TaxonomyError(ValueError):
    """The taxonomy (or an override) is unusable; ``problems`` name each offending node."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"taxonomy {source} is invalid:\n{listed}")


def load_taxonomy(path: str | Path | None = None, override: Path | None = None) -> Taxonomy:
    """The shipped taxonomy (or the file at ``path``), with a locality override merged in.

    ``path`` may itself be an override file (a YAML document with a top-level ``override`` block):
    it is then merged onto the shipped taxonomy, so a deployment only ever needs one setting.
    """
    source = "(shipped)" if path is None else str(path)
    raw = _read_shipped() if path is None else _read_yaml(Path(path))
    overrides: list[tuple[str, dict[str, Any]]] = []
    if OVERRIDE_KEY in raw:
        overrides.append((source, raw))
        raw, source = _read_shipped(), "(shipped)"
    if override is not None:
        overrides.append((str(override), _read_yaml(Path(override))))
    for override_source, override_raw in overrides:
        raw = apply_override(raw, override_raw, override_source)
        source = f"{source} + {override_source}"
    taxonomy = _validate(raw, source)
    problems = check_taxonomy(taxonomy)
    if problems:
        raise TaxonomyError(source, problems)
    logger.info("taxonomy loaded from %s: %d items", source, sum(1 for _ in taxonomy.items()))
    return taxonomy


def apply_override(raw: dict[str, Any], override_raw: dict[str, Any], source: str) -> dict[str, Any]:
    """Merge an override into a raw taxonomy: remove items, replace item/sub-class fields, add items."""
    try:
        patch = TaxonomyOverride.model_validate(override_raw)
    except ValidationError as exc:
        raise TaxonomyError(source, _pydantic_problems(exc)) from None
    merged: dict[str, Any] = copy.deepcopy(raw)
    subclasses = {s["code"]: s for c in merged.get("classes", []) for s in c.get("subclasses", [])}
    problems: list[str] = []
    removed = set(patch.remove_items)
    for code in removed:
        owner = _owner_of(code, subclasses)
        if owner is None or not any(i.get("code") == code for i in owner.get("items", [])):
            problems.append(f"override remove_items: no item {code} to remove")
        else:
            owner["items"] = [i for i in owner["items"] if i.get("code") != code]
    for index, sub_patch in enumerate(patch.subclasses):
        target = subclasses.get(sub_patch.code)
        if target is None:
            problems.append(f"override subclasses[{index}]: no sub-class {sub_patch.code}")
            continue
        target.update(sub_patch.model_dump(mode="json", exclude_none=True, exclude={"code"}))
    for index, item_patch in enumerate(patch.items):
        problems.extend(_merge_item(item_patch.model_dump(mode="json", exclude_none=True), index, subclasses))
    if problems:
        raise TaxonomyError(source, problems)
    merged["locality"] = patch.override.model_dump(mode="json", exclude_none=True)
    return merged


def _merge_item(fields: dict[str, Any], index: int, subclasses: dict[str, dict[str, Any]]) -> list[str]:
    code = fields["code"]
    owner = _owner_of(code, subclasses)
    if owner is None:
        return [f"override items[{index}]: code {code} names no sub-class (expected e.g. C5-37 or D-13)"]
    existing = next((i for i in owner.setdefault("items", []) if i.get("code") == code), None)
    if existing is not None:
        existing.update(fields)
        return []
    if "name" not in fields:
        return [f"override items[{index}]: new item {code} needs a name"]
    owner["items"].append({**fields, "source": "locality"})
    return []


def _owner_of(code: str, subclasses: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    prefix, _, rest = code.rpartition("-")
    return subclasses.get(prefix) if prefix and rest else None


def _validate(raw: dict[str, Any], source: str) -> Taxonomy:
    try:
        return Taxonomy.model_validate(raw)
    except ValidationError as exc:
        raise TaxonomyError(source, _pydantic_problems(exc)) from None


def _pydantic_problems(exc: ValidationError) -> list[str]:
    return [f"{_dotted(error['loc'])}: {error['msg']}" for error in exc.errors()]


def _dotted(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(root)"


def _read_shipped() -> dict[str, Any]:
    """The shipped tree with the title catalogue (``titles.yaml``) merged in."""
    text = resources.files("classify").joinpath("data", SHIPPED_RESOURCE).read_text(encoding="utf-8")
    try:
        return merge_titles(_parse(text, "(shipped)"), shipped_catalogue())
    except TitleCatalogueError as exc:
        raise TaxonomyError("(shipped titles.yaml)", exc.problems) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(str(path), [f"cannot read the file ({exc.strerror or exc})"]) from None
    return _parse(text, str(path))


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader (the C one when available)
    except yaml.YAMLError as exc:
        raise TaxonomyError(source, [f"not valid YAML ({exc})"]) from None
    if not isinstance(data, dict):
        raise TaxonomyError(source, ["(root): expected a mapping at the top level"])
    return data
