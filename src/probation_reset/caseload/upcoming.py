"""Who enters the final third, or post-sentence supervision, in the next weeks, and what is open.

The national tool prompts only once the date has passed; a practitioner wants to see ahead the
people whose contact will be suspended, with the pre-suspension checklist items still open
(RESET: "before the final third ... review the risk management plan"; FAQ: licence conditions,
safety plan) and their due dates. Each entry is one event crossing into its final third or PSS
within the horizon; the person's status on that day says whether contact will be suspended or
continues (an exemption). Pure: a case, its history and its evaluation on the day in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from probation_reset.domain.case import Case, Event, Manager
from probation_reset.domain.span import ONE_DAY
from probation_reset.domain.vocabulary import ObligationStatus, Phase, Status
from probation_reset.evaluation.engine import CaseResult
from probation_reset.rules import checklist
from probation_reset.rules.history import CaseHistory
from probation_reset.rules.obligation import Obligation

#: The pre-suspension checklist's rules (``RESET_PRE_*``).
CHECKLIST_RULES = frozenset(rule.id for rule in checklist.RULES)


@dataclass(frozen=True, slots=True)
class Upcoming:
    """One event entering its final third or PSS on ``starts``, and what is still open."""

    crn: str
    manager: Manager | None
    event_id: str
    entering: Phase
    starts: date
    status_then: Status
    exemptions_then: tuple[str, ...]
    open_items: tuple[Obligation, ...]

    @property
    def practitioner(self) -> str:
        if self.manager is None:
            return "(unallocated)"
        name = self.manager.staff_name or self.manager.staff_code
        return name or "(unallocated)"


def entering_days(event: Event, final_third_start: date | None) -> list[tuple[Phase, date]]:
    """The days the event would enter its final third and its PSS (when it has them)."""
    days: list[tuple[Phase, date]] = []
    if final_third_start is not None:
        days.append((Phase.FINAL_THIRD, final_third_start))
    if event.end_date is not None and event.pss_end_date is not None:
        days.append((Phase.PSS, event.end_date + ONE_DAY))
    return days


def is_open_checklist_item(obligation: Obligation, event_id: str) -> bool:
    """A pre-suspension checklist item of the event not met on the day it was judged."""
    return (
        obligation.event_id == event_id
        and obligation.rule in CHECKLIST_RULES
        and obligation.status is not ObligationStatus.MET
    )


def _crossings(history: CaseHistory, after: date, until: date) -> Iterator[tuple[int, Phase, date]]:
    """(event index, phase entered, first day) for each crossing in ``(after, until]``."""
    for dates in history.events:
        for phase, day in entering_days(dates.event, dates.final_third_start):
            if after < day <= until and history.at(day).phases[dates.index] is phase:
                yield dates.index, phase, day


def upcoming(case: Case, history: CaseHistory, result: CaseResult, weeks: int) -> list[Upcoming]:
    """Every crossing into a final third or PSS after ``result.on`` and within ``weeks`` weeks."""
    until = result.on + timedelta(weeks=weeks)
    entries = []
    for index, phase, day in _crossings(history, result.on, until):
        event_id = history.events[index].event.event_id
        then = history.at(day)
        open_items = tuple(o for o in result.obligations if is_open_checklist_item(o, event_id))
        entries.append(
            Upcoming(
                case.crn,
                case.manager,
                event_id,
                phase,
                day,
                then.status,
                then.exemptions,
                open_items if phase is Phase.FINAL_THIRD else (),
            )
        )
    return entries
