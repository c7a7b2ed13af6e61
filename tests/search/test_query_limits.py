"""Hostile query text: deep nesting is refused with a position, a double negation means what it says."""

from __future__ import annotations

import pytest

from search import QuerySyntaxError
from search.query import MAX_DEPTH, And, Not, Term, parse_query


def test_a_negated_negation_is_the_term_itself() -> None:
    assert parse_query("墙 -(-砖)") == And((Term("墙"), Term("砖")))
    assert parse_query("墙 -(-(-砖))") == And((Term("墙"), Not(Term("砖"))))
    assert parse_query("墙 -(砖 -瓦)") == And((Term("墙"), Not(And((Term("砖"), Not(Term("瓦")))))))


def test_nesting_past_the_limit_is_refused_where_it_starts() -> None:
    assert parse_query("(" * MAX_DEPTH + "墙" + ")" * MAX_DEPTH) == Term("墙")
    for text in ["(" * 10_000 + "墙" + ")" * 10_000, "墙 " + "-(" * 166 + "砖" + ")" * 166]:
        with pytest.raises(QuerySyntaxError, match="nested more than") as raised:
            parse_query(text)
        assert text[raised.value.position] == "("


def test_bytes_that_are_not_utf8_are_refused_where_they_stand() -> None:
    with pytest.raises(QuerySyntaxError, match="not valid UTF-8") as raised:
        parse_query("墙 " + b"\xff\xfe".decode("utf-8", "surrogateescape"))
    assert raised.value.position == 2
