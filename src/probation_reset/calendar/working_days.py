"""Working days in England and Wales: not a Saturday, a Sunday or a bank holiday."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from probation_reset.policy.parameters import BankHolidays


class WorkingDayCalendar:
    """Counts working days. "Within N working days of X" is the N-th working day after X.

    Bank holidays are worked out once per year, and each answer of `add_working_days` once per
    day and count (a caseload asks the same few thousand days again and again).
    """

    def __init__(self, bank_holidays: BankHolidays) -> None:
        self._source = bank_holidays
        self._years: dict[int, frozenset[date]] = {}
        self._added: dict[tuple[date, int], date] = {}

    def bank_holidays_of(self, year: int) -> frozenset[date]:
        """England and Wales bank holidays of ``year``, with the policy data's corrections."""
        known = self._years.get(year)
        if known is None:
            generated = holidays.country_holidays("GB", subdiv="ENG", years=year)
            days = {d for d in generated if d.year == year}
            days |= {d for d in self._source.additions if d.year == year}
            days -= set(self._source.removals)
            known = self._years[year] = frozenset(days)
        return known

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.bank_holidays_of(day.year)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
        known = self._added.get((day, count))
        if known is not None:
            return known
        if count < 0:
            raise ValueError("count of working days must not be negative")
        current = day
        remaining = count
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        self._added[day, count] = current
        return current


@cache
def calendar_for(bank_holidays: BankHolidays) -> WorkingDayCalendar:
    """The calendar of England and Wales, corrected by the policy data."""
    return WorkingDayCalendar(bank_holidays)
