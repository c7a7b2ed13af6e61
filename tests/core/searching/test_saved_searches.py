"""Saved searches under concurrent use: every save is kept, none half-written."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.errors import NotFound
from core.searching.search_audit import SavedSearches
from schemas.search import SearchQuery


def test_simultaneous_saves_all_survive(tmp_path: Path) -> None:
    """Sixteen auditors saving five searches each at once: all eighty are in the file afterwards."""

    def save_five(auditor: int) -> None:
        saved = SavedSearches(tmp_path)  # each its own object, as separate requests and processes have
        for n in range(5):
            saved.add(f"审计{auditor:02d}-设计变更{n}", SearchQuery(text=f'"设计变更" 金额>{n}万'), f"审计员{auditor}")

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(save_five, range(16)))
    names = [s.name for s in SavedSearches(tmp_path).list().searches]
    assert sorted(names) == sorted(f"审计{a:02d}-设计变更{n}" for a in range(16) for n in range(5))
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"


def test_removing_an_unknown_search_changes_nothing(tmp_path: Path) -> None:
    saved = SavedSearches(tmp_path)
    saved.add("防水", SearchQuery(text="防水卷材"), "审计员")
    before = (tmp_path / "saved_searches.json").read_bytes()
    with pytest.raises(NotFound):
        saved.remove("不存在的检索")
    assert (tmp_path / "saved_searches.json").read_bytes() == before
