"""The matcher index skips only matchers that cannot hit: verdicts are the same with and without it."""

from __future__ import annotations

import dataclasses
import re

import pytest

from classify import RuleClassifier
from classify.prefilter import MatcherIndex, required_characters
from schemas.taxonomy import Taxonomy
from tests.classify import test_real_kinds as kinds
from tests.classify.examples import CASES


@pytest.mark.parametrize(("pattern", "needed"), [
    ("(施工|专项)?方案报审表", "方案报审表"),
    ("监理.{0,8}(方案|报告)", "监理"),
    ("(工程)?质量保修(协议)?书", "质量保修书"),
    ("(?:施工|施工单位)记录", "施工记录"),
    ("共检(通知|申请)?(单|表)", "共检"),
    ("[一二]号楼", "号楼"),
    ("(方案|报告)", ""),
    ("Ab", ""),
])
def test_the_characters_every_match_needs(pattern: str, needed: str) -> None:
    assert required_characters(pattern) == frozenset(needed)


@dataclasses.dataclass
class _Plain:
    patterns: tuple[re.Pattern[str], ...]


def test_a_line_tries_only_the_patterns_it_could_match() -> None:
    matchers = [_Plain((re.compile("方案报审表"),)), _Plain((re.compile("监理日志"), re.compile("(甲|乙)"))),
                _Plain((re.compile("共检单"),))]
    index = MatcherIndex(matchers)
    assert index.positions("专项施工方案报审表") == [0, 1]  # 1 has a pattern no character keys: always tried
    assert 0 not in index.positions("监理日志") and 2 in index.positions("质量共检单")


def _texts() -> list[tuple[str | None, str]]:
    named = [(title, text) for _, _, title, text in CASES]
    forms = [(None, f"{title}\n{text}") for _, title, text in
             kinds.GOVERNMENT_FORMS + kinds.SITE_RECORDS + kinds.NAMED_ELSEWHERE]
    others = [(None, text) for text in kinds.NOT_PROJECT_RECORDS + kinds.SUPERVISION_PLAN_CHAPTERS]
    return named + forms + others + [(None, kinds.CHANGE_SHEET)]


def test_verdicts_are_the_same_without_the_index(taxonomy: Taxonomy) -> None:
    indexed = RuleClassifier(taxonomy, review_threshold=0.5)
    exhaustive = RuleClassifier(taxonomy, review_threshold=0.5)
    exhaustive._compiled = dataclasses.replace(exhaustive._compiled, index=None)
    texts = _texts()
    assert len(texts) > 60
    for title, text in texts:
        assert indexed.classify(title, text).model_dump() == exhaustive.classify(title, text).model_dump(), text[:40]
