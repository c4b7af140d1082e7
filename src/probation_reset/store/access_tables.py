"""The web service's tables: who may sign in, their sessions and API tokens, sign-in attempts,
and the audit log of every read of a case and every change.

Secrets are never stored: a password as its argon2 hash, a session or API token as the SHA-256
of the random token the user holds. Moments are naive UTC ``DateTime`` as elsewhere in the store.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from probation_reset.store.models import CRN, Base

USERNAME = String(100)
SCOPE_NAME = String(200)
TOKEN_HASH = String(64)


class UserRow(Base):
    """Someone who may sign in. ``role`` decides their scope: a practitioner sees the cases whose
    manager's ``staff_code`` is theirs, an SPO their ``team``, hub staff their ``region``, a head
    of service and an admin every case."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME, unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    staff_code: Mapped[str | None] = mapped_column(SCOPE_NAME)
    team: Mapped[str | None] = mapped_column(SCOPE_NAME)
    region: Mapped[str | None] = mapped_column(SCOPE_NAME)
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class WebSessionRow(Base):
    """A signed-in browser: the SHA-256 of its cookie's token, and the CSRF token of its forms."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(TOKEN_HASH, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ApiTokenRow(Base):
    """A bearer token for programs, held by one user and acting with that user's scope."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(TOKEN_HASH, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SignInAttemptRow(Base):
    """One try at signing in, kept to limit how often a name or a client may try."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index(None, "username", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME)
    client: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class AuditEntryRow(Base):
    """Who did what, when, through which channel (``PAGE``, ``API``, ``CSV``, ``CLI``), and to
    which case when it concerns one."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(USERNAME, index=True)
    action: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8))
    crn: Mapped[str | None] = mapped_column(CRN, index=True)
    detail: Mapped[str] = mapped_column(String(1000))
