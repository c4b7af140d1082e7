"""Reset duties that go on during a suspension (RESET, FAQ).

- the one contact appointment a suspended licence still has in its final third;
- check-ins for a person with no fixed abode, in every period of a suspension.

They, and the pre-suspension checklist, apply to a RAR order or licence whose final third starts
on or after the Reset took effect, which is in its final third on that day, and on which day the
person's status is SUSPENDED (an exempt person keeps contact: nothing to prepare).
"""

from __future__ import annotations

from datetime import timedelta

from probation_reset.domain.vocabulary import (
    RESET_PHASES,
    ContactType,
    Phase,
    RegistrationType,
    Status,
)
from probation_reset.rules.history import CaseHistory, EventDates
from probation_reset.rules.obligation import Assessment, Duty, held_contact
from probation_reset.rules.registrations import has_active
from probation_reset.rules.registry import Family, Rule, rule

LICENCE_FINAL_THIRD_CONTACT = rule(
    "RESET_LICENCE_FINAL_THIRD_CONTACT",
    "One held contact appointment (appointment or home visit, any mode) in the final third of a "
    "suspended licence.",
    "RESET",
    Family.RESET,
    __name__,
)
NFA_CHECK_IN = rule(
    "RESET_NFA_CHECK_IN",
    "While suspended with no fixed abode: a held check-in in every period (28 days by default) "
    "from the suspension start.",
    "FAQ",
    Family.RESET,
    __name__,
)

RULES: tuple[Rule, ...] = (LICENCE_FINAL_THIRD_CONTACT, NFA_CHECK_IN)


HELD_APPOINTMENT_OR_HOME_VISIT = held_contact(
    "held appointment or home visit", ContactType.APPOINTMENT, ContactType.HOME_VISIT
)
HELD_CHECK_IN = held_contact("held check-in", ContactType.CHECK_IN)


def suspended_from_final_third(history: CaseHistory, dates: EventDates) -> bool:
    """Whether the Reset suspends contact at this event's final-third start."""
    event = dates.event
    start = dates.final_third_start
    if start is None or not (event.is_licence or event.is_rar_order):
        return False
    if start < history.reset_starts:
        return False
    on_start = history.at(start)
    return on_start.phases[dates.index] is Phase.FINAL_THIRD and on_start.status is Status.SUSPENDED


def licence_final_third_contact(assessment: Assessment) -> list[Duty]:
    duties: list[Duty] = []
    for dates in assessment.started_events():
        event = dates.event
        if not event.is_licence or event.end_date is None or dates.final_third_start is None:
            continue
        if not suspended_from_final_third(assessment.history, dates):
            continue
        duties.append(
            Duty(
                LICENCE_FINAL_THIRD_CONTACT,
                dates,
                dates.final_third_start,
                event.end_date,
                HELD_APPOINTMENT_OR_HOME_VISIT,
            )
        )
    return duties


def nfa_check_ins(assessment: Assessment) -> list[Duty]:
    history = assessment.history
    registrations = history.case.registrations
    duties: list[Duty] = []
    for suspension in history.spans_where(lambda i: i.status is Status.SUSPENDED):
        last = suspension.last
        if last is None:  # a suspension always ends with its event; guard all the same
            continue
        length = assessment.parameters.nfa_check_in_period_days.at(suspension.start)
        period_start = suspension.start
        while period_start <= last and period_start <= assessment.on:
            period_end = min(period_start + timedelta(days=length - 1), last)
            if has_active(registrations, RegistrationType.NO_FIXED_ABODE, period_start):
                phases = history.at(period_start).phases
                dates = next(d for d in history.events if phases[d.index] in RESET_PHASES)
                duties.append(Duty(NFA_CHECK_IN, dates, period_start, period_end, HELD_CHECK_IN))
            period_start += timedelta(days=length)
    return duties
