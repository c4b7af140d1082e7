"""The two tables an import writes most are keyed by their case, not by a number of their own:
``case_obligations`` by ``(crn, due_by, position)`` and ``contacts`` by ``(crn, position)``.

Every query reads them a case at a time (``crn`` first). Each obligation had a number, its key,
and two indexes besides, ``(crn, due_by)`` and ``(crn, met_on, due_by)``: three trees to write
for each of about 69 rows a person. Keyed by ``(crn, due_by, position)``, the key itself answers
"due on a day" as the first index did, and "missed by a day" reads the case's rows in order; on
SQLite the table is the key's tree (``WITHOUT ROWID``), so a case's obligations are read
together. PostgreSQL, whose table is not the key's tree, gets a partial index of the obligations
never met (a third of them) by CRN and due date, so "missed by a day" reads those alone.

50,000 people's 3.45 million obligations: SQLite 15.3 s to write and 514 MB against 10.1 s and
290 MB; PostgreSQL 16.4 s and 675 MB against 6.6 s and 411 MB. The caseload's "due" and "missed"
filters are as fast or faster (sorted by missed obligations on PostgreSQL: 0.48 s as before,
0.68 s without the partial index).

``contacts`` lose their number and the index ``(crn, day)``, which only found a case's contacts
to replace them: the key ``(crn, position)`` does that (PostgreSQL writes a third fewer index
entries). The partial indexes the hub reads (suspension letters, Reset duties) stay.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: As in ``store/models.py`` and ``store/digest_tables.py`` (the partial indexes' conditions).
LETTERS = "type = 'SUSPENSION_LETTER'"
RESET_DUTIES = "rule IN ('RESET_LICENCE_FINAL_THIRD_CONTACT', 'RESET_NFA_CHECK_IN')"
NEVER_MET = "met_on IS NULL"


def _obligation_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("crn", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=True),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("due_by", sa.Date(), nullable=False),
        sa.Column("met_by", sa.String(200), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=True),
    ]


def _contact_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("crn", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=True),
        sa.Column("date", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(64), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
    ]


#: Each table: its columns, its key then, the indexes it loses (name, columns), the partial index
#: it keeps (name, columns, condition), and whether SQLite keeps a row number.
TABLES = (
    (
        "case_obligations",
        _obligation_columns,
        ["crn", "due_by", "position"],
        (
            ("ix_case_obligations_crn_due_by", ["crn", "due_by"]),
            ("ix_case_obligations_crn_met_on_due_by", ["crn", "met_on", "due_by"]),
        ),
        ("ix_case_obligations_reset_duties", ["crn", "window_start"], RESET_DUTIES),
        False,
    ),
    (
        "contacts",
        _contact_columns,
        ["crn", "position"],
        (("ix_contacts_crn_day", ["crn", "day"]),),
        ("ix_contacts_suspension_letters", ["crn", "day"], LETTERS),
        True,
    ),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, columns, key, dropped, kept, rowid in TABLES:
        for name, _ in dropped:
            op.drop_index(name, table_name=table)
        if postgresql:  # in place: no row is copied
            op.drop_constraint(f"pk_{table}", table, type_="primary")
            op.drop_column(table, "id")
            op.create_primary_key(f"pk_{table}", table, key)
            if table == "case_obligations":
                op.create_index(
                    "ix_case_obligations_unmet",
                    table,
                    ["crn", "due_by"],
                    postgresql_where=sa.text(NEVER_MET),
                )
        else:
            keyed = sa.PrimaryKeyConstraint(*key, name=f"pk_{table}")
            _copied(table, columns(), keyed, rowid, kept)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, columns, _, dropped, kept, _ in TABLES:
        if postgresql:
            if table == "case_obligations":
                op.drop_index("ix_case_obligations_unmet", table_name=table)
            op.drop_constraint(f"pk_{table}", table, type_="primary")
            op.execute(f"ALTER TABLE {table} ADD COLUMN id SERIAL")
            op.create_primary_key(f"pk_{table}", table, ["id"])
        else:
            numbered: list[sa.Column[Any]] = [
                sa.Column("id", sa.Integer(), nullable=False),
                *columns(),
            ]
            _copied(table, numbered, sa.PrimaryKeyConstraint("id", name=f"pk_{table}"), True, kept)
        for name, indexed in dropped:
            op.create_index(name, table, indexed)


def _copied(
    table: str,
    columns: list[sa.Column[Any]],
    key: sa.PrimaryKeyConstraint,
    rowid: bool,
    kept: tuple[str, list[str], str],
) -> None:
    """SQLite: the table made again with ``columns`` and ``key`` and its rows copied (SQLite
    cannot change a table's key in place); its partial index made again."""
    name, indexed, condition = kept
    op.drop_index(name, table_name=table)
    op.rename_table(table, f"{table}_before")
    op.create_table(table, *columns, key, sqlite_with_rowid=rowid)
    listed = ", ".join(column.name for column in columns if column.name != "id")
    op.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {table}_before")
    op.drop_table(f"{table}_before")
    op.create_index(name, table, indexed, sqlite_where=sa.text(condition))
