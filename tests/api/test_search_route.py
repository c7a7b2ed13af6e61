"""``GET /api/search`` answers exactly what the service finds, audited before it answers.

The route hands the search and its audit entry to a worker thread together (one hand-over per
request instead of three); these tests pin what that must not change: the body, the one
audit entry per search with its detail, refusals, and that no answer leaves without its entry.
"""

from __future__ import annotations

import urllib.parse

import pytest

from core.errors import StorageError
from schemas.search import SearchQuery
from tests.api.conftest import World

SEARCHES = [
    {"q": "设计变更"},
    {"q": "监理 OR 变更", "limit": "1"},
    {"q": "监理 OR 变更", "limit": "1", "offset": "1"},
    {"q": '"设计变更"'},
    {"q": "变更 -岩棉"},
    {"q": "通知单 sort:date"},
    {"q": "通知单", "project": "XM-2024-017", "class_code": "C"},
    {"q": "通知单", "date_from": "2000-01-01", "date_to": "2099-12-31"},
    {"q": "无此词语"},
]


def _query(params: dict[str, str]) -> SearchQuery:
    fields = {"text": params["q"], **{k: v for k, v in params.items() if k not in ("q", "limit", "offset")}}
    return SearchQuery(**fields, limit=int(params.get("limit", "10")), offset=int(params.get("offset", "0")))


def _searches_audited(world: World) -> list[dict]:
    audit = world.client.app.state.service.audit
    return [entry for entry in reversed(audit.page(action="search", limit=1000).items) if entry.actor == "auditor-用户"]


@pytest.mark.parametrize("params", SEARCHES, ids=[p["q"] for p in SEARCHES])
def test_the_answer_is_the_services_and_one_entry_is_on_the_chain(world: World, params: dict[str, str]) -> None:
    service = world.client.app.state.service
    before = _searches_audited(world)
    response = world.client.get("/api/search?" + urllib.parse.urlencode(params), headers=world.auth("auditor"))
    assert response.status_code == 200, response.text
    query = _query(params)
    assert response.json() == service.search(query).model_dump(mode="json")
    after = _searches_audited(world)  # read once the answer is in: the entry is committed by then
    assert len(after) == len(before) + 1
    entry = after[-1]
    assert entry.target is None
    assert entry.detail["query"] == query.model_dump(mode="json", exclude_defaults=True)
    assert entry.detail["total"] == response.json()["total"]
    assert entry.detail["via"] == "token"
    assert world.client.app.state.service.audit.verify().valid


def test_refusals_are_unchanged_and_not_audited(world: World) -> None:
    before = _searches_audited(world)
    empty = world.client.get("/api/search?q=%20", headers=world.auth("auditor"))
    bad = world.client.get("/api/search?" + urllib.parse.urlencode({"q": '"未闭合'}), headers=world.auth("auditor"))
    nobody = world.client.get("/api/search?q=设计变更")
    assert empty.status_code == 400 and empty.json()["error"]["subject"] == {"field": "q"}
    assert bad.status_code == 400 and bad.json()["error"]["code"]
    assert nobody.status_code == 401
    assert _searches_audited(world) == before


def test_no_answer_leaves_without_its_audit_entry(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    audit = world.client.app.state.service.audit

    def refuse(*args: object, **kwargs: object) -> None:
        raise StorageError("the catalog is full")

    monkeypatch.setattr(audit, "append", refuse)
    response = world.client.get("/api/search?q=设计变更", headers=world.auth("auditor"))
    assert response.status_code >= 500
    assert "hits" not in response.json()
