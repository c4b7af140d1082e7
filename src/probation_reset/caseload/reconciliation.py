"""Where NDelius and the rules disagree about a person on a day.

NDelius marks a suspension by hand with the ``PRC`` registration (``CONTACT_SUSPENDED``) and holds
the ``PR1`` key date ("suspension date if reset"); nobody checks either against the rules. This
module compares them with the computed status and final-third start, person by person, and says
what to change in NDelius. It reads a case and its evaluation on the day; it never reads the
clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from probation_reset.domain.case import Case, Event, Manager
from probation_reset.domain.vocabulary import Phase, RegistrationType, Status
from probation_reset.evaluation.engine import CaseResult
from probation_reset.rules.final_third import two_thirds_point
from probation_reset.rules.history import TimelineSpan


class Mismatch(StrEnum):
    """A kind of disagreement, with what NDelius should be told."""

    PRC_BUT_CONTACT_CONTINUES = "PRC_BUT_CONTACT_CONTINUES"
    PRC_BUT_NOT_UNDER_RESET = "PRC_BUT_NOT_UNDER_RESET"
    SUSPENDED_WITHOUT_PRC = "SUSPENDED_WITHOUT_PRC"
    PR1_MISSING = "PR1_MISSING"
    PR1_DIFFERS = "PR1_DIFFERS"
    PR1_ON_ORDER_WITHOUT_RAR = "PR1_ON_ORDER_WITHOUT_RAR"


@dataclass(frozen=True, slots=True)
class Finding:
    """One disagreement: whose, which event (none for the person's status), why and what to do."""

    crn: str
    kind: Mismatch
    status: Status
    event_id: str | None
    detail: str
    action: str
    manager: Manager | None
    #: PR1 minus the computed two-thirds point, in days (``PR1_DIFFERS`` only).
    days_apart: int | None = None

    @property
    def team(self) -> str:
        return (self.manager.team if self.manager else None) or "(no team)"


#: Phases in which an event is still to be managed: its key dates still matter.
CURRENT_PHASES = frozenset(
    {Phase.NOT_STARTED, Phase.BEFORE_FINAL_THIRD, Phase.FINAL_THIRD, Phase.PSS, Phase.NO_RESET}
)


def _long(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def status_since(timeline: Sequence[TimelineSpan], on: date) -> date | None:
    """The first day of the timeline's span holding ``on`` (``None``: none holds it)."""
    return next((t.span.start for t in timeline if t.span.contains(on)), None)


#: What NDelius's PRC (active on the day, or not) says against each status: the finding's kind.
#: Every other pairing agrees (a SUSPENDED person with a PRC, anyone else without one).
STATUS_MISMATCHES: dict[tuple[bool, Status], Mismatch] = {
    (True, Status.ACTIVE): Mismatch.PRC_BUT_CONTACT_CONTINUES,
    (True, Status.EXEMPT): Mismatch.PRC_BUT_CONTACT_CONTINUES,
    (True, Status.NOT_APPLICABLE): Mismatch.PRC_BUT_NOT_UNDER_RESET,
    (True, Status.ENDED): Mismatch.PRC_BUT_NOT_UNDER_RESET,
    (False, Status.SUSPENDED): Mismatch.SUSPENDED_WITHOUT_PRC,
}


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """What the status findings read about a person on a day."""

    crn: str
    manager: Manager | None
    status: Status
    exemptions: tuple[str, ...]
    #: The earliest start of the PRC registrations active on the day (``None``: no PRC).
    prc_since: date | None
    #: The first day of the status span holding the day (``None``: none holds it).
    status_since: date | None


def status_finding(facts: StatusFacts) -> Finding | None:
    """The finding about the person's PRC registration against their status, if they disagree."""
    kind = STATUS_MISMATCHES.get((facts.prc_since is not None, facts.status))
    status = facts.status
    if kind is Mismatch.SUSPENDED_WITHOUT_PRC:
        suspended = facts.status_since
        from_text = f" from {_long(suspended)}" if suspended else ""
        return Finding(
            facts.crn,
            kind,
            status,
            None,
            f"Contact is suspended under the Reset{from_text}, but no PRC is recorded.",
            f"Register PRC (contact suspended){from_text}.",
            facts.manager,
        )
    if kind is None or facts.prc_since is None:
        return None
    since = _long(facts.prc_since)
    if kind is Mismatch.PRC_BUT_CONTACT_CONTINUES:
        if status is Status.EXEMPT:
            why = f"the person is EXEMPT ({', '.join(facts.exemptions)}): contact is reinstated"
        else:
            why = "the person is ACTIVE: contact continues as the National Standards set"
        action = "End the PRC registration and resume sentence-management contact."
    else:
        why = (
            "no sentence is active"
            if status is Status.ENDED
            else "the only active orders have no RAR: the Reset does not act on them"
        )
        action = "End the PRC registration."
    return Finding(
        facts.crn,
        kind,
        status,
        None,
        f"PRC (contact suspended) recorded since {since}, but {why}.",
        action,
        facts.manager,
    )


def _status_findings(case: Case, result: CaseResult) -> Iterator[Finding]:
    prc = [
        r.start_date
        for r in case.registrations
        if r.type is RegistrationType.CONTACT_SUSPENDED and r.is_active(result.on)
    ]
    facts = StatusFacts(
        case.crn,
        case.manager,
        result.status,
        result.exemptions,
        min(prc, default=None),
        status_since(result.timeline, result.on),
    )
    found = status_finding(facts)
    if found is not None:
        yield found


def key_date_finding(
    crn: str, manager: Manager | None, status: Status, event: Event
) -> Finding | None:
    """The finding about an event's PR1 key date, for an event still to be managed (its phase
    in ``CURRENT_PHASES``), if it disagrees with the rules."""
    if event.end_date is None:
        return None
    pr1 = event.probation_reset_date
    if event.is_order and not event.has_rar:
        if pr1 is None:
            return None
        return Finding(
            crn,
            Mismatch.PR1_ON_ORDER_WITHOUT_RAR,
            status,
            event.event_id,
            f"A PR1 key date ({_long(pr1)}) is recorded on an order without a RAR "
            "requirement: the Reset does not act on it.",
            "Remove the PR1 key date.",
            manager,
        )
    computed = two_thirds_point(event)
    if computed is None:
        return None
    if pr1 is None:
        return Finding(
            crn,
            Mismatch.PR1_MISSING,
            status,
            event.event_id,
            f"No PR1 key date; the two-thirds point is {_long(computed)}.",
            f"Record the PR1 key date {computed.isoformat()}.",
            manager,
        )
    if pr1 == computed:
        return None
    apart = (pr1 - computed).days
    side = "after" if apart > 0 else "before"
    return Finding(
        crn,
        Mismatch.PR1_DIFFERS,
        status,
        event.event_id,
        f"PR1 key date {_long(pr1)} is {abs(apart)} day(s) {side} the two-thirds point "
        f"{_long(computed)}.",
        f"Check the PR1 key date: the two-thirds point is {computed.isoformat()}.",
        manager,
        days_apart=apart,
    )


def _key_date_findings(case: Case, result: CaseResult) -> Iterator[Finding]:
    phases = {e.event_id: e.phase for e in result.events}
    for event in case.events:
        if phases.get(event.event_id) in CURRENT_PHASES:
            found = key_date_finding(case.crn, case.manager, result.status, event)
            if found is not None:
                yield found


def reconcile(case: Case, result: CaseResult) -> list[Finding]:
    """Every disagreement between the case's NDelius records and the rules on ``result.on``."""
    return [*_status_findings(case, result), *_key_date_findings(case, result)]


def counts_by_team(findings: Iterable[Finding]) -> dict[str, Counter[Mismatch]]:
    """Per team (sorted by name), how many findings of each kind."""
    counts: dict[str, Counter[Mismatch]] = {}
    for finding in findings:
        counts.setdefault(finding.team, Counter())[finding.kind] += 1
    return dict(sorted(counts.items()))
