"""When is a dropped file finished? A pure bookkeeping class that turns events into decisions.

Watchers tell us *something happened* to a path, never *the writer is done*. Peers that trusted a
single event consumed half-written scans, and peers that gave up after one timeout stranded files
for good (prior-art §2 pain points 2–4). This tracker combines every signal we have and answers
only three things, through :meth:`StabilityTracker.due`:

- ``READY``: quiet for ``window`` seconds, size and mtime identical on two checks at least
  ``window`` apart, and the content check passes;
- ``GIVE_UP``: the content check kept failing after ``max_attempts`` checks spaced by exponential
  back-off (the reason says why, so core can quarantine with it instead of dropping the file);
- ``VANISHED``: deleted (or moved away) before it was ready.

An optional ``gate`` holds stable files back until it agrees (a root configured to wait for a
producer's done-marker), and :meth:`StabilityTracker.release` makes a folder's files due at once
when that marker arrives.

With inotify (``mode="events"``) a file is a candidate only after a sign the writer let go:
``closed_write``, ``moved_in`` (rename into place), or ``created`` with no writer holding it open
(a move in from outside the folder shows up as a bare create, stack-notes §3). If no such sign
comes (events lost to a queue overflow, a writer that keeps the file open) the tracker falls back
to stability alone after ``fallback_after`` quiet seconds. With polling (``mode="polling"``: SMB,
NFS, where writes by other machines raise no events) stability alone decides.

The class does no I/O of its own and never sleeps or starts threads: time comes from an injected
clock (or the ``now`` argument), file facts from an injected ``stat``, content checks from an
injected ``validate``. That keeps every timing rule testable in microseconds, and leaves the loop,
the threads and the durable queue to core. It is not thread-safe: feed it from one thread.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

logger = logging.getLogger(__name__)

FileStat = tuple[int, float]  # (size in bytes, mtime); any comparable mtime unit works
StatFn = Callable[[Path], FileStat | None]
ValidateFn = Callable[[Path], str | None]
GateFn = Callable[[Path], bool]

# Kinds a watcher may report. "seen" is a rescan or poll noticing the path exists; it counts as
# activity only when size or mtime moved. "closed_nowrite" is a reader letting go.
CONTENT_KINDS: frozenset[str] = frozenset({"created", "modified", "closed_write", "moved_in", "seen"})
HANDLE_KINDS: frozenset[str] = frozenset({"opened", "closed_nowrite"})
EVENT_KINDS: frozenset[str] = CONTENT_KINDS | HANDLE_KINDS | {"deleted"}
MODES: tuple[str, ...] = ("events", "polling")


class DecisionKind(StrEnum):
    READY = "ready"
    GIVE_UP = "give_up"
    VANISHED = "vanished"


@dataclass(frozen=True)
class Decision:
    """What happened to one tracked path; ``size``/``mtime`` are the last stat we saw."""

    path: Path
    kind: DecisionKind
    reason: str | None = None
    attempts: int = 0
    size: int | None = None
    mtime: float | None = None


@dataclass
class _Entry:
    first_seen: float
    last_activity: float
    sample: FileStat | None
    triggered: bool = False  # closed_write, moved_in or seen: the writer let go
    created: bool = False  # a create event; ready unless a writer is holding the file open
    writer_open: bool = False  # opened and not closed since
    vanished: bool = False
    attempts: int = 0
    not_before: float = 0.0
    last_reason: str | None = None
    gated: bool = False  # stable, but the gate said "not yet" (no done-marker)


def file_stat(path: Path) -> FileStat | None:
    """The default ``stat``: (size, mtime in ns), or ``None`` when the path is gone.

    Other OS errors (a share that dropped off the network) propagate; the tracker then waits
    instead of reporting the file as vanished.
    """
    try:
        result = os.lstat(path)  # a link is judged as the link: it is never followed (nor a loop of them)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return result.st_size, result.st_mtime_ns


class StabilityTracker:
    """Decides when each watched file is ready to ingest; see the module docstring for the rules."""

    def __init__(
        self,
        *,
        stat: StatFn = file_stat,
        validate: ValidateFn | None = None,
        clock: Callable[[], float] = time.monotonic,
        mode: str = "events",
        window: float = 5.0,
        max_attempts: int = 6,
        backoff_base: float | None = None,
        backoff_max: float = 900.0,
        fallback_after: float | None = None,
        gate: GateFn | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if window <= 0 or max_attempts < 1:
            raise ValueError("window must be positive and max_attempts at least 1")
        self._stat = stat
        self._validate = validate or (lambda _path: None)
        self._clock = clock
        self.mode = mode
        self.window = window
        self.max_attempts = max_attempts
        self.backoff_base = window if backoff_base is None else backoff_base
        self.backoff_max = backoff_max
        self.fallback_after = max(12 * window, 60.0) if fallback_after is None else fallback_after
        self._gate = gate  # e.g. "a done-marker is beside it": stable files wait until it says yes
        self._entries: dict[Path, _Entry] = {}
        self._settled: dict[Path, FileStat] = {}

    def observe(self, path: Path, kind: str, now: float | None = None) -> None:
        """Record one watcher event (see ``EVENT_KINDS``) for ``path``."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}; expected one of {sorted(EVENT_KINDS)}")
        now = self._clock() if now is None else now
        path = Path(path)
        entry = self._entries.get(path)
        if kind == "deleted":
            self._settled.pop(path, None)
            if entry is not None:
                entry.vanished = True
            return
        if kind in HANDLE_KINDS:
            # Readers (our own validator, antivirus, thumbnailers) open files too: an open on a
            # path we are not tracking is no news, and must not start tracking it.
            if entry is not None and not entry.vanished:
                entry.writer_open = kind == "opened"
            return
        self._observe_content(path, kind, now, entry)

    def due(self, now: float | None = None) -> list[Decision]:
        """Decisions reached by ``now``, oldest first; decided paths stop being tracked."""
        now = self._clock() if now is None else now
        decisions: list[Decision] = []
        for path, entry in sorted(self._entries.items(), key=lambda item: (item[1].first_seen, str(item[0]))):
            decision = self._check(path, entry, now)
            if decision is not None:
                del self._entries[path]
                decisions.append(decision)
                logger.debug("%s: %s (%s)", path, decision.kind.value, decision.reason)
        return decisions

    def next_due(self, now: float | None = None) -> float | None:
        """The earliest time :meth:`due` could decide anything; ``None`` when nothing is tracked."""
        now = self._clock() if now is None else now
        times = [now if entry.vanished else self._earliest_check(entry) for entry in self._entries.values()]
        return min(times, default=None)

    def release(self, folder: Path, now: float | None = None) -> int:
        """A producer said "done" for ``folder`` (a done-marker): its files need no quiet window.

        Each tracked file under ``folder`` is re-sampled and becomes due at once; the size/mtime
        check and the content check still run, so a marker written too early cannot make us
        take half a file. Returns how many files were released.
        """
        now = self._clock() if now is None else now
        released = 0
        for path, entry in self._entries.items():
            if entry.vanished or folder not in path.parents:
                continue
            try:
                entry.sample = self._stat(path)
            except OSError:
                continue
            entry.triggered, entry.writer_open, entry.gated = True, False, False
            entry.last_activity, entry.not_before = now - self.window, 0.0
            released += 1
        return released

    def mark_settled(self, path: Path, stat: FileStat) -> None:
        """Remember that ``path`` with exactly this size/mtime needs no decision (e.g. already archived)."""
        self._settled[Path(path)] = stat

    def forget(self, path: Path) -> None:
        """Drop everything known about ``path`` (tracking state and settled memory)."""
        self._entries.pop(Path(path), None)
        self._settled.pop(Path(path), None)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str | Path) and Path(path) in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def undecided(self) -> int:
        """Tracked files still on their way to a decision (not those only waiting for the gate)."""
        return sum(1 for entry in self._entries.values() if not entry.gated)

    def _observe_content(self, path: Path, kind: str, now: float, entry: _Entry | None) -> None:
        stat_failed = False
        try:
            stat = self._stat(path)
        except OSError as error:
            logger.warning("cannot stat %s (%s); will look again", path, error)
            stat, stat_failed = (entry.sample if entry is not None else None), True
        if entry is None or entry.vanished:
            if stat is None and not stat_failed:
                return  # already gone again (a rename chain): nothing to wait for
            if self._settled.get(path) == stat:
                return  # decided before with exactly this size and mtime: a touch, a reader, a rescan
            entry = _Entry(first_seen=now, last_activity=now, sample=stat)
            self._entries[path] = entry
        elif kind != "seen" or stat != entry.sample:
            self._note_activity(entry, stat, now)
        if kind == "created":
            entry.created = True
        elif kind in ("closed_write", "moved_in", "seen"):
            entry.triggered = True
            if kind != "seen":
                entry.writer_open = False

    def _note_activity(self, entry: _Entry, stat: FileStat | None, now: float) -> None:
        entry.gated = False
        if stat != entry.sample:
            # New content: earlier failed checks said nothing about it, so start counting afresh.
            entry.attempts = 0
            entry.not_before = 0.0
        entry.sample = stat
        entry.last_activity = now

    def _earliest_check(self, entry: _Entry) -> float:
        quiet = self.window
        if self.mode == "events" and (entry.writer_open or not (entry.triggered or entry.created)):
            quiet = max(self.window, self.fallback_after)
        return max(entry.last_activity + quiet, entry.not_before)

    def _check(self, path: Path, entry: _Entry, now: float) -> Decision | None:
        if entry.vanished:
            return self._decision(
                path, entry, DecisionKind.VANISHED, "deleted or moved away before it was ready"
            )
        if now < self._earliest_check(entry):
            return None
        try:
            current = self._stat(path)
        except OSError as error:
            logger.warning("cannot stat %s (%s); will look again", path, error)
            entry.last_activity = now
            return None
        if current is None:
            return self._decision(path, entry, DecisionKind.VANISHED, "disappeared before it was ready")
        if current != entry.sample:
            self._note_activity(entry, current, now)  # changed since the last check: restart the window
            return None
        if self._gate is not None and not self._gate(path):
            entry.not_before = now + self.window  # stable but not released yet: ask again later
            entry.gated = True
            return None
        reason = self._validated(path)
        if reason is None:
            self._settled[path] = current
            return self._decision(path, entry, DecisionKind.READY, None)
        entry.attempts += 1
        entry.last_reason = reason
        if entry.attempts >= self.max_attempts:
            self._settled[path] = current  # do not re-track it until it changes
            detail = f"content still invalid after {entry.attempts} checks: {reason}"
            return self._decision(path, entry, DecisionKind.GIVE_UP, detail)
        delay = min(self.backoff_max, self.backoff_base * 2 ** (entry.attempts - 1))
        entry.not_before = now + delay
        logger.info("%s not complete yet (%s); check %d again in %.0f s", path, reason, entry.attempts, delay)
        return None

    def _validated(self, path: Path) -> str | None:
        try:
            return self._validate(path)
        except Exception as error:  # a crashing validator must not stop the watcher
            logger.exception("content check of %s crashed", path)
            return f"content check crashed: {type(error).__name__}: {error}"

    @staticmethod
    def _decision(path: Path, entry: _Entry, kind: DecisionKind, reason: str | None) -> Decision:
        size, mtime = entry.sample if entry.sample is not None else (None, None)
        return Decision(path=path, kind=kind, reason=reason, attempts=entry.attempts, size=size, mtime=mtime)
