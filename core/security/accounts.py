"""Accounts, roles, passwords, API tokens and UI sessions.

Passwords are hashed with scrypt from the standard library (``hashlib.scrypt``; argon2 and bcrypt
are not installed in this environment). scrypt is memory-hard like argon2; the stored string
carries its parameters, so they can be raised later without invalidating old hashes.

API tokens and UI sessions are the same thing with a different ``kind`` and lifetime: a random
secret shown once, of which only the sha256 is stored (a token is 256 bits of randomness, so a
fast hash is enough — there is nothing to brute-force). Revoking sets ``revoked_at``; a revoked or
expired secret never resolves again.

Login rate limiting: after ``max_failures`` failed passwords for one username inside ``window``
(counted since its last success), further attempts are refused with ``TooManyAttempts`` without
even checking the password, until the window has passed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, select

from core.catalog import Catalog
from core.catalog.models import ApiToken, LoginAttempt, User
from core.errors import AlreadyExists, AuthenticationFailed, InputError, NotFound, TooManyAttempts
from schemas.access import IssuedToken, Permission, Principal, TokenRecord, UserRecord
from schemas.choices import Role

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ARCHIVIST: frozenset({Permission.READ, Permission.DOWNLOAD, Permission.UPLOAD, Permission.RECLASSIFY,
                               Permission.DISCLOSE}),
    Role.AUDITOR: frozenset({Permission.READ, Permission.DOWNLOAD, Permission.AUDIT_READ}),
    Role.ASSET_MANAGER: frozenset({Permission.READ, Permission.DOWNLOAD, Permission.EXPORT}),
    Role.APPROVER: frozenset({Permission.READ, Permission.DOWNLOAD, Permission.APPROVE}),
    Role.ADMIN: frozenset(Permission),
}

USERNAME = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD = 8
SCRYPT_R, SCRYPT_P = 8, 1
TOKEN_PREFIX = "jd_"

_RESOLVE = (
    select(ApiToken.id, ApiToken.kind, ApiToken.expires_at, ApiToken.revoked_at, User.username, User.role, User.active)
    .join(User, ApiToken.user_id == User.id)
    .where(ApiToken.secret_sha256 == bindparam("digest"))
)


def allowed(role: Role | str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())


def hash_password(password: str, n: int = 2**14) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(key).decode()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _user_record(user: User) -> UserRecord:
    return UserRecord(username=user.username, display_name=user.display_name, role=Role(user.role),
                      active=user.active, created_at=_aware(user.created_at))


def _token_record(token: ApiToken) -> TokenRecord:
    return TokenRecord(id=token.id, username=token.user.username, kind=token.kind, label=token.label,
                       prefix=token.prefix, created_at=_aware(token.created_at),
                       expires_at=_aware(token.expires_at), revoked_at=_aware(token.revoked_at))


class AccountBook:
    """Users, tokens and sessions in the catalog. Built by the service; holds no global state."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        scrypt_n: int = 2**14,
        max_failures: int = 5,
        window: timedelta = timedelta(minutes=15),
        session_ttl: timedelta = timedelta(hours=12),
    ) -> None:
        self._catalog = catalog
        self._scrypt_n = scrypt_n
        self.max_failures = max_failures
        self.window = window
        self.session_ttl = session_ttl

    # --- users -----------------------------------------------------------------------------
    def add_user(self, username: str, role: Role | str, password: str, display_name: str | None = None) -> UserRecord:
        if not USERNAME.match(username):
            raise InputError(f"username {username!r}: use 1–64 letters, digits, '.', '@', '-' or '_'",
                             field="username")
        try:
            role = Role(role)
        except ValueError:
            raise InputError(f"role {role!r}: choose one of {', '.join(r.value for r in Role)}",
                             field="role") from None
        _check_password_policy(password)
        with self._catalog.session() as session:
            if session.scalar(select(User).where(User.username == username)) is not None:
                raise AlreadyExists(f"user {username!r} already exists", field="username")
            user = User(username=username, display_name=display_name, role=role.value,
                        password_hash=hash_password(password, self._scrypt_n), active=True, created_at=_now())
            session.add(user)
            session.flush()
            return _user_record(user)

    def set_password(self, username: str, password: str) -> UserRecord:
        _check_password_policy(password)
        with self._catalog.session() as session:
            user = _user(session, username)
            user.password_hash = hash_password(password, self._scrypt_n)
            return _user_record(user)

    def users(self) -> list[UserRecord]:
        with self._catalog.session() as session:
            return [_user_record(u) for u in session.scalars(select(User).order_by(User.username))]

    # --- login (UI sessions) ---------------------------------------------------------------
    def login(self, username: str, password: str) -> IssuedToken:
        """Check a password and open a session; counts toward the rate limit when it fails."""
        with self._catalog.session() as session:
            if self._recent_failures(session, username) >= self.max_failures:
                raise TooManyAttempts(
                    f"too many failed logins for {username!r}; try again in {int(self.window.total_seconds() // 60)}"
                    " minutes", username=username)
            user = session.scalar(select(User).where(User.username == username))
            ok = user is not None and user.active and check_password(password, user.password_hash)
            session.add(LoginAttempt(username=username[:64], ok=ok, at=_now()))
        if not ok:
            raise AuthenticationFailed("wrong username or password", username=username)
        return self.issue_token(username, label="web session", kind="session", ttl=self.session_ttl)

    def _recent_failures(self, session, username: str) -> int:  # type: ignore[no-untyped-def]
        since = _now() - self.window
        last_ok = session.scalar(
            select(func.max(LoginAttempt.at)).where(LoginAttempt.username == username, LoginAttempt.ok.is_(True))
        )
        if last_ok is not None and _aware(last_ok) > since:
            since = _aware(last_ok)
        return session.scalar(
            select(func.count()).select_from(LoginAttempt).where(
                LoginAttempt.username == username, LoginAttempt.ok.is_(False), LoginAttempt.at > since)
        ) or 0

    # --- tokens ----------------------------------------------------------------------------
    def issue_token(self, username: str, label: str | None = None, *, kind: str = "api",
                    ttl: timedelta | None = None) -> IssuedToken:
        prefix = secrets.token_hex(4)
        secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        with self._catalog.session() as session:
            user = _user(session, username)
            now = _now()
            token = ApiToken(user_id=user.id, kind=kind, label=label, prefix=prefix,
                             secret_sha256=_secret_hash(secret), created_at=now,
                             expires_at=now + ttl if ttl else None)
            session.add(token)
            session.flush()
            token.user = user
            return IssuedToken(token=secret, record=_token_record(token))

    def resolve(self, secret: str) -> Principal:
        """Who holds this secret; ``AuthenticationFailed`` if unknown, revoked, expired or inactive.

        Every request asks this, so it is one indexed row read on the primary, not ORM objects
        (a revocation counts from its commit on: nothing is remembered between requests).
        """
        with self._catalog.engine.connect() as connection:
            token = connection.execute(_RESOLVE, {"digest": _secret_hash(secret)}).first()
        if token is None or token.revoked_at is not None:
            raise AuthenticationFailed("unknown or revoked token")
        expires = _aware(token.expires_at)
        if expires is not None and expires <= _now():
            raise AuthenticationFailed("the session or token has expired; sign in again")
        if not token.active:
            raise AuthenticationFailed("the account is disabled")
        return Principal(username=token.username, role=Role(token.role), token_id=token.id,
                         via="session" if token.kind == "session" else "token")

    def revoke(self, token: int | str) -> TokenRecord:
        """Revoke by id, by the shown prefix, or by the secret itself (logout)."""
        with self._catalog.session() as session:
            row = None
            if isinstance(token, int) or (isinstance(token, str) and token.isdigit()):
                row = session.get(ApiToken, int(token))
            if isinstance(token, str) and token.startswith(TOKEN_PREFIX):
                row = session.scalar(select(ApiToken).where(ApiToken.secret_sha256 == _secret_hash(token)))
            elif isinstance(token, str) and row is None:  # a shown prefix (which may be all digits)
                rows = session.scalars(select(ApiToken).where(ApiToken.prefix == token)).all()
                row = rows[0] if len(rows) == 1 else None
            if row is None:
                raise NotFound(f"no token {token!r}", token=str(token)[:16])
            if row.revoked_at is None:
                row.revoked_at = _now()
            return _token_record(row)

    def tokens(self, username: str | None = None) -> list[TokenRecord]:
        with self._catalog.session() as session:
            query = select(ApiToken).order_by(ApiToken.id)
            if username:
                query = query.where(ApiToken.user_id == _user(session, username).id)
            return [_token_record(t) for t in session.scalars(query)]


def _user(session, username: str) -> User:  # type: ignore[no-untyped-def]
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}", username=username)
    return user


def _check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password must have at least {MIN_PASSWORD} characters", field="password")
