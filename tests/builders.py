"""Test builders with defaults, so each test states only what matters (as in hmpps-tier)."""

from __future__ import annotations

from datetime import date
from typing import Any

from probation_reset.domain.case import (
    Case,
    Contact,
    Event,
    LicenceCondition,
    Registration,
    Requirement,
)
from probation_reset.domain.vocabulary import (
    ContactMode,
    ContactOutcome,
    ContactType,
    EventType,
    LicenceConditionType,
    RegistrationType,
    RequirementType,
)


def rar_order(
    start: date = date(2025, 3, 3),
    end: date | None = date(2026, 3, 2),
    event_id: str = "1",
    **changes: Any,
) -> Event:
    fields: dict[str, Any] = {
        "event_id": event_id,
        "type": EventType.COMMUNITY_ORDER,
        "start_date": start,
        "end_date": end,
        "requirements": (Requirement(RequirementType.RAR),),
    }
    fields.update(changes)
    return Event(**fields)


def licence(
    start: date = date(2025, 1, 1),
    end: date | None = date(2026, 1, 1),
    event_id: str = "1",
    **changes: Any,
) -> Event:
    fields: dict[str, Any] = {
        "event_id": event_id,
        "type": EventType.LICENCE,
        "start_date": start,
        "end_date": end,
        "licence_conditions": (LicenceCondition(LicenceConditionType.REPORTING),),
    }
    fields.update(changes)
    return Event(**fields)


def registration(
    kind: RegistrationType,
    start: date,
    deregistered_on: date | None = None,
    level: str | int | None = None,
    position: int = 0,
) -> Registration:
    return Registration(kind, start, deregistered_on, level, None, position)


def contact(
    contact_id: str,
    day: date,
    kind: ContactType = ContactType.APPOINTMENT,
    mode: ContactMode | None = ContactMode.FACE_TO_FACE,
    outcome: ContactOutcome | None = ContactOutcome.ATTENDED,
    event_id: str | None = None,
    recorded_on: date | None = None,
    position: int = 0,
) -> Contact:
    return Contact(
        contact_id, day, kind, event_id, None, mode, outcome, recorded_on, position=position
    )


def case(
    *events: Event,
    registrations: tuple[Registration, ...] = (),
    contacts: tuple[Contact, ...] = (),
    crn: str = "X000001",
) -> Case:
    return Case(crn, events, registrations, contacts)
