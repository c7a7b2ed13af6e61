"""Throwaway PostgreSQL servers for the tests and the bench: Debian's binaries, a cluster in a temp dir.

The commands are the ones that work on this machine (see the README's PostgreSQL section):
``initdb`` refuses to run as root, so as root the cluster is made and run by the ``postgres``
user (``runuser``); as anyone else, by that user. Databases are ``UTF8`` with ``LC_CTYPE
C.UTF-8`` (the ``C`` ctype would make PostgreSQL treat Chinese as non-letters). Durability is
switched off (``fsync=off``): a test server is thrown away, never recovered.

A primary can be given a streaming replica (``pg_basebackup -R``), for the read-replica tests.
When the binaries are missing (``make postgres`` installs them), ``available()`` says why, and the
fixtures skip with that message.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

TEST_DB_OPTIONS = "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def available() -> str | None:
    """None when a throwaway server can be started here, else why not (the skip message)."""
    if pg_bin() is None:
        return "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): run `make postgres` (apt-get, as root)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: initdb cannot be run as the postgres user"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run initdb as"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    """One cluster in a temporary folder, started on a free port; ``stop()`` removes it."""

    def __init__(self, data_dir: Path | None = None, port: int | None = None, *, primary: PgServer | None = None,
                 settings: dict[str, str] | None = None) -> None:
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError(available() or "no PostgreSQL")
        self.root = Path(tempfile.mkdtemp(prefix="jiandang-pg-"))
        self.data = data_dir or self.root / "data"
        self.port = port or free_port()
        self.primary = primary
        self.settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                         "wal_level": "replica", "max_wal_senders": "10", "max_connections": "400",
                         "hot_standby": "on", **(settings or {})}
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    # --- running commands as the cluster's owner -------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> PgServer:
        if self.primary is None:
            self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8")
        else:
            self._run(self.bin / "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                      "-D", self.data, "-R", "-X", "stream")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 " + " ".join(
            f"-c {key}={value}" for key, value in self.settings.items())
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.root / "log", "-w", "-o", options, "start")
        return self

    def stop(self) -> None:
        if self.data.exists():
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- databases -----------------------------------------------------------------------------
    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        """The SQLAlchemy URL (psycopg 3) of ``database``."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement with psql (autocommit, so CREATE DATABASE works); returns its output."""
        done = self._run(self.bin / "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                         "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement)
        return done.stdout.strip()

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (UTF8, C.UTF-8), copied from ``template`` when given; returns its URL."""
        options = f"TEMPLATE {template}" if template else TEST_DB_OPTIONS
        self.sql(f'CREATE DATABASE "{name}" {options}')
        return self.url(name)

    def wait_replayed(self, replica: PgServer, timeout: float = 30.0) -> None:
        """Until ``replica`` has replayed everything this primary wrote so far."""
        target = self.sql("SELECT pg_current_wal_insert_lsn()")  # with synchronous_commit off a commit may not be written yet
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if done == "t":
                return
            time.sleep(0.05)
        raise TimeoutError(f"the replica did not replay up to {target} in {timeout} s")
