"""Reading a CASES document and turning each case into a domain case or a list of errors.

The whole text is parsed as JSON first (an object with ``cases``, or an array, is the list of
cases; a lone object is one case; any other JSON value is misuse); otherwise as JSON Lines. A
document that cannot be read at all raises ``UnreadableCasesError``; a case that cannot be
evaluated becomes ``CaseError`` entries and never stops the others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from probation_reset.domain.case import (
    Case,
    Contact,
    Event,
    LicenceCondition,
    Manager,
    Registration,
    Requirement,
)
from probation_reset.intake.checks import case_problems
from probation_reset.intake.dates import parse_contact_moment
from probation_reset.intake.schema import CaseIn


class UnreadableCasesError(ValueError):
    """The document is not JSON, nor JSON Lines, nor a list of cases."""


@dataclass(frozen=True, slots=True)
class CaseError:
    crn: str | None
    index: int
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Intake:
    """The cases that can be evaluated (with their index) and the errors of the rest."""

    cases: tuple[tuple[int, Case], ...]
    errors: tuple[CaseError, ...]


BYTE_ORDER_MARK = "\ufeff"


def parse_document(text: str) -> list[Any]:
    """The raw cases of a CASES document, in order (CONTRACT.md section 1).

    A leading byte-order mark is dropped. The whole text is parsed as JSON first: an array, or an
    object with ``cases``, is the list of cases; any other object is one case; any other JSON value
    is misuse. Otherwise the text is JSON Lines.
    """
    text = text.removeprefix(BYTE_ORDER_MARK)
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as whole_error:
        return _parse_json_lines(text, whole_error)
    if isinstance(whole, list):
        return whole
    if isinstance(whole, dict):
        if "cases" not in whole:
            return [whole]
        if not isinstance(whole["cases"], list):
            raise UnreadableCasesError("'cases' must be a list of cases")
        return list(whole["cases"])
    raise UnreadableCasesError(
        f"the document is a single JSON {_json_kind(whole)}: it must be a list of cases, an "
        "object with 'cases', one case as an object, or JSON Lines"
    )


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


def _parse_json_lines(text: str, whole_error: json.JSONDecodeError) -> list[Any]:
    """Each non-blank line is one case. A line that does not parse makes the file unreadable.

    When the text is one JSON document spread over several lines (it fails as a whole further down
    than its first unreadable line, and not because of extra data after a first value), the
    whole document's error is the one named: a trailing comma on line 4 is reported on line 4.
    """
    cases: list[Any] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cases.append(json.loads(line))
        except json.JSONDecodeError as error:
            if whole_error.msg != "Extra data" and whole_error.lineno > number:
                line_number, column, message = (
                    whole_error.lineno,
                    whole_error.colno,
                    whole_error.msg,
                )
            else:
                line_number, column, message = number, error.colno, error.msg
            raise UnreadableCasesError(
                f"line {line_number}, column {column} is not JSON: {message}"
            ) from None
    if not cases:
        raise UnreadableCasesError("the document holds no JSON")
    return cases


_INDEX = re.compile(r"\[(\d+)\]")


def field_sort_key(field: str) -> tuple[tuple[str, int], ...]:
    """Fields in natural order: ``events[2]`` before ``events[10]``."""
    parts = []
    for token in re.split(r"(\[\d+\])", field):
        if not token:
            continue
        match = _INDEX.fullmatch(token)
        parts.append(("", int(match[1])) if match else (token, -1))
    return tuple(parts)


def _field_path(location: Iterable[int | str]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def crn_of(raw: Any) -> str | None:
    """The case's CRN when it is a non-empty string (for naming a rejected case)."""
    crn = raw.get("crn") if isinstance(raw, Mapping) else None
    return crn if isinstance(crn, str) and crn else None


def validate_case(raw: Any, index: int) -> Case | list[CaseError]:
    """A domain case, or every problem found in it."""
    parsed = validate_case_model(raw, index)
    return parsed if isinstance(parsed, list) else to_domain(parsed)


def validate_case_model(raw: Any, index: int) -> CaseIn | list[CaseError]:
    """The case as the contract's model (``to_domain`` makes the domain case of it), or every
    problem found in it."""
    crn = crn_of(raw)
    if not isinstance(raw, Mapping):
        return [CaseError(None, index, "", "a case must be a JSON object")]
    problems: dict[tuple[str, str], None] = {}
    parsed: CaseIn | None = None
    try:
        parsed = CaseIn.model_validate(raw)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            problems[(_field_path(item["loc"]), item["msg"])] = None
    for field, message in case_problems(raw):
        problems[(field, message)] = None
    if problems or parsed is None:
        ordered = sorted(problems, key=lambda p: field_sort_key(p[0]))
        return [CaseError(crn, index, field, message) for field, message in ordered]
    return parsed


def to_domain(parsed: CaseIn) -> Case:
    events = tuple(
        Event(
            event_id=e.event_id,
            type=e.type,
            start_date=e.start_date,
            end_date=e.end_date,
            pss_end_date=e.pss_end_date,
            youth=e.youth,
            terminated_on=e.terminated_on,
            requirements=tuple(
                Requirement(r.type, r.start_date, r.end_date, r.days, r.hours)
                for r in e.requirements
            ),
            licence_conditions=tuple(
                LicenceCondition(c.type, c.start_date, c.end_date) for c in e.licence_conditions
            ),
            probation_reset_date=e.key_dates.probation_reset_date if e.key_dates else None,
        )
        for e in parsed.events
    )
    registrations = tuple(
        Registration(r.type, r.start_date, r.deregistered_on, r.level, r.category, position=i)
        for i, r in enumerate(parsed.registrations)
    )
    contacts: list[Contact] = []
    append = contacts.append
    for i, c in enumerate(parsed.contacts):
        day, moment = parse_contact_moment(c.date)
        append(
            Contact(
                c.contact_id, day, c.type, c.event_id, moment, c.mode, c.outcome, c.recorded_on, i
            )
        )
    manager = Manager(**parsed.manager.model_dump()) if parsed.manager else None
    return Case(parsed.crn, events, registrations, tuple(contacts), parsed.date_of_birth, manager)


def read_cases(raw_cases: Iterable[Any]) -> Intake:
    """Validate every case; a CRN seen before rejects the later case and keeps the first."""
    cases: list[tuple[int, Case]] = []
    errors: list[CaseError] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_cases):
        result = validate_case(raw, index)
        crn = crn_of(raw)
        duplicate = crn is not None and crn in seen
        if crn is not None:
            seen.add(crn)
        if isinstance(result, list):
            errors.extend(result)
            if duplicate:
                errors.append(CaseError(crn, index, "crn", f"crn {crn!r} was already seen"))
        elif duplicate:
            errors.append(CaseError(crn, index, "crn", f"crn {crn!r} was already seen"))
        else:
            cases.append((index, result))
    errors.sort(key=lambda e: (e.index, field_sort_key(e.field)))
    return Intake(tuple(cases), tuple(errors))
