"""The engine-independent highlighter on Chinese text."""

from __future__ import annotations

from search.highlight import highlight, highlight_all, match_ranges


def test_marks_chinese_words_without_word_boundaries() -> None:
    assert highlight("地下室外墙防水卷材施工", ["防水"]) == ["地下室外墙<mark>防水</mark>卷材施工"]


def test_single_character_and_overlapping_terms_merge_into_one_mark() -> None:
    assert highlight("外墙防水", ["墙", "外墙"]) == ["<mark>外墙</mark>防水"]
    assert highlight("防水卷材", ["防水", "水卷"]) == ["<mark>防水卷</mark>材"]


def test_folded_match_marks_the_original_characters() -> None:
    assert highlight("标号Ｃ３０（见图）", ["c30"]) == ["标号<mark>Ｃ３０</mark>（见图）"]
    assert highlight("图号 结施－03", ["结施-03"]) == ["图号 <mark>结施－03</mark>"]


def test_everything_else_is_html_escaped() -> None:
    snippet = highlight('<b>"防水"</b> & <script>', ["防水"])[0]
    assert snippet == "&lt;b&gt;&quot;<mark>防水</mark>&quot;&lt;/b&gt; &amp; &lt;script&gt;"


def test_context_windows_are_cut_with_ellipses_and_limited_in_number() -> None:
    filler = "啊" * 200
    text = f"{filler}防水{filler}防水{filler}防水{filler}防水{filler}"
    snippets = highlight(text, ["防水"], max_snippets=3, context=10)
    assert len(snippets) == 3
    for snippet in snippets:
        assert snippet == "…" + "啊" * 10 + "<mark>防水</mark>" + "啊" * 10 + "…"


def test_nearby_matches_share_one_snippet() -> None:
    text = "啊" * 100 + "防水" + "啊" * 30 + "卷材" + "啊" * 100
    snippets = highlight(text, ["防水", "卷材"], context=60)
    assert len(snippets) == 1
    assert snippets[0].count("<mark>") == 2


def test_no_match_gives_no_snippets_and_whitespace_is_collapsed() -> None:
    assert highlight("外墙防水", ["屋面"]) == []
    assert highlight(None, ["屋面"]) == []
    assert highlight("第一行\n\n   防水\t层", ["防水"]) == ["第一行 <mark>防水</mark> 层"]


def test_latin_terms_match_whole_tokens_only() -> None:
    assert match_ranges("HRB400 C30", ["c3"]) == []
    assert match_ranges("HRB400 C30", ["C30"]) == [(7, 10)]


def test_highlight_all_marks_a_short_field_in_full() -> None:
    assert highlight_all("防水专项检查 <一>", ["检查"]) == "防水专项<mark>检查</mark> &lt;一&gt;"
