"""A person's status on a day, and why (CONTRACT.md section 3, "Person status on D").

First match wins: ENDED (no active event); ACTIVE (an event before its final third or with no
final third, or Reset not yet in force); EXEMPT (final third or PSS, and an exemption applies);
SUSPENDED (final third or PSS, no exemption); NOT_APPLICABLE (only orders without a RAR).
"""

from __future__ import annotations

from datetime import date

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import RESET_PHASES, Phase, Status
from probation_reset.rules import exemptions
from probation_reset.rules.phase import event_phase
from probation_reset.rules.registry import Family, Rule, rule


def _status_rule(rule_id: str, meaning: str, source: str) -> Rule:
    return rule(rule_id, meaning, source, Family.STATUS, __name__)


NO_ACTIVE_EVENT = _status_rule(
    "STATUS_NO_ACTIVE_EVENT",
    "No sentence is being managed on the day (sentence management covers community orders, "
    "suspended sentence orders, licences and PSS): the person's status is ENDED.",
    "SMF 1.4",
)
BEFORE_FINAL_THIRD = _status_rule(
    "PHASE_BEFORE_FINAL_THIRD",
    "An event before its final third keeps contact as the National Standards set: ACTIVE.",
    "SMF 5.9",
)
NO_FINAL_THIRD = _status_rule(
    "PHASE_NO_FINAL_THIRD",
    "A licence with no end date (life or IPP) has no final third; contact goes on as for "
    "lifers: ACTIVE.",
    "SMF 25.2",
)
RESET_NOT_IN_FORCE = _status_rule(
    "RESET_NOT_YET_IN_FORCE",
    'Before the Reset took effect ("From April" 2024) the final third and PSS keep contact: '
    "ACTIVE.",
    "policy/002",
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
