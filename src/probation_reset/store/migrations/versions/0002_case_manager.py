"""Who manages each case: region, PDU, team and staff on the ``cases`` row, for scope.

The values come from the case document's ``manager`` (CONTRACT.md section 2); existing rows are
filled from their documents.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MANAGER_FIELDS = ("region", "pdu", "team", "staff_code", "staff_name")
INDEXED = ("region", "team", "staff_code")


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name in MANAGER_FIELDS:
            batch.add_column(sa.Column(name, sa.String(200), nullable=True))
    for name in INDEXED:
        op.create_index(f"ix_cases_{name}", "cases", [name])
    cases = sa.table(
        "cases",
        sa.column("crn", sa.String()),
        sa.column("document", sa.JSON()),
        *(sa.column(name, sa.String()) for name in MANAGER_FIELDS),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(cases.c.crn, cases.c.document)).all()
    for crn, document in rows:
        manager = (document or {}).get("manager") or {}
        values = {name: manager.get(name) for name in MANAGER_FIELDS}
        if any(values.values()):
            connection.execute(cases.update().where(cases.c.crn == crn).values(**values))


def downgrade() -> None:
    for name in INDEXED:
        op.drop_index(f"ix_cases_{name}", "cases")
    with op.batch_alter_table("cases") as batch:
        for name in MANAGER_FIELDS:
            batch.drop_column(name)
