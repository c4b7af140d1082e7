"""National Standards of the Sentence Management in the Community Policy Framework (SMF).

Induction (SMF 5.6), monthly and weekly face-to-face minimums (SMF 5.9), recording within one
working day (SMF 5.10) and the home visit for MAPPA level 2 or 3 (SMF 26.5). Calendar-month and
weekly standards assess whole periods only, during every day of which the standard was in force.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from probation_reset.calendar.working_days import WorkingDayCalendar
from probation_reset.domain.case import Contact
from probation_reset.domain.span import ONE_DAY, DateSpan
from probation_reset.domain.vocabulary import (
    ContactType,
    Phase,
    RoshLevel,
    Status,
)
from probation_reset.policy.parameters import PolicyParameters
from probation_reset.rules.history import EventDates, Interval
from probation_reset.rules.obligation import (
    Assessment,
    Duty,
    Qualifying,
    RecordingObligation,
    held_contact,
    obligation_status,
)
from probation_reset.rules.registry import Family, Rule, rule


def _standard(rule_id: str, meaning: str, source: str) -> Rule:
    return rule(rule_id, meaning, source, Family.NATIONAL_STANDARD, __name__)


INDUCTION = _standard(
    "NS_INDUCTION",
    "First held face-to-face contact: within 1 working day of release (licence), 5 of sentence "
    "(community or suspended sentence order).",
    "SMF 5.6",
)
MONTHLY_F2F = _standard(
    "NS_MONTHLY_F2F",
    "A held face-to-face contact in every whole calendar month of a RAR order or licence (not PSS) "
    "not suspended by the Reset.",
    "SMF 5.9",
)
WEEKLY_F2F_HIGH_ROSH = _standard(
    "NS_WEEKLY_F2F_HIGH_ROSH",
    "A held face-to-face contact in every whole week while RoSH is high or very high (not PSS, "
    "unpaid-work-only orders, or weeks suspended by the Reset).",
    "SMF 5.9",
)
RECORD_1WD = _standard(
    "NS_RECORD_1WD",
    "Every contact recorded within 1 working day of its date.",
    "SMF 5.10",
)
HOME_VISIT_MAPPA_L2_L3 = _standard(
    "NS_HOME_VISIT_MAPPA_L2_L3",
    "A held home visit within 15 working days of supervision starting at, or the level rising to, "
    "MAPPA level 2 or 3.",
    "SMF 26.5",
)

RULES: tuple[Rule, ...] = (
    INDUCTION,
    MONTHLY_F2F,
    WEEKLY_F2F_HIGH_ROSH,
    RECORD_1WD,
    HOME_VISIT_MAPPA_L2_L3,
)

SUPERVISED_PHASES = frozenset(
    {Phase.BEFORE_FINAL_THIRD, Phase.FINAL_THIRD, Phase.NO_FINAL_THIRD, Phase.NO_RESET}
)
HIGH_ROSH = frozenset({RoshLevel.HIGH, RoshLevel.VERY_HIGH})
RAISED_MAPPA_LEVELS = frozenset({2, 3})


def _is_held_face_to_face(contact: Contact) -> bool:
    return contact.is_face_to_face


HELD_FACE_TO_FACE = Qualifying("held face-to-face contact", _is_held_face_to_face)
HELD_HOME_VISIT = held_contact("held home visit", ContactType.HOME_VISIT)


def induction(assessment: Assessment) -> list[Duty]:
    duties = []
    for dates in assessment.started_events():
        event = dates.event
        parameters = assessment.parameters
        allowed = (
            parameters.induction_working_days_licence
            if event.is_licence
            else parameters.induction_working_days_order
        ).at(event.start_date)
        due = assessment.calendar.add_working_days(event.start_date, allowed)
        duties.append(Duty(INDUCTION, dates, event.start_date, due, HELD_FACE_TO_FACE))
    return duties


#: A period of days, as its first and last day.
Period = tuple[date, date]
ONE_WEEK = timedelta(days=7)


def _months_within(span: DateSpan, until: date) -> Iterator[Period]:
    """Whole calendar months inside ``span`` that have begun by ``until``."""
    year, month = span.start.year, span.start.month
    end = span.end
    while True:
        first = date(year, month, 1)
        if first > until:
            return
        last = date(year, month, month_calendar.monthrange(year, month)[1])
        if end is not None and last >= end:
            return
        if first >= span.start:
            yield first, last
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _weeks_within(span: DateSpan, until: date) -> Iterator[Period]:
    """Whole ISO weeks (Monday to Sunday) inside ``span`` that have begun by ``until``."""
    monday = span.start + timedelta(days=(7 - span.start.weekday()) % 7)
    end = span.end
    while monday <= until:
        next_monday = monday + ONE_WEEK
        if end is not None and next_monday > end:
            return
        yield monday, next_monday - ONE_DAY
        monday = next_monday


@dataclass(frozen=True, slots=True)
class PeriodicSpan:
    """A periodic standard in force over a span of days of an event: a duty for each whole
    period (calendar month, or ISO week) inside the span that has begun by the day judged. The
    columnar engine cuts the periods itself (`columnar.obligations`)."""

    rule: Rule
    dates: EventDates
    span: DateSpan


def _spans(
    assessment: Assessment, standard: Rule, dates: EventDates, in_force: Callable[[Interval], bool]
) -> list[PeriodicSpan]:
    return [
        PeriodicSpan(standard, dates, span) for span in assessment.history.spans_where(in_force)
    ]


def _periods(
    spans: list[PeriodicSpan], on: date, periods: Callable[[DateSpan, date], Iterator[Period]]
) -> list[Duty]:
    return [
        Duty(periodic.rule, periodic.dates, first, last, HELD_FACE_TO_FACE)
        for periodic in spans
        for first, last in periods(periodic.span, on)
    ]


def monthly_face_to_face_spans(assessment: Assessment) -> list[PeriodicSpan]:
    """The spans of each RAR order or licence in which the monthly standard is in force."""
    spans = []
    for dates in assessment.started_events():
        if not (dates.event.is_licence or dates.event.is_rar_order):
            continue
        index = dates.index

        def in_force(interval: Interval, index: int = index) -> bool:
            return interval.phases[index] in SUPERVISED_PHASES and interval.status is not (
                Status.SUSPENDED
            )

        spans.extend(_spans(assessment, MONTHLY_F2F, dates, in_force))
    return spans


def monthly_face_to_face(assessment: Assessment) -> list[Duty]:
    return _periods(monthly_face_to_face_spans(assessment), assessment.on, _months_within)


def weekly_face_to_face_high_rosh_spans(assessment: Assessment) -> list[PeriodicSpan]:
    """The spans of each event in which the weekly standard for high RoSH is in force."""
    spans: list[PeriodicSpan] = []
    if not any(interval.rosh in HIGH_ROSH for interval in assessment.history.intervals):
        return spans  # never high: most cases, answered without cutting spans per event
    for dates in assessment.started_events():
        if dates.event.is_unpaid_work_only:
            continue
        index = dates.index

        def in_force(interval: Interval, index: int = index) -> bool:
            return (
                interval.phases[index] in SUPERVISED_PHASES
                and interval.rosh in HIGH_ROSH
                and interval.status is not Status.SUSPENDED
            )

        spans.extend(_spans(assessment, WEEKLY_F2F_HIGH_ROSH, dates, in_force))
    return spans


def weekly_face_to_face_high_rosh(assessment: Assessment) -> list[Duty]:
    return _periods(weekly_face_to_face_high_rosh_spans(assessment), assessment.on, _weeks_within)


class RecordingDeadlines:
    """The last day to record a contact of a day: the working days allowed on that day, after
    it. Worked out once per day, as a caseload's contacts fall on a few thousand days."""

    def __init__(self, parameters: PolicyParameters, calendar: WorkingDayCalendar) -> None:
        self._allowed = parameters.recording_working_days
        self._calendar = calendar
        self._known: dict[date, date] = {}

    def __call__(self, day: date) -> date:
        due = self._known.get(day)
        if due is None:
            due = self._calendar.add_working_days(day, self._allowed.at(day))
            self._known[day] = due
        return due


def recording(assessment: Assessment) -> list[RecordingObligation]:
    """Each contact dated by the day judged, recorded within the working days allowed on its
    date: MET when the contact itself was recorded by then and by the day judged, otherwise DUE
    up to the due date and MISSED after (never NOT_YET_DUE: the window is the contact's day).
    Judged here rather than by `judge`, which looks for another contact in a window."""
    on = assessment.on
    due_by = assessment.recording_due_by
    rule_id = RECORD_1WD.id
    judged = []
    for contact in assessment.contacts:  # in date order
        day = contact.day
        if day > on:
            break
        due = due_by(day)
        recorded = contact.recorded_on
        met = recorded is not None and recorded <= due and recorded <= on
        contact_id = contact.contact_id
        judged.append(
            RecordingObligation(
                rule_id,
                contact.event_id,
                day,
                due,
                obligation_status(met, day, due, on),
                contact_id if met else None,
                contact_id,
            )
        )
    return judged


def _raised_level_days(assessment: Assessment, dates: EventDates) -> list[date]:
    """The event's start if the MAPPA level is 2 or 3 then, and each later day of the event on
    which the level in force rises to 2 or 3 from below or none."""
    active = dates.active_span
    if active is None:
        return []
    history = assessment.history
    days = []
    previous: int | None = None
    first = True
    for interval in history.within(active):
        level = interval.mappa_level
        raised = level in RAISED_MAPPA_LEVELS
        if raised and (first or previous not in RAISED_MAPPA_LEVELS):
            days.append(interval.span.start)
        previous, first = level, False
    return days


def home_visit_mappa_level_2_or_3(assessment: Assessment) -> list[Duty]:
    duties: list[Duty] = []
    intervals = assessment.history.intervals
    if not any(interval.mappa_level in RAISED_MAPPA_LEVELS for interval in intervals):
        return duties  # never at level 2 or 3: most cases
    for dates in assessment.started_events():
        for day in _raised_level_days(assessment, dates):
            allowed = assessment.parameters.mappa_home_visit_working_days.at(day)
            due = assessment.calendar.add_working_days(day, allowed)
            duties.append(Duty(HOME_VISIT_MAPPA_L2_L3, dates, day, due, HELD_HOME_VISIT))
    return duties
