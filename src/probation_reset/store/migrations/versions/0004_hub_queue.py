"""The regional hub's queue: items (information received, raised items triaged) and triages.

Both tables are append-only: triggers refuse UPDATE and DELETE on them, on SQLite and
PostgreSQL alike, so the triage history is kept whatever a client does.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("hub_items", "hub_triages")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _refuse_changes() -> None:
    """Triggers that refuse UPDATE and DELETE on the hub's tables."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION hub_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION hub_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )


def upgrade() -> None:
    op.create_table(
        "hub_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crn", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source", sa.String(32), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raised_ref", sa.String(600), nullable=True),
        sa.Column("event_id", sa.String(200), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name="fk_hub_items_crn_cases"),
        sa.PrimaryKeyConstraint("id", name="pk_hub_items"),
        sa.UniqueConstraint("crn", "raised_ref", name="uq_hub_items_crn_raised_ref"),
    )
    op.create_index("ix_hub_items_crn", "hub_items", ["crn"])
    op.create_table(
        "hub_triages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("practitioner", sa.String(200), nullable=False),
        sa.Column("triaged_by", sa.String(200), nullable=False),
        sa.Column("triaged_on", sa.Date(), nullable=False),
        sa.Column("triaged_at", sa.DateTime(), nullable=False),
        sa.Column("enforcement", sa.String(16), nullable=True),
        sa.Column("shared_with", sa.String(500), nullable=True),
        sa.Column("registration", JSON, nullable=True),
        sa.Column("case_import_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["hub_items.id"], name="fk_hub_triages_item_id_hub_items"
        ),
        sa.ForeignKeyConstraint(
            ["case_import_id"], ["imports.id"], name="fk_hub_triages_case_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_hub_triages"),
    )
    op.create_index("ix_hub_triages_item_id_id", "hub_triages", ["item_id", "id"])
    _refuse_changes()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in reversed(APPEND_ONLY):
        op.drop_table(table)
    if postgres:
        op.execute("DROP FUNCTION hub_append_only()")
