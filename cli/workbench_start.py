"""What ``jiandang serve --sample --inbox`` (``make run``) does before the server starts, and what it says.

First run: the sample project is built into the archive and the first administrator is created;
every run: the archive's inbox folder is watched beside the configured shares, and one block of
text says where to go (the URL), where to drop files (the inbox) and how to sign in — the login
only the first time (it is stored as a hash), and on later runs how to reset it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import ArchiveService, Settings
from core.demo.walkthrough import DEMO_CODE
from schemas.demo import DemoLogin
from schemas.watch import WatchRoot

INTERRUPTED_TASK = ("the server stopped before this task finished (服务在任务完成前停止); files already received "
                    "are finished by the archive's recovery, anything else must be started again")


@dataclass(frozen=True)
class Start:
    home: Path
    inbox: Path
    login: DemoLogin | None
    sample_files: int | None  # files of the sample project taken in on this run (None: it was there)


def prepare(make_service: Callable[[], ArchiveService], sample: bool, say: Callable[[str], None]) -> Start:
    """Build the sample project on the first run (``sample``); make sure the inbox folder exists."""
    from core.demo import run_demo

    login, files = None, None
    with make_service() as service:
        settings = service.settings
        if sample and not (service.projects.exists(DEMO_CODE) and service.projects.summary(DEMO_CODE).documents):
            say("first run: building the sample project into the archive (about a minute) …")
            report = run_demo(service)
            login, files = report.first_login, report.files
        settings.inbox_path.mkdir(parents=True, exist_ok=True)
        # Tasks this server left running when it stopped can never finish: say so to whoever polls.
        tasks = service.task_book
        tasks.interrupt_unfinished(INTERRUPTED_TASK)
        tasks.forget_finished()
    return Start(home=settings.home, inbox=settings.inbox_path, login=login, sample_files=files)


def watch_roots(settings: Settings, inbox: bool) -> list[WatchRoot]:
    """The configured shares, and the archive's inbox (a sub-folder named after a project files into it)."""
    roots = list(settings.watch_roots)
    if inbox and all(root.path != settings.inbox_path for root in roots):
        roots.append(WatchRoot(path=settings.inbox_path))
    return roots


def banner(start: Start, host: str, port: int, watching: int) -> str:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown_host}:{port}/"
    jiandang = shlex.quote(str(Path(sys.executable).with_name("jiandang")))
    home = shlex.quote(str(start.home))
    lines = [
        "",
        f"建档 jiandang is running — archive home: {start.home}",
        f"  web UI:  {url}   (API documentation: {url}docs)",
        f"  inbox:   {start.inbox}",
        "           drop files here; in a sub-folder named after a project code (e.g. JD-2024-001/) they go to",
        "           that project, otherwise to the INBOX tray, from which the web UI moves them into a project",
    ]
    if start.sample_files is not None:
        lines.append(f"  sample:  {start.sample_files} files of the sample project {DEMO_CODE} taken in")
    if start.login is not None:
        lines += [f"  login:   {start.login.username} / {start.login.password}    (shown only this once; write it down)"]
    else:
        lines += ["  login:   the administrator's password was printed on the first run; to set a new one:",
                  f"           JIANDANG_HOME={home} {jiandang} user passwd admin"]
    lines += [f"  the command line on this archive: JIANDANG_HOME={home} {jiandang} --help",
              f"  watching {watching} folder(s); stop with Ctrl-C", ""]
    return "\n".join(lines)
