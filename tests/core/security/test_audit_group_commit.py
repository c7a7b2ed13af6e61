"""Group-committed audit appends: many threads at once, one chain, every entry durable on return."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from core.security.audit import AuditLog
from core.security.audit_batch import GroupCommit, Pending


def test_concurrent_appends_make_one_gap_free_verified_chain(service) -> None:  # type: ignore[no-untyped-def]
    log = service.audit
    start = threading.Barrier(20)

    def auditor(n: int) -> list[int]:
        start.wait()
        return [log.append(f"审计{n}", "search", None, query={"text": f"设计变更{n}-{i}"}).seq for i in range(10)]

    with ThreadPoolExecutor(20) as pool:
        seqs = [seq for result in pool.map(auditor, range(20)) for seq in result]
    assert sorted(seqs) == list(range(1, 201))  # every caller got its own link, none lost or doubled
    report = log.verify()
    assert report.valid and report.checked == 200 and report.head_seq == 200
    assert log.head() == (200, report.head_hash)
    texts = {e.detail["query"]["text"] for e in log.page(limit=200).items}
    assert len(texts) == 200


def test_two_logs_on_one_catalog_interleave_like_two_processes(service) -> None:  # type: ignore[no-untyped-def]
    head = service.settings.home / "audit.head"
    first, second = AuditLog(service.catalog, head), AuditLog(service.catalog, head)
    start = threading.Barrier(8)

    def append(log: AuditLog, n: int) -> None:
        start.wait()
        for i in range(15):
            log.append("张三", "search", None, n=n, i=i)

    threads = [threading.Thread(target=append, args=(first if n % 2 else second, n)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = first.verify()
    assert report.valid and report.checked == 120


Run = Callable[[Callable[[str], None], str, list[str]], None]


def _first_holds_the_commit(then: Callable[[list[Pending]], list[str]]) -> tuple[GroupCommit, Run]:
    """A group whose first commit waits until released; later commits go to ``then``.

    Returns the group and ``run(actors)``: the first actor submits and is held inside its commit,
    the others submit and queue behind it, then the commit is released and everyone finishes.
    """
    inside, release = threading.Event(), threading.Event()

    def commit(batch: list[Pending]) -> list[str]:
        if not inside.is_set():
            inside.set()
            release.wait(10)
            return [f"done:{p.actor}" for p in batch]
        return then(batch)

    group = GroupCommit(commit)

    def run(submit: Callable[[str], None], first: str, others: list[str]) -> None:
        threads = [threading.Thread(target=submit, args=(first,))]
        threads[0].start()
        assert inside.wait(10)
        threads += [threading.Thread(target=submit, args=(actor,)) for actor in others]
        for thread in threads[1:]:
            thread.start()
        deadline = time.monotonic() + 10
        while len(group._queue) < len(others) and time.monotonic() < deadline:  # all wait behind the commit
            time.sleep(0.001)
        release.set()
        for thread in threads:
            thread.join(10)

    return group, run


def test_waiting_callers_share_the_next_commit() -> None:
    """While one group commits, arrivals queue and go together in the next transaction."""
    groups: list[list[str]] = []

    def later(batch: list[Pending]) -> list[str]:
        groups.append([p.actor for p in batch])
        return [f"done:{p.actor}" for p in batch]

    group, run = _first_holds_the_commit(later)
    results: dict[str, str] = {}

    def submit(actor: str) -> None:
        results[actor] = group.submit(Pending(actor, "search", None, "{}"))

    run(submit, "leader", [f"f{n}" for n in range(5)])
    assert [sorted(g) for g in groups] == [[f"f{n}" for n in range(5)]]  # one more commit for all five
    assert results == {actor: f"done:{actor}" for actor in ["leader", *[f"f{n}" for n in range(5)]]}


def test_a_failed_commit_fails_every_caller_in_its_group() -> None:
    def later(batch: list[Pending]) -> list[str]:
        raise RuntimeError("disk full")

    group, run = _first_holds_the_commit(later)
    errors: list[BaseException] = []

    def submit(actor: str) -> None:
        try:
            group.submit(Pending(actor, "search", None, "{}"))
        except BaseException as error:
            errors.append(error)

    run(submit, "first", ["w0", "w1", "w2"])
    # the next group's leader sees the error as it was; the others are told their entry is not written
    assert sorted(type(e).__name__ for e in errors) == ["RuntimeError", "StorageError", "StorageError"]
    assert all("disk full" in str(e) for e in errors)


def test_many_entries_of_one_caller_go_in_order_in_one_commit_beside_other_appenders(service) -> None:  # type: ignore[no-untyped-def]
    """A bulk action's entries: in the order given, one instant per group, and single appends of
    other threads meanwhile neither break the chain nor slip between the first group's links.
    """
    log = service.audit
    start = threading.Barrier(5)

    def single(n: int) -> None:
        start.wait()
        for i in range(20):
            log.append("审计员", "search", None, n=n, i=i)

    with ThreadPoolExecutor(4) as pool:
        others = [pool.submit(single, n) for n in range(4)]
        start.wait()
        batch = log.append_many([("档案员", "document.edit", f"doc{i:04d}", {"i": i}) for i in range(600)])
        for other in others:
            other.result()
    assert [e.target for e in batch] == [f"doc{i:04d}" for i in range(600)]
    seqs = [e.seq for e in batch]
    assert seqs == sorted(seqs)
    first_group = [e for e in batch if e.at == batch[0].at]
    assert len(first_group) >= 2 and [e.seq for e in first_group] == list(range(seqs[0], seqs[0] + len(first_group)))
    report = log.verify()
    assert report.valid and report.checked == 600 + 80
