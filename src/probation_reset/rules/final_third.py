"""Critical dates of an event: the final-third start and the halfway point."""

from __future__ import annotations

from datetime import date, timedelta

from probation_reset.domain.case import Event


def final_third_start(event: Event) -> date | None:
    """The first day of the final third, for an event with an end date.

    The NDelius key date ``PR1`` (``probation_reset_date``) wins when given; otherwise the
    two-thirds point as NDelius computes it: ``start + floor(2 * D / 3)`` days, where ``D`` is
    the days from start to end (CONTRACT.md section 3; RESET).
    """
    if event.end_date is not None and event.probation_reset_date is not None:
        return event.probation_reset_date
    return two_thirds_point(event)


def two_thirds_point(event: Event) -> date | None:
    """``start + floor(2 * D / 3)`` days, whatever the ``PR1`` key date says (None: no end)."""
    if event.end_date is None:
        return None
    length = (event.end_date - event.start_date).days
    return event.start_date + timedelta(days=(2 * length) // 3)


def halfway_point(event: Event) -> date | None:
    """``start + floor(D / 2)`` days: after it a licence's conditions are reviewed (FAQ)."""
    if event.end_date is None:
        return None
    length = (event.end_date - event.start_date).days
    return event.start_date + timedelta(days=length // 2)
