"""Schemathesis against the app's own OpenAPI schema, in process, authenticated as an administrator.

Every operation gets its schema examples plus a bounded number of generated requests (valid and
invalid); the checks are schemathesis' defaults: no server error, every status and content type
documented, every response body valid against its schema, invalid input refused. A fresh token
per case, because the fuzzer may well revoke the token it was given (``DELETE /api/tokens/{id}``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api import ApiOptions, create_app
from core import ArchiveService, Settings
from schemas.ingest import IngestRequest
from schemas.search import SearchQuery
from tests.files import write_pdf

EXAMPLES = int(os.environ.get("JIANDANG_FUZZ_EXAMPLES", "12"))
ADMIN = "模糊测试管理员"
PASSWORD = "模糊测试口令-2024"


@pytest.fixture(scope="module")
def fuzz_home(module_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with a project of the schema examples' code, two documents and a saved search."""
    base = tmp_path_factory.mktemp("fuzz")
    sources = base / "来件"
    sources.mkdir()
    write_pdf(sources / "设计变更通知单.pdf", ["设计变更通知单", "工程名称：市机关办公楼", "变更内容：外窗改为断桥铝合金"])
    write_pdf(sources / "监理通知单.pdf", ["监理通知单", "监理单位：某某监理公司", "事由：<script>alert(1)</script>"])
    home = base / "档案室"
    with ArchiveService(Settings(home=home, index_batch_size=16)) as service:
        service.ingest(IngestRequest(paths=[sources], project="JD-2024-001"))
        service.accounts.add_user(ADMIN, "admin", PASSWORD)
        service.saved_searches.add("2024年设计变更", SearchQuery(text="设计变更"), ADMIN)
    return home


@pytest.fixture(scope="module")
def accounts(fuzz_home: Path):  # type: ignore[no-untyped-def]
    """A second service on the same archive, to issue tokens outside the app under test."""
    with ArchiveService(Settings(home=fuzz_home)) as service:
        yield service.accounts


@pytest.fixture(scope="module")
def api_schema(fuzz_home: Path):  # type: ignore[no-untyped-def]
    app = create_app(Settings(home=fuzz_home, index_batch_size=16),
                     ApiOptions(max_upload_bytes=256 * 1024, max_form_bytes=16 * 1024))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's lazy loader renames ``node._nodeid``, which pytest 9 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


def _meaning_refused(response, case) -> bool:  # type: ignore[no-untyped-def]
    """A 400 for input that is well-formed JSON Schema-wise but means nothing to the archive.

    The query language lives inside one string (``设计 AND (`` is a string, not a query), class
    and item codes are checked against the taxonomy, 保管期限 / 密级 against the locality's
    message catalogue, and an oversight correction's value against its fact's type (money, date,
    text), which depends on the fact named; no JSON Schema can say any of these. Such a request is
    refused with the one error body, which the other checks still validate.
    """
    if response.status_code != 400:
        return False
    code = response.json()["error"]["code"]
    checked_against_data = ("/classification" in case.path or case.method == "PATCH"  # taxonomy, catalogue lists
                            or case.path.endswith("/merge")  # a project merged into itself
                            or case.path == "/api/browse"  # 2024-02-30 has the shape of a date
                            or "/oversight/corrections" in case.path)  # the value's type depends on the fact
    return code == "invalid_query" or (code == "input_error" and checked_against_data)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_its_schema(case, accounts) -> None:  # type: ignore[no-untyped-def]
    token = accounts.issue_token(ADMIN, "schemathesis").token
    headers = {"Authorization": f"Bearer {token}"}
    response = case.call(headers=headers)
    excluded = [positive_data_acceptance] if _meaning_refused(response, case) else []
    case.validate_response(response, excluded_checks=excluded, headers=headers)


def test_schema_has_examples_and_pages_every_list(fuzz_home: Path) -> None:
    """Every free-text parameter shows an example; every list answer is a page (total, limit, offset)."""
    spec = create_app(Settings(home=fuzz_home)).openapi()
    components = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                kinds = {s.get("type") for s in [parameter["schema"], *parameter["schema"].get("anyOf", [])]}
                if "string" in kinds and "enum" not in parameter["schema"] and "format" not in parameter["schema"]:
                    shown = {"examples", "example"} & (set(parameter) | set(parameter["schema"]))
                    assert shown, (where, parameter["name"])
            body = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
            schema = body.get("schema", {})
            assert schema.get("type") != "array", f"{where} returns a bare list; return a page"
            name = schema.get("$ref", "").rsplit("/", 1)[-1]
            fields = components.get(name, {}).get("properties", {})
            if "total" in fields:  # a page of a list (a search result, documents, users …)
                names = {p["name"] for p in operation.get("parameters", [])}
                assert "limit" in names, f"{where} lists {name} without limit"
                if path != "/api/documents/{doc_id}/similar":  # best matches only: a limit, no pages
                    assert "offset" in names, f"{where} lists {name} without offset"
