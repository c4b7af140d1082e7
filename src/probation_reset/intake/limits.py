"""What the service refuses because it cannot hold it, checked before a record is validated.

A CASES document is read only up to ``MAX_DOCUMENT_BYTES``, must be UTF-8 and, being JSON, holds
no NUL byte; it must parse within Python's JSON limits (nesting of about 900 levels, integers of
at most 4,300 digits), otherwise it is unreadable (exit 2).

Every record stored by an import must also fit the store (``store_problems``): no value nested
deeper than ``MAX_DEPTH``; no string (nor key) holding a NUL character or a lone surrogate
(``"\\ud800"``), which neither PostgreSQL nor UTF-8 can hold; a CRN of at most ``MAX_CRN``
characters, an id of at most ``MAX_IDENTIFIER``, each part of the manager (region, PDU, team,
staff code and name) of at most ``MAX_MANAGER_NAME``; a registration's level of at most
``MAX_LEVEL`` characters; every whole number within a 32-bit integer and every number finite.
Such a record is rejected with the field and the limit; it never costs another record.
``docs/limits.md`` states every limit and what the user sees.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from probation_reset.intake.reader import UnreadableCasesError, parse_document

MAX_DOCUMENT_BYTES = 1 << 30
MAX_DEPTH = 32
MAX_CRN = 64
MAX_IDENTIFIER = 200
MAX_LEVEL = 32
MAX_MANAGER_NAME = 200
MAX_INTEGER = 2**31 - 1
MIN_INTEGER = -(2**31)

Problem = tuple[str, str]


def parse_bounded(text: str) -> list[Any]:
    """``parse_document``, with JSON the parser cannot hold (too deep, a number too long)
    reported as an unreadable document rather than a crash."""
    try:
        return parse_document(text)
    except RecursionError:
        raise UnreadableCasesError("the JSON is nested too deeply to read") from None
    except UnreadableCasesError:
        raise
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise UnreadableCasesError(f"the JSON cannot be read: {error}") from None


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "holds a NUL character, which the store cannot keep"
    for character in text:
        if "\ud800" <= character <= "\udfff":
            return (
                f"holds a lone surrogate (U+{ord(character):04X}), which is not a character; "
                "the text is not valid Unicode"
            )
    return None


def _walk(raw: Any) -> Iterator[tuple[str, str | None, Any, int]]:
    """Every value of the record with its path, its key (``None`` in a list) and depth, in
    document order and without recursion (a hostile record may be nested arbitrarily deep)."""
    stack: list[tuple[str, str | None, Any, int]] = [("", None, raw, 0)]
    while stack:
        path, key, value, depth = stack.pop()
        yield path, key, value, depth
        if depth >= MAX_DEPTH:
            continue
        children: list[tuple[str, str | None, Any]]
        if isinstance(value, Mapping):
            children = [(_join(path, str(k)), str(k), v) for k, v in value.items()]
        elif isinstance(value, list):
            children = [(_join(path, i), None, v) for i, v in enumerate(value)]
        else:
            continue
        stack.extend((p, k, v, depth + 1) for p, k, v in reversed(children))


_LENGTHS = {
    "crn": MAX_CRN,
    "event_id": MAX_IDENTIFIER,
    "contact_id": MAX_IDENTIFIER,
    **dict.fromkeys(("region", "pdu", "team", "staff_code", "staff_name"), MAX_MANAGER_NAME),
}


def store_problems(raw: Any) -> list[Problem]:
    """Why the store cannot hold this raw record (empty when it can), each with its field."""
    problems: list[Problem] = []
    for path, key, value, depth in _walk(raw):
        if depth >= MAX_DEPTH and isinstance(value, Mapping | list) and value:
            problems.append((path, f"is nested deeper than {MAX_DEPTH} levels"))
        elif isinstance(value, str):
            problem = _text_problem(value)
            if problem is not None:
                problems.append((path, problem))
            elif key in _LENGTHS and len(value) > _LENGTHS[key]:
                problems.append((path, f"is longer than {_LENGTHS[key]} characters"))
            elif key == "level" and len(value) > MAX_LEVEL:
                problems.append((path, f"is longer than {MAX_LEVEL} characters"))
        elif key == "level" and isinstance(value, Mapping | list):
            problems.append((path, "must be a word or a whole number"))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not MIN_INTEGER <= value <= MAX_INTEGER:
                problems.append(
                    (path, f"is outside the whole numbers {MIN_INTEGER} to {MAX_INTEGER}")
                )
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append((path, f"is {json.dumps(value)}, not a number the store can keep"))
        if isinstance(value, Mapping):
            for name in value:
                problem = _text_problem(str(name))
                if problem is not None:
                    problems.append((path, f"has a key that {problem}"))
        if len(problems) >= 20:
            break
    return problems
