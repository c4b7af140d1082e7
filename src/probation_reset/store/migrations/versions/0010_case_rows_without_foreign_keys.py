"""No foreign keys on the other rows an import writes with each case: its events, requirements,
licence conditions and registrations, its change records, its status spans and transitions and
its caseload digests (``0007`` took them off the contacts and obligations).

Each of these rows is written only by the store, with its case (and the case's events) in the
same transaction, after the import's own row; no case and no import is ever deleted. So the keys
guarded against nothing the store does, and PostgreSQL checked each row against its case (and
its import, or its event) by a query of its own: about 700,000 checks for 50,000 people, a tenth
of an import (42.6 s with the keys, 38.3 s without). ``tests/store/test_store_orphans.py`` holds
that no row is left without its case, event or import after imports that create and change
cases, and a refresh.

The keys of ``cases`` to the imports that created and last changed each case stay: SQLite cannot
take a key off a table without making it again, and the hub's rows point to ``cases``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Each key as ``0001`` and ``0003`` made it: table, name, columns, referred table and columns.
#: The keys to ``events`` first: SQLite makes ``events`` again without them.
KEYS = (
    ("requirements", "fk_requirements_crn_event_id_events", ["crn", "event_id"], "events",
     ["crn", "event_id"]),
    ("licence_conditions", "fk_licence_conditions_crn_event_id_events", ["crn", "event_id"],
     "events", ["crn", "event_id"]),
    ("events", "fk_events_crn_cases", ["crn"], "cases", ["crn"]),
    ("registrations", "fk_registrations_crn_cases", ["crn"], "cases", ["crn"]),
    ("case_changes", "fk_case_changes_crn_cases", ["crn"], "cases", ["crn"]),
    ("case_changes", "fk_case_changes_import_id_imports", ["import_id"], "imports", ["id"]),
    ("status_spans", "fk_status_spans_crn_cases", ["crn"], "cases", ["crn"]),
    ("status_transitions", "fk_status_transitions_crn_cases", ["crn"], "cases", ["crn"]),
    ("status_transitions", "fk_status_transitions_import_id_imports", ["import_id"], "imports",
     ["id"]),
    ("case_digests", "fk_case_digests_crn_cases", ["crn"], "cases", ["crn"]),
    ("event_phase_spans", "fk_event_phase_spans_crn_cases", ["crn"], "cases", ["crn"]),
    ("exemption_spans", "fk_exemption_spans_crn_cases", ["crn"], "cases", ["crn"]),
)  # fmt: skip

TABLES = tuple(dict.fromkeys(table for table, *_ in KEYS))


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for owner, name, *_ in KEYS:
                if owner == table:
                    batch.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            for owner, name, columns, referred, referred_columns in KEYS:
                if owner == table:
                    batch.create_foreign_key(name, referred, columns, referred_columns)
