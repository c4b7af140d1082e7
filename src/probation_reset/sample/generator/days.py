"""Days as proleptic Gregorian ordinals: the generator's arithmetic, fast and clock-free."""

from __future__ import annotations

import calendar
from datetime import date
from functools import cache
from typing import Final

# Reset is in force from this day (policy/002): suspension begins only on or after it.
RESET_IN_FORCE_FROM: Final = date(2024, 4, 1)
RESET_FROM: Final = RESET_IN_FORCE_FROM.toordinal()
# "No end": the last active day of a life licence.
OPEN_END: Final = date.max.toordinal()


@cache
def iso(ordinal: int) -> str:
    """The `YYYY-MM-DD` text of a proleptic Gregorian ordinal."""
    return date.fromordinal(ordinal).isoformat()


def weekday_on_or_after(ordinal: int) -> int:
    """The day itself, or the Monday after it when it falls on a weekend."""
    weekday = (ordinal - 1) % 7  # ordinal 1, 0001-01-01, was a Monday
    return ordinal + (7 - weekday) if weekday >= 5 else ordinal


def next_weekday(ordinal: int) -> int:
    """The first Monday-to-Friday day after `ordinal` (bank holidays are not skipped)."""
    return weekday_on_or_after(ordinal + 1)


def add_months(ordinal: int, months: int) -> int:
    """The same day of the month `months` later (or earlier), cut to the month's last day."""
    day = date.fromordinal(ordinal)
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1])).toordinal()


def final_third_start(start: int, end: int) -> int:
    """NDelius PR1 "suspension date if reset": start + floor(2 * D / 3) days (CONTRACT 3)."""
    return start + (2 * (end - start)) // 3
