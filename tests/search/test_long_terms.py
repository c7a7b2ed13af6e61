"""Chinese terms of three or more characters match exactly where they stand, on both engines.

tantivy looks terms of three or more Chinese characters up in a field of four-character grams,
Whoosh in bigrams; both must find exactly the documents whose token stream contains the term's
tokens one after another (punctuation between them skipped), checked here against a brute-force
scan of random contents and titles over a small alphabet, where near misses are frequent.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from haystack import Document

from schemas.search import SearchQuery
from search.tokens import char_spans

pytestmark = pytest.mark.integration

ALPHABET = "工程单位验收防水墙"
SEPARATORS = ["", "", "", "，", " ", "C30", "。"]


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) + rng.choice(SEPARATORS) for _ in range(rng.randint(3, 40)))


def _contains(text: str, term: str) -> bool:
    """Whether the term's tokens occur one after another in the text's tokens."""
    haystack = [span.text for span in char_spans(text)]
    needle = [span.text for span in char_spans(term)]
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def test_long_terms_find_exactly_the_documents_that_contain_them(tmp_path: Path, store_class: type) -> None:
    rng = random.Random(7)
    docs = [
        Document(id=f"文{i}", content=_random_text(rng), meta={"title": _random_text(rng)[:12]}) for i in range(120)
    ]
    store = store_class(index_path=str(tmp_path / "索引"))
    store.write_documents(docs)
    terms = {"".join(rng.choice(ALPHABET) for _ in range(rng.randint(3, 9))) for _ in range(60)}
    # Terms copied from the documents (always found), some across punctuation: "单位，工程".
    for doc in rng.sample(docs, 20):
        start = rng.randrange(max(1, len(doc.content) - 8))
        terms.add(doc.content[start : start + rng.randint(3, 9)])
    checked = 0
    for term in sorted(terms):
        if not char_spans(term) or not all(span.cjk for span in char_spans(term)):
            continue
        expected = {doc.id for doc in docs if _contains(doc.content, term) or _contains(doc.meta["title"], term)}
        page = store.search(SearchQuery(text=f'"{term}"', limit=200, facets=False))
        assert {hit.document.id for hit in page.hits} == expected, term
        assert page.total == len(expected), term
        checked += 1
    assert checked >= 50
