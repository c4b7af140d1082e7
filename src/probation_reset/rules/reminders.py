"""What stays true of a suspended case, however long the suspension lasts (RESET, FAQ).

These are not obligations with a due date: they are the standing reminders a practitioner sees
among the next actions of every ``SUSPENDED`` person.
"""

from __future__ import annotations

from probation_reset.rules.registry import Family, Rule, rule


def _reminder(rule_id: str, meaning: str, source: str) -> Rule:
    return rule(rule_id, meaning, source, Family.REMINDER, __name__)


NAMED_PRACTITIONER = _reminder(
    "REMINDER_NAMED_PRACTITIONER",
    "A named practitioner stays responsible for the suspended case, and the person and other "
    "stakeholders must know who that is.",
    "FAQ",
)
ENFORCEMENT_AND_RECALL = _reminder(
    "REMINDER_ENFORCEMENT_AND_RECALL",
    "The person must still keep the requirements or licence conditions: breach and recall still "
    "apply.",
    "FAQ",
)
REACTIVE_MANAGEMENT = _reminder(
    "REMINDER_REACTIVE_MANAGEMENT",
    "React to information from the police, MARAC and children's or adults' social care; "
    "reinstate contact if an exemption now applies.",
    "RESET",
)

RULES: tuple[Rule, ...] = (NAMED_PRACTITIONER, ENFORCEMENT_AND_RECALL, REACTIVE_MANAGEMENT)
