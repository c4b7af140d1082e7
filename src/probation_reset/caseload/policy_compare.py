"""A caseload on a day under two policies: who would hold another status, per status and team.

Each case's status and exemptions on the day are read from its history under each policy (the
same intervals the engine judges), so a difference is exactly a difference of evaluations.
Pure: cases and two engines in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import Status
from probation_reset.evaluation.engine import Engine

NO_TEAM = "(no team)"


@dataclass(frozen=True, slots=True)
class PersonChange:
    """A person whose status or exemptions on the day differ between the two policies."""

    crn: str
    team: str
    status: Status
    exemptions: tuple[str, ...]
    status_against: Status
    exemptions_against: tuple[str, ...]
    #: Each event's final-third start under each policy, where they differ.
    final_third_starts: tuple[tuple[str, date | None, date | None], ...]


@dataclass(frozen=True, slots=True)
class PolicyComparison:
    on: date
    policy: str
    against: str
    people: int
    by_status: dict[str, tuple[int, int]]
    by_team: dict[str, dict[str, tuple[int, int]]]
    #: ``(status under policy, status under against) -> people``, for differing statuses.
    moves: dict[tuple[str, str], int]
    changes: tuple[PersonChange, ...]


def _team(case: Case) -> str:
    return (case.manager.team if case.manager else None) or NO_TEAM


def compare_policies(
    cases: Iterable[Case], engine: Engine, against: Engine, on: date
) -> PolicyComparison:
    """Every case's status on ``on`` under ``engine``'s policy and ``against``'s."""
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    teams: dict[str, tuple[Counter[str], Counter[str]]] = {}
    moves: Counter[tuple[str, str]] = Counter()
    changes = []
    people = 0
    for case in cases:
        people += 1
        history, other = engine.history(case), against.history(case)
        now, then = history.at(on), other.at(on)
        team = _team(case)
        counts = teams.setdefault(team, (Counter(), Counter()))
        first[now.status.value] += 1
        second[then.status.value] += 1
        counts[0][now.status.value] += 1
        counts[1][then.status.value] += 1
        if (now.status, now.exemptions) == (then.status, then.exemptions):
            continue
        if now.status is not then.status:
            moves[(now.status.value, then.status.value)] += 1
        starts = tuple(
            (a.event.event_id, a.final_third_start, b.final_third_start)
            for a, b in zip(history.events, other.events, strict=True)
            if a.final_third_start != b.final_third_start
        )
        changes.append(
            PersonChange(
                case.crn, team, now.status, now.exemptions, then.status, then.exemptions, starts
            )
        )

    def pairs(a: Counter[str], b: Counter[str]) -> dict[str, tuple[int, int]]:
        return {s.value: (a[s.value], b[s.value]) for s in Status if a[s.value] or b[s.value]}

    return PolicyComparison(
        on=on,
        policy=engine.parameters.version,
        against=against.parameters.version,
        people=people,
        by_status=pairs(first, second),
        by_team={team: pairs(*teams[team]) for team in sorted(teams)},
        moves=dict(sorted(moves.items())),
        changes=tuple(sorted(changes, key=lambda c: (c.team, c.crn))),
    )


def comparison_json(found: PolicyComparison) -> dict[str, Any]:
    """The comparison as JSON-ready data."""
    return {
        "on": found.on.isoformat(),
        "policy": found.policy,
        "against": found.against,
        "people": found.people,
        "by_status": {s: {"policy": a, "against": b} for s, (a, b) in found.by_status.items()},
        "by_team": {
            team: {s: {"policy": a, "against": b} for s, (a, b) in counts.items()}
            for team, counts in found.by_team.items()
        },
        "moves": [{"from": a, "to": b, "people": n} for (a, b), n in found.moves.items()],
        "changes": [
            {
                "crn": c.crn,
                "team": c.team,
                "status": c.status.value,
                "exemptions": list(c.exemptions),
                "status_against": c.status_against.value,
                "exemptions_against": list(c.exemptions_against),
                "final_third_starts": [
                    {
                        "event_id": event_id,
                        "policy": None if a is None else a.isoformat(),
                        "against": None if b is None else b.isoformat(),
                    }
                    for event_id, a, b in c.final_third_starts
                ],
            }
            for c in found.changes
        ],
    }
