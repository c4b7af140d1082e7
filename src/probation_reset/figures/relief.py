"""The workload the Reset removed: sentence-management appointments not owed in a month.

Without the Reset, the National Standards owe a held face-to-face contact in every whole calendar
month of a RAR order or licence that is being supervised (``NS_MONTHLY_F2F``, SMF 5.9), and in
every whole Monday-to-Sunday week while the RoSH is high or very high
(``NS_WEEKLY_F2F_HIGH_ROSH``, SMF 5.9; not PSS, not an unpaid-work-only order). Both standards are
not in force while the person is ``SUSPENDED`` (RESET). A person's month, or week, counts as
*removed by the Reset* when:

- the person is ``SUSPENDED`` on every day of it (so no part of it is owed), and
- without the Reset the standard would have been in force on every day of it for at least one of
  their events: a licence or RAR order in its final third (monthly); any event but an
  unpaid-work-only order, in its final third or an order without a RAR, with the RoSH in force
  high or very high (weekly).

Counted once per person (one meeting serves all of a person's events), the weeks of a month being
those whose Monday falls in it. A month only partly suspended is not counted: the figure is a
lower bound on the appointments removed. Pure: spans, events and registrations in.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from probation_reset.domain.case import Event, Registration
from probation_reset.domain.span import DateSpan, merge_adjacent
from probation_reset.domain.vocabulary import Phase, RoshLevel
from probation_reset.rules.final_third import final_third_start
from probation_reset.rules.phase import last_active_day
from probation_reset.rules.registrations import rosh_in_force

#: Phases in which the standards apply (the national standards' supervised phases) that an event
#: can be in while its person is suspended.
MONTHLY_PHASES = frozenset({Phase.FINAL_THIRD})
WEEKLY_PHASES = frozenset({Phase.FINAL_THIRD, Phase.NO_RESET})
HIGH_ROSH = frozenset({RoshLevel.HIGH, RoshLevel.VERY_HIGH})


@dataclass(frozen=True, slots=True)
class Relief:
    """A person's appointments not owed in a month because contact was suspended."""

    monthly: int
    weekly: int


def month_of(day: date) -> DateSpan:
    """The calendar month containing ``day``."""
    last = month_calendar.monthrange(day.year, day.month)[1]
    return DateSpan.inclusive(day.replace(day=1), day.replace(day=last))


def weeks_starting_in(month: DateSpan) -> Iterator[DateSpan]:
    """The Monday-to-Sunday weeks whose Monday falls in ``month``."""
    first = month.start
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    while month.contains(monday):
        yield DateSpan(monday, monday + timedelta(days=7))
        monday += timedelta(days=7)


def _high_rosh_throughout(registrations: Sequence[Registration], period: DateSpan) -> bool:
    """Whether the RoSH in force is high or very high on every day of ``period``: checked on
    its first day and on each day inside it that a RoSH registration starts or ends (the only
    days the RoSH in force can change)."""
    assert period.end is not None
    days = {period.start}
    for registration in registrations:
        for day in (registration.start_date, registration.deregistered_on):
            if day is not None and period.start < day < period.end:
                days.add(day)
    return all(rosh_in_force(registrations, day) in HIGH_ROSH for day in days)


def phase_span(event: Event, phases: frozenset[Phase]) -> DateSpan | None:
    """The days on which ``event_phase(event, day)`` is in ``phases`` (a subset of
    ``{FINAL_THIRD, NO_RESET}``): one run of days, as the phases follow each other."""
    last = last_active_day(event)
    if last is not None and last < event.start_date:
        return None
    if event.is_order and not event.has_rar:
        return DateSpan.inclusive(event.start_date, last) if Phase.NO_RESET in phases else None
    start = final_third_start(event)
    if Phase.FINAL_THIRD not in phases or event.end_date is None or start is None:
        return None
    first = max(start, event.start_date)
    final = event.end_date if last is None else min(event.end_date, last)
    return DateSpan.inclusive(first, final) if first <= final else None


def _suspended_throughout(suspended: Iterable[DateSpan], period: DateSpan) -> bool:
    return any(span.covers(period) for span in suspended)


def _monthly_spans(events: Sequence[Event]) -> list[DateSpan]:
    """Days on which the monthly standard applies to an event, were contact not suspended."""
    spans = (phase_span(e, MONTHLY_PHASES) for e in events if e.is_licence or e.is_rar_order)
    return [span for span in spans if span is not None]


def _weekly_spans(events: Sequence[Event]) -> list[DateSpan]:
    """Days on which the high-RoSH weekly standard applies to an event (RoSH aside), were
    contact not suspended."""
    spans = (phase_span(e, WEEKLY_PHASES) for e in events if not e.is_unpaid_work_only)
    return [span for span in spans if span is not None]


def monthly_removed(
    suspended: Sequence[DateSpan], events: Sequence[Event], month: DateSpan
) -> bool:
    """Whether the monthly standard would have been owed for ``month`` but for the Reset."""
    return _suspended_throughout(merge_adjacent(suspended), month) and any(
        span.covers(month) for span in _monthly_spans(events)
    )


def weekly_removed(
    suspended: Sequence[DateSpan],
    events: Sequence[Event],
    registrations: Sequence[Registration],
    week: DateSpan,
) -> bool:
    """Whether the high-RoSH weekly standard would have been owed for ``week`` but for the
    Reset."""
    return _weekly_removed(merge_adjacent(suspended), _weekly_spans(events), registrations, week)


def _weekly_removed(
    merged: Sequence[DateSpan],
    weekly: Sequence[DateSpan],
    registrations: Sequence[Registration],
    week: DateSpan,
) -> bool:
    return (
        _suspended_throughout(merged, week)
        and any(span.covers(week) for span in weekly)
        and _high_rosh_throughout(registrations, week)
    )


def relief_in_month(
    suspended: Sequence[DateSpan],
    events: Sequence[Event],
    registrations: Sequence[Registration],
    month: DateSpan,
) -> Relief:
    """One person's appointments removed in ``month`` (see the module's definition)."""
    merged = merge_adjacent(suspended)
    if not any(span.intersection(month) for span in merged):
        return Relief(0, 0)
    monthly = _suspended_throughout(merged, month) and any(
        span.covers(month) for span in _monthly_spans(events)
    )
    weeks = 0
    if any(r.level is not None and str(r.level) in HIGH_ROSH for r in registrations):
        # (Without a high or very high RoSH registration, the RoSH in force is never high.)
        weekly = _weekly_spans(events)
        weeks = sum(
            _weekly_removed(merged, weekly, registrations, week) for week in _weeks_of(month)
        )
    return Relief(int(monthly), weeks)


@cache
def _weeks_of(month: DateSpan) -> tuple[DateSpan, ...]:
    return tuple(weeks_starting_in(month))
