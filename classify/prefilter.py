"""Which matchers can hit a line at all: an index from one character each pattern needs.

The classifier tries every matcher of the taxonomy (some 800, with about 2,000 patterns) on every
title-like line of every document: about 12,000 regex searches per document, a third of the time
it takes to read one. Nearly all of them fail. A pattern such as ``(施工|专项)?方案报审表`` cannot
match a line without 方, 案, 报, 审 and 表 in it, so each pattern is filed under one character every
one of its matches contains (the one fewest patterns need, so the lists stay short), and a line
only tries the patterns filed under its own characters. The result is the same set of hits; a
pattern from which no such character can be read (``.{0,6}`` alternatives, ASCII only) is always
tried.

Only CJK characters serve as keys: they have no case, so ``re.IGNORECASE`` cannot make a match
that lacks them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Protocol

_CJK_FIRST, _CJK_LAST = 0x3400, 0x9FFF


class _HasPatterns(Protocol):
    patterns: tuple[re.Pattern[str], ...]


def required_characters(pattern: str) -> frozenset[str]:
    """CJK characters that every match of ``pattern`` contains (empty when none can be told)."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return frozenset()
    return frozenset(_needed(list(parsed)))


def _needed(nodes: Iterable[tuple[object, object]]) -> set[str]:
    """Characters a sequence of parsed regex nodes needs: the union over its parts."""
    needed: set[str] = set()
    for op, value in nodes:
        if op is sre.LITERAL:
            code = int(value)  # type: ignore[call-overload]
            if _CJK_FIRST <= code <= _CJK_LAST:
                needed.add(chr(code))
        elif op is sre.SUBPATTERN:
            needed |= _needed(value[-1])  # type: ignore[index]
        elif op is sre.BRANCH:
            branches = [_needed(branch) for branch in value[1]]  # type: ignore[index]
            needed |= set.intersection(*branches) if branches else set()
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, _high, body = value  # type: ignore[misc]
            if low >= 1:
                needed |= _needed(body)
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            needed |= _needed(value)  # type: ignore[arg-type]
    return needed


class MatcherIndex:
    """For a line, the positions of the matchers that could hit it, in their original order."""

    def __init__(self, matchers: Sequence[_HasPatterns]) -> None:
        needs = [[required_characters(p.pattern) for p in m.patterns] for m in matchers]
        popularity = Counter(ch for per_matcher in needs for chars in per_matcher for ch in chars)
        self._always: list[int] = []
        self._by_char: dict[str, list[int]] = {}
        for position, per_matcher in enumerate(needs):
            if not per_matcher or any(not chars for chars in per_matcher):
                self._always.append(position)
                continue
            keys = {min(chars, key=lambda ch: (popularity[ch], ch)) for chars in per_matcher}
            for key in keys:
                self._by_char.setdefault(key, []).append(position)

    def positions(self, line: str) -> list[int]:
        found = set(self._always)
        for ch in set(line).intersection(self._by_char):
            found.update(self._by_char[ch])
        return sorted(found)
