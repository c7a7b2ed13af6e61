"""``jiandang demo`` (``make run``): the sample project end to end, and the first login shown once."""

from __future__ import annotations

import pytest

from core import ArchiveService, run_demo

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_demo_files_searches_and_shows_the_first_admin_login_once(service: ArchiveService) -> None:
    first = run_demo(service)
    assert first.counts.ingested == first.files and first.counts.quarantined == 0
    assert first.subclass_accuracy >= 0.9
    assert {s.query: s.total for s in first.searches}["设计变更"] > 0
    assert first.first_login is not None and first.first_login.username == "admin"
    assert service.accounts.login("admin", first.first_login.password).token

    again = run_demo(service)
    assert again.counts.duplicate == again.files, "a second run adds receipts only"
    assert again.first_login is None, "the password is shown only once"
