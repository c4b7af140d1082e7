"""Indexes the hub's queue reads by. Two partial indexes: each person's suspension letters
(``contacts`` of type ``SUSPENSION_LETTER``, by CRN and day) and each person's Reset duties that
go on during a suspension (``case_obligations`` of ``RESET_LICENCE_FINAL_THIRD_CONTACT`` and
``RESET_NFA_CHECK_IN``, by CRN and window start): each holds only those rows, so a region's
thousands of suspended people are looked up in a small index, and an import writes little more.
And the cases of a region with their CRNs (``cases (region, crn)``, in place of ``cases
(region)``): a query joining a region's cases to another table by CRN reads the index alone, not
each case's row (on SQLite a wide one, holding the document).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: As in ``store/models.py`` and ``store/digest_tables.py`` (the partial indexes' conditions).
LETTERS = "type = 'SUSPENSION_LETTER'"
RESET_DUTIES = "rule IN ('RESET_LICENCE_FINAL_THIRD_CONTACT', 'RESET_NFA_CHECK_IN')"
INDEXES = (
    ("ix_contacts_suspension_letters", "contacts", ["crn", "day"], LETTERS),
    (
        "ix_case_obligations_reset_duties",
        "case_obligations",
        ["crn", "window_start"],
        RESET_DUTIES,
    ),
)


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        condition = sa.text(where)
        op.create_index(name, table, columns, sqlite_where=condition, postgresql_where=condition)
    op.create_index("ix_cases_region_crn", "cases", ["region", "crn"])
    op.drop_index("ix_cases_region", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_region", "cases", ["region"])
    op.drop_index("ix_cases_region_crn", table_name="cases")
    for name, table, _, _ in INDEXES:
        op.drop_index(name, table_name=table)
