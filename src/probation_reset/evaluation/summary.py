"""A case's history summarised for reading: recent periods in full, older ones as counts.

A person on licence since 2017 has hundreds of weekly, monthly and recording obligations; a
practitioner reads the recent ones and, for the older periodic ones, how many were met and
missed. One-off obligations (induction, the pre-suspension checklist, the final-third contact,
a MAPPA home visit) are always listed, as is anything still due or not yet due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from probation_reset.domain.span import DateSpan
from probation_reset.domain.vocabulary import ObligationStatus
from probation_reset.rules.history import TimelineSpan
from probation_reset.rules.obligation import Obligation

#: Rules that give one obligation per period or per contact.
PERIODIC_RULES = frozenset(
    {"NS_MONTHLY_F2F", "NS_WEEKLY_F2F_HIGH_ROSH", "RESET_NFA_CHECK_IN", "NS_RECORD_1WD"}
)

#: Periodic obligations whose window starts this many days before the day, or later, are recent.
RECENT_DAYS = 92


@dataclass(frozen=True, slots=True)
class PeriodicCount:
    """Older obligations of one periodic rule and event, counted."""

    rule: str
    event_id: str | None
    first_window: date
    last_due: date
    met: int
    missed: int


@dataclass(frozen=True, slots=True)
class ObligationSummary:
    """``recent`` in full (in the contract's order) and ``earlier`` periodic ones as counts."""

    recent_from: date
    recent: tuple[Obligation, ...]
    earlier: tuple[PeriodicCount, ...]


def is_recent(obligation: Obligation, recent_from: date) -> bool:
    return (
        obligation.rule not in PERIODIC_RULES
        or obligation.window_start >= recent_from
        or obligation.status in (ObligationStatus.DUE, ObligationStatus.NOT_YET_DUE)
    )


def summarise_obligations(
    obligations: Sequence[Obligation], on: date, recent_days: int = RECENT_DAYS
) -> ObligationSummary:
    recent_from = on - timedelta(days=recent_days)
    recent: list[Obligation] = []
    counts: dict[tuple[str, str | None], list[Obligation]] = {}
    for obligation in obligations:
        if is_recent(obligation, recent_from):
            recent.append(obligation)
        else:
            counts.setdefault((obligation.rule, obligation.event_id), []).append(obligation)
    earlier = tuple(
        PeriodicCount(
            rule,
            event_id,
            min(o.window_start for o in group),
            max(o.due_by for o in group),
            sum(o.status is ObligationStatus.MET for o in group),
            sum(o.status is ObligationStatus.MISSED for o in group),
        )
        for (rule, event_id), group in counts.items()
    )
    return ObligationSummary(recent_from, tuple(recent), earlier)


def is_projected(span: DateSpan, facts_day: date) -> bool:
    """Whether a span runs past the day the facts are known to (its later days are projected)."""
    return span.end is None or span.end > facts_day + timedelta(days=1)


def projected_from(timeline: Sequence[TimelineSpan], facts_day: date) -> list[bool]:
    """For each span of the timeline, whether any of its days lies after ``facts_day``."""
    return [is_projected(s.span, facts_day) for s in timeline]
