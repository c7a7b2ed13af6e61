"""Read-only work on streaming replicas (``database_read_urls``), with a bound on how stale it may be.

A replica replays the primary's WAL a little later than the primary wrote it. What a user may
see is bounded like this: at most once a second (``CHECK_EVERY``) the router notes the primary's
WAL position and each replica's replay position; a replica's *lag* is the time since the primary
was last seen at a position the replica has replayed. A replica whose lag exceeds
``max_lag`` seconds (setting ``replica_max_lag``, default 5) — or that cannot be reached — gets
no reads until it catches up; they go to the primary. So a read on a replica shows the archive
as it was at most ``max_lag + CHECK_EVERY`` seconds ago. Pages about one document (``show``)
also fall back to the primary when the replica does not have it yet (a document just uploaded
from this or another node), see ``core.browsing``; a search may miss a document for that long.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError

logger = logging.getLogger(__name__)

CHECK_EVERY = 1.0  # seconds between lag checks
_HISTORY = 600  # primary positions remembered (10 minutes at one check a second)


def lsn_value(lsn: str | None) -> int | None:
    """``'16/B374D848'`` as a number (None stays None)."""
    if not lsn:
        return None
    high, _, low = lsn.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


class ReplicaLag:
    """The lag of one replica behind the primary, from positions seen over time."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._seen: deque[tuple[float, int]] = deque(maxlen=_HISTORY)  # (time, primary position)
        self.lag: float = float("inf")

    def observe(self, primary: int, replayed: int | None) -> float:
        now = self._clock()
        self._seen.append((now, primary))
        if replayed is None:
            self.lag = float("inf")
        elif replayed >= primary:
            self.lag = 0.0
        else:
            caught_up = [at for at, position in self._seen if position <= replayed]
            oldest = self._seen[0][0]
            self.lag = now - (max(caught_up) if caught_up else oldest)
        return self.lag


class ReadRouter:
    """Chooses where a read-only session goes: a replica within ``max_lag``, else the primary."""

    def __init__(self, primary: Engine, replicas: list[Engine], max_lag: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.primary = primary
        self.replicas = replicas
        self.max_lag = max_lag
        self._clock = clock
        self._lags = [ReplicaLag(clock) for _ in replicas]
        self._checked = -float("inf")
        self._lock = threading.Lock()
        self._turn = itertools.count()
        self._makers = {id(engine): sessionmaker(engine, expire_on_commit=False) for engine in [primary, *replicas]}

    def _check(self) -> None:
        with self._lock:
            if self._clock() - self._checked < CHECK_EVERY:
                return
            self._checked = self._clock()
            try:
                with self.primary.connect() as connection:
                    primary = lsn_value(connection.execute(text("SELECT pg_current_wal_lsn()::text")).scalar())
            except Exception as exc:
                logger.warning("cannot read the primary's WAL position: %s", exc)
                return
            for engine, lag in zip(self.replicas, self._lags, strict=True):
                try:
                    with engine.connect() as connection:
                        replayed = lsn_value(
                            connection.execute(text("SELECT pg_last_wal_replay_lsn()::text")).scalar())
                except Exception as exc:
                    logger.warning("replica %s unreachable, reads go elsewhere: %s", engine.url, exc)
                    replayed = None
                before = lag.lag
                after = lag.observe(primary or 0, replayed)
                if (before <= self.max_lag) != (after <= self.max_lag):
                    logger.warning("replica %s is %.1f s behind: %s", engine.url, after,
                                   "reads go to it again" if after <= self.max_lag else "reads go to the primary")

    def check_at_start(self) -> None:
        """Refuse a read URL that is not a streaming replica of this primary (reads there would be
        another archive's, or writes' own, not a copy); a replica that cannot be reached is only
        logged (it gets no reads until it can be).
        """
        if not self.replicas:
            return
        identity = text("SELECT system_identifier::text FROM pg_control_system()")
        with self.primary.connect() as connection:
            primary_id = connection.execute(identity).scalar()
        for index, engine in enumerate(self.replicas):
            try:
                with engine.connect() as connection:
                    in_recovery = connection.execute(text("SELECT pg_is_in_recovery()")).scalar()
                    replica_id = connection.execute(identity).scalar()
            except Exception as exc:
                logger.warning("replica %s cannot be reached now; reads go elsewhere until it can: %s",
                               engine.url, str(exc).splitlines()[0])
                continue
            if not in_recovery or replica_id != primary_id:
                raise ConfigError(
                    f"database_read_urls[{index}] ({engine.url}) is not a streaming replica of database_url "
                    f"({'it is a primary itself' if not in_recovery else 'it replicates another cluster'}); "
                    "reads there would not show this archive", setting="database_read_urls")

    def lags(self) -> list[float]:
        """Each replica's lag in seconds, as of the last check (checked now if due)."""
        if self.replicas:
            self._check()
        return [lag.lag for lag in self._lags]

    def fresh(self, index: int) -> bool:
        """Is replica ``index`` (in the order of ``database_read_urls``) within ``max_lag`` now?"""
        self._check()
        return self._lags[index].lag <= self.max_lag

    def engine(self) -> Engine:
        """A replica within ``max_lag`` (taking turns), else the primary."""
        if not self.replicas:
            return self.primary
        self._check()
        fresh = [engine for engine, lag in zip(self.replicas, self._lags, strict=True) if lag.lag <= self.max_lag]
        return fresh[next(self._turn) % len(fresh)] if fresh else self.primary

    @contextmanager
    def session(self) -> Iterator[Session]:
        engine = self.engine()
        with self._makers[id(engine)]() as session, session.begin():
            yield session

    def dispose(self) -> None:
        for engine in self.replicas:
            engine.dispose()
