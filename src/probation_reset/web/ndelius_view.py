"""Reconciliation with NDelius and who enters the final third soon, for the cases in a scope.

Each stored case in the user's scope is evaluated on the day by the core
(``caseload.reconciliation``, ``caseload.upcoming``); the pages, their CSV and the API show the
same ``Table`` rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy.orm import Session

from probation_reset.caseload.reconciliation import Finding, Mismatch, counts_by_team, reconcile
from probation_reset.caseload.upcoming import Upcoming, upcoming
from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.store.refresh import stored_case
from probation_reset.web.errors import judged_on
from probation_reset.web.scope import Scope, records_in_scope
from probation_reset.web.tables import Table

DEFAULT_WEEKS = 4
MAX_WEEKS = 52


def _cases(session: Session, scope: Scope) -> list[Case]:
    return [stored_case(r.crn, r.document) for r in records_in_scope(session, scope)]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    day: date
    people: int
    findings: tuple[Finding, ...]

    @property
    def counts(self) -> dict[str, Counter[Mismatch]]:
        return counts_by_team(self.findings)


def reconciliation(
    session: Session, engine: Engine, scope: Scope, day: date, kinds: frozenset[Mismatch]
) -> Reconciliation:
    cases = _cases(session, scope)
    with judged_on(day):
        findings = tuple(
            f
            for case in cases
            for f in reconcile(case, engine.evaluate(case, day))
            if not kinds or f.kind in kinds
        )
    return Reconciliation(day, len(cases), findings)


def findings_table(found: Reconciliation) -> Table:
    return Table(
        "findings",
        f"Where NDelius and the rules disagree on {found.day.isoformat()}",
        (
            "CRN",
            "kind",
            "status",
            "event",
            "days apart",
            "detail",
            "action",
            "region",
            "PDU",
            "team",
            "practitioner",
        ),
        tuple(
            (
                f.crn,
                f.kind.value,
                f.status.value,
                f.event_id,
                f.days_apart,
                f.detail,
                f.action,
                f.manager.region if f.manager else None,
                f.manager.pdu if f.manager else None,
                f.team,
                (f.manager.staff_name or f.manager.staff_code) if f.manager else None,
            )
            for f in found.findings
        ),
    )


def team_counts_table(found: Reconciliation) -> Table:
    kinds = list(Mismatch)
    counts = found.counts
    return Table(
        "teams",
        "Findings per team",
        ("team", *(k.value for k in kinds), "total"),
        tuple((team, *(c.get(k, 0) for k in kinds), sum(c.values())) for team, c in counts.items()),
    )


@dataclass(frozen=True, slots=True)
class Ahead:
    day: date
    weeks: int
    entries: tuple[Upcoming, ...]

    @property
    def by_practitioner(self) -> list[tuple[str, list[Upcoming]]]:
        return [(name, list(group)) for name, group in groupby(self.entries, _practitioner)]


def _practitioner(entry: Upcoming) -> str:
    return entry.practitioner


def ahead(session: Session, engine: Engine, scope: Scope, day: date, weeks: int) -> Ahead:
    with judged_on(day):
        entries = [
            entry
            for case in _cases(session, scope)
            for entry in upcoming(case, engine.history(case), engine.evaluate(case, day), weeks)
        ]
    entries.sort(key=lambda e: (e.practitioner, e.starts, e.crn, e.event_id))
    return Ahead(day, weeks, tuple(entries))


def upcoming_table(found: Ahead) -> Table:
    return Table(
        "upcoming",
        f"Entering the final third or PSS in the {found.weeks} weeks after {found.day.isoformat()}",
        (
            "practitioner",
            "CRN",
            "event",
            "entering",
            "from",
            "status then",
            "exemptions then",
            "open checklist items",
            "team",
        ),
        tuple(
            (
                e.practitioner,
                e.crn,
                e.event_id,
                e.entering.value,
                e.starts,
                e.status_then.value,
                ", ".join(e.exemptions_then),
                "; ".join(f"{o.rule} due by {o.due_by.isoformat()}" for o in e.open_items),
                e.manager.team if e.manager else None,
            )
            for e in found.entries
        ),
    )
