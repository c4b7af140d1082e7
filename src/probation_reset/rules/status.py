"""A person's status on a day, and why (CONTRACT.md section 3, "Person status on D").

First match wins: ENDED (no active event); ACTIVE (an event before its final third or with no
final third, or Reset not yet in force); EXEMPT (final third or PSS, and an exemption applies);
SUSPENDED (final third or PSS, no exemption); NOT_APPLICABLE (only orders without a RAR).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from probation_reset.domain.case import Case, Event
from probation_reset.domain.vocabulary import RESET_PHASES, Phase, Status
from probation_reset.rules import exemptions
from probation_reset.rules.final_third import final_third_start
from probation_reset.rules.phase import event_phase
from probation_reset.rules.registry import Family, Rule, rule


def _status_rule(rule_id: str, meaning: str, source: str) -> Rule:
    return rule(rule_id, meaning, source, Family.STATUS, __name__)


NO_ACTIVE_EVENT = _status_rule(
    "STATUS_NO_ACTIVE_EVENT",
    "No sentence is being managed on the day: the person's status is ENDED.",
    "SMF 1.3",
)
BEFORE_FINAL_THIRD = _status_rule(
    "PHASE_BEFORE_FINAL_THIRD",
    "An event before its final third keeps contact as the National Standards set: ACTIVE.",
    "SMF 5.9",
)
NO_FINAL_THIRD = _status_rule(
    "PHASE_NO_FINAL_THIRD",
    "A licence with no end date (life or IPP) has no final third: ACTIVE.",
    "RESET",
)
RESET_NOT_IN_FORCE = _status_rule(
    "RESET_NOT_YET_IN_FORCE",
    "Before the Reset took effect (April 2024) the final third and PSS keep contact: ACTIVE.",
    "RESET",
)
FINAL_THIRD = _status_rule(
    "PHASE_FINAL_THIRD",
    "In the final third of a RAR order or licence, sentence-management contact stops unless "
    "exempt.",
    "RESET",
)
PSS = _status_rule(
    "PHASE_PSS",
    "In post-sentence supervision all sentence-management contact stops unless exempt.",
    "RESET",
)
NO_RESET = _status_rule(
    "PHASE_NO_RESET",
    "A community or suspended sentence order without a RAR requirement: Reset does not act on it.",
    "FAQ",
)

RULES: tuple[Rule, ...] = (
    NO_ACTIVE_EVENT,
    BEFORE_FINAL_THIRD,
    NO_FINAL_THIRD,
    RESET_NOT_IN_FORCE,
    FINAL_THIRD,
    PSS,
    NO_RESET,
)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a status holds: the rule, a sentence for people, and the policy paragraph."""

    rule: str
    text: str
    source: str
    event_id: str | None = None


def status_from(phases: tuple[Phase, ...], reset_in_force: bool, exempt: bool) -> Status:
    """The person status given every event's phase on a day (``phases`` in input order)."""
    active = [p for p in phases if p not in (Phase.NOT_STARTED, Phase.ENDED)]
    if not active:
        return Status.ENDED
    in_reset_phase = any(p in RESET_PHASES for p in active)
    if any(p in (Phase.BEFORE_FINAL_THIRD, Phase.NO_FINAL_THIRD) for p in active) or (
        in_reset_phase and not reset_in_force
    ):
        return Status.ACTIVE
    if in_reset_phase:
        return Status.EXEMPT if exempt else Status.SUSPENDED
    return Status.NOT_APPLICABLE


def person_status(case: Case, day: date, reset_starts: date) -> Status:
    phases = tuple(event_phase(e, day) for e in case.events)
    return status_from(phases, day >= reset_starts, bool(exemptions.exemptions_on(case, day)))


def _event_reason(event: Event, phase: Phase, status: Status) -> Reason | None:
    """The reason an event in ``phase`` gives for ``status``, in a practitioner's words."""
    start = final_third_start(event)
    label = f"Event {event.event_id} ({event.type.value.replace('_', ' ').lower()})"
    stage = f"final third (from {start})" if phase is Phase.FINAL_THIRD else "PSS period"
    if phase in RESET_PHASES and status is Status.ACTIVE:
        found = (
            RESET_NOT_IN_FORCE,
            f"{label} is in its {stage}, but the Reset was not yet in force.",
        )
    elif phase in RESET_PHASES:
        outcome = (
            "contact continues because an exemption applies"
            if status is Status.EXEMPT
            else "sentence-management contact is suspended"
        )
        found = (
            FINAL_THIRD if phase is Phase.FINAL_THIRD else PSS,
            f"{label} is in its {stage}: {outcome}.",
        )
    elif phase is Phase.BEFORE_FINAL_THIRD:
        found = (BEFORE_FINAL_THIRD, f"{label} is before its final third, which starts on {start}.")
    elif phase is Phase.NO_FINAL_THIRD:
        found = (NO_FINAL_THIRD, f"{label} has no end date, so no final third.")
    elif phase is Phase.NO_RESET:
        found = (NO_RESET, f"{label} has no RAR requirement, so Reset does not act on it.")
    else:
        return None
    rule, text = found
    return Reason(rule.id, text, rule.source, event.event_id)


def _decides(phase: Phase, status: Status) -> bool:
    """Whether an event in ``phase`` is one that decides ``status``."""
    if status is Status.ACTIVE:
        return phase in (Phase.BEFORE_FINAL_THIRD, Phase.NO_FINAL_THIRD) or phase in RESET_PHASES
    if status in (Status.EXEMPT, Status.SUSPENDED):
        return phase in RESET_PHASES
    return status is Status.NOT_APPLICABLE and phase is Phase.NO_RESET


def status_reasons(case: Case, day: date, reset_starts: date) -> tuple[Status, list[Reason]]:
    """The status on ``day`` with one reason per deciding event and one per exemption."""
    exempt_ids = exemptions.exemptions_on(case, day)
    phases = tuple(event_phase(e, day) for e in case.events)
    reset_in_force = day >= reset_starts
    status = status_from(phases, reset_in_force, bool(exempt_ids))
    reasons: list[Reason] = []
    if status is Status.ENDED:
        reasons.append(
            Reason(NO_ACTIVE_EVENT.id, "No event is active on this day.", NO_ACTIVE_EVENT.source)
        )
    for event, phase in zip(case.events, phases, strict=True):
        if not _decides(phase, status):
            continue
        if status is Status.ACTIVE and phase in RESET_PHASES and reset_in_force:
            continue
        reason = _event_reason(event, phase, status)
        if reason is not None:
            reasons.append(reason)
    for exemption, _ in exemptions.EXEMPTIONS:
        if exemption.id in exempt_ids:
            reasons.append(Reason(exemption.id, exemption.meaning, exemption.source))
    return status, reasons
