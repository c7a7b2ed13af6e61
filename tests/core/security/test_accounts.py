"""Accounts: scrypt password hashes, tokens stored hashed, revocation, expiry, rate limits, roles."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from core.errors import AuthenticationFailed, InputError, NotFound, TooManyAttempts
from core.security.accounts import AccountBook, allowed, check_password, hash_password
from schemas.api import Permission, Role


@pytest.fixture
def accounts(service) -> AccountBook:  # type: ignore[no-untyped-def]
    book = AccountBook(service.catalog, scrypt_n=2**12, max_failures=3)
    book.add_user("张三", Role.ARCHIVIST, "正确的口令123", display_name="张三")
    return book


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("口令12345678", n=2**12), hash_password("口令12345678", n=2**12)
    assert first.startswith("scrypt$4096$") and first != second
    assert check_password("口令12345678", first) and not check_password("口令12345679", first)
    assert not check_password("x", "bcrypt$garbage") and not check_password("x", None)


def test_login_issues_a_session_and_secrets_are_not_stored(service, accounts: AccountBook) -> None:  # type: ignore[no-untyped-def]
    issued = accounts.login("张三", "正确的口令123")
    assert accounts.resolve(issued.token).username == "张三"
    assert issued.record.kind == "session" and issued.record.expires_at is not None
    db = sqlite3.connect(service.settings.home / "catalog.sqlite3")
    stored = " ".join(str(v) for row in db.execute("SELECT * FROM api_tokens") for v in row)
    stored += " ".join(str(v) for row in db.execute("SELECT * FROM users") for v in row)
    assert issued.token not in stored and "正确的口令123" not in stored


def test_wrong_password_and_unknown_user_look_the_same(accounts: AccountBook) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong username or password"):
        accounts.login("张三", "错误的口令")
    with pytest.raises(AuthenticationFailed, match="wrong username or password"):
        accounts.login("无此人", "错误的口令")


def test_rate_limit_after_repeated_failures(accounts: AccountBook) -> None:
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            accounts.login("张三", "错误的口令")
    with pytest.raises(TooManyAttempts):
        accounts.login("张三", "正确的口令123")
    accounts.window = timedelta(seconds=0)  # the window has passed
    assert accounts.login("张三", "正确的口令123").token


def test_revoked_and_expired_tokens_do_not_resolve(accounts: AccountBook) -> None:
    token = accounts.issue_token("张三", "脚本")
    accounts.revoke(token.record.prefix)
    with pytest.raises(AuthenticationFailed):
        accounts.resolve(token.token)
    expired = accounts.issue_token("张三", kind="session", ttl=timedelta(seconds=-1))
    with pytest.raises(AuthenticationFailed, match="expired"):
        accounts.resolve(expired.token)
    with pytest.raises(NotFound):
        accounts.revoke(99999)


def test_bad_input_is_refused(accounts: AccountBook) -> None:
    with pytest.raises(InputError, match="already exists"):
        accounts.add_user("张三", "auditor", "另一个口令123")
    with pytest.raises(InputError, match="role"):
        accounts.add_user("李四", "superuser", "另一个口令123")
    with pytest.raises(InputError, match="at least"):
        accounts.add_user("李四", "auditor", "短")
    with pytest.raises(InputError, match="username"):
        accounts.add_user("../etc", "auditor", "另一个口令123")


def test_roles_grant_fixed_permissions() -> None:
    assert allowed(Role.AUDITOR, Permission.AUDIT_READ) and not allowed(Role.AUDITOR, Permission.UPLOAD)
    assert not allowed(Role.AUDITOR, Permission.RECLASSIFY) and not allowed(Role.AUDITOR, Permission.EXPORT)
    assert allowed(Role.ASSET_MANAGER, Permission.EXPORT) and not allowed(Role.ARCHIVIST, Permission.EXPORT)
    assert all(allowed(Role.ADMIN, p) for p in Permission)
