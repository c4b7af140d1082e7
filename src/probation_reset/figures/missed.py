"""Obligations missed, by team: counted from evaluations (the store keeps no obligations)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from probation_reset.domain.vocabulary import ObligationStatus
from probation_reset.evaluation.engine import CaseResult
from probation_reset.figures.model import MissedObligations


def missed_by_team(
    results: Iterable[tuple[str, CaseResult]], first: date, last: date
) -> MissedObligations:
    """Obligations due from ``first`` to ``last`` inclusive and ``MISSED`` on the day each result
    was evaluated, per team (each result with its team) and rule."""
    counted: dict[str, Counter[str]] = defaultdict(Counter)
    for team, result in results:
        for obligation in result.obligations:
            if obligation.status is ObligationStatus.MISSED and first <= obligation.due_by <= last:
                counted[team][obligation.rule] += 1
    return MissedObligations(
        first,
        last,
        {team: dict(sorted(counted[team].items())) for team in sorted(counted)},
    )
