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
from collections.abc import Mapping
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


def _field(path: list[str | int]) -> str:
    written = ""
    for part in path:
        if isinstance(part, int):
            written += f"[{part}]"
        else:
            written += f".{part}" if written else part
    return written


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "holds a NUL character, which the store cannot keep"
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        return (
            f"holds a lone surrogate (U+{code:04X}), which is not a character; "
            "the text is not valid Unicode"
        )
    return None


_LENGTHS = {
    "crn": MAX_CRN,
    "event_id": MAX_IDENTIFIER,
    "contact_id": MAX_IDENTIFIER,
    **dict.fromkeys(("region", "pdu", "team", "staff_code", "staff_name"), MAX_MANAGER_NAME),
    "level": MAX_LEVEL,
}
_ENOUGH = 20


class _Check:
    """One walk over a raw record, recursing at most ``MAX_DEPTH`` levels (so a hostile record
    nested arbitrarily deep cannot exhaust the stack); a field's path is written out only when
    it has a problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.path: list[str | int] = []

    def say(self, message: str) -> None:
        self.problems.append((_field(self.path), message))

    def visit(self, value: Any, key: str | None, depth: int) -> None:
        if len(self.problems) >= _ENOUGH:
            return
        kind = type(value)
        if kind is str:
            problem = _text_problem(value)
            if problem is not None:
                self.say(problem)
            elif key in _LENGTHS and len(value) > _LENGTHS[key]:
                self.say(f"is longer than {_LENGTHS[key]} characters")
        elif value is None or kind is bool:
            return
        elif kind is int:
            if not MIN_INTEGER <= value <= MAX_INTEGER:
                self.say(f"is outside the whole numbers {MIN_INTEGER} to {MAX_INTEGER}")
        elif kind is float:
            if not math.isfinite(value):
                self.say(f"is {json.dumps(value)}, not a number the store can keep")
        elif isinstance(value, Mapping | list):
            if depth >= MAX_DEPTH:
                if value:
                    self.say(f"is nested deeper than {MAX_DEPTH} levels")
            elif key == "level":
                self.say("must be a word or a whole number")
            elif isinstance(value, Mapping):
                self.visit_mapping(value, depth)
            else:
                for index, item in enumerate(value):
                    self.path.append(index)
                    self.visit(item, None, depth + 1)
                    self.path.pop()

    def visit_mapping(self, value: Mapping[Any, Any], depth: int) -> None:
        for name, item in value.items():
            name = str(name)
            problem = _text_problem(name)
            if problem is not None:
                self.say(f"has a key that {problem}")
                continue
            self.path.append(name)
            self.visit(item, name, depth + 1)
            self.path.pop()


def _clean(value: Any, key: str | None, depth: int) -> bool:
    """Whether the value is plainly within every limit: a quick walk that tracks no path and
    says no at the first doubt (a problem, or a kind of value it does not know), leaving the
    careful walk (``_Check``) to find and name the problems."""
    kind = type(value)
    if kind is str:
        if value.isascii():
            if "\x00" in value:
                return False
        elif _text_problem(value) is not None:
            return False
        return key not in _LENGTHS or len(value) <= _LENGTHS[key]
    if kind is dict:
        if depth >= MAX_DEPTH:
            return not value
        if key == "level":
            return False
        for name, item in value.items():
            if type(name) is not str or not name.isascii() or "\x00" in name:
                return False
            if type(item) is str:  # most values: checked here rather than by a call
                if item.isascii():
                    if "\x00" in item:
                        return False
                elif _text_problem(item) is not None:
                    return False
                if name in _LENGTHS and len(item) > _LENGTHS[name]:
                    return False
            elif not _clean(item, name, depth + 1):
                return False
        return True
    if kind is list:
        if depth >= MAX_DEPTH:
            return not value
        if key == "level":
            return False
        return all(_clean(item, None, depth + 1) for item in value)
    if value is None or kind is bool:
        return True
    if kind is int:
        return bool(MIN_INTEGER <= value <= MAX_INTEGER)
    if kind is float:
        return math.isfinite(value)
    return False


def store_problems(raw: Any) -> list[Problem]:
    """Why the store cannot hold this raw record (empty when it can), each with its field."""
    if _clean(raw, None, 0):
        return []
    check = _Check()
    check.visit(raw, None, 0)
    return check.problems
