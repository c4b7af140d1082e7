"""The items the engine raises itself for the hub, from a case and its evaluation on a day.

Nothing here is stored: each item follows from the case's facts on the day, so it is derived
whenever the queue is read, and it leaves the queue on its own when the facts change (a letter
is recorded, a check-in is held, the ``PRC`` is ended) or once someone has triaged it. An item's
``ref`` names it stably (kind, the day it began to wait, event, CRN), so a triage can find the
same item again. Pure: it never reads the clock.

- ``SUSPENSION_LETTER_DUE``: the person is ``SUSPENDED`` and no ``SUSPENSION_LETTER`` contact is
  dated from ``letter_lookback_days`` before the suspension began up to the day;
- ``NEWLY_REINSTATED``: the person is ``EXEMPT`` and the run of ``EXEMPT`` days holding the day
  began, fewer than ``recent_days`` days ago, straight after a ``SUSPENDED`` span;
- ``NFA_CHECK_IN_DUE``, ``FINAL_THIRD_CONTACT_DUE``: a ``RESET_NFA_CHECK_IN`` or
  ``RESET_LICENCE_FINAL_THIRD_CONTACT`` obligation ``DUE`` on the day, or ``MISSED`` with its
  window inside the current suspension, while the person is ``SUSPENDED``;
- ``PRC_DISAGREES``: reconciliation (``caseload.reconciliation``) finds a recorded ``PRC`` while
  the person is ``ACTIVE``, ``EXEMPT``, ``ENDED`` or ``NOT_APPLICABLE``.

Each item is judged, and worded, from a person's ``RaisedFacts`` on the day (``items_raised``):
the per-case path takes them from the case and its evaluation (``raised_items``), the queue of a
region from the rows the store keeps (``hub.raised_query``), so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from probation_reset.caseload.reconciliation import (
    Mismatch,
    StatusFacts,
    status_finding,
    status_since,
)
from probation_reset.domain.case import Case, Manager
from probation_reset.domain.vocabulary import (
    ContactType,
    ObligationStatus,
    RegistrationType,
    Status,
)
from probation_reset.evaluation.engine import CaseResult, Engine, EventResult
from probation_reset.hub.vocabulary import ItemKind
from probation_reset.rules import reset
from probation_reset.rules.history import CaseHistory, TimelineSpan
from probation_reset.rules.obligation import Assessment, Obligation, cut_to_event, judge

#: How long a reinstatement stays "new" in the queue when nobody triages it, in days.
DEFAULT_RECENT_DAYS = 28

#: The Reset duties that go on while contact is suspended, and the items they raise.
OBLIGATION_ITEMS = {
    reset.NFA_CHECK_IN.id: ItemKind.NFA_CHECK_IN_DUE,
    reset.LICENCE_FINAL_THIRD_CONTACT.id: ItemKind.FINAL_THIRD_CONTACT_DUE,
}
_PRC_MISMATCHES = (Mismatch.PRC_BUT_CONTACT_CONTINUES, Mismatch.PRC_BUT_NOT_UNDER_RESET)


@dataclass(frozen=True, slots=True)
class RaisedItem:
    """An item the engine raises: whose, what, since when, and what to do."""

    crn: str
    kind: ItemKind
    #: The day the item began to wait (suspension start, reinstatement, window start...).
    since: date
    event_id: str | None
    detail: str
    action: str
    due_by: date | None = None
    overdue: bool = False
    #: ``raised_ref`` of the item, made once.
    ref: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ref", raised_ref(self.kind, self.since, self.event_id, self.crn))


def raised_ref(kind: ItemKind, since: date, event_id: str | None, crn: str) -> str:
    """``KIND:YYYY-MM-DD:EVENT:CRN`` (``EVENT`` empty when none; the CRN last, whatever it holds).

    In the event id, ``%`` is written ``%25`` and ``:`` ``%3A``, so the reference splits cleanly."""
    event = (event_id or "").replace("%", "%25").replace(":", "%3A")
    return f"{kind.value}:{since.isoformat()}:{event}:{crn}"


@dataclass(frozen=True, slots=True)
class RaisedRef:
    kind: ItemKind
    since: date
    event_id: str | None
    crn: str


def parse_raised_ref(text: str) -> RaisedRef:
    """The parts of a reference made by ``raised_ref``; ``ValueError`` saying what is wrong."""
    kind_text, _, rest = text.partition(":")
    since_text, _, rest = rest.partition(":")
    try:
        kind = ItemKind(kind_text)
        since = date.fromisoformat(since_text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not an item number nor a raised item's reference (KIND:DATE:EVENT:CRN)"
        ) from None
    if not kind.raised_by_engine:
        raise ValueError(f"{text!r}: information received is named by its item number")
    event, colon, crn = rest.partition(":")
    if not colon or not crn:
        raise ValueError(f"{text!r} names no CRN (KIND:DATE:EVENT:CRN)")
    event = re.sub("%(25|3A)", lambda m: "%" if m[1] == "25" else ":", event)
    return RaisedRef(kind, since, event or None, crn)


def hub_evaluation(engine: Engine, history: CaseHistory, on: date) -> CaseResult:
    """What the hub reads of a case on a day, from its history and cheaply: the status,
    exemptions, timeline, the events' phases and final-third starts, and only the two Reset
    duties that go on while contact is suspended (``RESET_LICENCE_FINAL_THIRD_CONTACT``,
    ``RESET_NFA_CHECK_IN``). Reasons, what continues and other obligations are left empty: the
    hub reads none of them. A test holds it equal to ``Engine.evaluate`` on what it gives."""
    today = history.at(on)
    contacts = sorted(history.case.contacts, key=lambda c: c.order_key)
    assessment = Assessment(
        history, on, engine.parameters, engine.calendar, contacts, engine.recording_deadlines
    )
    duties = [*reset.licence_final_third_contact(assessment), *reset.nfa_check_ins(assessment)]
    kept = [d for d in (cut_to_event(duty) for duty in duties) if d is not None]
    return CaseResult(
        crn=history.case.crn,
        on=on,
        status=today.status,
        exemptions=today.exemptions,
        reasons=(),
        events=tuple(
            EventResult(d.event.event_id, today.phases[d.index], d.final_third_start, ())
            for d in history.events
        ),
        timeline=tuple(history.timeline()),
        obligations=tuple(judge(d, on, contacts) for d in kept),
    )


@lru_cache(maxsize=4096)
def _long(day: date) -> str:
    """``3 Nov 2025``; kept per day, as a region's thousands of items share a few hundred."""
    return f"{day.day} {day:%b %Y}"


def status_run(timeline: Sequence[TimelineSpan], on: date) -> tuple[date, Status | None] | None:
    """The first day of the unbroken run of the status holding ``on``, and the status of the
    span just before that run (``None`` when there is none); ``None`` when no span holds ``on``."""
    index = next((i for i, t in enumerate(timeline) if t.span.contains(on)), None)
    if index is None:
        return None
    status = timeline[index].status
    while (
        index > 0
        and timeline[index - 1].status is status
        and timeline[index - 1].span.end == timeline[index].span.start
    ):
        index -= 1
    before = timeline[index - 1] if index > 0 else None
    adjacent = before is not None and before.span.end == timeline[index].span.start
    return timeline[index].span.start, before.status if before and adjacent else None


def _status_began(
    timeline: Sequence[TimelineSpan], on: date, run: tuple[date, Status | None] | None
) -> date:
    """When the status on ``on`` began: its run's first day, or (``ENDED``) the day after the
    last active day; the earliest date when neither is known."""
    if run is not None:
        return run[0]
    ends = [t.span.end for t in timeline if t.span.end is not None and t.span.end <= on]
    return max(ends, default=date.min)


@dataclass(frozen=True, slots=True)
class RaisedFacts:
    """What the raised items of a person on a day are judged from."""

    crn: str
    manager: Manager | None
    on: date
    status: Status
    exemptions: tuple[str, ...]
    #: The person's status timeline (``CaseHistory.timeline``). Of a person ``SUSPENDED`` on
    #: ``on`` only the span holding it is read: a suspension is one span, as the timeline
    #: merges spans of equal status and exemptions, and a suspended day has no exemption.
    timeline: Sequence[TimelineSpan]
    #: The days of the person's ``SUSPENSION_LETTER`` contacts (those after ``on`` may be left
    #: out).
    letter_days: Sequence[date]
    #: The Reset duties that go on during a suspension, judged on ``on`` (``hub_evaluation``);
    #: others are not read, nor are those met or not yet due (they raise nothing).
    obligations: Sequence[Obligation]
    #: The earliest start of the ``PRC`` registrations active on ``on`` (``None``: no PRC).
    prc_since: date | None


def facts_of(case: Case, result: CaseResult) -> RaisedFacts:
    """The facts of a case and its evaluation (``hub_evaluation`` or ``Engine.evaluate``)."""
    on = result.on
    prc = [
        r.start_date
        for r in case.registrations
        if r.type is RegistrationType.CONTACT_SUSPENDED and r.is_active(on)
    ]
    return RaisedFacts(
        case.crn,
        case.manager,
        on,
        result.status,
        result.exemptions,
        result.timeline,
        [c.day for c in case.contacts if c.type is ContactType.SUSPENSION_LETTER],
        result.obligations,
        min(prc, default=None),
    )


def _letter_item(facts: RaisedFacts, since: date, lookback: int) -> RaisedItem | None:
    earliest = since - timedelta(days=lookback)
    if any(earliest <= day <= facts.on for day in facts.letter_days):
        return None
    return RaisedItem(
        facts.crn,
        ItemKind.SUSPENSION_LETTER_DUE,
        since,
        None,
        f"Contact suspended under the Reset since {_long(since)}; no suspension letter is "
        "recorded.",
        "Send the suspension letter naming the responsible practitioner, and record it "
        "(SUSPENSION_LETTER contact).",
    )


def _obligation_items(facts: RaisedFacts, since: date) -> list[RaisedItem]:
    items = []
    for obligation in facts.obligations:
        kind = OBLIGATION_ITEMS.get(obligation.rule)
        if kind is None:
            continue
        overdue = obligation.status is ObligationStatus.MISSED
        if not (
            obligation.status is ObligationStatus.DUE
            or (overdue and obligation.window_start >= since)
        ):
            continue
        what = (
            "a held check-in (no fixed abode)"
            if kind is ItemKind.NFA_CHECK_IN_DUE
            else "the final-third contact appointment of the licence"
        )
        state = "missed" if overdue else "due"
        items.append(
            RaisedItem(
                facts.crn,
                kind,
                obligation.window_start,
                obligation.event_id,
                f"{obligation.rule}: {what} from {_long(obligation.window_start)}, "
                f"{state} by {_long(obligation.due_by)}.",
                "Arrange it and record the contact."
                if not overdue
                else "Record why it was not held; consider enforcement.",
                obligation.due_by,
                overdue,
            )
        )
    return items


def _prc_item(facts: RaisedFacts, run: tuple[date, Status | None] | None) -> RaisedItem | None:
    """What reconciliation says of the person's PRC against their status, when it is a PRC
    recorded while contact is not suspended."""
    if facts.prc_since is None:
        return None
    finding = status_finding(
        StatusFacts(
            facts.crn,
            facts.manager,
            facts.status,
            facts.exemptions,
            facts.prc_since,
            status_since(facts.timeline, facts.on),
        )
    )
    if finding is None or finding.kind not in _PRC_MISMATCHES:
        return None
    since = max(facts.prc_since, _status_began(facts.timeline, facts.on, run))
    return RaisedItem(
        facts.crn,
        ItemKind.PRC_DISAGREES,
        since,
        None,
        f"{finding.kind.value}: {finding.detail}",
        finding.action,
    )


def items_raised(
    facts: RaisedFacts, letter_lookback_days: int, recent_days: int = DEFAULT_RECENT_DAYS
) -> list[RaisedItem]:
    """Every item the engine raises for the person on ``facts.on``."""
    on = facts.on
    items: list[RaisedItem] = []
    run = status_run(facts.timeline, on)
    if facts.status is Status.SUSPENDED and run is not None:
        since = run[0]
        letter = _letter_item(facts, since, letter_lookback_days)
        if letter is not None:
            items.append(letter)
        items.extend(_obligation_items(facts, since))
    if (
        facts.status is Status.EXEMPT
        and run is not None
        and run[1] is Status.SUSPENDED
        and (on - run[0]).days < recent_days
    ):
        items.append(
            RaisedItem(
                facts.crn,
                ItemKind.NEWLY_REINSTATED,
                run[0],
                None,
                f"Contact reinstated on {_long(run[0])}: {', '.join(facts.exemptions)} applies.",
                "Resume sentence-management contact with a named practitioner; end the PRC "
                "registration.",
            )
        )
    prc = _prc_item(facts, run)
    if prc is not None:
        items.append(prc)
    return items


def raised_items(
    case: Case,
    result: CaseResult,
    letter_lookback_days: int,
    recent_days: int = DEFAULT_RECENT_DAYS,
) -> list[RaisedItem]:
    """Every item the engine raises for the case on ``result.on``."""
    return items_raised(facts_of(case, result), letter_lookback_days, recent_days)
