"""The hub's queue: entries, their risk, order and filters. Pure: entries in, entries out.

The queue is ordered by risk, then by how long an item has waited (oldest first): a person
under MAPPA or assessed as very high risk of serious harm comes before anyone else, however new
the item. Risk bands, highest first:

| band | who |
|---|---|
| 3 | RoSH in force `VERY_HIGH`, or MAPPA level 2 or 3 |
| 2 | RoSH `HIGH`, or any other MAPPA registration |
| 1 | RoSH `MEDIUM` |
| 0 | RoSH `LOW` or unknown, no MAPPA |
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from probation_reset.domain.case import Manager
from probation_reset.domain.vocabulary import RoshLevel, Status
from probation_reset.hub.vocabulary import Enforcement, ItemKind, Outcome, Source


def risk_band(rosh: RoshLevel | None, mappa: bool, mappa_level: int | None) -> int:
    """The queue's risk band (3 highest) from the RoSH and MAPPA in force."""
    if rosh is RoshLevel.VERY_HIGH or (mappa_level is not None and mappa_level >= 2):
        return 3
    if rosh is RoshLevel.HIGH or mappa:
        return 2
    if rosh is RoshLevel.MEDIUM:
        return 1
    return 0


@dataclass(frozen=True, slots=True)
class Risk:
    rosh: RoshLevel | None
    mappa: bool
    mappa_level: int | None
    #: ``risk_band`` of the three, made once (the queue sorts thousands by it).
    band: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "band", risk_band(self.rosh, self.mappa, self.mappa_level))

    def describe(self) -> str:
        parts = [f"RoSH {self.rosh.value if self.rosh else 'unknown'}"]
        if self.mappa:
            parts.append(f"MAPPA {self.mappa_level}" if self.mappa_level else "MAPPA")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class CaseOnDay:
    """What the queue shows of an item's person on the day: status, risk and manager."""

    status: Status
    risk: Risk
    manager: Manager | None


@dataclass(frozen=True, slots=True)
class TriageView:
    """One triage of an item, as the queue and the item's history show it."""

    triage_id: int
    outcome: Outcome
    practitioner: str
    triaged_by: str
    triaged_on: date
    triaged_at: datetime
    enforcement: Enforcement | None
    shared_with: str | None
    registration: dict[str, object] | None
    case_import_id: int | None
    note: str | None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """An item in the queue on a day: whose, what, since when, how risky, and its triages."""

    ref: str
    item_id: int | None
    crn: str
    kind: ItemKind
    source: Source | None
    since: date
    waiting_days: int
    summary: str
    action: str | None
    event_id: str | None
    due_by: date | None
    overdue: bool
    status: Status
    risk: Risk
    manager: Manager | None
    recorded_by: str | None = None
    recorded_at: datetime | None = None
    triages: tuple[TriageView, ...] = field(default=())

    @property
    def waiting(self) -> bool:
        return not self.triages

    @property
    def team(self) -> str | None:
        return self.manager.team if self.manager else None

    @property
    def region(self) -> str | None:
        return self.manager.region if self.manager else None


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What to show: kinds and sources (empty: all), a team, triaged items too, a minimum wait."""

    kinds: Collection[ItemKind] = ()
    sources: Collection[Source] = ()
    team: str | None = None
    include_triaged: bool = False
    min_waiting_days: int = 0

    def keeps(self, entry: QueueEntry) -> bool:
        return (
            (not self.kinds or entry.kind in self.kinds)
            and (not self.sources or entry.source in self.sources)
            and (self.team is None or entry.team == self.team)
            and (self.include_triaged or entry.waiting)
            and entry.waiting_days >= self.min_waiting_days
        )


def queue_order(entry: QueueEntry) -> tuple[int, int, str, str, str]:
    """Highest risk first, then the longest wait, then CRN, kind and reference."""
    return (-entry.risk.band, -entry.waiting_days, entry.crn, entry.kind.value, entry.ref)


def ordered(entries: Iterable[QueueEntry], keep: QueueFilter) -> list[QueueEntry]:
    return sorted((e for e in entries if keep.keeps(e)), key=queue_order)
