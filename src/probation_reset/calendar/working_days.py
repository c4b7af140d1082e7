"""Working days in England and Wales: not a Saturday, a Sunday or a bank holiday."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import cache

import holidays

from probation_reset.policy.parameters import BankHolidays


class WorkingDayCalendar:
    """Counts working days. "Within N working days of X" is the N-th working day after X."""

    def __init__(self, bank_holidays: frozenset[date], first_year: int, last_year: int) -> None:
        self._holidays = bank_holidays
        self._sorted = sorted(bank_holidays)
        self.first_year = first_year
        self.last_year = last_year

    @property
    def bank_holidays(self) -> frozenset[date]:
        return self._holidays

    def is_working_day(self, day: date) -> bool:
        self._check_range(day)
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
        if count < 0:
            raise ValueError("count of working days must not be negative")
        current = day
        remaining = count
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def holidays_between(self, first: date, last: date) -> list[date]:
        """Bank holidays from ``first`` to ``last`` inclusive."""
        start = bisect_right(self._sorted, first - timedelta(days=1))
        end = bisect_right(self._sorted, last)
        return self._sorted[start:end]

    def _check_range(self, day: date) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise ValueError(
                f"{day.isoformat()} is outside the bank holiday calendar "
                f"({self.first_year}-{self.last_year})"
            )


@cache
def calendar_for(bank_holidays: BankHolidays) -> WorkingDayCalendar:
    """The calendar of England and Wales for the years the policy data names."""
    years = range(bank_holidays.first_year, bank_holidays.last_year + 1)
    generated = holidays.country_holidays("GB", subdiv="ENG", years=years)
    days = (set(generated.keys()) | set(bank_holidays.additions)) - set(bank_holidays.removals)
    return WorkingDayCalendar(frozenset(days), bank_holidays.first_year, bank_holidays.last_year)
