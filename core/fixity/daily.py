"""The daily fixity slice of ``jiandang serve``: the whole store re-hashed every ``fixity_cycle_days``.

Which documents belong to a day is decided by ``core.fixity.selection.daily_slices``. Which days
still need checking is read back from the catalog (the ``days`` of past daily runs), so a server
that was down for a week checks the missed slices when it comes back (at most one cycle's worth),
and two processes that start on the same day check a slice once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, timedelta

from core.catalog import Catalog
from core.fixity.checker import FixityChecker
from core.fixity.selection import daily_slices
from core.fixity.status import run_details
from schemas.fixity import FixityReport, FixityScope

logger = logging.getLogger(__name__)

RETRY_SECONDS = 3600.0  # after a failed daily check (the disk was away, say), try again this much later


def days_due(catalog: Catalog, today: date, cycle_days: int) -> list[date]:
    """The days whose slice has not been checked, oldest first, never more than one cycle back.

    On the first daily run of an archive only today's slice is due: the rest of the cycle follows
    one day at a time.
    """
    done = {date.fromisoformat(day) for _, detail in run_details(catalog)
            if detail.get("scope") == FixityScope.DAILY for day in detail.get("days", [])}
    if not done:
        return [today]
    start = max(max(done) + timedelta(days=1), today - timedelta(days=cycle_days - 1))
    return [start + timedelta(days=n) for n in range((today - start).days + 1) if start + timedelta(days=n) not in done]


def check_due(catalog: Catalog, checker: FixityChecker, today: date, cycle_days: int) -> FixityReport | None:
    """Check the slices of every day due (None when today's was checked already)."""
    days = days_due(catalog, today, cycle_days)
    if not days:
        return None
    targets = daily_slices(catalog, days, cycle_days)
    logger.info("daily fixity check: %d document(s) of %d day(s)' slices", len(targets), len(days))
    return checker.run(targets, FixityScope.DAILY, "jiandang serve (daily fixity check)",
                       extra={"days": [day.isoformat() for day in days], "cycle_days": cycle_days})


def run_daily(check_due: Callable[[], FixityReport | None], stop: threading.Event,
              interval: float = 3600.0) -> None:
    """Call ``check_due`` now and then every ``interval`` seconds until ``stop``; it checks what is due.

    Checking every hour rather than sleeping a day means a server started at 23:59 checks the
    new day's slice a minute later, and nothing is owed after a long pause of the process.
    """
    while not stop.is_set():
        wait = interval
        try:
            report = check_due()
            if report is not None and report.problems:
                logger.error("daily fixity check found %d problem(s); see `jiandang verify`", len(report.problems))
        except Exception:  # the server must go on serving; the next round tries again
            logger.exception("the daily fixity check failed; trying again in %.0f s", RETRY_SECONDS)
            wait = RETRY_SECONDS
        stop.wait(wait)
