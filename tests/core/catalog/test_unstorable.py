"""A value the catalog's database cannot hold is the caller's invalid input, never a server error.

PostgreSQL's text cannot hold NUL (U+0000): a project named with one, sent in a JSON body, reached
the catalog and came back as a 500 (found by the API fuzz on a PostgreSQL catalog). SQLite stores
it; there the project is simply created.
"""

from __future__ import annotations

import pytest

from core import ArchiveService
from core.errors import InputError
from schemas.projects import NewProject
from tests.conftest import PG_CATALOG


def test_a_nul_in_a_name_is_invalid_input_where_the_database_cannot_hold_it(service: ArchiveService) -> None:
    project = NewProject(code="XM-2026-001", name="办公楼\x00改造")
    if not PG_CATALOG:
        service.projects.add(project, who="tests")
        assert service.projects.exists("XM-2026-001")
        return
    with pytest.raises(InputError) as refused:
        service.projects.add(project, who="tests")
    assert "无法存入目录" in refused.value.message and refused.value.subject == {"reason": "unstorable"}
    assert not service.projects.exists("XM-2026-001"), "nothing of the unit was recorded"
