"""The Chinese analyzers: sequential positions, offsets into the original text, folding, userdict."""

from __future__ import annotations

import random
import unicodedata

from search.analysis import char_analyzer, word_analyzer
from search.tokens import (
    char_gram_texts,
    char_index_tokens,
    char_query_tokens,
    char_spans,
    fold,
    fold_text,
    load_userdict_words,
    quad_query_tokens,
    word_spans,
)


def tokens(analyzer, text: str) -> list[tuple[str, int, int, int]]:
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True)]


def test_char_analyzer_one_token_per_cjk_character_with_sequential_positions() -> None:
    got = sorted(tokens(char_analyzer(), "外墙，防水"), key=lambda t: (t[1], len(t[0])))
    assert got == [
        ("外", 0, 0, 1),
        ("外墙", 0, 0, 2),
        ("墙", 1, 1, 2),
        ("墙防", 1, 1, 4),  # bigrams pair neighbouring characters across skipped punctuation
        ("防", 2, 3, 4),
        ("防水", 2, 3, 5),
        ("水", 3, 4, 5),
    ]


def test_char_analyzer_keeps_letter_digit_runs_whole_and_lowercased() -> None:
    singles = [
        t[0] for t in tokens(char_analyzer(), "C30混凝土 HRB400 结施-03") if len(t[0]) == 1 or t[0].isascii()
    ]
    assert singles == ["c30", "混", "凝", "土", "hrb400", "结", "施", "03"]


def test_query_phrase_uses_bigrams_and_matches_the_index_positions() -> None:
    assert char_query_tokens("防水卷材") == ["防水", "水卷", "卷材"]
    assert char_query_tokens("墙") == ["墙"]
    assert char_query_tokens("结施-03") == ["结施", "施", "03"]
    indexed = {(t[0], t[1]) for t in tokens(char_analyzer(), "外墙防水卷材施工")}
    assert {("防水", 2), ("水卷", 3), ("卷材", 4)} <= indexed


def test_full_width_text_is_folded_and_offsets_point_at_the_original() -> None:
    text = "标号Ｃ３０（见图）"
    got = [t for t in tokens(char_analyzer(), text) if len(t[0]) == 1 or t[0].isascii()]
    assert got[2] == ("c30", 2, 2, 5)
    assert text[got[2][2] : got[2][3]] == "Ｃ３０"
    assert [t[0] for t in got] == ["标", "号", "c30", "见", "图"]


def test_fold_maps_expanding_characters_back() -> None:
    folded, origin = fold("面积㎡")
    assert folded == "面积m2"
    assert list(origin) == [0, 1, 2, 2]
    assert [s.text for s in char_spans("12㎡")] == ["12m2"]


def _fold_one_by_one(text: str) -> tuple[str, list[int]]:
    """The definition ``fold`` must keep: each character NFKC-normalised and casefolded alone."""
    pieces, origin = [], []
    for index, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).casefold()
        pieces.append(folded)
        origin += [index] * len(folded)
    return "".join(pieces), origin


def test_fold_equals_folding_character_by_character_on_mixed_text() -> None:
    """Pages with ①, ℃ or ㎡ leave the all-in-C path; the table path must give the same text and offsets,
    a combining accent and a character that folds to three (ﬃ) included.
    """
    rng = random.Random(20261207)
    alphabet = [*"设计变更墙面积防水ABCabc 123ＡＢＣ１２３　，。（）", "㎡", "①", "℃", "ﬃ", "ß", "İ", "\u0301", "Ⅻ", "ﾊﾟ", "ς"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    texts.append("".join(chr(code) for code in range(0x20, 0x3400)))  # every character of the first blocks
    for text in texts:
        folded, origin = fold(text)
        assert (folded, list(origin)) == _fold_one_by_one(text), text


def test_fold_of_long_pages_with_rare_specials_equals_folding_character_by_character() -> None:
    """Pages of hundreds of characters with a ㎡ or ① here and there keep their quick fold
    (only the characters NFKC changes one by one): same text, same offsets,
    specials at the start, the end and beside a combining accent included.
    """
    rng = random.Random(20261208)
    plain = [*"设计变更墙面积防水混凝土浇筑ABCabc 123，。（）：ＡＢＣ１２３　e"]
    rare = ["㎡", "①", "℃", "ﬃ", "\u0301", "Ⅻ", "ﾊﾟ", "³"]
    texts = []
    for _ in range(400):
        length = rng.randint(60, 700)
        texts.append("".join(rng.choice(rare) if rng.random() < 0.01 else rng.choice(plain) for _ in range(length)))
    for edge in (0, 1, 64, 127):
        texts.append("设" * edge + "㎡" + "计" * 70 + "①")
        texts.append("设" * edge + "e\u0301" + "计" * 70 + "\U0001d400" + "③")
    for text in texts:
        folded, origin = fold(text)
        assert (folded, list(origin)) == _fold_one_by_one(text), text
        assert fold_text(text) == folded


def test_word_analyzer_uses_sequential_positions_and_skips_punctuation() -> None:
    got = tokens(word_analyzer(), "地下室外墙，防水卷材施工。")
    assert [t[0] for t in got] == ["地下室", "外墙", "防水卷材", "施工"]
    assert [t[1] for t in got] == [0, 1, 2, 3], "positions are word counts, not character offsets"
    assert got[2][2:] == (6, 10)


def test_construction_dictionary_keeps_domain_terms_whole() -> None:
    words = load_userdict_words()
    assert len(words) >= 100
    assert {"后浇带", "检验批", "见证取样", "竣工图"} <= set(words)
    got = [s.text for s in word_spans("后浇带施工缝处理，检验批验收，做见证取样")]
    assert "后浇带" in got
    assert "检验批" in got
    assert "见证取样" in got


def test_word_analyzer_folds_full_width_latin() -> None:
    assert [s.text for s in word_spans("ＨＲＢ４００钢筋")] == ["hrb400", "钢筋"]


def _gram_streams_from_whoosh_tokens(text: str) -> tuple[str, str, str]:
    """The tantivy token streams rebuilt from the Whoosh character analysis: at each position the
    single token, the bigram starting there (or the single token when there is none), and up to
    four characters of the run of bigrams starting there.
    """
    singles: dict[int, str] = {}
    pairs: dict[int, str] = {}
    for position, token, _start, _end in char_index_tokens(text):
        if position in singles:
            pairs[position] = token  # the bigram follows the single token of its position
        else:
            singles[position] = token
    order = sorted(singles)
    quads = []
    for p in order:
        gram, q = singles[p], p
        while len(gram) < 4 and q in pairs:  # the run goes on while each character pairs
            q += 1
            gram += singles[q]
        quads.append(gram)
    return (
        " ".join(singles[p] for p in order),
        " ".join(pairs.get(p, singles[p]) for p in order),
        " ".join(quads),
    )


def test_tantivy_gram_streams_agree_with_the_whoosh_bigrams_position_for_position() -> None:
    texts = [
        "外墙，防水",
        "C30混凝土 HRB400 结施-03",
        "结施－03：ＨＲＢ４００钢筋，屋面SBS改性沥青防水卷材。",
        "墙",
        "c30",
        "",
        "，。、",
        "地下室外墙 防水 层\n第二行：隐蔽工程验收记录（YS-2024-031）㎡",
        "한국어 텍스트와 中文 混排 abc𠀀𠀁字",
        "单位工程a一二三b一二c一d",
    ]
    for text in texts:
        assert char_gram_texts(text) == _gram_streams_from_whoosh_tokens(text), text


def test_long_chinese_terms_are_phrases_of_whole_quads() -> None:
    assert quad_query_tokens("单位工程") == [(0, "单位工程")]
    assert quad_query_tokens("幕墙门窗安装") == [(0, "幕墙门窗"), (2, "门窗安装")]
    assert quad_query_tokens("地下室，防水卷材") == [(0, "地下室防"), (3, "防水卷材")]
    assert quad_query_tokens("一二三四五六七八九") == [(0, "一二三四"), (4, "五六七八"), (5, "六七八九")]
    for shorter_or_mixed in ("检验批", "墙", "C30混凝土", "结施-03", "防水卷材C"):
        assert quad_query_tokens(shorter_or_mixed) is None, shorter_or_mixed
