"""The initial caseload schema: imports, cases and their normalised records, changes, status.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _crn_of_case(table: str) -> sa.Column[str]:
    return sa.Column(
        "crn",
        sa.String(64),
        sa.ForeignKey("cases.crn", name=f"fk_{table}_crn_cases"),
        nullable=False,
    )


def _import_ref(table: str, column: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey("imports.id", name=f"fk_{table}_{column}_imports"),
        nullable=nullable,
    )


def _event_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["crn", "event_id"],
        ["events.crn", "events.event_id"],
        name=f"fk_{table}_crn_event_id_events",
    )


def upgrade() -> None:
    op.create_table(
        "imports",
        _id(),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("source_kind", sa.String(32), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("policy_version", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("records", "created", "changed", "unchanged", "rejected")
        ),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
    )
    op.create_table(
        "import_batches",
        _id(),
        _import_ref("import_batches", "import_id"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("first_record", sa.Integer(), nullable=False),
        sa.Column("last_record", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("created", "changed", "unchanged", "rejected")
        ),
        sa.Column("committed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_batches"),
        sa.UniqueConstraint("import_id", "number", name="uq_import_batches_import_id_number"),
    )
    op.create_table(
        "rejected_records",
        _id(),
        _import_ref("rejected_records", "import_id"),
        sa.Column("record", sa.Integer(), nullable=True),
        sa.Column("crn", sa.String(64), nullable=True),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("message", sa.String(2000), nullable=False),
        sa.Column("location", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rejected_records"),
    )
    op.create_index("ix_rejected_records_import_id", "rejected_records", ["import_id"])
    op.create_table(
        "cases",
        sa.Column("crn", sa.String(64), nullable=False),
        sa.Column("document", JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        _import_ref("cases", "created_by_import"),
        _import_ref("cases", "updated_by_import"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("history_policy_version", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("crn", name="pk_cases"),
    )
    op.create_table(
        "events",
        _id(),
        _crn_of_case("events"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("pss_end_date", sa.Date(), nullable=True),
        sa.Column("youth", sa.Boolean(), nullable=False),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("probation_reset_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("crn", "event_id", name="uq_events_crn_event_id"),
    )
    op.create_table(
        "requirements",
        _id(),
        sa.Column("crn", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("hours", sa.Integer(), nullable=True),
        _event_key("requirements"),
        sa.PrimaryKeyConstraint("id", name="pk_requirements"),
    )
    op.create_index("ix_requirements_crn_event_id", "requirements", ["crn", "event_id"])
    op.create_table(
        "licence_conditions",
        _id(),
        sa.Column("crn", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        _event_key("licence_conditions"),
        sa.PrimaryKeyConstraint("id", name="pk_licence_conditions"),
    )
    op.create_index("ix_licence_conditions_crn_event_id", "licence_conditions", ["crn", "event_id"])
    op.create_table(
        "registrations",
        _id(),
        _crn_of_case("registrations"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deregistered_on", sa.Date(), nullable=True),
        sa.Column("level", sa.String(32), nullable=True),
        sa.Column("category", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_registrations"),
    )
    op.create_index("ix_registrations_crn", "registrations", ["crn"])
    op.create_table(
        "contacts",
        _id(),
        _crn_of_case("contacts"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=True),
        sa.Column("date", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(64), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        _event_key("contacts"),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
    )
    op.create_index("ix_contacts_crn_day", "contacts", ["crn", "day"])
    op.create_table(
        "case_changes",
        _id(),
        _import_ref("case_changes", "import_id"),
        _crn_of_case("case_changes"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("old_value", JSON, nullable=True),
        sa.Column("new_value", JSON, nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_changes"),
    )
    op.create_index("ix_case_changes_crn", "case_changes", ["crn"])
    op.create_index("ix_case_changes_import_id", "case_changes", ["import_id"])
    op.create_table(
        "status_spans",
        _id(),
        _crn_of_case("status_spans"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("exemptions", JSON, nullable=False),
        sa.Column("policy_version", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_spans"),
    )
    op.create_index("ix_status_spans_crn", "status_spans", ["crn"])
    op.create_table(
        "status_transitions",
        _id(),
        _crn_of_case("status_transitions"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("exemptions", JSON, nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("policy_version", sa.String(64), nullable=False),
        _import_ref("status_transitions", "import_id", nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_status_transitions"),
    )
    op.create_index("ix_status_transitions_crn", "status_transitions", ["crn"])
    op.create_index("ix_status_transitions_day", "status_transitions", ["day"])


def downgrade() -> None:
    for table in (
        "status_transitions",
        "status_spans",
        "case_changes",
        "contacts",
        "registrations",
        "licence_conditions",
        "requirements",
        "events",
        "cases",
        "rejected_records",
        "import_batches",
        "imports",
    ):
        op.drop_table(table)
