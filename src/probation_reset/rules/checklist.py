"""The pre-suspension checklist: what the practitioner completes before contact stops.

Risk management plan for the final third, EM and curfew variation (RESET), licence conditions
reviewed after the halfway point, and a safety plan where risk to self is raised (FAQ). Each is due
by the day before the final third starts, for a suspension that the Reset brings at that start.
"""

from __future__ import annotations

from datetime import date, timedelta

from probation_reset.domain.vocabulary import (
    REVIEW_CONTACT_TYPES,
    ContactType,
    RegistrationType,
)
from probation_reset.rules.continuing import in_force, items_of
from probation_reset.rules.history import EventDates
from probation_reset.rules.obligation import Assessment, Duty, held_contact
from probation_reset.rules.registrations import has_active
from probation_reset.rules.registry import Family, Rule, rule
from probation_reset.rules.reset import suspended_from_final_third


def _checklist_rule(rule_id: str, meaning: str, source: str) -> Rule:
    return rule(rule_id, meaning, source, Family.CHECKLIST, __name__)


PRE_RMP = _checklist_rule(
    "RESET_PRE_RMP",
    "Risk management plan reviewed for the final third, in the 28 days before it starts.",
    "RESET",
)
PRE_LICENCE_REVIEW = _checklist_rule(
    "RESET_PRE_LICENCE_REVIEW",
    "Licences: conditions reviewed after the halfway point (or, when the final third starts by "
    "then, in the 28 days before it), before the final third starts.",
    "FAQ",
)
PRE_EM_CURFEW_REVIEW = _checklist_rule(
    "RESET_PRE_EM_CURFEW_REVIEW",
    "EM or curfew in force the day before the final third: variation considered beforehand.",
    "RESET",
)
PRE_SAFETY_PLAN = _checklist_rule(
    "RESET_PRE_SAFETY_PLAN",
    "Risk to self active the day before the final third: a safety plan completed beforehand.",
    "FAQ",
)

RULES: tuple[Rule, ...] = (PRE_RMP, PRE_LICENCE_REVIEW, PRE_EM_CURFEW_REVIEW, PRE_SAFETY_PLAN)

ELECTRONIC_MONITORING_OR_CURFEW = frozenset({"EM", "CURFEW"})


#: The review each checklist item asks for, held (an acceptable absence counts, as for any review).
HELD_REVIEW = {kind: held_contact(f"held {kind.value}", kind) for kind in REVIEW_CONTACT_TYPES}


def _review(
    rule: Rule, dates: EventDates, window_start: date, due_by: date, kind: ContactType
) -> Duty:
    return Duty(rule, dates, window_start, due_by, HELD_REVIEW[kind])


def pre_suspension_checklist(assessment: Assessment) -> list[Duty]:
    duties: list[Duty] = []
    for dates in assessment.started_events():
        start = dates.final_third_start
        if start is None or not suspended_from_final_third(assessment.history, dates):
            continue
        event = dates.event
        eve = start - timedelta(days=1)
        window = start - timedelta(days=assessment.parameters.pre_suspension_window_days.at(start))
        duties.append(_review(PRE_RMP, dates, window, eve, ContactType.RMP_REVIEW))
        if event.is_licence and dates.halfway_point is not None:
            # A PR1 key date on or before the halfway point: the review window is the usual one.
            review_from = dates.halfway_point if dates.halfway_point < start else window
            duties.append(
                _review(
                    PRE_LICENCE_REVIEW,
                    dates,
                    review_from,
                    eve,
                    ContactType.LICENCE_CONDITIONS_REVIEW,
                )
            )
        if any(
            item.type.value in ELECTRONIC_MONITORING_OR_CURFEW and in_force(item, event, eve)
            for item in items_of(event)
        ):
            duties.append(
                _review(PRE_EM_CURFEW_REVIEW, dates, window, eve, ContactType.EM_CURFEW_REVIEW)
            )
        if has_active(assessment.history.case.registrations, RegistrationType.RISK_TO_SELF, eve):
            duties.append(_review(PRE_SAFETY_PLAN, dates, window, eve, ContactType.SAFETY_PLAN))
    return duties
