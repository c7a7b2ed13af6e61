"""Field filters typed in the query text: what each parses to, and where malformed ones go wrong."""

from __future__ import annotations

from datetime import date

import pytest

from search.filters import FieldFilter
from search.query import And, MatchAll, QuerySyntaxError, Term, parse_search


def test_filters_are_taken_out_of_the_keyword_tree() -> None:
    parsed = parse_search("防水 project:P2024-001 class:c2 type:施工方案")
    assert parsed.tree == Term("防水")
    assert parsed.filters == (
        FieldFilter("project", value="P2024-001"),
        FieldFilter("class", value="C2"),
        FieldFilter("type", value="施工方案"),
    )
    assert parsed.sort is None


def test_filters_alone_select_everything_they_allow() -> None:
    parsed = parse_search("year:2024 sort:date")
    assert parsed.tree == MatchAll()
    assert parsed.filters == (FieldFilter("year", low=2024, high=2024),)
    assert parsed.sort == "date"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date:2024-01-01..2024-06-30", FieldFilter("date", low=date(2024, 1, 1), high=date(2024, 6, 30))),
        ("date:2024-03", FieldFilter("date", low=date(2024, 3, 1), high=date(2024, 3, 31))),
        ("date:2024-02..", FieldFilter("date", low=date(2024, 2, 1))),
        ("date:..2023", FieldFilter("date", high=date(2023, 12, 31))),
        ("date>2024-03", FieldFilter("date", low=date(2024, 4, 1))),
        ("日期<2024-03-15", FieldFilter("date", high=date(2024, 3, 14))),
        ("year:2022..2023", FieldFilter("year", low=2022, high=2023)),
        ("year>2023", FieldFilter("year", low=2024)),
        ("金额>100000", FieldFilter("amount", low=100000.0, low_exclusive=True)),
        ("金额>=100000", FieldFilter("amount", low=100000.0)),
        ("amount:10000..50000", FieldFilter("amount", low=10000.0, high=50000.0)),
        ("金额:1万..5万元", FieldFilter("amount", low=10000.0, high=50000.0)),
        ("amount<1,000,000", FieldFilter("amount", high=1000000.0, high_exclusive=True)),
        ("contractor:中建三局", FieldFilter("contractor", value="中建三局")),
        ('施工单位:"中建 三局"', FieldFilter("contractor", value="中建 三局")),
        ("ＰＲＯＪＥＣＴ：Ｐ１", FieldFilter("project", value="P1")),  # full-width folds to half-width
    ],
)
def test_each_filter_form(text: str, expected: FieldFilter) -> None:
    assert parse_search(f"外墙 {text}").filters == (expected,)


def test_filters_combine_with_keywords_and_negation() -> None:
    parsed = parse_search('"防水卷材" -监理 金额>1万 sort:relevance')
    assert parsed.tree == And((Term("防水卷材", quoted=True), parsed.tree.children[1]))
    assert parsed.sort == "relevance"


def test_unknown_keys_stay_ordinary_words() -> None:
    assert parse_search("ISO:9001").tree == Term("ISO:9001")
    assert parse_search("ISO:9001").filters == ()


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("防水 金额>abc", 6, "not an amount"),
        ("date:2024-13-01", 5, "not a real date"),
        ("date:2024-06..2024-01", 5, "ends before it starts"),
        ("date:2024-01..20x4", 14, "not a date"),
        ("year:24", 5, "not a year"),
        ("防水 project:", 3, "needs a value"),
        ("class>C", 6, "takes ':'"),
        ("(防水 project:P1)", 4, "outside the parentheses"),
        ("防水 OR year:2024", 6, "cannot be part of an OR"),
        ("防水 -year:2024", 3, "cannot be excluded"),
        ("防水 sort:作者", 8, "sort takes"),
        ('contractor:"中建', 11, "not closed"),
    ],
)
def test_malformed_filters_say_where(text: str, position: int, words: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_search(text)
    assert words in caught.value.message
    assert caught.value.position == position, caught.value
