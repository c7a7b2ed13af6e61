"""Every filter of the query language against the sample index, facets, and more-like-this."""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import Document

from schemas.search import SearchQuery
from search import SearchStore
from tests.search.corpus import P1, P2


def ids(store: SearchStore, text: str, **options: object) -> set[str]:
    page = store.search(SearchQuery(text=text, limit=100, **options))
    assert page.total == len(page.hits)
    return {hit.document.id for hit in page.hits}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"project:{P2}", {"合同", "变更"}),
        ("class:C", {"方案", "屋面", "钢筋", "变更", "检查"}),
        ("class:c5", {"屋面", "钢筋"}),
        ("type:验收记录", {"屋面"}),
        ("contractor:中建三局", {"方案"}),
        ('施工单位:"江西省建工"', {"合同"}),
        ("contractor:中建四局", set()),
        ("year:2023", {"合同", "变更"}),  # year is read from the date when not given
        ("year:2024..2025", {"方案", "屋面", "钢筋", "检查"}),
        ("date:2024-03-15", {"方案"}),
        ("date:2024-03..2024-04", {"方案", "钢筋"}),
        ("date>2024-04-02", {"屋面", "检查"}),
        ("date<2024", {"合同", "变更"}),
        ("金额>100000", {"合同"}),
        ("金额:85000", {"变更"}),
        ("金额>85000", {"合同"}),
        ("amount:8万..9万", {"变更"}),
        ("amount<=85000", {"变更"}),
        ("防水 year:2024", {"方案", "屋面", "检查"}),
        ("外墙 -防水 class:C", {"变更"}),
    ],
)
def test_each_filter_selects_exactly_the_documents_it_names(
    store: SearchStore, text: str, expected: set[str]
) -> None:
    assert ids(store, text) == expected


def test_typed_filters_and_option_filters_both_apply(store: SearchStore) -> None:
    assert ids(store, "class:C", project=P1) == {"方案", "屋面", "钢筋", "检查"}
    assert ids(store, f"project:{P2}", project=P1) == set()
    assert ids(store, "外墙", contractor="中建三局") == {"方案"}


def test_sort_by_date_from_the_query_text(store: SearchStore) -> None:
    page = store.search(SearchQuery(text="防水 sort:date"))
    assert page.sort == "date"
    assert [hit.document.id for hit in page.hits] == ["检查", "屋面", "方案", "纪要"]  # undated last
    assert store.search(SearchQuery(text="防水")).sort == "relevance"
    assert store.search(SearchQuery(text="防水 sort:date", sort="relevance")).sort == "relevance"


def test_facets_count_every_match_not_just_the_page(store: SearchStore) -> None:
    page = store.search(SearchQuery(text="外墙", limit=1))  # 方案, 变更, 检查, 纪要
    assert page.total == 4 and len(page.hits) == 1
    assert page.facets["project"] == {P1: 3, P2: 1}
    assert page.facets["class_code"] == {"B2": 1, "C2": 1, "C3": 1, "C8": 1}
    assert page.facets["year"] == {"2024": 2, "2023": 1}  # the minutes are undated
    assert page.facets["doc_type"] == {"会议纪要": 1, "施工方案": 1, "检查记录": 1, "设计变更": 1}


def test_facets_respect_filters_and_can_be_switched_off(store: SearchStore) -> None:
    page = store.search(SearchQuery(text="防水 class:C"))
    assert page.facets["class_code"] == {"C2": 1, "C5": 1, "C8": 1}
    assert store.search(SearchQuery(text="防水", facets=False)).facets == {}


def test_highlights_mark_chinese_terms_in_filtered_results(store: SearchStore) -> None:
    page = store.search(SearchQuery(text='"止水带" project:P2024-001'))
    assert {hit.document.id for hit in page.hits} == {"方案", "纪要"}
    for hit in page.hits:
        assert any("<mark>止水带</mark>" in snippet for snippet in hit.highlights)


def test_more_like_this_finds_documents_sharing_telling_words(store: SearchStore) -> None:
    similar = [hit.document.id for hit in store.more_like_this("方案").hits]
    assert similar, "the waterproofing plan shares 防水/外墙/止水带 with other documents"
    assert "方案" not in similar
    assert similar[0] in {"纪要", "检查"}
    assert store.more_like_this("没有这个").total == 0


def test_total_counts_documents_without_a_project_or_any_facet_value(tmp_path: Path, store_class: type) -> None:
    store = store_class(index_path=str(tmp_path / "索引"))
    store.write_documents([
        Document(id="有项目", content="外墙防水", meta={"project": P1, "year": 2024}),
        Document(id="无项目", content="外墙防水"),
        Document(id="空项目", content="外墙防水", meta={"project": ""}),
    ])
    page = store.search(SearchQuery(text="外墙", limit=1))
    assert page.total == 3
    assert page.facets["project"] == {P1: 1}, "no empty project bucket"
    assert page.facets["year"] == {"2024": 1}
