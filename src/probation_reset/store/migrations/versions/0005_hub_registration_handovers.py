"""Registrations the hub recorded that an import from NDelius now carries: one row per
reinstatement handed over, append-only (triggers refuse UPDATE and DELETE, as on the hub's
other tables).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "hub_registration_handovers"


def _refuse_changes() -> None:
    """Triggers that refuse UPDATE and DELETE (PostgreSQL: 0004's ``hub_append_only``)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION hub_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {action} refused'); END"
        )


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("triage_id", sa.Integer(), nullable=False),
        sa.Column("crn", sa.String(64), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["triage_id"], ["hub_triages.id"], name=f"fk_{TABLE}_triage_id_hub_triages"
        ),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name=f"fk_{TABLE}_crn_cases"),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=f"fk_{TABLE}_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
        sa.UniqueConstraint("triage_id", name=f"uq_{TABLE}_triage_id"),
    )
    op.create_index(f"ix_{TABLE}_crn", TABLE, ["crn"])
    _refuse_changes()


def downgrade() -> None:
    op.drop_table(TABLE)
