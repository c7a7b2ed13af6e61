"""Which kind of document this is for the oversight reader (批复, 中标通知书, 合同, 签证 …) and, for
contracts, tenders and awards, which type of contract (施工 / 监理 / 设计 …).

The title decides first, because titles are what people write on purpose; the first lines stand in
for a missing title; the archive's filing (GB/T 50328 item) decides only when no title matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oversight.rules import CompiledKind, CompiledRules

OTHER = "other"
HEAD_CHARS = 300
_SPACE = re.compile(r"[\s|]+")
# in running text a type word counts only where it names the purchase: 施工招标, 监理合同, 设计费
_TYPE_CONTEXT = r"(?=.{0,2}(?:招标|合同|中标|项目|采购|服务|费|人|单位))"


@dataclass(frozen=True)
class Recognised:
    kind: CompiledKind | None
    contract_type: str | None

    @property
    def kind_id(self) -> str:
        return self.kind.definition.id if self.kind else OTHER


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


def _head_lines(text: str, count: int = 3) -> list[str]:
    lines = [line.strip() for line in text[:HEAD_CHARS].splitlines()
             if line.strip() and not line.strip().startswith("【工作表")]  # a sheet's name is not its title
    return [_compact(line) for line in lines[:count]]


def _title_matches(kind: CompiledKind, title: str) -> bool:
    if any(word in title for word in kind.not_title):
        return False
    return any(pattern.search(title) for pattern in kind.title)


def recognise_kind(rules: CompiledRules, title: str | None, text: str, item_code: str | None) -> CompiledKind | None:
    # the first lines stand in for a missing title only: in running text they mislead ("…办公会议定")
    candidates = [_compact(title)] if title else _head_lines(text)
    for candidate in candidates:
        for kind in rules.kinds:
            if _title_matches(kind, candidate):
                return kind
    if item_code:
        for kind in rules.kinds:
            if item_code in kind.definition.item_codes and not any(
                word in candidate for candidate in candidates for word in kind.not_title
            ):
                return kind
    return None


def contract_type(rules: CompiledRules, title: str | None, text: str) -> str | None:
    """The first type whose words appear in the title; else the earliest one named in the first lines."""
    types = rules.source.contract_types
    compact_title = _compact(title or "")
    for name, words in types.items():
        if any(word in compact_title for word in words):
            return name
    head = _compact(text[:HEAD_CHARS])
    best: tuple[int, str] | None = None
    for name, words in types.items():
        for word in words:
            match = re.search(re.escape(word) + _TYPE_CONTEXT, head)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), name)
    return best[1] if best else None


def recognise(rules: CompiledRules, title: str | None, text: str, item_code: str | None) -> Recognised:
    kind = recognise_kind(rules, title, text, item_code)
    typed = kind is not None and kind.definition.contract_typed
    return Recognised(kind, contract_type(rules, title, text) if typed else None)
