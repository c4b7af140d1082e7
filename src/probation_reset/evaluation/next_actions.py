"""What the practitioner does next for a case, by when, and why (the ``next_actions`` field).

Next actions are the obligations still to meet: every ``DUE`` one, and the ``NOT_YET_DUE`` ones
whose window opens within the horizon (``next_actions_horizon_days``, a dated parameter), soonest
due first; then, for a ``SUSPENDED`` person, the standing reminders of a suspended case
(``rules/reminders.py``). Each says what to do in plain words, by when, the rule and its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from probation_reset.domain.vocabulary import ObligationStatus, Status
from probation_reset.rules import reminders
from probation_reset.rules.obligation import Obligation, RecordingObligation
from probation_reset.rules.reasons import plain_day
from probation_reset.rules.registry import find_rule

#: What each obligation asks, in a practitioner's words.
_WHAT_TO_DO = {
    "RESET_LICENCE_FINAL_THIRD_CONTACT": (
        "Hold the one contact appointment (appointment or home visit) a suspended licence still "
        "has in its final third"
    ),
    "RESET_PRE_RMP": "Review the risk management plan for the final third before contact stops",
    "RESET_PRE_LICENCE_REVIEW": (
        "Review the licence conditions (still necessary and proportionate?) before contact stops"
    ),
    "RESET_PRE_EM_CURFEW_REVIEW": (
        "Consider varying the electronic monitoring or curfew before contact stops"
    ),
    "RESET_PRE_SAFETY_PLAN": "Complete a safety plan (risk to self) before contact stops",
    "RESET_NFA_CHECK_IN": "Hold a check-in in the period from {start} (no fixed abode)",
    "NS_INDUCTION": "Hold the induction: the first face-to-face appointment",
    "NS_MONTHLY_F2F": "Hold a face-to-face appointment in {month}",
    "NS_WEEKLY_F2F_HIGH_ROSH": "Hold a face-to-face appointment in the week of {start} (high RoSH)",
    "NS_RECORD_1WD": "Record the contact on the case record",
    "NS_HOME_VISIT_MAPPA_L2_L3": "Make a home visit (MAPPA level 2 or 3)",
}


@dataclass(frozen=True, slots=True)
class NextAction:
    """One thing to do: in plain words, by when (``None``: standing), the rule and its source."""

    action: str
    rule: str
    source: str
    due_by: date | None = None
    window_start: date | None = None
    status: ObligationStatus | None = None
    event_id: str | None = None
    contact_id: str | None = None


def obligation_action(obligation: Obligation) -> NextAction:
    """An obligation still to meet, as a next action."""
    start = obligation.window_start
    rule = find_rule(obligation.rule)
    what = _WHAT_TO_DO.get(obligation.rule)
    if what is None:
        what = rule.meaning.rstrip(".")
    words = what.format(start=plain_day(start), month=f"{start.strftime('%B')} {start.year}")
    contact_id = None
    if isinstance(obligation, RecordingObligation):
        contact_id = obligation.contact_id
        words = f"Record contact {obligation.contact_id} of {plain_day(obligation.contact_day)}"
    if obligation.event_id is not None:
        words += f" for event {obligation.event_id}"
    if obligation.status is ObligationStatus.NOT_YET_DUE:
        words += f", from {plain_day(obligation.window_start)}"
    return NextAction(
        action=f"{words}, by {plain_day(obligation.due_by)}.",
        rule=obligation.rule,
        source=rule.source,
        due_by=obligation.due_by,
        window_start=obligation.window_start,
        status=obligation.status,
        event_id=obligation.event_id,
        contact_id=contact_id,
    )


def standing_reminders() -> list[NextAction]:
    """The reminders of a suspended case (no due date)."""
    return [NextAction(r.meaning, r.id, r.source) for r in reminders.RULES]


def next_actions(
    status: Status, obligations: Sequence[Obligation], on: date, horizon_days: int
) -> list[NextAction]:
    """Obligations still to meet (due, or opening within the horizon), soonest due first, then
    the standing reminders of a suspended case."""
    horizon = on + timedelta(days=horizon_days)
    pending = [
        (o.due_by, o.window_start, position, o)
        for position, o in enumerate(obligations)
        if o.status is ObligationStatus.DUE
        or (o.status is ObligationStatus.NOT_YET_DUE and o.window_start <= horizon)
    ]
    pending.sort(key=lambda item: item[:3])
    actions = [obligation_action(o) for *_, o in pending]
    if status is Status.SUSPENDED:
        actions += standing_reminders()
    return actions


def next_action_json(action: NextAction) -> dict[str, Any]:
    written: dict[str, Any] = {
        "action": action.action,
        "rule": action.rule,
        "source": action.source,
        "due_by": None if action.due_by is None else action.due_by.isoformat(),
        "window_start": None if action.window_start is None else action.window_start.isoformat(),
        "status": None if action.status is None else action.status.value,
        "event_id": action.event_id,
    }
    if action.contact_id is not None:
        written["contact_id"] = action.contact_id
    return written
