"""No foreign keys on the two tables an import writes most: ``contacts`` (about 39 rows a
person) and ``case_obligations`` (about 69). Each row is written only by the store, with its
case (and the case's events) in the same transaction, and no case is ever deleted, so the keys
guarded against nothing the store does; checking each row against its case and event cost
PostgreSQL a third of an import (50,000 people: 70 s with the keys, 47 s without). A test
(``tests/store/test_store_orphans.py``) holds that no contact or obligation is left without its
case or event after imports that create and change cases.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Each key as ``0001`` made it: table, name, columns, referred table and columns.
KEYS = (
    ("contacts", "fk_contacts_crn_event_id_events", ["crn", "event_id"], "events",
     ["crn", "event_id"]),
    ("contacts", "fk_contacts_crn_cases", ["crn"], "cases", ["crn"]),
    ("case_obligations", "fk_case_obligations_crn_cases", ["crn"], "cases", ["crn"]),
)  # fmt: skip


def upgrade() -> None:
    for table in ("contacts", "case_obligations"):
        with op.batch_alter_table(table) as batch:
            for owner, name, *_ in KEYS:
                if owner == table:
                    batch.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table in ("contacts", "case_obligations"):
        with op.batch_alter_table(table) as batch:
            for owner, name, columns, referred, referred_columns in KEYS:
                if owner == table:
                    batch.create_foreign_key(name, referred, columns, referred_columns)
