"""The contract's date formats.

A date is exactly ``YYYY-MM-DD``; a contact's date may also be a date-time
``YYYY-MM-DDTHH:MM[:SS]`` with an optional offset (``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM``, at most
23 hours 59 minutes either way), whose day is the part before ``T``. Fractions of a second are
not part of the format.
"""

from __future__ import annotations

import re
from datetime import date, time
from functools import lru_cache

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:Z|[+-](?P<offset_hours>\d{2})(?::?(?P<offset_minutes>\d{2}))?)?)?"
)


#: Dates the service accepts: wide enough for any sentence, narrow enough for date arithmetic
#: (a day after an end date, working days after a due date) never to leave the calendar.
EARLIEST = date(1800, 1, 1)
LATEST = date(2399, 12, 31)


#: Distinct texts remembered by the parsers: a caseload repeats the same days many times, and
#: intake reads each contact's date twice (validating it, then building the domain contact).
_REMEMBERED = 1 << 16


def parse_date(value: object) -> date:
    """A date written exactly ``YYYY-MM-DD``, from 1800 to 2399."""
    if not isinstance(value, str):
        raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")
    return _parse_date_text(value)


@lru_cache(maxsize=_REMEMBERED)
def _parse_date_text(value: str) -> date:
    if not _DATE.fullmatch(value):
        raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date ({error})") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{value!r} is outside the years 1800 to 2399")
    return day


def parse_contact_moment(value: object) -> tuple[date, time | None]:
    """A contact's day, and its time of day as written when one is given."""
    if not isinstance(value, str):
        raise ValueError(f"expected a date or date-time, got {value!r}")
    return _parse_contact_text(value)


@lru_cache(maxsize=_REMEMBERED)
def _parse_contact_text(value: str) -> tuple[date, time | None]:
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        raise ValueError(f"expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], got {value!r}")
    day = parse_date(match["day"])
    if match["hour"] is None:
        return day, None
    try:
        moment = time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError as error:
        raise ValueError(f"{value!r} has an impossible time ({error})") from None
    if int(match["offset_hours"] or 0) > 23 or int(match["offset_minutes"] or 0) > 59:
        raise ValueError(f"{value!r} has an impossible offset (from -23:59 to +23:59)")
    return day, moment


def date_or_none(value: object) -> date | None:
    """The date, or ``None`` when absent or not a valid date (for checks across fields)."""
    try:
        return parse_date(value)
    except ValueError:
        return None
