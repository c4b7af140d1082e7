"""Per-case facts derived by the core for caseload queries (``digest.py`` fills them).

A caseload filter ("in the final third on 3 November", "obligations missed", "entering the final
third within 4 weeks") is answered by SQL over these rows and ``status_spans``, not by
evaluating every case on each request. ``case_digests`` records which content hash and policy
version the rows were derived from, so stale rows are found by one query.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from probation_reset.store.models import CODE, CRN, IDENTIFIER, Base

#: The Reset duties that go on while contact is suspended (``rules/reset.py``), as the partial
#: index of ``case_obligations`` and the hub's queue write them.
SUSPENSION_DUTIES = ("RESET_LICENCE_FINAL_THIRD_CONTACT", "RESET_NFA_CHECK_IN")
RESET_DUTIES = "rule IN ({})".format(", ".join(f"'{rule}'" for rule in SUSPENSION_DUTIES))
#: The obligations never met, as the partial index on PostgreSQL holds them.
NEVER_MET = "met_on IS NULL"
#: Indexes made on PostgreSQL alone (Alembic ``0008``).
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_case_obligations_unmet"})


class CaseDigestRow(Base):
    __tablename__ = "case_digests"

    crn: Mapped[str] = mapped_column(CRN, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(64))
    #: The day the obligations were judged on: a year past the case's latest dated fact.
    horizon: Mapped[dt.date] = mapped_column(Date)
    derived_at: Mapped[dt.datetime] = mapped_column(DateTime)


class EventPhaseSpanRow(Base):
    """An event's phase from ``start_date`` up to, not including, ``end_date`` (null: open)."""

    __tablename__ = "event_phase_spans"
    #: (crn, phase, start_date) answers a case's phase questions without reading other cases'.
    __table_args__ = (Index(None, "crn", "phase", "start_date"), Index(None, "phase", "start_date"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN)
    event_id: Mapped[str] = mapped_column(IDENTIFIER)
    phase: Mapped[str] = mapped_column(CODE)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)


class ExemptionSpanRow(Base):
    """An exemption applying from ``start_date`` up to, not including, ``end_date``."""

    __tablename__ = "exemption_spans"
    __table_args__ = (
        Index(None, "crn", "exemption", "start_date"),
        Index(None, "exemption", "start_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(CRN)
    exemption: Mapped[str] = mapped_column(CODE)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)


class ObligationRow(Base):
    """An obligation as judged on the digest's horizon: its window, due date and, when met,
    the meeting contact and its day. On a day ``D`` it is ``MET`` when ``met_on <= D``, else
    ``NOT_YET_DUE`` before ``window_start``, ``DUE`` up to ``due_by``, ``MISSED`` after.

    Every obligation the engine judges is kept but one kind: a contact's recording
    (``NS_RECORD_1WD``) met by the contact's own day, never DUE nor MISSED on any day, which no
    query reads (over half of the recordings; Alembic ``0009``).

    No foreign key to ``cases``: obligations are over half of what an import writes, only ever
    with their case's digest in one transaction (Alembic ``0007``). Keyed by ``(crn, due_by,
    position)`` (Alembic ``0008``), with no number of their own: every query reads a case's
    obligations, the key finds what is due on a day, and "missed" reads the case's few dozen rows
    in order (on SQLite the table is the key's tree, ``WITHOUT ROWID``): one tree to write for
    each row where there were three."""

    __tablename__ = "case_obligations"
    #: The Reset duties of a suspension alone, by CRN and window start, are what the hub's queue
    #: reads of a region's suspended people (the condition is written as the queue's query
    #: writes it). On PostgreSQL, whose table is not the key's tree, the obligations never met
    #: (a third) by CRN and due date: "missed by a day" reads them alone, not every row of the
    #: case (SQLite reads the case's rows together, faster than it would write the index).
    __table_args__ = (
        PrimaryKeyConstraint("crn", "due_by", "position"),
        Index(
            "ix_case_obligations_reset_duties",
            "crn",
            "window_start",
            sqlite_where=text(RESET_DUTIES),
            postgresql_where=text(RESET_DUTIES),
        ),
        Index(
            "ix_case_obligations_unmet", "crn", "due_by", postgresql_where=text(NEVER_MET)
        ).ddl_if(dialect="postgresql"),
        {"sqlite_with_rowid": False},
    )

    crn: Mapped[str] = mapped_column(CRN)
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(CODE)
    event_id: Mapped[str | None] = mapped_column(IDENTIFIER)
    window_start: Mapped[dt.date] = mapped_column(Date)
    due_by: Mapped[dt.date] = mapped_column(Date)
    met_by: Mapped[str | None] = mapped_column(IDENTIFIER)
    met_on: Mapped[dt.date | None] = mapped_column(Date)
