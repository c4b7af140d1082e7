"""The hub's tables: items waiting for the regional hub and every triage of them.

Both are append-only: a row is never updated or deleted (the migration adds database triggers
that refuse it), so the tables are the audit of every step: who recorded what and when, who
triaged it how and when, and, for a reinstatement, the ``imports`` row of the change it made to
the case. The latest triage of an item is its outcome; earlier ones stay.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from probation_reset.store.models import IDENTIFIER, Base, Json

PERSON = String(200)


class HubItemRow(Base):
    """An item for the hub: information received on a case, or an item the engine raised and
    someone triaged (then ``raised_ref`` names it, once per case)."""

    __tablename__ = "hub_items"
    __table_args__ = (UniqueConstraint("crn", "raised_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crn: Mapped[str] = mapped_column(ForeignKey("cases.crn"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: Who the information came from (information received only).
    source: Mapped[str | None] = mapped_column(String(32))
    #: The date the information was received, or the day a raised item began to wait.
    received_on: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    raised_ref: Mapped[str | None] = mapped_column(String(600))
    event_id: Mapped[str | None] = mapped_column(IDENTIFIER)
    recorded_by: Mapped[str] = mapped_column(PERSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class HubTriageRow(Base):
    """One triage of an item: the outcome, the named practitioner, who entered it and when, and
    what it did."""

    __tablename__ = "hub_triages"
    __table_args__ = (Index(None, "item_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("hub_items.id"))
    outcome: Mapped[str] = mapped_column(String(32))
    practitioner: Mapped[str] = mapped_column(PERSON)
    triaged_by: Mapped[str] = mapped_column(PERSON)
    #: The day the triage judged (a reinstatement's day).
    triaged_on: Mapped[dt.date] = mapped_column(Date)
    triaged_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: ``BREACH`` or ``RECALL`` (``ENFORCEMENT_CONSIDERED``).
    enforcement: Mapped[str | None] = mapped_column(String(16))
    #: With whom (``INFORMATION_SHARED``).
    shared_with: Mapped[str | None] = mapped_column(String(500))
    #: The registration recorded (``REINSTATE``), in the contract's input format.
    registration: Mapped[dict[str, Any] | None] = mapped_column(Json)
    #: The import that changed the case (``REINSTATE``): its ``case_changes`` and transitions.
    case_import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    note: Mapped[str | None] = mapped_column(Text)


class HubRegistrationHandoverRow(Base):
    """A registration the hub recorded (a ``REINSTATE`` triage's) that an import now carries
    itself: from that import on, the imported copy is the one kept on the case and imports no
    longer add the hub's (``store.hub_registrations``). Append-only, like the hub's other
    tables; a triage is handed over at most once."""

    __tablename__ = "hub_registration_handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    triage_id: Mapped[int] = mapped_column(ForeignKey("hub_triages.id"), unique=True)
    crn: Mapped[str] = mapped_column(ForeignKey("cases.crn"), index=True)
    #: The first import that carried the registration.
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
