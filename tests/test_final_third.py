"""The final-third start and halfway point (CONTRACT.md section 3)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from builders import licence, rar_order
from probation_reset.rules.final_third import final_third_start, halfway_point


def test_pr1_as_ndelius_computes_it_for_a_licence() -> None:
    # KeyDateCalculator.kt's own example: release 2025-01-01, expiry 2026-01-01, D = 365.
    assert final_third_start(licence(date(2025, 1, 1), date(2026, 1, 1))) == date(2025, 9, 1)


def test_final_third_of_a_year_long_order_in_a_leap_year() -> None:
    assert final_third_start(rar_order(date(2024, 1, 1), date(2024, 12, 31))) == date(2024, 8, 31)


def test_the_pr1_key_date_overrides_the_computed_start() -> None:
    event = rar_order(date(2025, 3, 3), date(2026, 3, 2), probation_reset_date=date(2025, 12, 1))
    assert final_third_start(event) == date(2025, 12, 1)


def test_a_life_licence_has_no_final_third() -> None:
    assert final_third_start(licence(date(2020, 5, 1), None)) is None
    assert halfway_point(licence(date(2020, 5, 1), None)) is None


def test_halfway_point_rounds_down() -> None:
    assert halfway_point(licence(date(2025, 1, 1), date(2025, 1, 4))) == date(2025, 1, 2)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    length=st.integers(min_value=0, max_value=4000),
)
def test_final_third_start_lies_within_the_event_after_its_halfway_point(
    start: date, length: int
) -> None:
    end = start + timedelta(days=length)
    event = rar_order(start, end)
    ft_start = final_third_start(event)
    halfway = halfway_point(event)
    assert ft_start is not None and halfway is not None
    assert start <= halfway <= ft_start <= end
    # the final third is at most a third of the days, rounded up, and at least a third rounded down
    remaining = (end - ft_start).days
    assert length - (2 * length) // 3 == remaining
