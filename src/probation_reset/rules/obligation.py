"""Obligations: a duty with a window and a due date, judged on a day against the contacts.

A rule states duties; judging is the same for every rule (CONTRACT.md section 5): MET when a
qualifying contact dated in the window, and not after the day judged, exists (the first such
contact meets it); otherwise NOT_YET_DUE before the window, DUE up to the due date, MISSED after.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from probation_reset.calendar.working_days import WorkingDayCalendar
from probation_reset.domain.case import Contact
from probation_reset.domain.vocabulary import ContactType, ObligationStatus
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.rules.history import CaseHistory, EventDates
from probation_reset.rules.registry import Rule


@dataclass(frozen=True, slots=True, eq=False)
class Qualifying:
    """The kind of contact that meets a duty. ``admits`` reads only the contact's type, mode and
    outcome (the columnar engine judges each kind once per such triple, `columnar.obligations`);
    the contact must also count toward the duty's event (`Contact.counts_toward`). Each kind is
    made once, so one is equal only to itself (and hashed as quickly as any object)."""

    name: str
    admits: Callable[[Contact], bool]


def held_contact(name: str, *kinds: ContactType) -> Qualifying:
    """A held contact (`Contact.is_held`: for a review, an acceptable absence too) of one of
    ``kinds``."""
    types = frozenset(kinds)

    def admits(contact: Contact) -> bool:
        return contact.type in types and contact.is_held

    return Qualifying(name, admits)


@dataclass(slots=True)
class Duty:
    """What a rule asks for: a qualifying contact from ``window_start`` to ``due_by``.

    Not frozen, yet never changed (`cut_to_event` makes a new one): a caseload makes millions of
    duties, and a frozen dataclass takes four times as long to build.
    """

    rule: Rule
    event: EventDates | None
    window_start: date
    due_by: date
    qualifying: Qualifying


@dataclass
class Obligation:
    """A duty judged on a day: the contract's fields, in the contract's order.

    Not frozen, yet never changed (as `Duty`): a caseload judges millions, and a frozen
    dataclass takes six times as long to build. Without slots: orjson writes a dataclass with
    a ``__dict__`` as its JSON object (its fields, in order) four times as fast as one with slots.
    """

    rule: str
    event_id: str | None
    window_start: date
    due_by: date
    status: ObligationStatus
    met_by: str | None


@dataclass
class RecordingObligation(Obligation):
    """``NS_RECORD_1WD``: recording one contact, whose day is the window's first day."""

    contact_id: str

    @property
    def contact_day(self) -> date:
        return self.window_start


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything an obligation rule reads: the case's history, the day, the policy."""

    history: CaseHistory
    on: date
    parameters: PolicyParameters
    calendar: WorkingDayCalendar
    contacts: Sequence[Contact]
    #: The last day to record a contact of a day (``national_standards.RecordingDeadlines``).
    recording_due_by: Callable[[date], date]

    def started_events(self) -> list[EventDates]:
        """Events that have started by the day judged (ended ones included: audits need them)."""
        return [d for d in self.history.events if d.event.start_date <= self.on]


def cut_to_event(duty: Duty) -> Duty | None:
    """No window starts after the event's last active day; a due date after it is cut to it."""
    if duty.event is None:
        return duty
    last = duty.event.last_active_day
    if last is None:
        return duty
    if duty.window_start > last:
        return None
    return replace(duty, due_by=min(duty.due_by, last)) if duty.due_by > last else duty


def judge(
    duty: Duty, on: date, contacts: Sequence[Contact], days: Sequence[date] | None = None
) -> Obligation:
    """The duty's status on ``on``. ``contacts`` are in order: date, time, then input order.

    ``days``, when given, is each contact's day (``[c.day for c in contacts]``): the search then
    starts at the window's first day instead of the first contact.
    """
    window_start, due_by = duty.window_start, duty.due_by
    met_by: str | None = None
    last_day = due_by if due_by < on else on
    admits = duty.qualifying.admits
    event_id = duty.event.event.event_id if duty.event is not None else None
    first = 0 if days is None else bisect_left(days, window_start)
    for at in range(first, len(contacts)):
        candidate = contacts[at]
        if candidate.day > last_day:
            break
        if (
            candidate.day >= window_start
            and admits(candidate)
            and (event_id is None or candidate.counts_toward(event_id))
        ):
            met_by = candidate.contact_id
            break
    status = obligation_status(met_by is not None, window_start, due_by, on)
    return Obligation(duty.rule.id, event_id, window_start, due_by, status, met_by)


def obligation_status(met: bool, window_start: date, due_by: date, on: date) -> ObligationStatus:
    """An obligation's status on ``on`` (CONTRACT.md section 5): ``MET`` when met by then,
    else ``NOT_YET_DUE`` before its window, ``DUE`` up to its due date, ``MISSED`` after."""
    if met:
        return ObligationStatus.MET
    if on < window_start:
        return ObligationStatus.NOT_YET_DUE
    if on <= due_by:
        return ObligationStatus.DUE
    return ObligationStatus.MISSED
