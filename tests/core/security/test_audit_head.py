"""The audit head file follows the chain from its own thread: never ahead, never lost at exit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from core.security.audit import AuditLog
from core.security.audit_head import HeadFile, read_head_text


def _on_disk(path: Path) -> tuple[int, str]:
    return read_head_text(path.read_text(encoding="ascii"))


def test_verify_sees_the_head_of_its_own_appends(service) -> None:  # type: ignore[no-untyped-def]
    log = AuditLog(service.catalog, service.settings.home / "audit.head")
    entries = [log.append("审计员", "search", None, q=f"设计变更{i}") for i in range(30)]
    report = log.verify()
    assert report.valid and report.head_seq == entries[-1].seq
    assert _on_disk(service.settings.home / "audit.head") == (entries[-1].seq, entries[-1].entry_hash)
    log.close()


def test_a_head_behind_the_chain_is_no_alarm(service) -> None:  # type: ignore[no-untyped-def]
    """What a crash between the commit and the head write leaves: valid, only less pinned."""
    head = service.settings.home / "audit.head"
    log = AuditLog(service.catalog, head)
    first = log.append("审计员", "search", None, q="防水")
    log.flush_head()
    for i in range(5):
        log.append("审计员", "search", None, q=f"墙{i}")
    log.close()
    head.write_text(f"{first.seq} {first.entry_hash}\n", encoding="ascii")
    assert AuditLog(service.catalog, head).verify().valid


def test_the_head_never_moves_back(tmp_path: Path) -> None:
    head = HeadFile(tmp_path / "audit.head")
    head.advance(7, "b" * 64)
    head.advance(5, "a" * 64)
    head.flush()
    assert _on_disk(head.path) == (7, "b" * 64)
    other = HeadFile(head.path)  # another process that is behind
    other.advance(6, "c" * 64)
    other.close()
    assert _on_disk(head.path) == (7, "b" * 64)
    head.close()


def test_a_head_that_cannot_be_written_does_not_block(tmp_path: Path) -> None:
    head = HeadFile(tmp_path / "gone" / "audit.head")  # its folder does not exist: every write fails
    head.advance(3, "d" * 64)
    head.flush(timeout=5)
    assert head.read() is None
    head.close()


def test_a_command_that_never_closes_its_log_still_leaves_the_head_written(tmp_path: Path) -> None:
    path = tmp_path / "audit.head"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from core.security.audit_head import HeadFile
        head = HeadFile(Path({str(path)!r}))
        for seq in range(1, 200):
            head.advance(seq, "e" * 64)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[3], timeout=60)
    assert _on_disk(path) == (199, "e" * 64)
