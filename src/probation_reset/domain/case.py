"""A case as the core sees it: validated, typed, immutable facts with dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from probation_reset.domain.vocabulary import (
    FACE_TO_FACE_CONTACT_TYPES,
    REVIEW_CONTACT_TYPES,
    ContactMode,
    ContactOutcome,
    ContactType,
    EventType,
    LicenceConditionType,
    RegistrationType,
    RequirementType,
)


@dataclass(frozen=True, slots=True)
class Requirement:
    """A requirement of a community order or suspended sentence order."""

    type: RequirementType
    start_date: date | None = None
    end_date: date | None = None
    days: int | None = None
    hours: int | None = None


@dataclass(frozen=True, slots=True)
class LicenceCondition:
    """A condition of a licence (never in force in post-sentence supervision)."""

    type: LicenceConditionType
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A sentence being managed: an NDelius event."""

    event_id: str
    type: EventType
    start_date: date
    end_date: date | None
    pss_end_date: date | None = None
    youth: bool = False
    terminated_on: date | None = None
    requirements: tuple[Requirement, ...] = ()
    licence_conditions: tuple[LicenceCondition, ...] = ()
    probation_reset_date: date | None = None

    @property
    def is_licence(self) -> bool:
        return self.type is EventType.LICENCE

    @property
    def is_order(self) -> bool:
        """A community order or suspended sentence order."""
        return not self.is_licence

    @property
    def has_rar(self) -> bool:
        """A ``RAR`` entry makes a RAR order whatever its dates."""
        return any(r.type is RequirementType.RAR for r in self.requirements)

    @property
    def is_rar_order(self) -> bool:
        return self.is_order and self.has_rar

    @property
    def is_unpaid_work_only(self) -> bool:
        """An order whose every requirement is unpaid work (SMF 5.9: single requirement UPW)."""
        return (
            self.is_order
            and bool(self.requirements)
            and all(r.type is RequirementType.UPW for r in self.requirements)
        )


@dataclass(frozen=True, slots=True)
class Registration:
    """A flag in force from ``start_date`` up to, not including, ``deregistered_on``."""

    type: RegistrationType
    start_date: date
    deregistered_on: date | None = None
    level: str | int | None = None
    category: int | None = None
    position: int = 0

    def is_active(self, day: date) -> bool:
        return self.start_date <= day and (
            self.deregistered_on is None or day < self.deregistered_on
        )


@dataclass(slots=True)
class Contact:
    """An appointment or other recorded contact. ``day`` is the date part as written.

    Not frozen, yet never changed: a national caseload has ten million contacts, and a frozen
    dataclass takes six times as long to build.
    """

    contact_id: str
    day: date
    type: ContactType
    event_id: str | None = None
    time_of_day: time | None = None
    mode: ContactMode | None = None
    outcome: ContactOutcome | None = None
    recorded_on: date | None = None
    position: int = 0

    @property
    def order_key(self) -> tuple[date, time, int]:
        """Earliest by date and time (a bare date counts as its first moment), then input order."""
        return (self.day, self.time_of_day or time.min, self.position)

    @property
    def is_held(self) -> bool:
        if self.type in REVIEW_CONTACT_TYPES:
            return self.outcome in (ContactOutcome.ATTENDED, ContactOutcome.ACCEPTABLE_ABSENCE)
        return self.outcome is ContactOutcome.ATTENDED

    @property
    def is_face_to_face(self) -> bool:
        if not self.is_held or self.type not in FACE_TO_FACE_CONTACT_TYPES:
            return False
        if self.type is ContactType.HOME_VISIT and self.mode is None:
            return True
        return self.mode is ContactMode.FACE_TO_FACE

    def counts_toward(self, event_id: str) -> bool:
        return self.event_id is None or self.event_id == event_id


@dataclass(frozen=True, slots=True)
class Manager:
    """Who manages the case: NDelius probation area (region), PDU, team and staff member.

    Used for caseload views and scope only; no rule reads it.
    """

    region: str | None = None
    pdu: str | None = None
    team: str | None = None
    staff_code: str | None = None
    staff_name: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """One person on probation."""

    crn: str
    events: tuple[Event, ...]
    registrations: tuple[Registration, ...] = ()
    contacts: tuple[Contact, ...] = field(default=())
    date_of_birth: date | None = None
    manager: Manager | None = None
