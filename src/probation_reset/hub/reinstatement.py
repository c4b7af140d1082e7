"""Reinstating contact: only by recording the registration that now exempts (RESET: "Reinstatement
of contact will only occur if the individual meets the Exemption Criteria").

``check_reinstatement`` takes a stored case's canonical document, the registration the hub wants
to record, and the day; it returns the changed document when, with that registration, the person
who is ``SUSPENDED`` on the day becomes ``EXEMPT`` by that registration's exemption, and refuses
with the reason otherwise. Pure: the engine judges; nothing is stored here.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import RegistrationType, RoshLevel, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.hub.vocabulary import REINSTATING_REGISTRATIONS
from probation_reset.intake.reader import validate_case
from probation_reset.rules.registrations import rosh_in_force
from probation_reset.store.case_document import canonical_document
from probation_reset.store.hub_registrations import registration_key

_REINSTATING_NAMES = "MAPPA, ROSH (VERY_HIGH), CHILD_PROTECTION, NSD or ISC"


class ReinstatementRefusedError(ValueError):
    """The reinstatement does not follow from the rules; the message says why."""


@dataclass(frozen=True, slots=True)
class RegistrationFact:
    """The registration that now exempts, as the hub records it on the case."""

    type: RegistrationType
    start_date: date
    level: str | int | None = None
    category: int | None = None

    def as_document(self) -> dict[str, Any]:
        """The registration in the contract's input format."""
        return {
            "type": self.type.value,
            "start_date": self.start_date.isoformat(),
            "deregistered_on": None,
            "level": self.level,
            "category": self.category,
        }

    def describe(self) -> str:
        extra = []
        if self.level is not None:
            extra.append(f"level {self.level}")
        if self.category is not None:
            extra.append(f"category {self.category}")
        detail = f" ({', '.join(extra)})" if extra else ""
        return f"{self.type.value}{detail} from {self.start_date.isoformat()}"


@dataclass(frozen=True, slots=True)
class Reinstatement:
    """A reinstatement the rules allow: the changed document and what it does on the day."""

    document: dict[str, Any]
    case: Case
    exemption: str
    exemptions: tuple[str, ...]


def _case(document: dict[str, Any], what: str) -> Case:
    result = validate_case(document, 0)
    if isinstance(result, list):
        problems = "; ".join(f"{e.field}: {e.message}" for e in result)
        raise ReinstatementRefusedError(f"{what} is not valid: {problems}")
    return result


def _check_fact(fact: RegistrationFact | None, on: date) -> tuple[RegistrationFact, str]:
    if fact is None:
        raise ReinstatementRefusedError(
            f"a reinstatement must record the registration that now exempts: {_REINSTATING_NAMES}"
        )
    exemption = REINSTATING_REGISTRATIONS.get(fact.type)
    if exemption is None:
        raise ReinstatementRefusedError(
            f"a {fact.type.value} registration is not an exemption (RESET, Exemption Criteria): "
            f"contact is reinstated only by {_REINSTATING_NAMES}"
        )
    if fact.type is RegistrationType.ROSH and fact.level != RoshLevel.VERY_HIGH.value:
        raise ReinstatementRefusedError(
            f"RoSH {fact.level or '(no level)'} does not exempt: only VERY_HIGH does (RESET)"
        )
    if fact.start_date > on:
        raise ReinstatementRefusedError(
            f"the {fact.type.value} registration starts on {fact.start_date.isoformat()}, after "
            f"{on.isoformat()}: it cannot reinstate contact on that day"
        )
    return fact, exemption


def _check_new(document: dict[str, Any], fact: RegistrationFact) -> None:
    """Refuse a registration the case already holds (same type and start, and RoSH level):
    an import could not tell NDelius's copy of the hub's from the one already there."""
    key = registration_key(fact.as_document())
    held = next((r for r in document.get("registrations", []) if registration_key(r) == key), None)
    if held is not None:
        ended = held.get("deregistered_on")
        detail = f", deregistered on {ended}" if ended else ""
        raise ReinstatementRefusedError(
            f"the case already holds a {fact.type.value} registration from "
            f"{fact.start_date.isoformat()}{detail}; record the new one from the day it "
            "starts (imports tell registrations apart by type and start date)"
        )


def check_reinstatement(
    engine: Engine, document: dict[str, Any], fact: RegistrationFact | None, on: date
) -> Reinstatement:
    """The case with ``fact`` recorded, when that reinstates contact on ``on``; else
    ``ReinstatementRefusedError`` with the reason."""
    fact, exemption = _check_fact(fact, on)
    crn = document.get("crn")
    before = engine.history(_case(document, f"stored case {crn}")).at(on)
    if before.status is not Status.SUSPENDED:
        held = f" ({', '.join(before.exemptions)})" if before.exemptions else ""
        raise ReinstatementRefusedError(
            f"contact is not suspended on {on.isoformat()}: the person is "
            f"{before.status.value}{held}; there is nothing to reinstate"
        )
    _check_new(document, fact)
    changed = copy.deepcopy(document)
    changed["registrations"] = [*changed.get("registrations", []), fact.as_document()]
    case = _case(changed, f"the {fact.type.value} registration")
    after = engine.history(case).at(on)
    if after.status is not Status.EXEMPT or exemption not in after.exemptions:
        why = f"{exemption} would not apply on {on.isoformat()}"
        if fact.type is RegistrationType.ROSH:
            level = rosh_in_force(case.registrations, on)
            why += (
                f": the RoSH in force would be {level.value if level else 'unknown'} "
                "(the active RoSH registration with the latest start)"
            )
        raise ReinstatementRefusedError(
            f"the {fact.describe()} registration does not reinstate contact: {why}; the "
            f"person would be {after.status.value}"
        )
    return Reinstatement(canonical_document(changed), case, exemption, after.exemptions)
