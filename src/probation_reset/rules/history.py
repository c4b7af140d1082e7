"""A case's facts as spans of time: status, exemptions, phases, RoSH and MAPPA level.

Every fact the rules read changes only on a few days (an event starts, its final third starts,
it ends; a registration starts or ends; the Reset comes into force). Between two such days all
facts are constant, so the case is cut into intervals at those days and each interval is judged
once, by the same day-functions that answer for a single day. A status on a day is then a lookup,
the timeline is the intervals merged, and "what changed" is a difference of spans.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from probation_reset.domain.case import Case, Event
from probation_reset.domain.span import ONE_DAY, DateSpan
from probation_reset.domain.vocabulary import Phase, RoshLevel, Status
from probation_reset.policy.parameters import DatedParameter
from probation_reset.rules.exemptions import exemptions_on
from probation_reset.rules.final_third import TWO_THIRDS, final_third_start, halfway_point
from probation_reset.rules.phase import last_active_day, phase_from_dates
from probation_reset.rules.registrations import mappa_level_in_force, rosh_in_force
from probation_reset.rules.status import status_from


@dataclass(frozen=True, slots=True)
class EventDates:
    """The critical dates of one event."""

    event: Event
    index: int
    final_third_start: date | None
    halfway_point: date | None
    last_active_day: date | None

    @property
    def ever_active(self) -> bool:
        return self.last_active_day is None or self.last_active_day >= self.event.start_date

    @property
    def active_span(self) -> DateSpan | None:
        if not self.ever_active:
            return None
        return DateSpan.inclusive(self.event.start_date, self.last_active_day)


@dataclass(frozen=True, slots=True)
class ResetTerms:
    """What a policy version says the Reset is: where the final third starts (the fraction in
    force on the sentence's start date) and which exemptions count (the list in force on the
    day). Without parameters: the Reset as published, two thirds and every exemption."""

    fraction: DatedParameter[Fraction] | None = None
    exemptions: DatedParameter[tuple[str, ...]] | None = None

    def fraction_for(self, event: Event) -> Fraction:
        if self.fraction is None:
            return TWO_THIRDS
        return self.fraction.at_or_first(event.start_date)

    def exemptions_listed(self, day: date) -> tuple[str, ...] | None:
        return None if self.exemptions is None else self.exemptions.at_or_first(day)

    def change_days(self) -> list[date]:
        """Days on which the list of exemptions may change."""
        return [] if self.exemptions is None else [v.effective_from for v in self.exemptions.values]


@dataclass(frozen=True, slots=True)
class Interval:
    """Days over which every fact is the same."""

    span: DateSpan
    status: Status
    exemptions: tuple[str, ...]
    phases: tuple[Phase, ...]
    rosh: RoshLevel | None
    mappa_level: int | None


@dataclass(frozen=True, slots=True)
class TimelineSpan:
    span: DateSpan
    status: Status
    exemptions: tuple[str, ...]


def _change_days(
    case: Case, reset_starts: date, events: tuple[EventDates, ...], terms: ResetTerms
) -> list[date]:
    days = {reset_starts, *terms.change_days()}
    for dates in events:
        event = dates.event
        days.add(event.start_date)
        start = dates.final_third_start
        if start is not None:
            days.add(start)
        if event.end_date is not None:
            days.add(event.end_date + ONE_DAY)
        if event.pss_end_date is not None:
            days.add(event.pss_end_date + ONE_DAY)
        if event.terminated_on is not None:
            days.add(event.terminated_on)
    for registration in case.registrations:
        days.add(registration.start_date)
        if registration.deregistered_on is not None:
            days.add(registration.deregistered_on)
    return sorted(days)


class CaseHistory:
    """The facts of one case over all time, as intervals (the last one open-ended)."""

    def __init__(self, case: Case, reset_starts: date, terms: ResetTerms | None = None) -> None:
        self.case = case
        self.reset_starts = reset_starts
        self.terms = terms or ResetTerms()
        self._fractions = tuple(self.terms.fraction_for(e) for e in case.events)
        self.events = tuple(
            EventDates(e, i, final_third_start(e, f), halfway_point(e), last_active_day(e))
            for i, (e, f) in enumerate(zip(case.events, self._fractions, strict=True))
        )
        days = _change_days(case, reset_starts, self.events, self.terms)
        self._starts = days
        self.intervals = tuple(
            self._judge(DateSpan(day, days[i + 1] if i + 1 < len(days) else None))
            for i, day in enumerate(days)
        )

    def _judge(self, span: DateSpan) -> Interval:
        day = span.start
        exempt = exemptions_on(self.case, day, self.terms.exemptions_listed(day))
        phases = tuple(
            phase_from_dates(d.event, day, d.final_third_start, d.last_active_day)
            for d in self.events
        )
        in_force = [r for r in self.case.registrations if r.is_active(day)]
        return Interval(
            span=span,
            status=status_from(phases, day >= self.reset_starts, bool(exempt)),
            exemptions=exempt,
            phases=phases,
            rosh=rosh_in_force(in_force, day) if in_force else None,
            mappa_level=mappa_level_in_force(in_force, day) if in_force else None,
        )

    def at(self, day: date) -> Interval:
        """The facts on ``day`` (before the first change day nothing is active)."""
        position = bisect_right(self._starts, day) - 1
        if position < 0:
            return Interval(
                DateSpan(day, self._starts[0]),
                Status.ENDED,
                (),
                tuple(Phase.NOT_STARTED for _ in self.case.events),
                None,
                None,
            )
        return self.intervals[position]

    def spans_where(self, holds: Callable[[Interval], bool]) -> list[DateSpan]:
        """The maximal spans of days on which ``holds`` is true: runs of intervals (each starts
        where the one before ends, so a run is one span)."""
        spans: list[DateSpan] = []
        start: date | None = None
        end: date | None = None
        for interval in self.intervals:
            if holds(interval):
                if start is None:
                    start = interval.span.start
                end = interval.span.end
            elif start is not None:
                spans.append(DateSpan(start, end))
                start = None
        if start is not None:
            spans.append(DateSpan(start, end))
        return spans

    def within(self, span: DateSpan) -> Iterator[Interval]:
        """The intervals meeting ``span``, each cut to it."""
        for interval in self.intervals:
            cut = interval.span.intersection(span)
            if cut is not None:
                yield Interval(
                    cut,
                    interval.status,
                    interval.exemptions,
                    interval.phases,
                    interval.rosh,
                    interval.mappa_level,
                )

    @property
    def covered(self) -> DateSpan | None:
        """From the first event start to the last active day (``None``: no active day)."""
        if not self.events:
            return None
        ever = [d for d in self.events if d.ever_active]
        if not ever:
            return None
        first = min(d.event.start_date for d in self.events)
        lasts = [d.last_active_day for d in ever]
        last = None if any(x is None for x in lasts) else max(x for x in lasts if x is not None)
        return DateSpan.inclusive(first, last)

    def timeline(self) -> list[TimelineSpan]:
        """Status spans from the first event start to the last active day, merged when the
        status and exemptions do not change."""
        covered = self.covered
        if covered is None:
            return []
        merged: list[TimelineSpan] = []
        for interval in self.within(covered):
            if merged and (merged[-1].status, merged[-1].exemptions) == (
                interval.status,
                interval.exemptions,
            ):
                previous = merged[-1]
                merged[-1] = TimelineSpan(
                    DateSpan(previous.span.start, interval.span.end),
                    previous.status,
                    previous.exemptions,
                )
            else:
                merged.append(TimelineSpan(interval.span, interval.status, interval.exemptions))
        return merged


def last_recorded_fact(case: Case) -> date | None:
    """The latest day on which something about the case is recorded as having happened: a
    contact with an outcome or a recording, a registration starting or ending, an event starting
    or terminated. Statuses after it follow from dates known in advance: a projection."""
    days: list[date] = []
    for contact in case.contacts:
        if contact.outcome is not None:
            days.append(contact.day)
        if contact.recorded_on is not None:
            days.append(contact.recorded_on)
    for registration in case.registrations:
        days.append(registration.start_date)
        if registration.deregistered_on is not None:
            days.append(registration.deregistered_on)
    for event in case.events:
        days.append(event.start_date)
        if event.terminated_on is not None:
            days.append(event.terminated_on)
    return max(days, default=None)
