"""The exemptions: who keeps sentence-management contact in the final third and PSS (RESET, FAQ).

Each exemption is a small function of the case and a day. They are listed, and reported, in the
order of ``EXEMPTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import RegistrationType, RoshLevel
from probation_reset.rules.phase import is_active
from probation_reset.rules.registrations import has_active, rosh_in_force
from probation_reset.rules.registry import Family, Rule, rule


def _exemption(rule_id: str, meaning: str, source: str) -> Rule:
    return rule(rule_id, meaning, source, Family.EXEMPTION, __name__)


MAPPA = _exemption(
    "EXEMPT_MAPPA", "Any active MAPPA registration, every category (1-4) and level (1-3).", "RESET"
)
NSD = _exemption("EXEMPT_NSD", "Directly managed by the National Security Division.", "RESET")
VERY_HIGH_ROSH = _exemption(
    "EXEMPT_VERY_HIGH_ROSH",
    "The RoSH in force is very high (high does not exempt).",
    "RESET",
)
CHILD_PROTECTION_PLAN = _exemption(
    "EXEMPT_CHILD_PROTECTION_PLAN",
    "Subject to an active child protection plan (not child concerns, not child in need).",
    "RESET",
)
ISC = _exemption(
    "EXEMPT_ISC", "In the Intensive Supervision Court pilot (until its evaluation ends).", "RESET"
)
YOUTH_SENTENCE = _exemption(
    "EXEMPT_YOUTH_SENTENCE", "An active event was imposed as a youth sentence.", "FAQ"
)


def is_mappa(case: Case, day: date) -> bool:
    return has_active(case.registrations, RegistrationType.MAPPA, day)


def is_nsd(case: Case, day: date) -> bool:
    return has_active(case.registrations, RegistrationType.NSD, day)


def is_very_high_rosh(case: Case, day: date) -> bool:
    return rosh_in_force(case.registrations, day) is RoshLevel.VERY_HIGH


def has_child_protection_plan(case: Case, day: date) -> bool:
    return has_active(case.registrations, RegistrationType.CHILD_PROTECTION, day)


def is_isc(case: Case, day: date) -> bool:
    return has_active(case.registrations, RegistrationType.ISC, day)


def has_youth_sentence(case: Case, day: date) -> bool:
    return any(e.youth and is_active(e, day) for e in case.events)


EXEMPTIONS: tuple[tuple[Rule, Callable[[Case, date], bool]], ...] = (
    (MAPPA, is_mappa),
    (NSD, is_nsd),
    (VERY_HIGH_ROSH, is_very_high_rosh),
    (CHILD_PROTECTION_PLAN, has_child_protection_plan),
    (ISC, is_isc),
    (YOUTH_SENTENCE, has_youth_sentence),
)

RULES: tuple[Rule, ...] = tuple(r for r, _ in EXEMPTIONS)


#: The registration each exemption but youth reads: it cannot apply on a day when no
#: registration of that type is in force (so `exemptions_on` does not ask it).
REGISTRATION_READ: dict[str, RegistrationType] = {
    MAPPA.id: RegistrationType.MAPPA,
    NSD.id: RegistrationType.NSD,
    VERY_HIGH_ROSH.id: RegistrationType.ROSH,
    CHILD_PROTECTION_PLAN.id: RegistrationType.CHILD_PROTECTION,
    ISC.id: RegistrationType.ISC,
}


def exemptions_on(case: Case, day: date, listed: Collection[str] | None = None) -> tuple[str, ...]:
    """The ids of the exemptions that apply on ``day``, whatever the status, in listing order;
    only those ``listed`` by the policy (the parameter ``reset/exemptions``) when given."""
    in_force = {r.type for r in case.registrations if r.is_active(day)}
    found = []
    for exemption, applies in EXEMPTIONS:
        if listed is not None and exemption.id not in listed:
            continue
        read = REGISTRATION_READ.get(exemption.id)
        if (read is None or read in in_force) and applies(case, day):
            found.append(exemption.id)
    return tuple(found)
