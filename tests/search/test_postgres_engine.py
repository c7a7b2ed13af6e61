"""What only the ``postgres`` search backend has: its schema version, documents whose grams were
cut, the plans PostgreSQL runs, and the first page scored over the level candidates alone.

The shared suites (conformance, Chinese search, relevance) run on this backend too; these tests
pin down the parts they cannot see: a first page scored over the candidates must be the very
page scoring every match gives, and a text search must never read a row's ``grams`` back.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from haystack import Document

from bench.corpus_text import random_document_text, terms_by_rank
from schemas.search import SearchQuery
from search import PostgresDocumentStore
from search.index_version import IndexVersionError
from search.postgres_engine import query as sql
from search.postgres_engine import schema, scoring
from search.query import parse_search, positive_terms
from search.tokens import run_text
from tests.pgserver import PgServer

pytestmark = pytest.mark.postgres

_DOCUMENTS = 400


@pytest.fixture(scope="module")
def database(pg_server: PgServer) -> str:
    return pg_server.create_database("postgres_engine_tests")


@pytest.fixture(scope="module")
def generated(database: str) -> Iterator[PostgresDocumentStore]:
    """Generated construction documents (the bench's generator), short and long, titled or not."""
    store = PostgresDocumentStore(database, table_prefix="generated", recreate=True)
    rng = random.Random(11)
    documents = []
    for i in range(_DOCUMENTS):
        title, text, meta = random_document_text(rng)
        if i % 7 == 0:
            text = text[: rng.randint(5, 60)]  # very short documents score highest for a few mentions
        elif i % 11 == 0:
            text = text * 6
        documents.append(Document(id=f"g{i:04d}", content=text, meta={"title": title if i % 3 else "", **meta}))
    store.write_documents(documents)
    yield store
    store.close()


def _queries() -> list[str]:
    common, medium = terms_by_rank(0, 7), terms_by_rank(20, 6)
    phrases = [w for w in terms_by_rank(0, 300, max_chars=9) if len(w) >= 5][:4]
    return ["墙", "梁", "水", *common, *medium, *(f'"{p}"' for p in phrases),
            f"{common[0]} OR {medium[0]}", f"{common[1]} OR {common[2]} OR {medium[1]}", f"{common[0]} {common[3]}",
            f"{common[2]} -{medium[2]}", "C30", "c30混凝土"]


def _full_ranking(store: PostgresDocumentStore, text: str, limit: int, offset: int = 0) -> list[tuple[str, float]]:
    parsed = parse_search(text)
    where = sql.all_of([sql.match_sql(parsed.tree)])
    found = sql.term_runs(positive_terms(parsed.tree))
    runs = [run for run, _ in found]
    weights = store._weights(found)
    rows = store._ranked(sql.score_sql(runs, weights), where, "score DESC, d.seq", limit, offset, True)
    return [(re.search(r'"id": ?"([^"]+)"', raw).group(1), round(float(score), 9)) for raw, score in rows]  # type: ignore[union-attr]


@pytest.mark.parametrize(("limit", "offset"), [(10, 0), (50, 0), (10, 20)])
def test_the_page_scored_over_the_level_candidates_is_the_page_scoring_every_match_gives(
    generated: PostgresDocumentStore, limit: int, offset: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = []
    original = generated._level_page

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows = original(*args, **kwargs)
        taken.append(rows is not None)
        return rows

    monkeypatch.setattr(generated, "_level_page", spy)
    for text in _queries():
        page = generated.search(SearchQuery(text=text, limit=limit, offset=offset))
        found = [(hit.document.id, round(hit.score, 9)) for hit in page.hits]
        assert found == _full_ranking(generated, text, limit, offset), text
    if (limit, offset) == (10, 0):
        assert sum(taken) >= len(taken) // 2, "most first pages of these queries come from the candidates alone"
    assert not all(taken), "and some fall back to scoring every match (a mixed term, a page the candidates miss)"


def test_no_document_outside_a_levels_candidates_reaches_that_level() -> None:
    """The bound the candidates rest on, checked by brute force on generated text: a document
    that is not a candidate of a term at a level has a lower level for it (occurrences counted as
    the SQL score counts them, without overlaps; the title bonus where the title has the term).
    """
    rng = random.Random(3)
    for _ in range(60):
        title, text, _meta = random_document_text(rng)
        text = text[: rng.choice([40, 300, 3000])]
        content_run, title_run = run_text(text), run_text(title)
        length = schema.grams_vector([text, title])[2]
        lexemes = schema.vector_literal(sorted(scoring.level_lexemes(content_run, title_run, length)))
        pieces = content_run.split()
        for _ in range(40):
            piece = rng.choice(pieces)
            start = rng.randrange(len(piece))
            term = piece[start:start + rng.randint(1, 7)]
            level = scoring.saturation(content_run.count(term), length) + scoring.TITLE_BOOST * (term in title_run)
            for index, floor in enumerate(scoring.LEVELS):
                candidate = scoring.level_query([term], [index], schema.quote_lexeme)
                assert candidate is not None
                if not _tsquery_holds(candidate, lexemes):
                    assert level < floor, (term, index)


def _tsquery_holds(query: str, vector: str) -> bool:
    """Our level queries are ORs of ANDs of ORs of quoted lexemes: evaluate one against a vector
    literal (by rewriting it into Python: quoted lexemes become membership tests).
    """
    present = set(re.findall(r"'((?:[^']|'')*)'", vector))
    python = re.sub(r"'((?:[^']|'')*)'", lambda m: str(m.group(1) in present), query)
    # what is left is True/False, parentheses, | and &: our own text, never a user's
    return bool(eval(python.replace("|", " or ").replace("&", " and ")))


def test_a_text_search_takes_its_matches_from_the_index_and_never_reads_grams_back(
    generated: PostgresDocumentStore,
) -> None:
    """The planner does not cost reading a row's TOASTed ``grams``; a plan that tests ``grams @@``
    row by row made a common word cost seconds at 100,000 documents. (With a selective filter,
    e.g. one project, testing the few rows that pass it is right, and the planner does that.)
    """
    for text in ["墙", terms_by_rank(0, 1)[0], f'"{terms_by_rank(0, 1)[0]}施工"']:
        where = sql.match_sql(parse_search(text).tree)
        plan = "\n".join(row[0] for row in generated._rows(
            f"EXPLAIN SELECT d.doc_json FROM {generated._table} d WHERE {where.text} "
            "ORDER BY d.doc_date DESC NULLS LAST, d.seq LIMIT 10", where.params, by_index=True))
        assert "Bitmap Index Scan on generated_documents_grams" in plan, plan
        assert "Seq Scan" not in plan and not re.search(r"Filter: .*grams @@", plan), plan


def test_a_document_whose_grams_were_cut_is_found_by_its_runs(database: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_GRAMS_BYTES", 600)  # the long document is "too long" here
    store = PostgresDocumentStore(database, table_prefix="cut", recreate=True)
    try:
        store.write_documents([
            Document(id="long", content="屋面防水卷材铺贴完成后做闭水试验，外墙保温板粘贴牢固。C30混凝土浇筑。" * 4,
                     meta={"title": "屋面工程隐蔽验收记录"}),
            Document(id="short", content="会议纪要", meta={"title": "例会"}),
        ])
        complete = dict(store._rows("SELECT id, grams_complete FROM cut_documents"))
        assert complete == {"long": False, "short": True}
        for text in ["防水卷材", "闭水", "墙", '"外墙保温板粘贴"', "c30混凝土", "防水 -会议", "屋面工程", "验收"]:
            assert [hit.document.id for hit in store.search(SearchQuery(text=text)).hits] == ["long"], text
        assert [hit.document.id for hit in store.search(SearchQuery(text="会议")).hits] == ["short"]
    finally:
        store.close()


def test_tables_of_another_schema_version_are_refused(database: str) -> None:
    store = PostgresDocumentStore(database, table_prefix="versioned", recreate=True)
    store._rows("SELECT 1")
    with store._pool.connection() as conn:
        conn.execute("UPDATE versioned_meta SET value = %s WHERE key = 'schema_version'", [str(schema.SCHEMA_VERSION - 1)])
    store.close()
    with pytest.raises(IndexVersionError):
        PostgresDocumentStore(database, table_prefix="versioned")
    PostgresDocumentStore(database, table_prefix="versioned", recreate=True).close()
