"""England and Wales working days (CONTRACT.md section 3, "Working days")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probation_reset.calendar.working_days import WorkingDayCalendar, calendar_for
from probation_reset.policy import load_parameters


@pytest.fixture(scope="module")
def working_days() -> WorkingDayCalendar:
    return calendar_for(load_parameters().bank_holidays)


@pytest.mark.parametrize(
    ("day", "count", "due"),
    [
        (date(2024, 12, 24), 1, date(2024, 12, 27)),  # the contract's Christmas example
        (date(2025, 8, 22), 1, date(2025, 8, 26)),  # Friday before the August bank holiday
        (date(2025, 4, 17), 1, date(2025, 4, 22)),  # Maundy Thursday: Good Friday, Easter Monday
        (date(2024, 3, 28), 5, date(2024, 4, 8)),  # Easter 2024 inside five working days
        (date(2025, 12, 23), 5, date(2026, 1, 2)),  # Christmas, Boxing Day and New Year's Day
        (date(2025, 11, 3), 0, date(2025, 11, 3)),
    ],
)
def test_within_n_working_days(
    working_days: WorkingDayCalendar, day: date, count: int, due: date
) -> None:
    assert working_days.add_working_days(day, count) == due


def test_bank_holidays_of_england_and_wales_are_known(working_days: WorkingDayCalendar) -> None:
    assert sorted(working_days.bank_holidays_of(2025)) == [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]
    # Scotland's 2 January and St Andrew's Day are not bank holidays here
    assert working_days.is_working_day(date(2025, 1, 2))
    assert working_days.is_working_day(date(2024, 12, 2))


@given(
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 1)),
    count=st.integers(min_value=1, max_value=30),
)
def test_a_deadline_is_a_working_day_with_exactly_n_working_days_after_the_start(
    working_days: WorkingDayCalendar, day: date, count: int
) -> None:
    due = working_days.add_working_days(day, count)
    assert working_days.is_working_day(due)
    between = [
        day + timedelta(days=i)
        for i in range(1, (due - day).days + 1)
        if working_days.is_working_day(day + timedelta(days=i))
    ]
    assert len(between) == count
    assert due.weekday() < 5 and due not in working_days.bank_holidays_of(due.year)
