"""Structure cues (``data/cues.yaml``): who issues a form, and the form number it prints.

Words are not the only evidence an archivist uses. A form addressed "致：项目监理机构" and sealed by
施工项目经理部 is a contractor's submission whatever its subject; "表B.0.6" is the material
submission form of GB/T 50319 even when its title is cut off. Party cues break near-ties between
classes (they never override a title that names a document type of another class) and are quoted
in the reasons; a form number is evidence of its own, weighed like a heading line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml
from pydantic import ValidationError

from classify.evidence import Evidence
from classify.matching import CompiledTaxonomy, Target, compile_regex
from classify.text import Zones
from schemas.titles import CueCatalogue

CUES_RESOURCE = "cues.yaml"
FORM_NUMBER_WEIGHT = 0.6
FORM_NUMBER_LINES = 6  # a form prints its number above or beside the title
ADDRESSED_HITS = 2  # an addressee line says more than one seal
MIN_PARTY_HITS = 2
PARTY_SWITCH = 0.75  # a candidate of the issuing party's class this close to the best one is chosen
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class PartyCue:
    name: str
    classes: tuple[str, ...]
    seen: tuple[str, ...]

    def sentence(self) -> str:
        return f"签章栏/抬头：{'、'.join(f'「{s}」' for s in self.seen[:3])} → {self.name}的表（{'/'.join(self.classes)} 类）"


class StructureCues:
    def __init__(self, catalogue: CueCatalogue, compiled: CompiledTaxonomy) -> None:
        self._parties = [
            (p.name, tuple(p.classes), [compile_regex(r) for r in p.addressed], [compile_regex(r) for r in p.signed])
            for p in catalogue.parties
        ]
        self._numbers = [
            (compile_regex(n.pattern), _target(compiled, n.code), s.source)
            for s in catalogue.form_numbers for n in s.numbers
        ]

    def party(self, zones: Zones) -> PartyCue | None:
        """The issuing party whose addressee line and seals the form shows most clearly, if any."""
        best: PartyCue | None = None
        best_hits = 0
        full = zones.full
        for name, classes, addressed, signed in self._parties:
            seen = [m.group(0) for p in addressed for line in zones.lines if (m := p.search(line))][:1]
            hits = ADDRESSED_HITS * len(seen)
            sealed = [m.group(0) for p in signed if (m := p.search(full))]
            hits += len(sealed)
            if hits >= MIN_PARTY_HITS and hits > best_hits:
                best, best_hits = PartyCue(name, classes, tuple(seen + sealed)), hits
        return best

    def form_numbers(self, zones: Zones) -> list[Evidence]:
        head = "".join(zones.lines[:FORM_NUMBER_LINES])
        found = []
        for pattern, target, source in self._numbers:
            match = pattern.search(head)
            if match:
                found.append(Evidence(target, FORM_NUMBER_WEIGHT, "form_number", match.group(0), where=source))
        return found


def prefer_party(ranked: list[Evidence], party: PartyCue | None) -> list[Evidence]:
    """Put a nearly-as-strong candidate of the issuing party's class first, unless a title names the best."""
    if party is None or not ranked or ranked[0].target.subclass[:1] in party.classes:
        return ranked
    top = ranked[0]
    if top.in_title and top.target.item is not None and not top.target.via_keyword:
        return ranked
    ours = next((e for e in ranked[1:] if e.target.subclass[:1] in party.classes), None)
    if ours is None or ours.score < PARTY_SWITCH * top.score:
        return ranked
    return [ours, *(e for e in ranked if e is not ours)]


def load_cues(compiled: CompiledTaxonomy) -> StructureCues:
    text = resources.files("classify").joinpath("data", CUES_RESOURCE).read_text(encoding="utf-8")
    try:
        return StructureCues(CueCatalogue.model_validate(yaml.load(text, Loader=_LOADER)), compiled)
    except (ValidationError, yaml.YAMLError, re.error) as exc:
        raise ValueError(f"{CUES_RESOURCE} is invalid: {exc}") from None


def _target(compiled: CompiledTaxonomy, code: str) -> Target:
    subclass = code.rsplit("-", 1)[0] if "-" in code else code
    if subclass not in compiled.subclass_labels or ("-" in code and code not in compiled.item_names):
        raise ValueError(f"{CUES_RESOURCE}: unknown code {code}")
    return Target(subclass, code if "-" in code else None, compiled.label(code))
