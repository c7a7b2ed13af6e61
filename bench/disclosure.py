"""Disclosure benchmark: a 1,000-document project's draft (every text scanned for the project's
known persons, the sources' bodies for personal data, the package rendered and checked) and the
due list across an agency of 500 projects (``ArchiveService.disclosure.overdue``, the dashboard's
list; target ≤ 10 s).

The archives are filled as ``bench/oversight.py`` fills them (generated projects' texts written
into the catalog as ingest would leave them). Sizes: ``BENCH_DISCLOSURE_DOCS`` (1000) and
``BENCH_DISCLOSURE_PROJECTS`` (500).
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.oversight import SEEDED, _documents, _fill, _timed, print_rows
from core import ArchiveService, Settings

ARCHIVIST = "bench-档案员"


def bench_disclosure(work: Path) -> None:
    size = int(os.environ.get("BENCH_DISCLOSURE_DOCS", "1000"))
    count = int(os.environ.get("BENCH_DISCLOSURE_PROJECTS", "500"))
    used: set[str] = set()
    rows = []
    with ArchiveService(Settings(home=work / "one")) as service:
        _fill(service, {"BIG": _documents("BIG", "C12", size, used, changes=size // 5)})
        service.accounts.add_user(ARCHIVIST, "archivist", "bench-口令-很长的")
        service.oversight.refresh()
        draft, version = _timed(lambda: service.disclosure.draft("BIG", ARCHIVIST), 3)
        items = sum(len(c.items) for c in version.content.categories)
        rows.append((f"one project: draft from the archive (median of 3; {items} items)", size, draft, "—"))
        preview, _ = _timed(lambda: service.disclosure.package("BIG", version.number), 3)
        rows.append(("one project: its package rendered and checked (index.html, XLSX, JSON)", size, preview, "—"))
    plan = {f"P{n:03d}": (SEEDED[n % len(SEEDED)] if n % 3 == 0 else "clean") for n in range(count)}
    with ArchiveService(Settings(home=work / "agency")) as service:
        total = _fill(service, {code: _documents(code, name, 30, used) for code, name in plan.items()})
        service.oversight.refresh()
        scan, overdue = _timed(lambda: service.disclosure.overdue(), 3)
        rows.append((f"agency: overdue items of {count} projects (median of 3; {len(overdue)} overdue)", total, scan,
                     "≤ 10 s"))
    print_rows("Disclosure", rows)
