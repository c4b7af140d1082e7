"""The store's canonical documents read back into domain cases, as written.

Every case document the store holds is canonical (``case_document.canonical_document``): the
case was validated in full when stored and written back with every field present and every word
the contract's. Reading it back need not validate it again, which costs more than evaluating it:
`case_of_canonical` builds the domain case straight from the document's fields. Anything it does
not find as a canonical document has it (a field missing, a word it does not know, a value of
another type, a date not written ``YYYY-MM-DD``, a registration validation refuses) raises
`NotCanonicalError`, and ``case_document.stored_case`` then validates the document in full,
naming any problem. The checks across records (an end before its start, a contact naming no
event) are not made again: they passed when the document was stored. A test holds this reader
equal to the validating one on generated, sample and hypothesis cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from probation_reset.domain.case import (
    Case,
    Contact,
    Event,
    LicenceCondition,
    Manager,
    Registration,
    Requirement,
)
from probation_reset.domain.vocabulary import (
    CONTACT_MODE_BY_WORD,
    CONTACT_OUTCOME_BY_WORD,
    CONTACT_TYPE_BY_WORD,
    EVENT_TYPE_BY_WORD,
    LICENCE_CONDITION_TYPE_BY_WORD,
    REGISTRATION_TYPE_BY_WORD,
    REQUIREMENT_TYPE_BY_WORD,
)
from probation_reset.intake.checks import registration_problems
from probation_reset.intake.dates import parse_contact_moment, parse_date


class NotCanonicalError(ValueError):
    """The document is not one the store wrote: it must be validated in full."""


_MANAGER_FIELDS = tuple(field.name for field in fields(Manager))


def _day(value: Any) -> date | None:
    return None if value is None else parse_date(value)


def _text(value: Any) -> str:
    if type(value) is not str or not value:
        raise NotCanonicalError(f"expected a non-empty string, got {value!r}")
    return value


def _whole(value: Any) -> int | None:
    if value is not None and (type(value) is not int or value < 0):
        raise NotCanonicalError(f"expected a whole number, got {value!r}")
    return value


def _registration(registration: Mapping[str, Any], position: int) -> Registration:
    """A registration, its level (and MAPPA category) as validation allows it."""
    if next(registration_problems(registration, "registration"), None) is not None:
        raise NotCanonicalError("a registration validation refuses")
    return Registration(
        REGISTRATION_TYPE_BY_WORD[registration["type"]],
        parse_date(registration["start_date"]),
        _day(registration["deregistered_on"]),
        registration["level"],
        registration["category"],
        position,
    )


def _event(event: Mapping[str, Any]) -> Event:
    key_dates = event["key_dates"]
    youth = event["youth"]
    if type(youth) is not bool:
        raise NotCanonicalError(f"youth must be true or false, got {youth!r}")
    return Event(
        _text(event["event_id"]),
        EVENT_TYPE_BY_WORD[event["type"]],
        parse_date(event["start_date"]),
        _day(event["end_date"]),
        _day(event["pss_end_date"]),
        youth,
        _day(event["terminated_on"]),
        tuple(
            Requirement(
                REQUIREMENT_TYPE_BY_WORD[r["type"]],
                _day(r["start_date"]),
                _day(r["end_date"]),
                _whole(r["days"]),
                _whole(r["hours"]),
            )
            for r in event["requirements"]
        ),
        tuple(
            LicenceCondition(
                LICENCE_CONDITION_TYPE_BY_WORD[c["type"]],
                _day(c["start_date"]),
                _day(c["end_date"]),
            )
            for c in event["licence_conditions"]
        ),
        None if key_dates is None else _day(key_dates["probation_reset_date"]),
    )


def _contact(contact: Mapping[str, Any], position: int) -> Contact:
    day, moment = parse_contact_moment(contact["date"])
    event_id = contact["event_id"]
    mode = contact["mode"]
    outcome = contact["outcome"]
    return Contact(
        _text(contact["contact_id"]),
        day,
        CONTACT_TYPE_BY_WORD[contact["type"]],
        None if event_id is None else _text(event_id),
        moment,
        None if mode is None else CONTACT_MODE_BY_WORD[mode],
        None if outcome is None else CONTACT_OUTCOME_BY_WORD[outcome],
        _day(contact["recorded_on"]),
        position,
    )


def _manager(manager: Mapping[str, Any] | None) -> Manager | None:
    if manager is None:
        return None
    values = [manager[name] for name in _MANAGER_FIELDS]
    if any(value is not None and type(value) is not str for value in values):
        raise NotCanonicalError("a manager's names and codes are text")
    return Manager(*values)


def case_of_canonical(document: Any) -> Case:
    """The domain case of a canonical document (see the module's text).

    Raises `NotCanonicalError` for anything a canonical document would not hold.
    """
    try:
        return Case(
            _text(document["crn"]),
            tuple(_event(event) for event in document["events"]),
            tuple(_registration(r, i) for i, r in enumerate(document["registrations"])),
            tuple(_contact(c, position) for position, c in enumerate(document["contacts"])),
            _day(document["date_of_birth"]),
            _manager(document["manager"]),
        )
    except NotCanonicalError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise NotCanonicalError(f"not a canonical case document ({error!r})") from None
