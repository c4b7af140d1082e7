"""Whether an event is active on a day, and its phase (CONTRACT.md section 3)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from probation_reset.domain.case import Event
from probation_reset.domain.vocabulary import Phase
from probation_reset.rules.final_third import TWO_THIRDS, final_third_start


def supervision_end(event: Event) -> date | None:
    """The last day of supervision as sentenced: PSS end when set, else the end date."""
    return event.pss_end_date if event.pss_end_date is not None else event.end_date


def last_active_day(event: Event) -> date | None:
    """The event's last active day (``None``: no end). Before ``start_date`` if never active."""
    last = supervision_end(event)
    if event.terminated_on is not None:
        cut = event.terminated_on - timedelta(days=1)
        last = cut if last is None else min(last, cut)
    return last


def is_active(event: Event, day: date) -> bool:
    last = last_active_day(event)
    return event.start_date <= day and (last is None or day <= last)


def event_phase(event: Event, day: date, fraction: Fraction = TWO_THIRDS) -> Phase:
    """Where ``event`` stands on ``day`` (its final third from ``fraction`` of its length)."""
    return phase_from_dates(event, day, final_third_start(event, fraction), last_active_day(event))


def phase_from_dates(event: Event, day: date, final_third: date | None, last: date | None) -> Phase:
    """`event_phase` given the event's final-third start and last active day, worked out once
    for all the days a case's history asks about (`rules.history`)."""
    if day < event.start_date:
        return Phase.NOT_STARTED
    if last is not None and day > last:
        return Phase.ENDED
    if event.is_order and not event.has_rar:
        return Phase.NO_RESET
    if event.end_date is None:
        return Phase.NO_FINAL_THIRD
    if day > event.end_date:
        return Phase.PSS
    if final_third is not None and day >= final_third:
        return Phase.FINAL_THIRD
    return Phase.BEFORE_FINAL_THIRD
