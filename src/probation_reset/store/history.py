"""A person's status history as the store keeps it: status spans and the transitions between.

Both come from the core's timeline (``Engine.history(case).timeline()``), which covers every day
from the first event's start to the last active day, whatever day it is: the history is the same
whenever it is computed, so an import needs no date. A transition is recorded on each day the
status changes, with why the new status holds that day (``status_reasons``), and on the day after
the last active day (``ENDED``). Its kind says what the change means for contact:

- ``SUSPENDED``: contact is suspended for the first time (final third or PSS, no exemption);
- ``REINSTATED``: from ``SUSPENDED`` to ``EXEMPT``: an exemption began, contact resumes;
- ``RE_SUSPENDED``: to ``SUSPENDED`` again after an earlier suspension (typically an exemption
  that reinstated contact has ended);
- ``EXEMPTED``: to ``EXEMPT`` from any status but ``SUSPENDED``: the final third or PSS began
  while an exemption applied, so contact never stopped;
- ``ACTIVE``, ``NOT_APPLICABLE``, ``ENDED``: to that status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import Status
from probation_reset.evaluation.document import reason_json
from probation_reset.evaluation.engine import Engine
from probation_reset.rules.history import CaseHistory, TimelineSpan
from probation_reset.rules.reasons import status_reasons


class TransitionKind(StrEnum):
    SUSPENDED = "SUSPENDED"
    REINSTATED = "REINSTATED"
    RE_SUSPENDED = "RE_SUSPENDED"
    EXEMPTED = "EXEMPTED"
    ACTIVE = "ACTIVE"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    ENDED = "ENDED"


@dataclass(frozen=True, slots=True)
class StatusTransition:
    day: date
    from_status: Status | None
    to_status: Status
    kind: TransitionKind
    exemptions: tuple[str, ...]
    #: ``[{"rule", "text", "source", "event_id"?}]``, as in the contract's ``reasons``.
    reasons: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class StatusHistory:
    crn: str
    policy_version: str
    spans: tuple[TimelineSpan, ...]
    transitions: tuple[StatusTransition, ...]


def transition_kind(
    from_status: Status | None, to_status: Status, suspended_before: bool
) -> TransitionKind:
    """What a change of status means, given whether contact was ever suspended before."""
    if to_status is Status.SUSPENDED:
        return TransitionKind.RE_SUSPENDED if suspended_before else TransitionKind.SUSPENDED
    if to_status is Status.EXEMPT:
        return (
            TransitionKind.REINSTATED
            if from_status is Status.SUSPENDED
            else TransitionKind.EXEMPTED
        )
    return TransitionKind(to_status.value)


def status_history(engine: Engine, case: Case, history: CaseHistory | None = None) -> StatusHistory:
    """The case's status spans and every transition between them, with reasons (from
    ``history``, the core's history of the case, when it is already at hand)."""
    history = engine.history(case) if history is None else history
    spans = tuple(history.timeline())
    changes: list[tuple[date, Status]] = []
    previous: Status | None = None
    for span in spans:
        if span.status is not previous:
            changes.append((span.span.start, span.status))
            previous = span.status
    if spans and spans[-1].span.end is not None:
        changes.append((spans[-1].span.end, Status.ENDED))
    transitions: list[StatusTransition] = []
    suspended_before = False
    from_status: Status | None = None
    for day, to_status in changes:
        status, reasons = status_reasons(history, day)
        if status is not to_status:
            raise AssertionError(
                f"{case.crn}: the timeline says {to_status} on {day}, the status rules {status}"
            )
        transitions.append(
            StatusTransition(
                day=day,
                from_status=from_status,
                to_status=to_status,
                kind=transition_kind(from_status, to_status, suspended_before),
                exemptions=history.at(day).exemptions,
                reasons=tuple(reason_json(r) for r in reasons),
            )
        )
        suspended_before = suspended_before or to_status is Status.SUSPENDED
        from_status = to_status
    return StatusHistory(case.crn, engine.parameters.version, spans, tuple(transitions))
