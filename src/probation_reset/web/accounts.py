"""Users, passwords, sessions, API tokens, sign-in limits and the audit log.

Passwords are hashed with argon2id (``argon2-cffi``); session and API tokens are random
(``secrets``), given to the user once and stored only as their SHA-256. Every function takes a
``Session`` and never commits: the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from probation_reset.store.access_tables import (
    ApiTokenRow,
    AuditEntryRow,
    SignInAttemptRow,
    UserRow,
    WebSessionRow,
)
from probation_reset.web.scope import Role

_HASHER = PasswordHasher()
#: Verified against when the user name is unknown, so the answer takes as long either way.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")
MIN_PASSWORD_LENGTH = 12
#: Failed attempts from one client allowed per window, as a multiple of the per-name limit.
CLIENT_LIMIT_FACTOR = 4


class AccountError(ValueError):
    """A user cannot be added or changed as asked (the message says why)."""


class Action(StrEnum):
    READ_CASE = "READ_CASE"
    READ_CASELOAD = "READ_CASELOAD"
    DOWNLOAD_CSV = "DOWNLOAD_CSV"
    SIGN_IN = "SIGN_IN"
    SIGN_IN_REFUSED = "SIGN_IN_REFUSED"
    SIGN_OUT = "SIGN_OUT"
    USER_ADDED = "USER_ADDED"
    USER_DISABLED = "USER_DISABLED"
    PASSWORD_RESET = "PASSWORD_RESET"
    TOKEN_CREATED = "TOKEN_CREATED"
    READ_HUB_QUEUE = "READ_HUB_QUEUE"
    READ_HUB_ITEM = "READ_HUB_ITEM"
    HUB_RECORD = "HUB_RECORD"
    HUB_TRIAGE = "HUB_TRIAGE"
    HUB_REFUSED = "HUB_REFUSED"
    READ_RECONCILIATION = "READ_RECONCILIATION"
    READ_UPCOMING = "READ_UPCOMING"
    WHAT_IF = "WHAT_IF"
    READ_DASHBOARD = "READ_DASHBOARD"


class Channel(StrEnum):
    PAGE = "PAGE"
    API = "API"
    CSV = "CSV"
    CLI = "CLI"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    """A random password of 20 characters for people to type once."""
    return secrets.token_urlsafe(15)


def _hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def find_user(session: Session, username: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.username == username))


def add_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    at: datetime,
    *,
    display_name: str | None = None,
    staff_code: str | None = None,
    team: str | None = None,
    region: str | None = None,
) -> UserRow:
    if not username.strip() or len(username) > 100:
        raise AccountError("a user name is 1 to 100 characters")
    if find_user(session, username) is not None:
        raise AccountError(f"there is already a user {username!r}")
    needed = {Role.PRACTITIONER: staff_code, Role.SPO: team, Role.HUB: region}
    if role in needed and not needed[role]:
        what = {Role.PRACTITIONER: "staff code", Role.SPO: "team", Role.HUB: "region"}[role]
        raise AccountError(f"a {role.value} user needs a {what}")
    user = UserRow(
        username=username,
        display_name=display_name or username,
        role=role.value,
        staff_code=staff_code,
        team=team,
        region=region,
        password_hash=_hash_password(password),
        disabled=False,
        created_at=at,
        password_changed_at=at,
    )
    session.add(user)
    session.flush()
    return user


def _existing(session: Session, username: str) -> UserRow:
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"there is no user {username!r}")
    return user


def reset_password(session: Session, username: str, password: str, at: datetime) -> UserRow:
    """A new password; the user's sessions end and they sign in again."""
    user = _existing(session, username)
    user.password_hash = _hash_password(password)
    user.password_changed_at = at
    user.disabled = False
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user.id))
    return user


def disable_user(session: Session, username: str, at: datetime) -> UserRow:
    """No more sign-in, sessions or API tokens for this user."""
    user = _existing(session, username)
    user.disabled = True
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user.id))
    for token in session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id)):
        token.revoked_at = token.revoked_at or at
    return user


# --- signing in ---------------------------------------------------------------------------


class Refusal(StrEnum):
    WRONG = "The user name or password is not right"
    LIMITED = "Too many attempts to sign in: wait 15 minutes and try again"


@dataclass(frozen=True, slots=True)
class SignIn:
    user: UserRow | None
    refusal: Refusal | None


def _failures_since(session: Session, since: datetime, **where: str) -> int:
    query = (
        select(func.count())
        .select_from(SignInAttemptRow)
        .where(SignInAttemptRow.at >= since, SignInAttemptRow.succeeded.is_(False))
    )
    for column, value in where.items():
        query = query.where(getattr(SignInAttemptRow, column) == value)
    return session.scalar(query) or 0


def sign_in(
    session: Session,
    username: str,
    password: str,
    client: str,
    at: datetime,
    limit: int,
    window: timedelta,
) -> SignIn:
    """Check a user name and password, within the limit of failed attempts per name and per
    client; every attempt is recorded."""
    since = at - window
    if (
        _failures_since(session, since, username=username) >= limit
        or _failures_since(session, since, client=client) >= limit * CLIENT_LIMIT_FACTOR
    ):
        session.add(SignInAttemptRow(username=username, client=client, at=at, succeeded=False))
        return SignIn(None, Refusal.LIMITED)
    user = find_user(session, username)
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
        good = user is not None and not user.disabled
    except (VerificationError, InvalidHashError):
        good = False
    session.add(SignInAttemptRow(username=username[:100], client=client, at=at, succeeded=good))
    if not good or user is None:
        return SignIn(None, Refusal.WRONG)
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return SignIn(user, None)


@dataclass(frozen=True, slots=True)
class OpenedSession:
    token: str
    csrf_token: str


def open_session(session: Session, user: UserRow, at: datetime, hours: int) -> OpenedSession:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        WebSessionRow(
            token_hash=token_hash(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=at,
            expires_at=at + timedelta(hours=hours),
        )
    )
    return OpenedSession(token, csrf)


def session_user(session: Session, token: str, at: datetime) -> tuple[UserRow, str] | None:
    """The signed-in user of a session cookie and the session's CSRF token, if it is current."""
    row = session.get(WebSessionRow, token_hash(token))
    if row is None or row.expires_at <= at:
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or user.disabled:
        return None
    return user, row.csrf_token


def close_session(session: Session, token: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash(token)))


def create_api_token(session: Session, username: str, name: str, at: datetime) -> str:
    """A new bearer token for the user (shown once; only its hash is kept)."""
    user = _existing(session, username)
    if user.disabled:
        raise AccountError(f"the user {username!r} is disabled")
    token = "prt_" + secrets.token_urlsafe(32)
    session.add(
        ApiTokenRow(user_id=user.id, name=name, token_hash=token_hash(token), created_at=at)
    )
    return token


def token_user(session: Session, token: str) -> UserRow | None:
    row = session.scalar(
        select(ApiTokenRow).where(
            ApiTokenRow.token_hash == token_hash(token), ApiTokenRow.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    user = session.get(UserRow, row.user_id)
    return None if user is None or user.disabled else user


# --- audit --------------------------------------------------------------------------------


def audit(
    session: Session,
    username: str,
    action: Action,
    channel: Channel,
    at: datetime,
    crn: str | None = None,
    detail: str = "",
) -> None:
    session.add(
        AuditEntryRow(
            at=at,
            username=username[:100],
            action=action.value,
            channel=channel.value,
            crn=crn,
            detail=detail[:1000],
        )
    )


def audit_entries(
    session: Session,
    limit: int = 200,
    username: str | None = None,
    crn: str | None = None,
    offset: int = 0,
) -> list[AuditEntryRow]:
    query = select(AuditEntryRow)
    if username:
        query = query.where(AuditEntryRow.username == username)
    if crn:
        query = query.where(AuditEntryRow.crn == crn)
    return list(
        session.scalars(query.order_by(AuditEntryRow.id.desc()).offset(offset).limit(limit))
    )
