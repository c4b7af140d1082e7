"""Checks across fields and records of one case, on the raw input (CONTRACT.md section 4.3).

They run on whatever parses, so one case's every problem is reported together, not one per run.
Each check yields ``(field, message)`` with the field written as in the input:
``events[0].end_date``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from probation_reset.intake.dates import date_or_none

ORDER_TYPES = frozenset({"COMMUNITY_ORDER", "SUSPENDED_SENTENCE_ORDER"})
ROSH_LEVELS = frozenset({"LOW", "MEDIUM", "HIGH", "VERY_HIGH"})
Problem = tuple[str, str]


def _word(value: Any) -> str | None:
    """A value that should be one of the contract's words: the string, or ``None``."""
    return value if isinstance(value, str) else None


def _records(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    if not isinstance(value, list):
        return []
    # ``type(item) is dict`` first: JSON's objects are dicts, and checking a Mapping is slower.
    return [
        (i, item) for i, item in enumerate(value) if type(item) is dict or isinstance(item, Mapping)
    ]


def _ends_before_start(
    record: Mapping[str, Any], path: str, start_key: str, end_keys: tuple[str, ...]
) -> Iterator[Problem]:
    start = date_or_none(record.get(start_key))
    if start is None:
        return
    for key in end_keys:
        end = date_or_none(record.get(key))
        if end is not None and end < start:
            yield (
                f"{path}.{key}",
                f"{key} {end.isoformat()} is before {start_key} {start.isoformat()}",
            )


def _event_problems(event: Mapping[str, Any], path: str) -> Iterator[Problem]:
    yield from _ends_before_start(event, path, "start_date", ("end_date", "terminated_on"))
    kind = _word(event.get("type"))
    start = date_or_none(event.get("start_date"))
    end = date_or_none(event.get("end_date"))
    if kind in ORDER_TYPES and event.get("end_date") is None:
        yield f"{path}.end_date", "a community or suspended sentence order needs an end_date"
    pss_end = event.get("pss_end_date")
    if pss_end is not None:
        pss = date_or_none(pss_end)
        if kind in ORDER_TYPES:
            yield f"{path}.pss_end_date", "pss_end_date is for a LICENCE only"
        elif kind == "LICENCE" and event.get("end_date") is None:
            yield f"{path}.pss_end_date", "pss_end_date needs a licence end_date"
        elif pss is not None and end is not None and pss <= end:
            yield f"{path}.pss_end_date", "pss_end_date must be after the licence end_date"
    key_dates = event.get("key_dates")
    if isinstance(key_dates, Mapping) and key_dates.get("probation_reset_date") is not None:
        field = f"{path}.key_dates.probation_reset_date"
        reset_date = date_or_none(key_dates.get("probation_reset_date"))
        if event.get("end_date") is None:
            yield field, "probation_reset_date needs an event with an end_date"
        elif (
            reset_date is not None
            and start is not None
            and end is not None
            and not (start <= reset_date <= end)
        ):
            yield field, "probation_reset_date must lie within the event's start and end dates"
    for key in ("requirements", "licence_conditions"):
        for j, item in _records(event.get(key)):
            yield from _ends_before_start(item, f"{path}.{key}[{j}]", "start_date", ("end_date",))


def registration_problems(registration: Mapping[str, Any], path: str) -> Iterator[Problem]:
    yield from _ends_before_start(registration, path, "start_date", ("deregistered_on",))
    kind = _word(registration.get("type"))
    level = registration.get("level")
    category = registration.get("category")
    if kind == "MAPPA":
        if level is not None and (type(level) is not int or not 1 <= level <= 3):
            yield f"{path}.level", f"MAPPA level must be 1, 2 or 3, got {level!r}"
        if category is not None and (type(category) is not int or not 1 <= category <= 4):
            yield f"{path}.category", f"MAPPA category must be 1 to 4, got {category!r}"
    elif kind == "ROSH" and _word(level) not in ROSH_LEVELS:
        yield (
            f"{path}.level",
            f"RoSH level must be one of LOW, MEDIUM, HIGH, VERY_HIGH, got {level!r}",
        )


def case_problems(case: Mapping[str, Any]) -> Iterator[Problem]:
    """Every problem across the fields and records of one raw case."""
    events = _records(case.get("events"))
    seen_ids: set[str] = set()
    for i, event in events:
        path = f"events[{i}]"
        yield from _event_problems(event, path)
        event_id = event.get("event_id")
        if isinstance(event_id, str):
            if event_id in seen_ids:
                yield f"{path}.event_id", f"event_id {event_id!r} is already used in this case"
            seen_ids.add(event_id)
    for k, registration in _records(case.get("registrations")):
        yield from registration_problems(registration, f"registrations[{k}]")
    for m, contact in _records(case.get("contacts")):
        event_id = contact.get("event_id")
        if isinstance(event_id, str) and event_id not in seen_ids:
            yield f"contacts[{m}].event_id", f"event_id {event_id!r} names no event of this case"
