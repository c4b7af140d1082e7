"""Why a person's status holds on a day, in the words of this person's own facts.

Reasons are read from the same ``CaseHistory`` as the timeline: the status, the phases and the
exemptions of the day are the history's interval for that day, and "suspended on" and "reinstated
on" are the starts of its status runs, so a reason can never disagree with the timeline.

There is one reason per event that decides the status and one per exemption applying (CONTRACT.md
section 4.2), or the single ``STATUS_NO_ACTIVE_EVENT`` reason of an ``ENDED`` person. Each carries
structured fields (``details``) naming the facts behind its text: the registration that gives an
exemption, the days contact was suspended and reinstated, the exemptions checked and found absent,
the registrations that look like exemptions but are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from probation_reset.domain.case import Event, Registration
from probation_reset.domain.span import ONE_DAY
from probation_reset.domain.vocabulary import (
    RESET_PHASES,
    Phase,
    RegistrationType,
    RoshLevel,
    Status,
)
from probation_reset.rules import exemptions, status
from probation_reset.rules.history import CaseHistory, EventDates, Interval
from probation_reset.rules.phase import supervision_end
from probation_reset.rules.registrations import active_of_type, latest_active
from probation_reset.rules.registry import Rule

#: Registrations a practitioner may take for an exemption, and why they are not one (RESET).
LOOKALIKES: Mapping[RegistrationType, str] = {
    RegistrationType.CHILD_CONCERNS: "child concerns is not a child protection plan",
    RegistrationType.CHILD_IN_NEED: "child in need is not a child protection plan",
    RegistrationType.ROSH_TO_CHILDREN_HIGH: "RoSH to children is not a very high RoSH",
}

#: Each exemption's name in a practitioner's words.
EXEMPTION_NAMES: Mapping[str, str] = {
    exemptions.MAPPA.id: "MAPPA",
    exemptions.NSD.id: "National Security Division",
    exemptions.VERY_HIGH_ROSH.id: "very high RoSH",
    exemptions.CHILD_PROTECTION_PLAN.id: "child protection plan",
    exemptions.ISC.id: "Intensive Supervision Court",
    exemptions.YOUTH_SENTENCE.id: "youth sentence",
}

_EXEMPTION_REGISTRATION: Mapping[str, RegistrationType] = {
    exemptions.MAPPA.id: RegistrationType.MAPPA,
    exemptions.NSD.id: RegistrationType.NSD,
    exemptions.VERY_HIGH_ROSH.id: RegistrationType.ROSH,
    exemptions.CHILD_PROTECTION_PLAN.id: RegistrationType.CHILD_PROTECTION,
    exemptions.ISC.id: RegistrationType.ISC,
}

_REGISTRATION_NAMES: Mapping[RegistrationType, str] = {
    RegistrationType.MAPPA: "MAPPA",
    RegistrationType.ROSH: "RoSH",
    RegistrationType.NSD: "National Security Division",
    RegistrationType.CHILD_PROTECTION: "child protection plan",
    RegistrationType.CHILD_CONCERNS: "child concerns",
    RegistrationType.CHILD_IN_NEED: "child in need",
    RegistrationType.ISC: "Intensive Supervision Court",
    RegistrationType.ROSH_TO_CHILDREN_HIGH: "RoSH to children high",
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a status holds: the rule, a sentence for people, the policy paragraph, and the facts
    behind it (``details``: JSON-ready values, written beside the contract's fields)."""

    rule: str
    text: str
    source: str
    event_id: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1 << 14)
def plain_day(day: date) -> str:
    """A day as people write it: ``24 Oct 2025`` (remembered: a caseload repeats its days)."""
    return f"{day.day} {day.strftime('%b')} {day.year}"


def registration_words(registration: Registration) -> str:
    """``MAPPA category 2 level 1 since 24 Oct 2025``, ``RoSH high since 3 Mar 2025``."""
    kind = registration.type
    name = _REGISTRATION_NAMES.get(kind, kind.value.replace("_", " ").lower())
    if kind is RegistrationType.MAPPA:
        parts = [name]
        if registration.category is not None:
            parts.append(f"category {registration.category}")
        if registration.level is not None:
            parts.append(f"level {registration.level}")
        name = " ".join(parts)
    elif kind is RegistrationType.ROSH and registration.level is not None:
        name = f"RoSH {str(registration.level).replace('_', ' ').lower()}"
    return f"{name} since {plain_day(registration.start_date)}"


def registration_json(registration: Registration) -> dict[str, Any]:
    """A registration's facts: type, level, category, start date and deregistration."""
    return {
        "type": registration.type.value,
        "level": registration.level,
        "category": registration.category,
        "start_date": registration.start_date.isoformat(),
        "deregistered_on": (
            None
            if registration.deregistered_on is None
            else registration.deregistered_on.isoformat()
        ),
    }


def event_label(event: Event) -> str:
    return f"Event {event.event_id} ({event.type.value.replace('_', ' ').lower()})"


@dataclass(frozen=True, slots=True)
class StatusRun:
    """Consecutive days with the same status, around a day: its first and last day."""

    status: Status
    start: date
    last: date | None


def status_run(history: CaseHistory, day: date) -> tuple[StatusRun, StatusRun | None]:
    """The run of the status on ``day`` and the run just before it (``None``: none before)."""
    intervals = history.intervals
    position = next(
        (i for i, interval in enumerate(intervals) if interval.span.contains(day)), None
    )
    if position is None:
        today = history.at(day)
        return StatusRun(today.status, day, None), None
    current = intervals[position].status
    first = position
    while first > 0 and intervals[first - 1].status is current:
        first -= 1
    last = position
    while last + 1 < len(intervals) and intervals[last + 1].status is current:
        last += 1
    run = StatusRun(current, intervals[first].span.start, intervals[last].span.last)
    if first == 0:
        return run, None
    before = first - 1
    previous = intervals[before].status
    while before > 0 and intervals[before - 1].status is previous:
        before -= 1
    return run, StatusRun(previous, intervals[before].span.start, intervals[first - 1].span.last)


def _exemption_reason(history: CaseHistory, rule: Rule, day: date) -> Reason:
    case = history.case
    kind = _EXEMPTION_REGISTRATION.get(rule.id)
    if kind is None:  # the youth sentence: an active event imposed as a youth sentence
        youth = [
            d.event
            for d in history.events
            if d.event.youth and history.at(day).phases[d.index] not in _INACTIVE
        ]
        ids = [e.event_id for e in youth]
        verb = "was" if len(youth) == 1 else "were"
        text = (
            f"{' and '.join(event_label(e) for e in youth)} {verb} imposed as a youth sentence: "
            "youth sentences are exempt."
        )
        return Reason(rule.id, text, rule.source, details={"events": ids})
    if kind in (RegistrationType.ROSH, RegistrationType.MAPPA):
        found = latest_active(case.registrations, kind, day)
    else:
        found = min(active_of_type(case.registrations, kind, day), key=lambda r: r.start_date)
    assert found is not None, f"{rule.id} applies without its registration"
    words = registration_words(found)
    text = f"{words[0].upper()}{words[1:]}: {_EXEMPTION_WHY[rule.id]}"
    return Reason(rule.id, text, rule.source, details={"registration": registration_json(found)})


_EXEMPTION_WHY: Mapping[str, str] = {
    exemptions.MAPPA.id: "MAPPA cases, all categories and levels, are exempt.",
    exemptions.NSD.id: "cases directly managed by the National Security Division are exempt.",
    exemptions.VERY_HIGH_ROSH.id: "a very high RoSH is exempt (high is not).",
    exemptions.CHILD_PROTECTION_PLAN.id: "an active child protection plan is exempt.",
    exemptions.ISC.id: "the Intensive Supervision Court pilot is exempt until its evaluation.",
}

_INACTIVE = (Phase.NOT_STARTED, Phase.ENDED)


def lookalikes(history: CaseHistory, day: date) -> list[Registration]:
    """Active registrations that look like exemptions but are not: child concerns, child in
    need, RoSH to children high, and a RoSH of high in force."""
    registrations = history.case.registrations
    found = [r for r in registrations if r.type in LOOKALIKES and r.is_active(day)]
    rosh = latest_active(registrations, RegistrationType.ROSH, day)
    if rosh is not None and rosh.level is not None and str(rosh.level) == RoshLevel.HIGH.value:
        found.append(rosh)
    return sorted(found, key=lambda r: (r.start_date, r.position))


def _lookalike_words(registration: Registration) -> str:
    why = LOOKALIKES.get(registration.type, "high RoSH is not very high")
    return f"{registration_words(registration)} ({why})"


def _reset_phase_reason(
    history: CaseHistory, dates: EventDates, phase: Phase, today: Interval, day: date
) -> Reason:
    event = dates.event
    label = event_label(event)
    start = dates.final_third_start
    details: dict[str, Any] = {"phase": phase.value}
    if phase is Phase.FINAL_THIRD and start is not None:
        stage = f"final third (from {plain_day(start)})"
        details["final_third_start"] = start.isoformat()
    else:
        assert event.end_date is not None
        stage = f"PSS period (from {plain_day(event.end_date + ONE_DAY)})"
        details["pss_start"] = (event.end_date + ONE_DAY).isoformat()
    rule = status.FINAL_THIRD if phase is Phase.FINAL_THIRD else status.PSS
    if today.status is Status.ACTIVE:
        text = (
            f"{label} is in its {stage}, but the Reset was not in force until "
            f"{plain_day(history.reset_starts)}."
        )
        details["reset_effective_from"] = history.reset_starts.isoformat()
        return Reason(
            status.RESET_NOT_IN_FORCE.id,
            text,
            status.RESET_NOT_IN_FORCE.source,
            event.event_id,
            details,
        )
    run, before = status_run(history, day)
    if today.status is Status.EXEMPT:
        text = f"{label} is in its {stage}: contact continues because an exemption applies"
        if before is not None and before.status is Status.SUSPENDED:
            details["suspended_on"] = before.start.isoformat()
            details["reinstated_on"] = run.start.isoformat()
            text += (
                f"; contact was suspended on {plain_day(before.start)} and reinstated on "
                f"{plain_day(run.start)}"
            )
        return Reason(rule.id, text + ".", rule.source, event.event_id, details)
    checked = [r.id for r, _ in exemptions.EXEMPTIONS]
    alike = lookalikes(history, day)
    details["since"] = run.start.isoformat()
    details["checked"] = checked
    details["lookalikes"] = [registration_json(r) for r in alike]
    again = (
        before is not None
        and before.status is Status.EXEMPT
        and _suspended_before(history, before.start)
    )
    text = (
        f"{label} is in its {stage}: sentence-management contact has been "
        f"suspended {'again ' if again else ''}since {plain_day(run.start)}. No exemption applies "
        f"(checked: {', '.join(EXEMPTION_NAMES[c] for c in checked)})."
    )
    if again and before is not None:
        details["exemption_ended_on"] = run.start.isoformat()
    if alike:
        text += f" Not exemptions: {'; '.join(_lookalike_words(r) for r in alike)}."
    return Reason(rule.id, text, rule.source, event.event_id, details)


def _suspended_before(history: CaseHistory, day: date) -> bool:
    return any(i.status is Status.SUSPENDED and i.span.start < day for i in history.intervals)


def _event_reason(
    history: CaseHistory, dates: EventDates, phase: Phase, today: Interval, day: date
) -> Reason | None:
    event = dates.event
    label = event_label(event)
    start = dates.final_third_start
    if phase in RESET_PHASES:
        return _reset_phase_reason(history, dates, phase, today, day)
    if phase is Phase.BEFORE_FINAL_THIRD and start is not None:
        rule = status.BEFORE_FINAL_THIRD
        text = (
            f"{label} is before its final third, which starts on {plain_day(start)}: contact "
            "goes on as the National Standards set."
        )
        return Reason(
            rule.id, text, rule.source, event.event_id, {"final_third_start": start.isoformat()}
        )
    if phase is Phase.NO_FINAL_THIRD:
        rule = status.NO_FINAL_THIRD
        text = f"{label} has no end date (life or IPP), so no final third: contact goes on."
        return Reason(rule.id, text, rule.source, event.event_id)
    if phase is Phase.NO_RESET:
        rule = status.NO_RESET
        kinds = [r.type.value for r in event.requirements]
        text = (
            f"{label} has no RAR requirement"
            + (f" (requirements: {', '.join(kinds)})" if kinds else "")
            + ": the Reset does not act on it, so contact is never suspended for it."
        )
        return Reason(rule.id, text, rule.source, event.event_id, {"requirements": kinds})
    return None


def _decides(phase: Phase, today: Interval, reset_in_force: bool) -> bool:
    """Whether an event in ``phase`` is one that decides the status of the day."""
    if today.status is Status.ACTIVE:
        if phase in RESET_PHASES:
            return not reset_in_force
        return phase in (Phase.BEFORE_FINAL_THIRD, Phase.NO_FINAL_THIRD)
    if today.status in (Status.EXEMPT, Status.SUSPENDED):
        return phase in RESET_PHASES
    return today.status is Status.NOT_APPLICABLE and phase is Phase.NO_RESET


def _terminated(event: Event) -> bool:
    """Whether the event stopped by termination rather than reaching its end."""
    end = supervision_end(event)
    return event.terminated_on is not None and (end is None or event.terminated_on <= end)


def _ended_reason(history: CaseHistory, day: date) -> Reason:
    rule = status.NO_ACTIVE_EVENT
    states: list[dict[str, Any]] = []
    words: list[str] = []
    for dates in history.events:
        event = dates.event
        label = event_label(event)
        if day < event.start_date:
            state, on = "NOT_STARTED", event.start_date
            words.append(f"{label} has not started yet (starts {plain_day(on)})")
        elif event.terminated_on is not None and _terminated(event):
            state, on = "TERMINATED", event.terminated_on
            words.append(f"{label} was terminated on {plain_day(on)}")
        else:
            last = dates.last_active_day
            assert last is not None, "an event with no end is active after its start"
            state, on = "ENDED", last
            words.append(f"{label} ended on {plain_day(on)}")
        states.append({"event_id": event.event_id, "state": state, "on": on.isoformat()})
    words = words[:1] + [w.replace("Event", "event", 1) for w in words[1:]]
    text = (
        "; ".join(words) + ": no sentence is being managed."
        if words
        else "No event is recorded for this person: no sentence is being managed."
    )
    return Reason(rule.id, text, rule.source, details={"events": states})


def status_reasons(history: CaseHistory, day: date) -> tuple[Status, list[Reason]]:
    """The status on ``day`` with one reason per deciding event and one per exemption applying
    (the single ``STATUS_NO_ACTIVE_EVENT`` reason when nothing is active)."""
    today = history.at(day)
    reasons: list[Reason] = []
    if today.status is Status.ENDED:
        reasons.append(_ended_reason(history, day))
    reset_in_force = day >= history.reset_starts
    for dates in history.events:
        phase = today.phases[dates.index]
        if not _decides(phase, today, reset_in_force):
            continue
        reason = _event_reason(history, dates, phase, today, day)
        if reason is not None:
            reasons.append(reason)
    for rule, _ in exemptions.EXEMPTIONS:
        if rule.id in today.exemptions:
            reasons.append(_exemption_reason(history, rule, day))
    return today.status, reasons
