"""The whole dashboard for a scope and day: the store's figures, and on request the obligations
missed by team (the one figure that needs each case evaluated)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from probation_reset.evaluation.engine import Engine
from probation_reset.figures import queries
from probation_reset.figures.missed import missed_by_team
from probation_reset.figures.model import Figures, Scope
from probation_reset.store.refresh import stored_case


def dashboard(
    session: Session, scope: Scope, on: date, weeks: int = 52, engine: Engine | None = None
) -> Figures:
    """The figures of ``scope`` on ``on`` over ``weeks`` weeks; with ``engine``, also the
    obligations due in those weeks and missed, by team."""
    found = queries.figures(session, scope, on, weeks)
    if engine is None:
        return found
    first = found.weeks[0].start
    results = (
        (team, engine.evaluate(stored_case(crn, document), on))
        for crn, team, document in queries.documents_in_scope(session, scope)
    )
    return replace(found, missed=missed_by_team(results, first, on))
