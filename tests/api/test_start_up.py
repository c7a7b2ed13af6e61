"""A starting server answers its login page at once, while the heavy parts are still being built.

``jiandang serve`` builds the search engine and the filing rules on a warm-up thread. Every page
used to read the class names (from the filing rules) for its search form, so ``/login`` waited
for the whole warm-up: 9 s after start instead of 3 (issue 19). Here the warm-up holds the filing
rules' build lock, as it does for seconds on a real start, and the login page must answer anyway;
a page that shows the class names still gets them once the rules are there.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from api import create_app
from core import ArchiveService, Settings


def _get(client: TestClient, path: str, seconds: float) -> int | None:
    """The status of ``GET path``, or None when no answer came within ``seconds``."""
    answer: dict[str, int] = {}
    asking = threading.Thread(target=lambda: answer.update(status=client.get(path).status_code), daemon=True)
    asking.start()
    asking.join(seconds)
    return answer.get("status")


def test_the_login_page_answers_while_the_filing_rules_are_being_built(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    building, release = threading.Event(), threading.Event()

    def slow_warm_up(service: ArchiveService) -> None:
        with service._build_locks["_filing"]:  # what the warm-up holds while it imports the classifier
            building.set()
            release.wait(120)

    settings = Settings(home=tmp_path / "档案室")
    with ArchiveService(settings) as service:
        service.accounts.add_user("档案员", "archivist", "启动测试口令-2024")
        token = service.accounts.issue_token("档案员", "start-up test").token
    monkeypatch.setattr(ArchiveService, "warm_up", slow_warm_up)
    with TestClient(create_app(settings)) as client:
        try:
            assert building.wait(60), "the warm-up thread did not start"
            assert _get(client, "/login", 30) == 200, "/login waited for the filing rules"
        finally:
            release.set()
        page = client.get("/login")
        assert page.status_code == 200 and "登录" in page.text
        search = client.get("/search", headers={"Authorization": f"Bearer {token}"})
        assert search.status_code == 200 and "施工文件" in search.text  # class C's name in the form


def test_the_api_builds_every_model_before_it_serves() -> None:
    """``schemas`` models are built on first use (a command's start, issue 19), but a server builds
    them when the API is imported: a route's first request must not build its body's and answer's
    validators (nor warn of FastAPI's ``Body`` alias while doing so).
    """
    import api  # noqa: F401  (imported above too; this is what builds them)
    from schemas.base import Schema

    pending, deferred, models = [Schema], [], 0
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        models += 1
        # (a model whose annotations name a class defined after it is completed by pydantic on its
        # first use, deferred or not: schemas.oversight.DocumentFacts, as before issue 19)
        if model.model_config.get("defer_build"):
            deferred.append(model.__qualname__)
    assert models > 100 and not deferred, f"deferred after `import api`: {deferred}"
