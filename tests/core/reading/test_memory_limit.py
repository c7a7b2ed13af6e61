"""The memory limit while one file is read: an allocation past the budget fails that read alone."""

from __future__ import annotations

import resource

from core.reading.memory import memory_budget
from core.reading.outcomes import ReadOutcome
from core.reading.time_limit import read_within
from schemas.ingest import QuarantineCode

MB = 1024 * 1024


def _allocates(megabytes: int) -> ReadOutcome:
    block = bytearray(megabytes * MB)  # touched: a runaway parser's nodes, a decoded image
    block[::4096] = b"\1" * len(block[::4096])
    return ReadOutcome(reason=f"read {len(block)} bytes")


def test_a_read_over_its_budget_is_quarantined_and_the_limit_is_lifted_after() -> None:
    before = resource.getrlimit(resource.RLIMIT_DATA)
    outcome = read_within(lambda: _allocates(600), "解压炸弹.docx", time_limit=30, memory_limit=200 * MB)
    assert outcome.code == QuarantineCode.TOO_LARGE
    assert outcome.reason and "《解压炸弹.docx》" in outcome.reason and "200 MB" in outcome.reason
    assert resource.getrlimit(resource.RLIMIT_DATA) == before
    assert _allocates(600).reason  # the process itself may allocate again


def test_a_read_within_its_budget_is_untouched() -> None:
    outcome = read_within(lambda: _allocates(50), "正常.docx", time_limit=30, memory_limit=400 * MB)
    assert outcome.code is None and outcome.reason == f"read {50 * MB} bytes"


def test_a_tighter_limit_set_by_someone_else_is_kept() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    with memory_budget(10 * 1024 * MB):
        inner = resource.getrlimit(resource.RLIMIT_DATA)[0]
    assert inner != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or inner <= soft)
    assert resource.getrlimit(resource.RLIMIT_DATA) == (soft, hard)
