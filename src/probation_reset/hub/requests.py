"""What the hub is asked to do: information received, a triage decision, and their checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from probation_reset.hub.reinstatement import RegistrationFact
from probation_reset.hub.vocabulary import Enforcement, Outcome, Source

NAME_LENGTH = 200
SHARED_WITH_LENGTH = 500
TEXT_LENGTH = 20_000


class HubError(ValueError):
    """A request the hub cannot act on; ``field`` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ItemNotFoundError(HubError):
    """No such item or case (in the caller's region)."""


@dataclass(frozen=True, slots=True)
class InformationReceived:
    """Information received on a case, as the hub records it."""

    crn: str
    source: Source
    received_on: date
    summary: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class Decision:
    """A triage: the outcome, the named practitioner, and what the outcome needs."""

    outcome: Outcome
    practitioner: str
    triaged_by: str
    registration: RegistrationFact | None = None
    enforcement: Enforcement | None = None
    shared_with: str | None = None
    note: str | None = None


def checked_text(
    field_name: str, value: str | None, limit: int, required: bool = True
) -> str | None:
    if value is None or not value.strip():
        if required:
            raise HubError(field_name, "is required and must not be blank")
        return None
    if "\x00" in value:
        raise HubError(field_name, "contains a NUL character, which cannot be stored")
    if len(value) > limit:
        raise HubError(field_name, f"is {len(value)} characters long; at most {limit}")
    return value


def check_decision(decision: Decision) -> None:
    """Refuse a decision that lacks what its outcome needs, or carries what it does not."""
    checked_text("practitioner", decision.practitioner, NAME_LENGTH)
    checked_text("triaged_by", decision.triaged_by, NAME_LENGTH)
    checked_text("note", decision.note, TEXT_LENGTH, required=False)
    outcome = decision.outcome
    if outcome is Outcome.ENFORCEMENT_CONSIDERED and decision.enforcement is None:
        raise HubError("enforcement", "ENFORCEMENT_CONSIDERED needs BREACH or RECALL")
    if outcome is not Outcome.ENFORCEMENT_CONSIDERED and decision.enforcement is not None:
        raise HubError("enforcement", f"is for ENFORCEMENT_CONSIDERED, not {outcome.value}")
    if outcome is Outcome.INFORMATION_SHARED:
        checked_text("shared_with", decision.shared_with, SHARED_WITH_LENGTH)
    elif decision.shared_with is not None:
        raise HubError("shared_with", f"is for INFORMATION_SHARED, not {outcome.value}")
    if outcome is not Outcome.REINSTATE and decision.registration is not None:
        raise HubError("registration", f"is for REINSTATE, not {outcome.value}")
