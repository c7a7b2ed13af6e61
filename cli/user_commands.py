"""``jiandang user add|passwd|token|revoke|list``, ``jiandang audit verify|head`` and ``jiandang serve``.

Account changes made here go on the audit trail with the actor ``cli:<os user>``, like admin
actions made through the API.
"""

from __future__ import annotations

import getpass
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from cli.errors import exit_on_archive_error
from cli.output import emit_json, err_console, out_console
from core.errors import DiskFull, InputError
from schemas.choices import Role

if TYPE_CHECKING:
    from core import ArchiveService
    from schemas.watch import WatchRoot

JsonFlag = Annotated[bool, typer.Option("--json", help="print exactly one JSON document on stdout")]


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("口令 / password: ", stream=sys.stderr)
    if getpass.getpass("再输一次 / again: ", stream=sys.stderr) != first:
        raise InputError("the two passwords differ")
    return first


def register(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:
    users = typer.Typer(help="accounts, roles and API tokens", no_args_is_help=True, rich_markup_mode=None)
    audit = typer.Typer(help="the hash-chained audit trail", no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(users, name="user")
    app.add_typer(audit, name="audit")
    _register_passwords(users, make_service)
    _register_tokens(users, make_service)
    _register_audit(audit, make_service)
    _register_serve(app, make_service)


def _register_passwords(users: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:
    @users.command("add")
    @exit_on_archive_error
    def user_add(
        username: str,
        role: Annotated[Role, typer.Option(help="archivist | auditor | asset_manager | approver | admin")],
        display_name: Annotated[str | None, typer.Option("--name", help="shown in the UI, e.g. 张三")] = None,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
        json_out: JsonFlag = False,
    ) -> None:
        """Create an account (asks for the password)."""
        from core.security.audit import AuditAction

        password = _read_password(password_stdin)
        with make_service() as service:
            record = service.accounts.add_user(username, role, password, display_name)
            service.audit.append(_actor(), AuditAction.USER_ADD, username, role=role.value)
        emit_json(record) if json_out else out_console.print(f"added {record.username} ({record.role.value})")

    @users.command("passwd")
    @exit_on_archive_error
    def user_passwd(
        username: str,
        password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
        json_out: JsonFlag = False,
    ) -> None:
        """Set a new password."""
        from core.security.audit import AuditAction

        password = _read_password(password_stdin)
        with make_service() as service:
            record = service.accounts.set_password(username, password)
            service.audit.append(_actor(), AuditAction.USER_PASSWD, username)
        emit_json(record) if json_out else out_console.print(f"password of {username} changed")


def _register_tokens(users: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:

    @users.command("token")
    @exit_on_archive_error
    def user_token(
        username: str,
        label: Annotated[str | None, typer.Option(help="what the token is for")] = None,
        json_out: JsonFlag = False,
    ) -> None:
        """Issue an API token (printed once; only its hash is kept)."""
        from core.security.audit import AuditAction

        with make_service() as service:
            issued = service.accounts.issue_token(username, label)
            service.audit.append(_actor(), AuditAction.TOKEN_ISSUE, username, token_id=issued.record.id,
                                 prefix=issued.record.prefix)
        if json_out:
            emit_json(issued)
            return
        err_console.print(f"token {issued.record.id} ({issued.record.prefix}) for {username}; shown once:")
        out_console.print(issued.token)

    @users.command("revoke")
    @exit_on_archive_error
    def user_revoke(
        token: Annotated[str, typer.Argument(help="token id, its prefix, or the token itself")],
        json_out: JsonFlag = False,
    ) -> None:
        """Revoke an API token or a session; it stops working at once."""
        from core.security.audit import AuditAction

        with make_service() as service:
            record = service.accounts.revoke(token)
            service.audit.append(_actor(), AuditAction.TOKEN_REVOKE, record.username, token_id=record.id)
        emit_json(record) if json_out else out_console.print(f"revoked token {record.id} of {record.username}")

    @users.command("list")
    @exit_on_archive_error
    def user_list(json_out: JsonFlag = False) -> None:
        """Accounts and their roles."""
        with make_service() as service:
            records = service.accounts.users()
        if json_out:
            emit_json({"users": [r.model_dump(mode="json") for r in records]})
            return
        for record in records:
            out_console.print(f"{record.username}\t{record.role.value}\t{record.display_name or ''}")


def _register_audit(audit: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:

    @audit.command("verify")
    @exit_on_archive_error
    def audit_verify(json_out: JsonFlag = False) -> None:
        """Walk the hash chain; exit code 7 when any entry was edited, inserted or deleted."""
        with make_service() as service:
            report = service.audit.verify()
        if json_out:
            emit_json(report)
        else:
            out_console.print(f"{report.checked} entries, head {report.head_seq} {report.head_hash[:16]}…: "
                              + ("intact" if report.valid else "TAMPERED"))
            for problem in report.problems:
                out_console.print(f"  ✗ {problem}")
        if not report.valid:
            raise typer.Exit(7)


def _register_serve(app: typer.Typer, make_service: Callable[[], ArchiveService]) -> None:

    @app.command()
    @exit_on_archive_error
    def serve(
        host: Annotated[str, typer.Option(envvar="JIANDANG_HOST", help="address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(envvar="JIANDANG_PORT", min=1, max=65535)] = 8000,
        watch: Annotated[bool, typer.Option(help="also watch the configured shares")] = True,
        inbox: Annotated[bool, typer.Option(help="also watch the archive's inbox folder ($JIANDANG_HOME/inbox)")] = False,
        sample: Annotated[bool, typer.Option(help="build the sample project on the first run (make run)")] = False,
        workers: Annotated[int, typer.Option(envvar="JIANDANG_WORKERS", min=1, max=32,
                                             help="server processes sharing the port (one per core serves "
                                                  "concurrent users best)")] = 1,
    ) -> None:
        """API + web UI (and the watcher over configured shares and, with --inbox, the inbox) in one process."""
        from api.server import run
        from cli.workbench_start import banner, prepare, watch_roots
        from core.settings import Settings
        from core.storage.confine import confine_scratch

        settings = Settings()
        confine_scratch(settings.home)
        start = prepare(make_service, sample, err_console.print)
        stop = threading.Event()
        roots = watch_roots(settings, inbox) if watch else []
        watcher = None
        if roots:
            watcher = threading.Thread(target=_watch_forever, args=(make_service, stop, roots), name="jiandang-watch",
                                       daemon=True)
            watcher.start()
        fixity = threading.Thread(target=_check_fixity_daily, args=(make_service, stop), name="jiandang-fixity",
                                  daemon=True)
        fixity.start()
        out_console.print(banner(start, host, port, len(roots)))
        try:
            run(settings, host, port, workers)
        finally:
            stop.set()
            if watcher is not None:
                watcher.join(timeout=30)
            out_console.print("jiandang stopped.")


def _check_fixity_daily(make_service: Callable[[], ArchiveService], stop: threading.Event) -> None:
    """Re-hash the day's slice of the originals (all of them every ``fixity_cycle_days``), on its own service."""
    from core.fixity.daily import run_daily

    with make_service() as service:
        run_daily(service.safekeeping.verify_due, stop)


DISK_FULL_RETRY_SECONDS = 300.0


def _watch_forever(make_service: Callable[[], ArchiveService], stop: threading.Event,
                   roots: list[WatchRoot]) -> None:
    """The watcher runs on its own service (own catalog engine) beside the API's.

    A full disk stops a watch with ``DiskFull`` (the file it was storing stays queued); the server
    goes on serving and the watch starts again every few minutes, taking the file once there is room.
    """
    while not stop.is_set():
        try:
            with make_service() as service:
                service.watch(roots, stop, keep_lines=False)
            return
        except DiskFull as full:
            err_console.print(f"[red]jiandang watch: {full.message}; trying again in "
                              f"{DISK_FULL_RETRY_SECONDS:.0f} s[/]")
            stop.wait(DISK_FULL_RETRY_SECONDS)
