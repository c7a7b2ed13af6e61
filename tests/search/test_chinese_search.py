"""Chinese keyword search on a real on-disk index: matching, operators, filters, paging, highlights."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from haystack import Document

from schemas.search import SearchQuery
from search import QuerySyntaxError, SearchStore
from tests.search.corpus import P1, P2

pytestmark = pytest.mark.integration


def ids(store: SearchStore, text: str, **filters: object) -> set[str]:
    page = store.search(SearchQuery(text=text, limit=100, **filters))
    assert page.total == len(page.hits)
    return {hit.document.id for hit in page.hits}


def ranked(store: SearchStore, text: str) -> list[str]:
    return [hit.document.id for hit in store.search(SearchQuery(text=text, limit=100)).hits]


# --- matching --------------------------------------------------------------------------------
def test_single_character_matches_inside_words(store: SearchStore) -> None:
    assert ids(store, "墙") == {"方案", "变更", "检查", "纪要"}


def test_word_query(store: SearchStore) -> None:
    assert ids(store, "防水") == {"方案", "屋面", "检查", "纪要"}


def test_phrase_matches_only_adjacent_characters(store: SearchStore) -> None:
    assert ids(store, '"防水卷材"') == {"方案"}
    assert ids(store, "防水卷材") == {"方案"}, "a bare term is an exact run of characters too"


def test_split_words_match_as_and_but_not_as_phrase(store: SearchStore) -> None:
    # 屋面 has 防水 and 卷材 in one document, but never next to each other.
    assert ids(store, "防水 卷材") == {"方案", "屋面"}
    assert "屋面" not in ids(store, '"防水卷材"')
    assert ids(store, '"卷材搭接"') == {"屋面"}


def test_phrase_spanning_punctuation_and_spaces(store: SearchStore) -> None:
    assert ids(store, '"改性沥青 防水卷材"') == {"方案"}
    assert ids(store, "两层铺设施工缝") == {"方案"}, "punctuation (。) between words is skipped"


def test_words_far_apart_do_not_match_a_term_written_together(store: SearchStore) -> None:
    # 钢筋 and 直径 are both whole words in 钢筋's text, but not next to each other.
    assert ids(store, "钢筋直径") == set()
    assert ids(store, "钢筋 直径") == {"钢筋"}


def test_and_or_not(store: SearchStore) -> None:
    assert ids(store, "外墙 止水带") == {"方案", "纪要"}
    assert ids(store, "岩棉板 OR HRB400") == {"变更", "钢筋"}
    assert ids(store, "防水 -卷材") == {"检查", "纪要"}
    assert ids(store, "(岩棉板 OR HRB400) 外墙") == {"变更"}
    assert ids(store, "防水 -(卷材 OR 止水带)") == {"检查"}
    assert ids(store, "外墙 or 止水带") == set(), "lower-case 'or' is an ordinary word"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C30", {"方案", "变更"}),  # 变更 writes it full-width: Ｃ３０
        ("c30", {"方案", "变更"}),
        ("HRB400", {"钢筋"}),
        ("结施-03", {"钢筋"}),
        ("结施03", {"钢筋"}),
        ("YS-2024-031", {"钢筋"}),
        ("P8", {"方案"}),
        ("Φ25", {"钢筋"}),
        ("12,500,000", {"合同"}),
        ("SBS改性沥青", {"方案"}),
        # a term ending in a lone Chinese character after Latin/digits: in the text that
        # character is the start of a longer word (调整, 抗渗, 直径) and must still match
        ("C30调", {"变更"}),
        ("C30抗", {"方案"}),
        ("HRB400直", {"钢筋"}),
        ("结施-03检", {"钢筋"}),  # the ； between them is skipped, as everywhere
        ("03检", {"钢筋"}),
        ("03验", set()),
    ],
)
def test_latin_and_number_tokens(store: SearchStore, text: str, expected: set[str]) -> None:
    assert ids(store, text) == expected


def test_numbers_match_whole_tokens_not_prefixes(store: SearchStore) -> None:
    assert ids(store, "YS-2024-03") == set()
    assert ids(store, "HRB40") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＨＲＢ４００", {"钢筋"}),
        ("Ｃ３５", {"变更"}),
        ("C35", {"变更"}),
        ("（见附图）", {"变更"}),
        ("＂防水卷材＂", {"方案"}),
        ("“防水卷材”", {"方案"}),
        ("岩棉板　ＯＲ　ＨＲＢ４００", {"变更", "钢筋"}),  # ideographic spaces and a full-width OR
    ],
)
def test_full_width_input_is_folded(store: SearchStore, text: str, expected: set[str]) -> None:
    assert ids(store, text) == expected


def test_title_match_outranks_body_only_matches(store: SearchStore) -> None:
    order = ranked(store, "防水")
    in_title = {"方案", "检查"}
    body_only = {"屋面", "纪要"}  # 纪要 mentions 防水 three times, in the body only
    assert set(order[:2]) == in_title, order
    assert set(order[2:]) == body_only, order


def test_empty_text_lists_everything_the_filters_allow(store: SearchStore) -> None:
    assert ids(store, "") == {"方案", "屋面", "钢筋", "合同", "变更", "检查", "纪要"}
    assert ids(store, "   ", project=P2) == {"合同", "变更"}


# --- filters ---------------------------------------------------------------------------------
def test_project_filter(store: SearchStore) -> None:
    assert ids(store, "外墙", project=P2) == {"变更"}
    assert ids(store, "外墙", project="P-不存在") == set()


def test_class_letter_and_sub_class_filters(store: SearchStore) -> None:
    assert ids(store, "", class_code="C") == {"方案", "屋面", "钢筋", "变更", "检查"}
    assert ids(store, "", class_code="c5") == {"屋面", "钢筋"}
    assert ids(store, "外墙", class_code="B") == {"纪要"}


def test_doc_type_filter(store: SearchStore) -> None:
    assert ids(store, "", doc_type="隐蔽工程验收记录") == {"钢筋"}
    assert ids(store, "", doc_type="验收记录") == {"屋面"}, "doc_type is exact, not a substring"


def test_date_range_is_inclusive(store: SearchStore) -> None:
    found = ids(store, "", date_from=date(2024, 3, 15), date_to=date(2024, 4, 2))
    assert found == {"方案", "钢筋"}
    assert ids(store, "", date_from=date(2024, 6, 20)) == {"屋面", "检查"}
    assert ids(store, "", date_to=date(2023, 12, 31)) == {"合同", "变更"}


def test_amount_range(store: SearchStore) -> None:
    assert ids(store, "", amount_min=80_000, amount_max=100_000) == {"变更"}
    assert ids(store, "", amount_min=1_000_000) == {"合同"}
    assert ids(store, "", amount_max=85_000) == {"变更"}


def test_filters_combine(store: SearchStore) -> None:
    assert ids(store, "外墙", project=P1, class_code="C", date_from=date(2024, 7, 1)) == {"检查"}


# --- paging, sorting -------------------------------------------------------------------------
def test_pages_partition_the_results_and_total_counts_all(store: SearchStore) -> None:
    everything = ranked(store, "外墙 OR 防水")
    assert len(everything) == 5
    pages = [store.search(SearchQuery(text="外墙 OR 防水", limit=3, offset=offset)) for offset in (0, 3)]
    assert [page.total for page in pages] == [5, 5]
    assert [len(page.hits) for page in pages] == [3, 2]
    assert [hit.document.id for page in pages for hit in page.hits] == everything


@pytest.mark.parametrize("text", ["止水带 OR 模板", "外墙 OR 防水", "外墙 钢筋", "墙 -模板"])
def test_total_is_exact_for_small_pages_over_many_documents(tmp_path: Path, store_class: type, text: str) -> None:
    rng = random.Random(3)
    words = ["外墙", "防水", "钢筋", "模板", "验收", "记录", "止水带", "混凝土"]
    docs = [
        Document(
            id=f"文{i}",
            content="，".join(rng.choice(words) for _ in range(rng.randint(3, 30))),
            meta={"title": rng.choice(words)},
        )
        for i in range(60)
    ]
    big = store_class(index_path=str(tmp_path / "索引"))
    big.write_documents(docs)

    def has(doc: Document, word: str) -> bool:
        return word in doc.content or word in doc.meta["title"]

    truth = {
        "止水带 OR 模板": lambda d: has(d, "止水带") or has(d, "模板"),
        "外墙 OR 防水": lambda d: has(d, "外墙") or has(d, "防水"),
        "外墙 钢筋": lambda d: has(d, "外墙") and has(d, "钢筋"),
        "墙 -模板": lambda d: has(d, "墙") and not has(d, "模板"),
    }[text]
    expected = sum(1 for doc in docs if truth(doc))
    for sort in ("relevance", "date"):
        page = big.search(SearchQuery(text=text, limit=2), sort=sort)
        assert page.total == expected
        assert len(page.hits) == 2


def test_offset_past_the_end_gives_an_empty_page(store: SearchStore) -> None:
    page = store.search(SearchQuery(text="防水", offset=50))
    assert page.total == 4
    assert page.hits == []


def test_sort_by_date_newest_first_undated_last(store: SearchStore) -> None:
    page = store.search(SearchQuery(text="外墙", limit=10), sort="date")
    assert [hit.document.id for hit in page.hits] == ["检查", "方案", "变更", "纪要"]
    with pytest.raises(ValueError, match="sort"):
        store.search(SearchQuery(text="外墙"), sort="size")  # type: ignore[arg-type]


def test_hits_carry_the_stored_document_and_its_score(store: SearchStore) -> None:
    hit = store.search(SearchQuery(text="岩棉板")).hits[0]
    assert hit.document.meta["amount"] == 85_000.0
    assert hit.document.meta["title"] == "设计变更通知单"
    assert hit.score > 0
    assert hit.document.score == hit.score


# --- highlights ------------------------------------------------------------------------------
def test_highlights_mark_chinese_matches(store: SearchStore) -> None:
    hit = store.search(SearchQuery(text='"防水卷材" 止水带')).hits[0]
    joined = " ".join(hit.highlights)
    assert "<mark>防水卷材</mark>" in joined
    assert "<mark>止水带</mark>" in joined


def test_highlights_escape_html_in_the_text(store: SearchStore) -> None:
    hit = store.search(SearchQuery(text="档案馆")).hits[0]
    snippet = hit.highlights[0]
    assert "<mark>档案馆</mark>" in snippet
    assert "&lt;script&gt;" in snippet
    assert "<script>" not in snippet
    assert "&amp;" in snippet


def test_highlights_mark_the_original_full_width_text(store: SearchStore) -> None:
    hit = store.search(SearchQuery(text="C30")).hits
    marked = {h.document.id: h.highlights[0] for h in hit}
    assert "<mark>Ｃ３０</mark>" in marked["变更"]
    assert "<mark>C30</mark>" in marked["方案"]


def test_negated_terms_are_not_highlighted(store: SearchStore) -> None:
    hit = store.search(SearchQuery(text="防水 -卷材 -止水带")).hits[0]
    assert hit.document.id == "检查"
    assert hit.highlights == ["<mark>防水</mark>专项检查"], "only the title matched, so the title is shown"


# --- malformed queries -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ('"防水卷材', "quotation mark", 0),
        ("防水 OR", "OR needs a term after", 3),
        ("OR 防水", "OR needs a term before", 0),
        ("外墙 OR OR 防水", "OR needs a term after", 3),
        ("-防水", "only of excluded", 0),
        ("-防水 -卷材", "only of excluded", 0),
        ("外墙 OR -防水", "OR alternative", 6),
        ("(防水 外墙", "parenthesis is not closed", 0),
        ("防水 外墙)", "closing parenthesis", 5),
        ("，。", "nothing to search for", 0),
    ],
)
def test_malformed_queries_say_what_and_where(
    store: SearchStore, text: str, message: str, position: int
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        store.search(SearchQuery(text=text))
    assert message in str(caught.value)
    assert caught.value.position == position
