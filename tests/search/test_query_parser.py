"""Our query language: what each piece of syntax parses to."""

from __future__ import annotations

import pytest

from search.query import And, MatchAll, Not, Or, QuerySyntaxError, Term, parse_query, positive_terms


def test_whitespace_means_and_and_quotes_make_phrases() -> None:
    assert parse_query('外墙 "防水 卷材"') == And((Term("外墙"), Term("防水 卷材", quoted=True)))


def test_and_binds_tighter_than_or() -> None:
    assert parse_query("甲 乙 OR 丙") == Or((And((Term("甲"), Term("乙"))), Term("丙")))


def test_parentheses_group_and_minus_negates() -> None:
    tree = parse_query("(防水 OR 止水) 外墙 -监理")
    assert tree == And((Or((Term("防水"), Term("止水"))), Term("外墙"), Not(Term("监理"))))


def test_parentheses_inside_a_word_belong_to_the_word() -> None:
    assert parse_query("外墙(东)") == Term("外墙(东)")
    assert parse_query("(外墙(东) 防水)") == And((Term("外墙(东)"), Term("防水")))


def test_hyphens_inside_words_and_lone_dashes_are_not_negations() -> None:
    assert parse_query("结施-03") == Term("结施-03")
    assert parse_query("外墙 - 防水") == And((Term("外墙"), Term("防水")))


def test_empty_query_matches_everything() -> None:
    assert parse_query("") == MatchAll()
    assert parse_query(" \u3000 ") == MatchAll()


def test_full_width_syntax_is_folded_but_chinese_quotes_kept() -> None:
    assert parse_query("（防水　ＯＲ　止水）") == Or((Term("防水"), Term("止水")))
    assert parse_query("“防水 卷材”") == Term("防水 卷材", quoted=True)


def test_positive_terms_leave_out_negated_ones() -> None:
    assert positive_terms(parse_query('外墙 -监理 ("止水带" OR 防水)')) == ["外墙", "止水带", "防水"]


@pytest.mark.parametrize(
    "text",
    ['"未闭合', "外墙 OR", "OR", "-外墙", "外墙 OR -防水", "(外墙", "外墙)", "()", "外墙 -)", "-", "！"],
)
def test_malformed_input_raises(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(text)


def test_position_refers_to_the_users_text_even_after_folding() -> None:
    # ㎡ folds to two characters; the error must still point at the original index of OR.
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("100㎡ OR")
    assert caught.value.position == 5
    assert "at character 6" in str(caught.value)
