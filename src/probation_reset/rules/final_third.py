"""Critical dates of an event: the final-third start and the halfway point."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from probation_reset.domain.case import Event

#: Where the final third starts (the policy parameter ``reset/final_third_fraction``).
TWO_THIRDS = Fraction(2, 3)


def final_third_start(event: Event, fraction: Fraction = TWO_THIRDS) -> date | None:
    """The first day of the final third, for an event with an end date.

    The NDelius key date ``PR1`` (``probation_reset_date``) wins when given; otherwise the
    two-thirds point as NDelius computes it: ``start + floor(2 * D / 3)`` days, where ``D`` is
    the days from start to end (CONTRACT.md section 3; RESET). Under a policy whose final third
    starts at another ``fraction``, that point, whatever PR1 (the two-thirds point) says.
    """
    if fraction != TWO_THIRDS:
        return fraction_point(event, fraction)
    if event.end_date is not None and event.probation_reset_date is not None:
        return event.probation_reset_date
    return two_thirds_point(event)


def fraction_point(event: Event, fraction: Fraction) -> date | None:
    """``start + floor(fraction * D)`` days (None: no end)."""
    if event.end_date is None:
        return None
    length = (event.end_date - event.start_date).days
    return event.start_date + timedelta(days=(fraction.numerator * length) // fraction.denominator)


def two_thirds_point(event: Event) -> date | None:
    """``start + floor(2 * D / 3)`` days, whatever the ``PR1`` key date says (None: no end)."""
    return fraction_point(event, TWO_THIRDS)


def halfway_point(event: Event) -> date | None:
    """``start + floor(D / 2)`` days: after it a licence's conditions are reviewed (FAQ)."""
    if event.end_date is None:
        return None
    length = (event.end_date - event.start_date).days
    return event.start_date + timedelta(days=length // 2)
