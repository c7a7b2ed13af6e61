"""Cross-checks of a loaded taxonomy that a schema cannot express.

Each problem starts with the path of the offending node (``classes[2].subclasses[3].items[5]``)
so that whoever edits the YAML file finds the line: duplicate codes, item codes outside their
sub-class, keeper flags of the wrong shape, regexes that do not compile, rules that name document
types or items that do not exist.
"""

from __future__ import annotations

import re

from schemas.taxonomy import DisambiguationRule, DocType, Item, Taxonomy

_EXTRA_CONFIDENCE = frozenset({"low", "medium", "high"})


def check_taxonomy(taxonomy: Taxonomy) -> list[str]:
    return _Checker(taxonomy).run()


class _Checker:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.problems: list[str] = []
        self.codes: dict[str, str] = {}
        self.doc_types: dict[str, str] = {}
        meta = taxonomy.meta
        self.keep_length = len(meta.keep_order)
        self.keep_symbols = set(meta.keep_codes)
        self.confidence_words = set(meta.confidence_values) | _EXTRA_CONFIDENCE
        self.evidence_words = set(meta.evidence_keys) | {"unconfirmed"}

    def run(self) -> list[str]:
        for ci, archive_class in enumerate(self.taxonomy.classes):
            class_path = f"classes[{ci}]"
            self._once(archive_class.code, class_path)
            for si, subclass in enumerate(archive_class.subclasses):
                sub_path = f"{class_path}.subclasses[{si}]"
                if subclass.code != archive_class.code:
                    self._once(subclass.code, sub_path)
                if not subclass.code.startswith(archive_class.code):
                    self.problems.append(
                        f"{sub_path}: sub-class {subclass.code} is not under class {archive_class.code}"
                    )
                for di, doc_type in enumerate(subclass.doc_types):
                    self._doc_type(doc_type, f"{sub_path}.doc_types[{di}]")
                for ii, item in enumerate(subclass.items):
                    self._item(item, subclass.code, f"{sub_path}.items[{ii}]")
        for ri, rule in enumerate(self.taxonomy.disambiguation):
            self._rule(rule, f"disambiguation[{ri}]")
        return self.problems

    def _once(self, code: str, where: str) -> None:
        if code in self.codes:
            self.problems.append(f"{where}: duplicate code {code} (first at {self.codes[code]})")
        else:
            self.codes[code] = where

    def _item(self, item: Item, subclass_code: str, path: str) -> None:
        self._once(item.code, path)
        if not item.code.startswith(f"{subclass_code}-") or item.code == f"{subclass_code}-":
            self.problems.append(f"{path}: item code {item.code} must start with {subclass_code}-")
        if item.keep is not None and (
            len(item.keep) != self.keep_length or set(item.keep) - self.keep_symbols
        ):
            symbols = "".join(sorted(self.keep_symbols))
            self.problems.append(
                f"{path}: keep flags {item.keep!r} of {item.code} must be {self.keep_length} of {symbols}"
            )
        if item.keep_confidence is not None and item.keep_confidence not in self.confidence_words:
            self.problems.append(f"{path}: unknown keep_confidence {item.keep_confidence!r}")
        for key in item.evidence:
            if key not in self.evidence_words:
                self.problems.append(f"{path}: unknown evidence key {key!r}")
        if item.retention_basis is not None and item.retention_basis not in self.evidence_words:
            self.problems.append(f"{path}: unknown retention_basis {item.retention_basis!r}")
        for di, doc_type in enumerate(item.doc_types):
            self._doc_type(doc_type, f"{path}.doc_types[{di}]")

    def _doc_type(self, doc_type: DocType, path: str) -> None:
        if doc_type.name in self.doc_types:
            self.problems.append(
                f"{path}: duplicate doc type name {doc_type.name} (first at {self.doc_types[doc_type.name]})"
            )
        self.doc_types.setdefault(doc_type.name, path)
        for field in ("title_patterns", "markers", "body_patterns"):
            self._regexes(getattr(doc_type, field), f"{path}.{field}")
        if doc_type.markers and doc_type.min_markers > len(doc_type.markers):
            self.problems.append(
                f"{path}: min_markers {doc_type.min_markers} exceeds the {len(doc_type.markers)} markers"
            )

    def _rule(self, rule: DisambiguationRule, path: str) -> None:
        for field in ("triggers", "drawing_markers", "as_built_markers", "stamp_fields", "change_markers",
                      "volume_catalogues", "volume_contents", "party_triggers"):
            self._regexes(getattr(rule, field), f"{path}.{field}")
        for mi, member in enumerate(rule.members):
            if member.doc_type not in self.doc_types:
                self.problems.append(
                    f"{path}.members[{mi}]: rule {rule.id} names unknown doc type {member.doc_type}"
                )
            if member.alternative is not None and member.alternative not in self.codes:
                self.problems.append(f"{path}.members[{mi}]: unknown alternative item {member.alternative}")
            self._regexes(member.markers, f"{path}.members[{mi}].markers")
        for di, discipline in enumerate(rule.disciplines):
            if discipline.item not in self.codes:
                self.problems.append(f"{path}.disciplines[{di}]: unknown item {discipline.item}")
            self._regexes(discipline.patterns, f"{path}.disciplines[{di}].patterns")
        if rule.volume_subclass is not None and rule.volume_subclass not in self.codes:
            self.problems.append(f"{path}: unknown volume sub-class {rule.volume_subclass}")
        if rule.change_item is not None and rule.change_item not in self.codes:
            self.problems.append(f"{path}: unknown change item {rule.change_item}")
        if rule.as_built_subclass is not None and rule.as_built_subclass not in self.codes:
            self.problems.append(f"{path}: unknown sub-class {rule.as_built_subclass}")
        if rule.construction_doc_type is not None and rule.construction_doc_type not in self.doc_types:
            self.problems.append(f"{path}: unknown doc type {rule.construction_doc_type}")
        if rule.kind in {"origin", "level_order", "shared_form"} and not rule.members:
            self.problems.append(f"{path}: rule {rule.id} of kind {rule.kind} has no members")

    def _regexes(self, patterns: tuple[str, ...], path: str) -> None:
        for index, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.problems.append(f"{path}[{index}]: regex {pattern!r} does not compile ({exc})")
