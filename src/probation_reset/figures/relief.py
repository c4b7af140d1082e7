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

from probation_reset.domain.case import Event, Registration
from probation_reset.domain.span import DateSpan, merge_adjacent
from probation_reset.domain.vocabulary import Phase, RoshLevel
from probation_reset.rules.phase import event_phase
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


def _days(period: DateSpan) -> Iterator[date]:
    day = period.start
    assert period.end is not None
    while day < period.end:
        yield day
        day += timedelta(days=1)


def _throughout(event: Event, period: DateSpan, phases: frozenset[Phase]) -> bool:
    return all(event_phase(event, day) in phases for day in _days(period))


def _suspended_throughout(suspended: Iterable[DateSpan], period: DateSpan) -> bool:
    return any(span.covers(period) for span in merge_adjacent(suspended))


def monthly_removed(
    suspended: Sequence[DateSpan], events: Sequence[Event], month: DateSpan
) -> bool:
    """Whether the monthly standard would have been owed for ``month`` but for the Reset."""
    if not _suspended_throughout(suspended, month):
        return False
    return any(
        (e.is_licence or e.is_rar_order) and _throughout(e, month, MONTHLY_PHASES) for e in events
    )


def weekly_removed(
    suspended: Sequence[DateSpan],
    events: Sequence[Event],
    registrations: Sequence[Registration],
    week: DateSpan,
) -> bool:
    """Whether the high-RoSH weekly standard would have been owed for ``week`` but for the
    Reset."""
    if not _suspended_throughout(suspended, week):
        return False
    if not all(rosh_in_force(registrations, day) in HIGH_ROSH for day in _days(week)):
        return False
    return any(not e.is_unpaid_work_only and _throughout(e, week, WEEKLY_PHASES) for e in events)


def relief_in_month(
    suspended: Sequence[DateSpan],
    events: Sequence[Event],
    registrations: Sequence[Registration],
    month: DateSpan,
) -> Relief:
    """One person's appointments removed in ``month`` (see the module's definition)."""
    if not any(span.intersection(month) for span in suspended):
        return Relief(0, 0)
    weeks = sum(
        weekly_removed(suspended, events, registrations, week) for week in weeks_starting_in(month)
    )
    return Relief(int(monthly_removed(suspended, events, month)), weeks)
