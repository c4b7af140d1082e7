"""What goes on while contact is suspended (RESET, "What doesn't stop?").

Requirements and licence conditions without dates run from the event's start to its end date;
a licence condition is never in force in PSS. RAR and reporting are what the Reset stops.
"""

from __future__ import annotations

from datetime import date

from probation_reset.domain.case import Event, LicenceCondition, Requirement
from probation_reset.domain.vocabulary import LicenceConditionType, RequirementType
from probation_reset.rules.phase import is_active

STOPPED_BY_RESET = frozenset({RequirementType.RAR.value, LicenceConditionType.REPORTING.value})


def in_force(item: Requirement | LicenceCondition, event: Event, day: date) -> bool:
    """Whether a requirement or licence condition of ``event`` is in force on ``day``."""
    if isinstance(item, LicenceCondition) and event.end_date is not None and day > event.end_date:
        return False
    start = item.start_date or event.start_date
    end = item.end_date or event.end_date
    return start <= day and (end is None or day <= end)


def items_of(event: Event) -> tuple[Requirement | LicenceCondition, ...]:
    return (*event.requirements, *event.licence_conditions)


def continuing(event: Event, day: date) -> list[str]:
    """Requirement and condition types (not RAR or reporting) in force on ``day``, in input
    order without repeats; empty when the event is not active."""
    if not is_active(event, day):
        return []
    seen: list[str] = []
    for item in items_of(event):
        kind = item.type.value
        if kind not in STOPPED_BY_RESET and kind not in seen and in_force(item, event, day):
            seen.append(kind)
    return seen
