"""A search's total, facets and page are reused on the same index snapshot, and never outlive it.

``search.tantivy_engine.snapshot_cache`` keeps the counts and pages of recent searches per
searcher. What must hold: every page of one search shows the count and the hits a fresh search
would give; a commit — by this store or by another process's store on the same folder — is seen
at once; filters make different searches; a caller changing the facets it was given changes
nothing for the next caller.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import Document

from schemas.search import SearchQuery
from search.tantivy_engine.snapshot_cache import CountCache, PageCache, count_key
from search.tantivy_engine.store import TantivyDocumentStore

pytestmark = pytest.mark.integration


def _documents(start: int, count: int, project: str) -> list[Document]:
    return [
        Document(id=f"档{project}{i:04d}", content=f"第{i}号隐蔽工程验收记录，混凝土浇筑完成，钢筋安装符合设计要求。",
                 meta={"title": "隐蔽工程验收记录", "project": project, "class_code": "C7",
                       "date": f"202{i % 4}-0{1 + i % 9}-1{i % 9}"})
        for i in range(start, start + count)
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "索引"


def _fresh_count(folder: Path, query: SearchQuery) -> tuple[int, dict[str, dict[str, int]]]:
    """The count a store that has never searched before gives (no cache to lean on)."""
    page = TantivyDocumentStore(index_path=str(folder)).search(query)
    return page.total, page.facets


def test_every_page_of_a_search_shows_the_count_a_fresh_search_gives(folder: Path) -> None:
    store = TantivyDocumentStore(index_path=str(folder))
    store.write_documents(_documents(0, 60, "甲") + _documents(0, 25, "乙"))
    first = store.search(SearchQuery(text="混凝土", limit=10))
    later = store.search(SearchQuery(text="混凝土", limit=10, offset=40))
    by_date = store.search(SearchQuery(text="混凝土", limit=5, offset=80, sort="date"))
    expected = _fresh_count(folder, SearchQuery(text="混凝土"))
    assert first.total == later.total == by_date.total == expected[0] == 85
    assert first.facets == later.facets == by_date.facets == expected[1]
    assert expected[1]["project"] == {"甲": 60, "乙": 25}
    assert {hit.document.id for hit in first.hits}.isdisjoint(hit.document.id for hit in later.hits)


def test_a_commit_is_seen_by_the_next_search(folder: Path) -> None:
    store = TantivyDocumentStore(index_path=str(folder))
    store.write_documents(_documents(0, 30, "甲"))
    assert store.search(SearchQuery(text="钢筋安装")).total == 30
    store.write_documents(_documents(30, 12, "丙"))
    page = store.search(SearchQuery(text="钢筋安装"))
    assert page.total == 42
    assert page.facets["project"] == {"甲": 30, "丙": 12}
    store.delete_documents([f"档甲{i:04d}" for i in range(10)])
    assert store.search(SearchQuery(text="钢筋安装", offset=10)).total == 32


def test_a_commit_by_another_process_is_seen_by_the_next_search(folder: Path) -> None:
    reader = TantivyDocumentStore(index_path=str(folder))
    writer = TantivyDocumentStore(index_path=str(folder))  # as another process would open it
    writer.write_documents(_documents(0, 20, "甲"))
    assert reader.search(SearchQuery(text='"隐蔽工程验收"')).total == 20
    writer.write_documents(_documents(20, 5, "乙"))
    assert reader.search(SearchQuery(text='"隐蔽工程验收"')).total == 25


def test_filters_and_words_make_different_searches(folder: Path) -> None:
    store = TantivyDocumentStore(index_path=str(folder))
    store.write_documents(_documents(0, 40, "甲") + _documents(0, 15, "乙"))
    assert store.search(SearchQuery(text="验收")).total == 55
    assert store.search(SearchQuery(text="验收", project="乙")).total == 15
    assert store.search(SearchQuery(text="验收 project:甲")).total == 40
    assert store.search(SearchQuery(text="验收", year=2021)).total == _fresh_count(
        folder, SearchQuery(text="验收", year=2021))[0]
    assert store.search(SearchQuery(text="没有的词")).total == 0


def test_a_count_without_facets_does_not_answer_a_request_for_them(folder: Path) -> None:
    store = TantivyDocumentStore(index_path=str(folder))
    store.write_documents(_documents(0, 18, "甲"))
    bare = store.search(SearchQuery(text="混凝土", facets=False))
    assert (bare.total, bare.facets) == (18, {})
    full = store.search(SearchQuery(text="混凝土"))
    assert full.total == 18 and full.facets["project"] == {"甲": 18}
    again = store.search(SearchQuery(text="混凝土", facets=False))
    assert (again.total, again.facets) == (18, {})


def test_facets_changed_by_one_caller_are_not_the_next_callers(folder: Path) -> None:
    store = TantivyDocumentStore(index_path=str(folder))
    store.write_documents(_documents(0, 9, "甲"))
    first = store.search(SearchQuery(text="混凝土"))
    first.facets["project"]["甲"] = 0
    first.facets.clear()
    assert store.search(SearchQuery(text="混凝土")).facets["project"] == {"甲": 9}


def test_the_key_is_the_words_and_filters_not_the_page() -> None:
    base = SearchQuery(text="设计变更", project="XM-1")
    assert count_key(base) == count_key(base.model_copy(update={"limit": 50, "offset": 100, "sort": "date"}))
    assert count_key(base) == count_key(base.model_copy(update={"facets": False}))
    assert count_key(base) != count_key(base.model_copy(update={"project": "XM-2"}))
    assert count_key(base) != count_key(base.model_copy(update={"text": "设计变更 -图纸"}))


def test_the_least_recently_used_search_goes_first_and_a_new_snapshot_forgets_all() -> None:
    cache = CountCache(size=2)
    snapshot, newer = object(), object()
    queries = [SearchQuery(text=word) for word in ("防水", "墙", "门窗")]
    cache.put(snapshot, queries[0], 1, {"project": {"甲": 1}})
    cache.put(snapshot, queries[1], 2, {})
    assert cache.get(snapshot, queries[0]) == (1, {"project": {"甲": 1}})  # now the most recent
    cache.put(snapshot, queries[2], 3, {})
    assert cache.get(snapshot, queries[1]) is None
    assert cache.get(snapshot, queries[0]) is not None
    assert cache.get(newer, queries[0]) is None
    cache.put(newer, queries[2], 4, {})
    assert cache.get(snapshot, queries[0]) is None
    assert cache.get(newer, queries[2]) == (4, {})


def _ranked(page) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    return [(hit.document.id, round(hit.score, 5)) for hit in page.hits]


@pytest.mark.parametrize("text", ["混凝土", '"隐蔽工程验收"', "钢筋安装 sort:date", "验收 -钢筋"])
def test_a_page_asked_again_is_the_page_a_fresh_search_gives(folder: Path, text: str) -> None:
    store = TantivyDocumentStore(index_path=str(folder))
    store.write_documents(_documents(0, 40, "甲") + _documents(0, 30, "乙"))
    for facets in (True, False):
        query = SearchQuery(text=text, limit=7, offset=3, facets=facets)
        first, again = store.search(query), store.search(query)
        fresh = TantivyDocumentStore(index_path=str(folder)).search(query)
        assert _ranked(first) == _ranked(again) == _ranked(fresh)
        assert first.total == again.total == fresh.total
        assert [hit.highlights for hit in again.hits] == [hit.highlights for hit in fresh.hits]
    other = store.search(SearchQuery(text=text, limit=7, offset=10))
    assert _ranked(other) == _ranked(TantivyDocumentStore(index_path=str(folder)).search(
        SearchQuery(text=text, limit=7, offset=10)))


def test_a_commit_changes_the_page_asked_again(folder: Path) -> None:
    store = TantivyDocumentStore(index_path=str(folder))
    store.write_documents(_documents(0, 20, "甲"))
    before = store.search(SearchQuery(text="防水卷材", limit=5))
    assert before.total == 0 and before.hits == []
    store.write_documents([Document(id="档新", content="防水卷材铺贴完成，防水卷材搭接宽度符合要求。",
                                    meta={"title": "防水卷材铺贴记录", "project": "甲", "class_code": "C5"})])
    after = store.search(SearchQuery(text="防水卷材", limit=5))
    assert after.total == 1 and [hit.document.id for hit in after.hits] == ["档新"]


def test_pages_are_kept_per_snapshot_and_page() -> None:
    cache = PageCache(size=4)
    snapshot, newer = object(), object()
    query = SearchQuery(text="设计变更", limit=10)
    cache.put(snapshot, query, "relevance", [(2.5, "甲"), (1.0, "乙")])
    assert cache.get(snapshot, query, "relevance") == [(2.5, "甲"), (1.0, "乙")]
    assert cache.get(snapshot, query, "date") is None
    assert cache.get(snapshot, query.model_copy(update={"offset": 10}), "relevance") is None
    assert cache.get(snapshot, query.model_copy(update={"facets": False}), "relevance") is not None
    assert cache.get(newer, query, "relevance") is None
