"""Every rule's id, one-line meaning and the policy paragraph it implements.

Rule ids are stable: a new rule gets a new id. ``docs/rules.md`` is generated from here.
Sources: ``RESET`` (Reset board paper), ``FAQ`` (PSS and final third FAQs, November 2024),
``SMF n.n`` (Sentence Management in the Community Policy Framework, paragraph n.n).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache


class Family(StrEnum):
    STATUS = "status"
    EXEMPTION = "exemption"
    RESET = "reset"
    CHECKLIST = "pre-suspension checklist"
    NATIONAL_STANDARD = "national standard"
    REMINDER = "standing reminder"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    meaning: str
    source: str
    family: Family
    module: str


def rule(rule_id: str, meaning: str, source: str, family: Family, module: str) -> Rule:
    return Rule(rule_id, meaning, source, family, module.rsplit(".", 1)[-1])


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the order the documentation lists them."""
    from probation_reset.rules import (
        checklist,
        exemptions,
        national_standards,
        reminders,
        reset,
        status,
    )

    return (
        *status.RULES,
        *exemptions.RULES,
        *reset.RULES,
        *checklist.RULES,
        *national_standards.RULES,
        *reminders.RULES,
    )


def obligation_rule_order() -> dict[str, int]:
    """Obligation rules in the order of CONTRACT.md section 5's table (used to sort obligations)."""
    from probation_reset.rules import checklist, national_standards, reset

    ordered = (
        reset.LICENCE_FINAL_THIRD_CONTACT,
        *checklist.RULES,
        reset.NFA_CHECK_IN,
        *national_standards.RULES,
    )
    return {r.id: i for i, r in enumerate(ordered)}


def find_rule(rule_id: str) -> Rule:
    rule_found = _rules_by_id().get(rule_id)
    if rule_found is None:
        raise KeyError(rule_id)
    return rule_found


@cache
def _rules_by_id() -> dict[str, Rule]:
    """Every rule by its id, made once (the rules are constants): the first of an id wins."""
    found: dict[str, Rule] = {}
    for candidate in all_rules():
        found.setdefault(candidate.id, candidate)
    return found
