"""The caseload's tables (SQLAlchemy 2 typed declarative).

A case is kept whole, as its canonical contract JSON (``cases.document``) with a content hash,
and again as normalised rows (events, requirements, licence conditions, registrations, contacts)
for querying; the normalised rows are always rebuilt from the document. Every change to a case
is a ``case_changes`` row; every import is an ``imports`` row with one ``import_batches`` row per
committed batch. ``status_spans`` and ``status_transitions`` are the status history derived from
each case by the core engine. Dates are ``Date``; moments are naive UTC ``DateTime``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: JSON on SQLite, JSONB on PostgreSQL.
Json = JSON().with_variant(JSONB(), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CRN = String(64)
CODE = String(64)
IDENTIFIER = String(200)
MANAGER_NAME = String(200)
#: The condition of the partial index of suspension letters (``ContactRow``).
SUSPENSION_LETTER = "SUSPENSION_LETTER"
SUSPENSION_LETTERS = f"type = '{SUSPENSION_LETTER}'"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: Json, list[Any]: Json}


class Import(Base):
    """One run of ``probation-reset import``: where from, by whom, when, and what it did."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(1000))
    source_kind: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(200))
    policy_version: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: ``RUNNING`` until the last batch is committed, then ``COMPLETE``; an import that was
    #: killed stays ``RUNNING`` with only its committed batches stored.
    outcome: Mapped[str] = mapped_column(String(16))
    records: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class ImportBatch(Base):
    """One committed batch of an import: its records, stored in the same transaction."""

    __tablename__ = "import_batches"
    __table_args__ = (UniqueConstraint("import_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    number: Mapped[int] = mapped_column(Integer)
    first_record: Mapped[int] = mapped_column(Integer)
    last_record: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    committed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class RejectedRecord(Base):
    """A problem that kept one record of an import out of the store (one row per problem)."""

    __tablename__ = "rejected_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    record: Mapped[int | None] = mapped_column(Integer)
    crn: Mapped[str | None] = mapped_column(CRN)
    field: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(String(2000))
    location: Mapped[str | None] = mapped_column(String(300))


class CaseRecord(Base):
    """A case as last imported: its canonical contract JSON and that JSON's SHA-256."""

    __tablename__ = "cases"
    #: A region's cases with their CRNs: a region's cases joined to other rows by CRN are read
    #: from the index alone (on SQLite the row holds the whole document).
    __table_args__ = (Index(None, "region", "crn"),)

    crn: Mapped[str] = mapped_column(CRN, primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column()
    content_hash: Mapped[str] = mapped_column(String(64))
    created_by_import: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    updated_by_import: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: The policy version the case's status spans and transitions were derived under.
    history_policy_version: Mapped[str | None] = mapped_column(String(64))
    #: Who manages the case (the document's ``manager``), for caseload views and scope.
    region: Mapped[str | None] = mapped_column(MANAGER_NAME)
    pdu: Mapped[str | None] = mapped_column(MANAGER_NAME)
    team: Mapped[str | None] = mapped_column(MANAGER_NAME, index=True)
    staff_code: Mapped[str | None] = mapped_column(MANAGER_NAME, index=True)
    staff_name: Mapped[str | None] = mapped_column(MANAGER_NAME)


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("crn", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN)
    position: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(IDENTIFIER)
    type: Mapped[str] = mapped_column(CODE)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    pss_end_date: Mapped[dt.date | None] = mapped_column(Date)
    youth: Mapped[bool] = mapped_column(Boolean)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)
    probation_reset_date: Mapped[dt.date | None] = mapped_column(Date)


class RequirementRow(Base):
    __tablename__ = "requirements"
    __table_args__ = (Index(None, "crn", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN)
    event_id: Mapped[str] = mapped_column(IDENTIFIER)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(CODE)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    days: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[int | None] = mapped_column(Integer)


class LicenceConditionRow(Base):
    __tablename__ = "licence_conditions"
    __table_args__ = (Index(None, "crn", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN)
    event_id: Mapped[str] = mapped_column(IDENTIFIER)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(CODE)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)


class RegistrationRow(Base):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN, index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(CODE)
    start_date: Mapped[dt.date] = mapped_column(Date)
    deregistered_on: Mapped[dt.date | None] = mapped_column(Date)
    #: A RoSH level (``HIGH``) or a MAPPA level (``2``), as text.
    level: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[int | None] = mapped_column(Integer)


class ContactRow(Base):
    """A contact of a case's document. No foreign key: contacts are a third of what an import
    writes, only ever with their case and its events in one transaction (Alembic ``0007``)."""

    __tablename__ = "contacts"
    #: Keyed by case and place in it (Alembic ``0008``): a case's contacts are found, and
    #: replaced, by the key. The suspension letters alone, by CRN and day (the hub's queue reads
    #: them for a region's suspended people; the condition is written as the queue's query
    #: writes it).
    __table_args__ = (
        Index(
            "ix_contacts_suspension_letters",
            "crn",
            "day",
            sqlite_where=text(SUSPENSION_LETTERS),
            postgresql_where=text(SUSPENSION_LETTERS),
        ),
    )

    crn: Mapped[str] = mapped_column(CRN, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[str] = mapped_column(IDENTIFIER)
    event_id: Mapped[str | None] = mapped_column(IDENTIFIER)
    #: The contact's date or date-time as written; ``day`` is its date part.
    date: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(CODE)
    mode: Mapped[str | None] = mapped_column(CODE)
    outcome: Mapped[str | None] = mapped_column(CODE)
    recorded_on: Mapped[dt.date | None] = mapped_column(Date)


class CaseChange(Base):
    """One change to a case: which import, which field, the old and new values, and when.

    ``kind`` is ``CASE_CREATED`` (``field`` empty, ``new_value`` the whole document),
    ``VALUE_CHANGED``, ``ITEM_ADDED`` (``old_value`` null) or ``ITEM_REMOVED`` (``new_value``
    null). ``field`` is written as in the contract's errors: ``events[0].end_date``.
    """

    __tablename__ = "case_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(Integer, index=True)
    crn: Mapped[str] = mapped_column(CRN, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(300))
    old_value: Mapped[Any] = mapped_column(Json, nullable=True)
    new_value: Mapped[Any] = mapped_column(Json, nullable=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class StatusSpanRow(Base):
    """A span of the person's status timeline: ``start_date`` up to, not including,
    ``end_date`` (null: open-ended), as the core's timeline gives it."""

    __tablename__ = "status_spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN, index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    exemptions: Mapped[list[Any]] = mapped_column()
    policy_version: Mapped[str] = mapped_column(String(64))


class StatusTransitionRow(Base):
    """A change of the person's status on ``day``, with why the new status holds.

    Rows are never deleted: when a case or the policy changes and a transition no longer
    follows, ``superseded_at`` is set; the transitions in force have it null.
    """

    __tablename__ = "status_transitions"
    __table_args__ = (Index(None, "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN, index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    exemptions: Mapped[list[Any]] = mapped_column()
    reasons: Mapped[list[Any]] = mapped_column()
    policy_version: Mapped[str] = mapped_column(String(64))
    import_id: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


# The hub's and the web service's tables and the caseload digests share this metadata (and its
# migrations); imported last, as they use it.
from probation_reset.store import access_tables, digest_tables, hub_tables  # noqa: E402, F401
