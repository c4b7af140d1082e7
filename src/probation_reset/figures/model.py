"""The dashboard's figures for a region, PDU or team, and the weeks that lead to a day.

Everything here is data: the store queries (``figures.queries``) fill it, the CLI prints it, the
web service renders it. ``charts`` turns figures into chart-ready series (categories along the
x axis, one series of numbers per line or bar group), each with the table of the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from probation_reset.domain.span import DateSpan
from probation_reset.domain.vocabulary import Status
from probation_reset.figures.relief import Relief

#: Statuses in the order the dashboard lists them.
STATUS_ORDER = (
    Status.ACTIVE,
    Status.EXEMPT,
    Status.SUSPENDED,
    Status.NOT_APPLICABLE,
    Status.ENDED,
)
NO_TEAM = "(no team)"


class ScopeLevel(StrEnum):
    ALL = "all"
    REGION = "region"
    PDU = "pdu"
    TEAM = "team"


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose figures: every stored case, or those of one region, PDU or team (the case's
    manager)."""

    level: ScopeLevel = ScopeLevel.ALL
    name: str | None = None

    def __post_init__(self) -> None:
        if (self.level is ScopeLevel.ALL) != (self.name is None):
            raise ValueError("a region, PDU or team scope needs a name; the whole store none")

    def describe(self) -> str:
        if self.level is ScopeLevel.ALL:
            return "every stored case"
        return f"{self.level.value} {self.name}"


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """One Monday-to-Sunday week: statuses on its last day (``on`` for the current week) and
    the status changes dated in it up to that day."""

    start: date
    last: date
    by_status: Mapping[str, int]
    suspended: int
    reinstated: int
    re_suspended: int
    #: Hub items received in the week (``received_on``), and triages in it by outcome.
    hub_received: int = 0
    hub_triaged: Mapping[str, int] = field(default_factory=dict)

    @property
    def in_reset_measures(self) -> int:
        return self.by_status.get(Status.SUSPENDED.value, 0)


@dataclass(frozen=True, slots=True)
class Workload:
    """Appointments the Reset removed in ``month``: person-months of the monthly standard and
    person-weeks of the high-RoSH weekly standard (``figures.relief``), overall and by team."""

    month: DateSpan
    total: Relief
    by_team: Mapping[str, Relief]


@dataclass(frozen=True, slots=True)
class MissedObligations:
    """Obligations due from ``first`` to ``last`` that were missed on the day, by team and rule
    (from evaluating each case in scope: the store keeps no obligations)."""

    first: date
    last: date
    by_team: Mapping[str, Mapping[str, int]]

    @property
    def total(self) -> int:
        return sum(sum(rules.values()) for rules in self.by_team.values())


#: An item with no triage yet.
WAITING = "WAITING"


@dataclass(frozen=True, slots=True)
class HubFigures:
    """The regional hub's items received from ``first`` to ``last``: by source (information
    received) or kind (items the engine raised), and by outcome (the latest triage; ``WAITING``
    when none)."""

    first: date
    last: date
    received: int
    by_source: Mapping[str, int]
    by_outcome: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Figures:
    on: date
    scope: Scope
    people: int
    #: The policy versions the stored histories in scope were derived under.
    policy_versions: tuple[str, ...]
    by_status: Mapping[str, int]
    by_team: Mapping[str, Mapping[str, int]]
    weeks: tuple[WeekFigures, ...]
    workload: Workload
    missed: MissedObligations | None = field(default=None)
    hub: HubFigures | None = field(default=None)

    @property
    def in_reset_measures(self) -> int:
        """People whose sentence-management contact is suspended by the Reset on the day."""
        return self.by_status.get(Status.SUSPENDED.value, 0)
