"""The array evaluation of Whoosh searches answers exactly what Whoosh's own collectors answer.

The reference is the same store with the array path switched off (``whoosh_arrays.supports``
answering False), so every query below runs through both and must give the same total, the same
hits in the same order with the same scores, the same highlights and the same facet counts, on an
index of several segments with a deleted and an overwritten document.
"""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from haystack import Document
from haystack.document_stores.types import DuplicatePolicy
from whoosh.formats import Positions

from schemas.search import SearchQuery
from search.whoosh_engine import arrays as whoosh_arrays
from search.whoosh_engine.postings import PostingsCache, read_postings
from search.whoosh_engine.schema import CONTENT_CHARS
from search.whoosh_engine.store import WhooshDocumentStore
from tests.search.corpus import sample_documents

PLACES = ["地下室", "屋面", "卫生间", "外墙", "基础底板", "楼梯间"]
WORKS = ["防水卷材", "混凝土浇筑", "钢筋安装", "单位工程验收", "闭水试验", "门窗安装"]
GLUE = ["施工单位应按照", "经现场检查", "符合设计要求", "强度等级C30", "采用ＨＲＢ４００钢筋", "，", "。"]
TITLES = ["隐蔽工程验收记录", "设计变更通知单", "检验批质量验收记录", "工程洽商记录"]


def generated_documents(count: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    documents = []
    for i in range(count):
        text = "".join(rng.choice(PLACES) + rng.choice(WORKS) + rng.choice(GLUE) for _ in range(rng.randint(3, 12)))
        meta = {
            "title": rng.choice(TITLES),
            "project": f"P{rng.randint(1, 3):02d}",
            "class_code": rng.choice(["C2", "C5", "C7"]),
            "class_letter": "C",
            "doc_type": rng.choice(["验收记录", "施工方案"]),
            "date": f"20{rng.randint(20, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "amount": rng.choice([50000, 120000, 300000]),
            "contractor": rng.choice(["中建三局第一建设工程有限责任公司", "北京城建集团"]),
        }
        if i % 7 == 0:
            del meta["date"]  # undated documents sort last by date
        documents.append(Document(id=f"生成{seed}-{i:03d}", content=text, meta=meta))
    return documents


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> WhooshDocumentStore:
    path = tmp_path_factory.mktemp("数组检索") / "索引"
    writer = WhooshDocumentStore(index_path=str(path))
    writer.write_documents(sample_documents())
    for seed in (1, 2, 3):  # one commit each: several segments
        writer.write_documents(generated_documents(40, seed))
    writer.delete_documents(["生成2-005", "屋面"])
    changed = generated_documents(1, 9)[0]
    writer.write_documents([Document(id="生成1-003", content=changed.content, meta=changed.meta)],
                           policy=DuplicatePolicy.OVERWRITE)
    return WhooshDocumentStore(index_path=str(path))


QUERIES = [
    SearchQuery(text="防水卷材"),
    SearchQuery(text="防水"),
    SearchQuery(text="墙"),
    SearchQuery(text="单位工程"),
    SearchQuery(text="地下室防水卷材"),
    SearchQuery(text='"钢筋安装"'),
    SearchQuery(text="C30"),
    SearchQuery(text="HRB400"),
    SearchQuery(text="防水 闭水试验"),
    SearchQuery(text="门窗安装 OR 钢板止水带 OR 找平层"),
    SearchQuery(text="(屋面 OR 外墙) 混凝土"),
    SearchQuery(text="没有这个词"),
    SearchQuery(text="验收 project:P02 class:C5"),
    SearchQuery(text="验收", project="P01", class_code="C7"),
    SearchQuery(text="钢筋 type:施工方案"),
    SearchQuery(text="防水", date_from=date(2022, 1, 1), amount_min=100000),
    SearchQuery(text="防水 year:2021..2023"),
    SearchQuery(text="混凝土 contractor:中建三局"),
    SearchQuery(text="防水卷材", offset=3, limit=5),
]


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("query", QUERIES, ids=[q.text for q in QUERIES])
def test_arrays_answer_what_whoosh_answers(
    store: WhooshDocumentStore, query: SearchQuery, sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = query.model_copy(update={"facets": True})
    fast = store.search(query, sort=sort)  # type: ignore[arg-type]
    monkeypatch.setattr(whoosh_arrays, "supports", lambda node: False)
    reference = store.search(query, sort=sort)  # type: ignore[arg-type]
    assert fast.total == reference.total
    assert [hit.document.id for hit in fast.hits] == [hit.document.id for hit in reference.hits]
    assert [hit.score for hit in fast.hits] == pytest.approx([hit.score for hit in reference.hits], rel=1e-12)
    assert [hit.highlights for hit in fast.hits] == [hit.highlights for hit in reference.hits]
    assert fast.facets == reference.facets


def test_the_test_queries_reach_matches_and_the_deleted_documents_are_gone(store: WhooshDocumentStore) -> None:
    page = store.search(SearchQuery(text="防水", limit=200))
    ids = {hit.document.id for hit in page.hits}
    assert page.total > 20 and "方案" in ids
    assert "生成2-005" not in ids and "屋面" not in ids
    assert store.search(SearchQuery(text="单位工程")).total > 0


def test_a_negation_is_left_to_whoosh() -> None:
    from search.query import parse_query

    assert whoosh_arrays.supports(parse_query("防水 OR (屋面 混凝土)"))
    assert not whoosh_arrays.supports(parse_query("防水 -屋面"))


def test_positions_decoded_for_some_or_all_postings_match_whooshs_decoder(store: WhooshDocumentStore) -> None:
    searcher = store._searcher()
    reader = max((reader for reader, _ in searcher.reader().leaf_readers()), key=lambda r: r.doc_count_all())
    postings = read_postings(reader, CONTENT_CHARS, "防水")
    assert len(postings.ids) > 8
    expected = [Positions().decode_positions(value) for value in postings.values]
    for picks in (np.array([1, 4]), np.arange(len(postings.ids))):  # few: decoded on the spot; all: kept
        rows, positions = postings.positions(picks)
        got = [positions[rows == row].tolist() for row in range(len(picks))]
        assert got == [expected[i] for i in picks]
    rows, positions = postings.positions(np.array([2]))  # from the kept decoding now
    assert positions.tolist() == expected[2] and set(rows.tolist()) == {0}


def test_postings_cache_stays_within_its_budget_and_forgets_merged_segments(store: WhooshDocumentStore) -> None:
    searcher = store._searcher()
    readers = [reader for reader, _ in searcher.reader().leaf_readers()]
    one = read_postings(readers[0], CONTENT_CHARS, "防水")
    cache = PostingsCache(budget_bytes=one.nbytes * 2)
    for token in ["防水", "卷材", "混凝", "钢筋", "安装", "地下"]:
        for reader in readers:
            cache.get(reader, CONTENT_CHARS, token)
            assert cache._bytes <= cache.budget
    assert 0 < len(cache._entries) < 6 * len(readers)
    cache.keep_segments(set())
    assert not cache._entries and cache._bytes == 0
    nothing_kept = PostingsCache(budget_bytes=0)
    nothing_kept.get(readers[0], CONTENT_CHARS, "防水")
    assert not nothing_kept._entries
