"""Where NDelius and the rules disagree about a person on a day.

NDelius marks a suspension by hand with the ``PRC`` registration (``CONTACT_SUSPENDED``) and holds
the ``PR1`` key date ("suspension date if reset"); nobody checks either against the rules. This
module compares them with the computed status and final-third start, person by person, and says
what to change in NDelius. It reads a case and its evaluation on the day; it never reads the
clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from probation_reset.domain.case import Case, Manager
from probation_reset.domain.vocabulary import Phase, RegistrationType, Status
from probation_reset.evaluation.engine import CaseResult
from probation_reset.rules.final_third import two_thirds_point


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
_CURRENT = frozenset(
    {Phase.NOT_STARTED, Phase.BEFORE_FINAL_THIRD, Phase.FINAL_THIRD, Phase.PSS, Phase.NO_RESET}
)


def _long(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _suspended_since(result: CaseResult) -> date | None:
    return next((t.span.start for t in result.timeline if t.span.contains(result.on)), None)


def _status_findings(case: Case, result: CaseResult) -> Iterator[Finding]:
    prc = [
        r
        for r in case.registrations
        if r.type is RegistrationType.CONTACT_SUSPENDED and r.is_active(result.on)
    ]
    status = result.status
    if prc and status in (Status.ACTIVE, Status.EXEMPT):
        since = _long(min(r.start_date for r in prc))
        if status is Status.EXEMPT:
            why = f"the person is EXEMPT ({', '.join(result.exemptions)}): contact is reinstated"
        else:
            why = "the person is ACTIVE: contact continues as the National Standards set"
        yield Finding(
            case.crn,
            Mismatch.PRC_BUT_CONTACT_CONTINUES,
            status,
            None,
            f"PRC (contact suspended) recorded since {since}, but {why}.",
            "End the PRC registration and resume sentence-management contact.",
            case.manager,
        )
    elif prc and status in (Status.NOT_APPLICABLE, Status.ENDED):
        since = _long(min(r.start_date for r in prc))
        why = (
            "no sentence is active"
            if status is Status.ENDED
            else "the only active orders have no RAR: the Reset does not act on them"
        )
        yield Finding(
            case.crn,
            Mismatch.PRC_BUT_NOT_UNDER_RESET,
            status,
            None,
            f"PRC (contact suspended) recorded since {since}, but {why}.",
            "End the PRC registration.",
            case.manager,
        )
    elif not prc and status is Status.SUSPENDED:
        suspended = _suspended_since(result)
        from_text = f" from {_long(suspended)}" if suspended else ""
        yield Finding(
            case.crn,
            Mismatch.SUSPENDED_WITHOUT_PRC,
            status,
            None,
            f"Contact is suspended under the Reset{from_text}, but no PRC is recorded.",
            f"Register PRC (contact suspended){from_text}.",
            case.manager,
        )


def _key_date_findings(case: Case, result: CaseResult) -> Iterator[Finding]:
    phases = {e.event_id: e.phase for e in result.events}
    for event in case.events:
        if phases.get(event.event_id) not in _CURRENT or event.end_date is None:
            continue
        pr1 = event.probation_reset_date
        computed = two_thirds_point(event)
        if event.is_order and not event.has_rar:
            if pr1 is not None:
                yield Finding(
                    case.crn,
                    Mismatch.PR1_ON_ORDER_WITHOUT_RAR,
                    result.status,
                    event.event_id,
                    f"A PR1 key date ({_long(pr1)}) is recorded on an order without a RAR "
                    "requirement: the Reset does not act on it.",
                    "Remove the PR1 key date.",
                    case.manager,
                )
            continue
        if computed is None:
            continue
        if pr1 is None:
            yield Finding(
                case.crn,
                Mismatch.PR1_MISSING,
                result.status,
                event.event_id,
                f"No PR1 key date; the two-thirds point is {_long(computed)}.",
                f"Record the PR1 key date {computed.isoformat()}.",
                case.manager,
            )
        elif pr1 != computed:
            apart = (pr1 - computed).days
            side = "after" if apart > 0 else "before"
            yield Finding(
                case.crn,
                Mismatch.PR1_DIFFERS,
                result.status,
                event.event_id,
                f"PR1 key date {_long(pr1)} is {abs(apart)} day(s) {side} the two-thirds point "
                f"{_long(computed)}.",
                f"Check the PR1 key date: the two-thirds point is {computed.isoformat()}.",
                case.manager,
                days_apart=apart,
            )


def reconcile(case: Case, result: CaseResult) -> list[Finding]:
    """Every disagreement between the case's NDelius records and the rules on ``result.on``."""
    return [*_status_findings(case, result), *_key_date_findings(case, result)]


def counts_by_team(findings: Iterable[Finding]) -> dict[str, Counter[Mismatch]]:
    """Per team (sorted by name), how many findings of each kind."""
    counts: dict[str, Counter[Mismatch]] = {}
    for finding in findings:
        counts.setdefault(finding.team, Counter())[finding.kind] += 1
    return dict(sorted(counts.items()))
