"""Merge the title catalogue (``data/titles.yaml``) into a raw taxonomy as document types.

The catalogue is kept apart from the taxonomy tree so that the breadth of real titles — each group
with the standard or form set it comes from — can be read, reviewed and extended on its own. Once
merged, a catalogue title is an ordinary document type: the same matchers, validation and locality
override apply to it. A compound title (``subject`` + ``kind``) is expanded into one regex here.
"""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from schemas.titles import TitleCatalogue, TitleEntry

CATALOGUE_RESOURCE = "titles.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TitleCatalogueError(ValueError):
    """The catalogue cannot be merged; ``problems`` name each entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("title catalogue is invalid:\n" + "\n".join(f"  - {p}" for p in problems))


def shipped_catalogue() -> TitleCatalogue:
    text = resources.files("classify").joinpath("data", CATALOGUE_RESOURCE).read_text(encoding="utf-8")
    try:
        return TitleCatalogue.model_validate(yaml.load(text, Loader=_LOADER))
    except (ValidationError, yaml.YAMLError) as exc:
        raise TitleCatalogueError([f"{CATALOGUE_RESOURCE}: {exc}"]) from None


def merge_titles(raw: dict[str, Any], catalogue: TitleCatalogue) -> dict[str, Any]:
    """A copy of ``raw`` with every catalogue entry added to its item or sub-class."""
    merged = copy.deepcopy(raw)
    subclasses = {s["code"]: s for c in merged.get("classes", []) for s in c.get("subclasses", [])}
    problems: list[str] = []
    for gi, group in enumerate(catalogue.groups):
        for ti, entry in enumerate(group.titles):
            where = f"titles.yaml groups[{gi}].titles[{ti}] ({entry.name})"
            pattern = _compound(entry, catalogue.kinds)
            if isinstance(pattern, str) and pattern.startswith("!"):
                problems.append(f"{where}: {pattern[1:]}")
                continue
            owner = _owner(entry.code, subclasses)
            if owner is None:
                problems.append(f"{where}: no item or sub-class {entry.code}")
                continue
            owner.setdefault("doc_types", []).append(_doc_type(entry, pattern, group.source))
    if problems:
        raise TitleCatalogueError(problems)
    return merged


def _compound(entry: TitleEntry, kinds: dict[str, str]) -> str | None:
    if entry.subject is None and entry.kind is None:
        return None if entry.patterns else "!needs patterns or a subject and a kind"
    if entry.subject is None or entry.kind is None:
        return "!a compound title needs both subject and kind"
    if entry.kind not in kinds:
        return f"!unknown kind {entry.kind!r} (known: {', '.join(sorted(kinds))})"
    return f"(?:{entry.subject}).{{0,{entry.gap}}}(?:{kinds[entry.kind]})"


def _owner(code: str, subclasses: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if code in subclasses:
        return subclasses[code]
    prefix = code.rpartition("-")[0]
    items = subclasses.get(prefix, {}).get("items", [])
    return next((item for item in items if item.get("code") == code), None)


def _doc_type(entry: TitleEntry, compound: str | None, source: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": entry.name,
        "title_patterns": [*entry.patterns, *([compound] if compound else [])],
        "source": source,
    }
    if entry.not_keywords:
        doc["not_keywords"] = list(entry.not_keywords)
    if entry.markers:
        doc["markers"] = list(entry.markers)
        doc["min_markers"] = entry.min_markers
    if entry.strength is not None:
        doc["strength"] = entry.strength
    if entry.note:
        doc["note"] = entry.note
    return doc
