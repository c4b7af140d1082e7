"""The web service: users, their sessions and API tokens (hashed), sign-in attempts, the audit
log; and the caseload digests (event phase spans, exemption spans, obligations) that answer the
caseload filters from the store.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _crn(table: str) -> sa.Column[str]:
    return sa.Column(
        "crn",
        sa.String(64),
        sa.ForeignKey("cases.crn", name=f"fk_{table}_crn_cases"),
        nullable=False,
    )


def _user(table: str) -> sa.Column[int]:
    return sa.Column(
        "user_id",
        sa.Integer(),
        sa.ForeignKey("users.id", name=f"fk_{table}_user_id_users"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("staff_code", sa.String(200), nullable=True),
        sa.Column("team", sa.String(200), nullable=True),
        sa.Column("region", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        _user("web_sessions"),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        _user("api_tokens"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("client", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_attempts"),
    )
    op.create_index("ix_sign_in_attempts_username_at", "sign_in_attempts", ["username", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("crn", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    for column in ("at", "username", "crn"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])

    op.create_table(
        "case_digests",
        sa.Column(
            "crn",
            sa.String(64),
            sa.ForeignKey("cases.crn", name="fk_case_digests_crn_cases"),
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(64), nullable=False),
        sa.Column("horizon", sa.Date(), nullable=False),
        sa.Column("derived_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("crn", name="pk_case_digests"),
    )
    op.create_table(
        "event_phase_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        _crn("event_phase_spans"),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_event_phase_spans"),
    )
    op.create_index(
        "ix_event_phase_spans_crn_phase_start_date",
        "event_phase_spans",
        ["crn", "phase", "start_date"],
    )
    op.create_index(
        "ix_event_phase_spans_phase_start_date", "event_phase_spans", ["phase", "start_date"]
    )
    op.create_table(
        "exemption_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        _crn("exemption_spans"),
        sa.Column("exemption", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_exemption_spans"),
    )
    op.create_index(
        "ix_exemption_spans_crn_exemption_start_date",
        "exemption_spans",
        ["crn", "exemption", "start_date"],
    )
    op.create_index(
        "ix_exemption_spans_exemption_start_date", "exemption_spans", ["exemption", "start_date"]
    )
    op.create_table(
        "case_obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        _crn("case_obligations"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=True),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("due_by", sa.Date(), nullable=False),
        sa.Column("met_by", sa.String(200), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_case_obligations"),
    )
    op.create_index("ix_case_obligations_crn_due_by", "case_obligations", ["crn", "due_by"])
    op.create_index(
        "ix_case_obligations_crn_met_on_due_by", "case_obligations", ["crn", "met_on", "due_by"]
    )


def downgrade() -> None:
    for table in (
        "case_obligations",
        "exemption_spans",
        "event_phase_spans",
        "case_digests",
        "audit_log",
        "sign_in_attempts",
        "api_tokens",
        "web_sessions",
        "users",
    ):
        op.drop_table(table)
