"""Real headless Chromium (Debian's, driven by Playwright) against the real app served by uvicorn.

The server runs as its own process on a free localhost port, on a temporary archive home loaded
with the sample project (``jiandang demo``'s), exactly as ``make run`` leaves it. No browser is
ever downloaded: the Makefile's ``browser`` target installs Debian's chromium, and without it
these tests fail with that advice (``JIANDANG_SKIP_BROWSER=1`` skips them instead).

Screenshots and the downloaded bundle go to ``var/test-artifacts/browser/`` (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.demo.walkthrough import DEMO_CODE, run_demo
from tests.served import wait_until_up

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("JIANDANG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=zh-CN"]  # the browser's own widgets (date fields) in Chinese, as on an office PC
PEOPLE = {  # role → (user name, display name): the newcomer test's accounts
    "archivist": ("lidangan", "李档案"),
    "auditor": ("zhangshen", "张审"),
    "asset_manager": ("wangzichan", "王资产"),
}
PEOPLE_PASSWORD = "档案室口令-2024"
START_TIMEOUT = 90.0


@dataclass(frozen=True)
class Site:
    base_url: str
    home: Path
    username: str
    password: str
    project: str

    def login_of(self, role: str) -> tuple[str, str]:
        """(user name, password) of the account with ``role`` (admin: the demo's first login)."""
        return (self.username, self.password) if role == "admin" else (PEOPLE[role][0], PEOPLE_PASSWORD)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if os.environ.get("JIANDANG_SKIP_BROWSER") == "1":
        pytest.skip("JIANDANG_SKIP_BROWSER=1")
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: browser tests need Debian's chromium; run `make browser` "
                    "(apt-get install chromium), or set JIANDANG_SKIP_BROWSER=1 to skip them")
    return CHROMIUM


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def site(session_catalog: None, chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample project's archive served by uvicorn in its own process; the first admin's login."""
    home = tmp_path_factory.mktemp("browser") / "档案室"
    with ArchiveService(Settings(home=home)) as service:
        report = run_demo(service)
        for role, (user, name) in PEOPLE.items():
            service.accounts.add_user(user, role, PEOPLE_PASSWORD, display_name=name)
    assert report.first_login is not None
    with serving(home) as base:
        yield Site(base_url=base, home=home, username=report.first_login.username,
                   password=report.first_login.password, project=DEMO_CODE)


@contextmanager
def serving(home: Path) -> Iterator[str]:
    """The real app on ``home`` served by uvicorn in its own process; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "JIANDANG_HOME": str(home), "HAYSTACK_TELEMETRY_ENABLED": "False",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    log = home.parent / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.server:app_from_env", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/health", server, log, START_TIMEOUT)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
