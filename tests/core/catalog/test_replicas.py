"""Read replicas: a real primary and a real streaming replica (``pg_basebackup``), searched on the replica.

What a user sees while the replica lags is bounded (``core/catalog/replicas.py``): a search on a
replica may miss a document taken in less than ``replica_max_lag`` (+1 s) ago, a document's own
page falls back to the primary at once, and a replica further behind than that gets no reads.
Here replay on the replica is paused to make the lag as long as we like.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.browsing.listing import DocumentFilter
from core.errors import ConfigError
from schemas.ingest import IngestRequest
from schemas.search import SearchQuery
from tests.pgserver import PgServer

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def replicated(pg_server: PgServer) -> Iterator[tuple[PgServer, PgServer, str]]:
    """The session's server as primary, a database on it, and a streaming replica of the cluster."""
    url = pg_server.create_database("replicated")
    replica = PgServer(primary=pg_server).start()
    try:
        yield pg_server, replica, url
    finally:
        replica.stop()


def test_a_read_url_that_is_not_a_replica_is_refused(replicated: tuple[PgServer, PgServer, str],
                                                     tmp_path: Path) -> None:
    primary, _replica, url = replicated
    settings = Settings(home=tmp_path / "档案室", database_url=url, database_read_urls=[primary.url("replicated")])
    with pytest.raises(ConfigError, match=r"database_read_urls\[0\]") as refused:
        ArchiveService(settings)
    assert "not a streaming replica" in refused.value.message


def _drop(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_searches_go_to_the_replica_and_lag_is_bounded(replicated: tuple[PgServer, PgServer, str],
                                                       tmp_path: Path) -> None:
    primary, replica, url = replicated
    read_url = replica.url("replicated")
    settings = Settings(home=tmp_path / "档案室", database_url=url, database_read_urls=[read_url],
                        replica_max_lag=600.0, search_backend="postgres")  # first: the replica however late
    with ArchiveService(settings) as service:
        service.ingest(IngestRequest(paths=[_drop(tmp_path / "一", "方案.txt", "地下室外墙防水施工方案，SBS改性沥青卷材。")],
                                     project="P-主"))
        primary.wait_replayed(replica)
        assert service.search(SearchQuery(text="防水")).total == 1
        on_replica = replica.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'jiandang-search' "
                                 "AND datname = 'replicated'")
        assert int(on_replica) >= 1, "the search was answered by the replica"
        assert service.list_documents(DocumentFilter()).total == 1

        replica.sql("SELECT pg_wal_replay_pause()")  # the replica falls behind from now on
        try:
            report = service.ingest(IngestRequest(paths=[_drop(tmp_path / "二", "纪要.txt", "监理例会纪要：外墙防水验收。")],
                                                  project="P-主"))
            new_id = report.files[0].document_id
            assert new_id
            assert service.search(SearchQuery(text="防水")).total == 1, "the lagging replica lacks the new document"
            assert service.show(new_id).id == new_id, "a document's page falls back to the primary at once"

            bounded = settings.model_copy(update={"replica_max_lag": 1.0})
            with ArchiveService(bounded) as strict:
                deadline = time.monotonic() + 30
                while strict.search(SearchQuery(text="防水")).total != 2:
                    assert time.monotonic() < deadline, "a replica behind by more than replica_max_lag gets no reads"
                    time.sleep(0.2)
                assert strict.catalog.reads.lags()[0] > 1.0
        finally:
            replica.sql("SELECT pg_wal_replay_resume()")
        primary.wait_replayed(replica)
        deadline = time.monotonic() + 30
        while service.catalog.reads.lags()[0] > 0.0:
            assert time.monotonic() < deadline, "the replica catches up"
            time.sleep(0.2)
        assert service.search(SearchQuery(text="防水")).total == 2
