"""tantivy's two shortcuts for phrase searches give exactly the answers of the plain search.

A phrase search takes its page from a score bound checked against the exact query
(``search.tantivy_engine.topk``) and counts its matches range by range on several threads
(``search.tantivy_engine.facets``). Both are only worth having if nothing changes: the same hits in the
same order with the same scores, the same total and the same facets. The corpus is built so the
shortcuts are put to work: phrases common and rare, their four-character grams also found apart
(the bound then lets non-matches through), titles that hold phrases, dates and projects for the
filters and facets.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import tantivy
from haystack import Document

from schemas.search import SearchQuery
from search.query import parse_search
from search.tantivy_engine import facets as tantivy_facets
from search.tantivy_engine import topk as tantivy_topk
from search.tantivy_engine.facets import Counting, SeqPartitions, merge_counts
from search.tantivy_engine.query import QueryBuilder
from search.tantivy_engine.schema import SEQ
from search.tantivy_engine.store import TantivyDocumentStore

pytestmark = pytest.mark.integration

PHRASES = ["幕墙门窗安装", "防水卷材铺贴", "混凝土浇筑", "隐蔽工程验收", "钢筋安装", "闭水试验记录"]
APART = ["幕墙门窗", "门窗安装", "防水卷材", "卷材铺贴", "混凝土", "浇筑完成", "工程验收", "隐蔽部位"]
GLUE = ["施工单位应按照", "经现场检查", "符合设计要求", "项目监理机构", "详见附件", "已整改", "，", "。"]
TITLES = ["隐蔽工程验收记录", "幕墙门窗安装检验批", "防水卷材铺贴记录", "施工日志"]
QUERIES = [
    '"幕墙门窗安装"',
    "幕墙门窗安装",
    "防水卷材铺贴 year:2022..2024",
    '"混凝土浇筑" OR 钢筋安装',
    "隐蔽工程验收 -幕墙门窗安装",
    "闭水试验记录 project:甲",
    "幕墙门窗安装 防水卷材铺贴",
    "混凝土浇筑 sort:date",
]


def _content(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(5, 40)):
        pool = PHRASES if rng.random() < 0.35 else APART if rng.random() < 0.6 else GLUE
        pieces.append(rng.choice(pool))
        pieces.append(rng.choice(GLUE))
    return "".join(pieces)


def _documents(count: int) -> list[Document]:
    rng = random.Random(11)
    return [
        Document(
            id=f"档{i:04d}",
            content=_content(rng),
            meta={
                "title": rng.choice(TITLES),
                "project": rng.choice(["甲", "乙", "丙"]),
                "class_code": rng.choice(["C5", "C7", "B1"]),
                "date": f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            },
        )
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> TantivyDocumentStore:
    path: Path = tmp_path_factory.mktemp("捷径") / "索引"
    store = TantivyDocumentStore(index_path=str(path))
    documents = _documents(900)
    for start in range(0, len(documents), 150):  # several commits: several segments
        store.write_documents(documents[start : start + 150])
    return store


def _seqs(searcher: tantivy.Searcher, hits: list[tantivy_topk.Hit]) -> list[int]:
    return searcher.fast_field_values(SEQ, [address for _, address in hits])


def _plain_and_shortcut(
    store: TantivyDocumentStore, text: str, limit: int, offset: int
) -> tuple[tantivy.Searcher, list[tantivy_topk.Hit], list[tantivy_topk.Hit]]:
    searcher = store._searcher()
    schema = store._index.schema
    parsed = parse_search(text)
    queries = QueryBuilder(schema, searcher)
    exact = queries.filtered(queries.tree(parsed.tree), parsed.filters)
    order = parsed.sort or "relevance"
    bound = queries.score_bound(parsed.tree) if order == "relevance" else queries.grams_superset(parsed.tree)
    assert bound is not None, text
    relaxed = queries.filtered(bound, parsed.filters)
    plain = tantivy_topk._ranked(searcher, exact, offset + limit, order)[offset:]
    shortcut = tantivy_topk.top_hits(searcher, schema, exact, relaxed, limit, offset, order)
    return searcher, plain, shortcut


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize(("limit", "offset"), [(10, 0), (7, 30), (50, 0), (5, 890)])
def test_the_bounded_page_is_the_plain_page(store: TantivyDocumentStore, text: str, limit: int, offset: int) -> None:
    searcher, plain, shortcut = _plain_and_shortcut(store, text, limit, offset)
    assert _seqs(searcher, shortcut) == _seqs(searcher, plain)
    assert [key for key, _ in shortcut] == [key for key, _ in plain]


def test_the_bound_is_never_below_the_exact_score(store: TantivyDocumentStore) -> None:
    searcher = store._searcher()
    queries = QueryBuilder(store._index.schema, searcher)
    for text in QUERIES:
        tree = parse_search(text).tree
        exact = searcher.search(queries.tree(tree), limit=1000, count=False).hits
        bound = queries.score_bound(tree)
        assert bound is not None
        bounded = dict(zip(_seqs(searcher, hits := searcher.search(bound, limit=1000, count=False).hits),
                           [key for key, _ in hits], strict=True))
        for seq, score in zip(_seqs(searcher, exact), [key for key, _ in exact], strict=True):
            assert seq in bounded, text  # every exact match is a candidate
            assert bounded[seq] >= score * (1 - 1e-6), text


def test_the_grams_superset_holds_every_exact_match(store: TantivyDocumentStore) -> None:
    searcher = store._searcher()
    queries = QueryBuilder(store._index.schema, searcher)
    larger = 0
    for text in QUERIES:
        tree = parse_search(text).tree
        exact = set(_seqs(searcher, searcher.search(queries.tree(tree), limit=1000, count=False).hits))
        superset = set(_seqs(searcher, searcher.search(queries.grams_superset(tree), limit=1000, count=False).hits))
        assert exact <= superset, text
        larger += len(superset) > len(exact)
    assert larger >= 3  # grams found apart (the corpus is built so) let non-matches in


@pytest.mark.parametrize("order", ["relevance", "date"])
def test_store_pages_by_date_and_relevance_match_the_plain_search(
    store: TantivyDocumentStore, order: str
) -> None:
    searcher = store._searcher()
    queries = QueryBuilder(store._index.schema, searcher)
    for text in QUERIES:
        parsed = parse_search(text)
        exact = queries.filtered(queries.tree(parsed.tree), parsed.filters)
        page = store.search(SearchQuery(text=text, limit=15, offset=5), sort=order)
        plain = tantivy_topk._ranked(searcher, exact, 20, order)[5:]
        assert [hit.document.id for hit in page.hits] == [searcher.doc(a)["id"][0] for _, a in plain], text


def test_when_the_bound_does_not_settle_the_exact_query_decides(
    store: TantivyDocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few candidates per round: the grams found apart crowd out the phrase, both rounds fail."""
    monkeypatch.setattr(tantivy_topk, "ROUNDS", (1, 1))
    monkeypatch.setattr(tantivy_topk, "MIN_CANDIDATES", 1)
    for text in QUERIES:
        searcher, plain, shortcut = _plain_and_shortcut(store, text, 10, 0)
        assert _seqs(searcher, shortcut) == _seqs(searcher, plain), text


def test_ranges_cover_the_index_in_parts_of_about_equal_size(
    store: TantivyDocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tantivy_facets, "PARTITION_MIN_DOCS", 1)
    searcher = store._searcher()
    bounds = SeqPartitions(pieces=3).bounds(searcher)
    assert len(bounds) == 2
    sizes = [
        merge_counts([tantivy_facets._aggregate(searcher, query, facets=False)], facets=False)[0]
        for query in tantivy_facets._range_queries(store._index.schema, bounds)
        if query is not None
    ]
    assert sum(sizes) == searcher.num_docs
    assert min(sizes) >= searcher.num_docs / 3 * 0.7


@pytest.mark.parametrize("pieces", [2, 3, 5])
def test_counting_in_ranges_gives_the_counts_of_one_pass(
    store: TantivyDocumentStore, monkeypatch: pytest.MonkeyPatch, pieces: int
) -> None:
    monkeypatch.setattr(tantivy_facets, "PARTITION_MIN_DOCS", 1)
    searcher = store._searcher()
    schema = store._index.schema
    bounds = SeqPartitions(pieces=pieces).bounds(searcher)
    assert bounds
    for text in QUERIES:
        parsed = parse_search(text)
        queries = QueryBuilder(schema, searcher)
        exact = queries.filtered(queries.tree(parsed.tree), parsed.filters)
        whole = Counting(searcher, schema, exact, [], facets=True).result()
        split = Counting(searcher, schema, exact, bounds, facets=True).result()
        assert split == whole, text
        assert whole[0] == searcher.search(exact, limit=1, count=True).count


def test_store_search_with_every_shortcut_on_matches_the_plain_search(
    store: TantivyDocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's own search (partitions forced on) against the plain search of the same index."""
    monkeypatch.setattr(tantivy_facets, "PARTITION_MIN_DOCS", 1)
    store._partitions = SeqPartitions(pieces=3)
    searcher = store._searcher()
    queries = QueryBuilder(store._index.schema, searcher)
    for text in QUERIES:
        parsed = parse_search(text)
        exact = queries.filtered(queries.tree(parsed.tree), parsed.filters)
        page = store.search(SearchQuery(text=text, limit=20))
        plain = tantivy_topk._ranked(searcher, exact, 20, parsed.sort or "relevance")
        assert page.total == searcher.search(exact, limit=1, count=True).count, text
        assert sum(page.facets["project"].values()) == page.total, text
        expected = [searcher.doc(address)["id"][0] for _, address in plain]
        assert [hit.document.id for hit in page.hits] == expected, text


def test_concurrent_phrase_searches_share_the_counting_threads(
    store: TantivyDocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More searches at once than counting threads: each still gets its own exact counts."""
    monkeypatch.setattr(tantivy_facets, "PARTITION_MIN_DOCS", 1)
    store._partitions = SeqPartitions(pieces=4)
    alone = {text: store.search(SearchQuery(text=text, limit=5)) for text in QUERIES}
    with ThreadPoolExecutor(max_workers=12) as clients:
        together = list(clients.map(lambda text: (text, store.search(SearchQuery(text=text, limit=5))), QUERIES * 6))
    for text, page in together:
        assert page.total == alone[text].total, text
        assert page.facets == alone[text].facets, text
        assert [hit.document.id for hit in page.hits] == [hit.document.id for hit in alone[text].hits], text
