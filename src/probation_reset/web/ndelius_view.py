"""Reconciliation with NDelius and who enters the final third soon, for the cases in a scope.

Both are answered from the store (``reconciliation_query``, ``upcoming_query``), a page at a time,
with the same findings and entries the core gives case by case (``caseload.reconciliation``,
``caseload.upcoming``); the pages, their CSV (streamed, every row) and the API show the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import groupby

from probation_reset.caseload.reconciliation import Finding, Mismatch
from probation_reset.caseload.upcoming import Upcoming
from probation_reset.web.reconciliation_query import FindingsPage
from probation_reset.web.tables import Cell, Table, csv_chunks
from probation_reset.web.upcoming_query import UpcomingPage

DEFAULT_WEEKS = 4
MAX_WEEKS = 52
#: Rows on a page of findings, and of upcoming events.
FINDINGS_PER_PAGE = 50
UPCOMING_PER_PAGE = 100

FINDING_HEADINGS = (
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
)
UPCOMING_HEADINGS = (
    "practitioner",
    "CRN",
    "event",
    "entering",
    "from",
    "status then",
    "exemptions then",
    "open checklist items",
    "team",
)


def finding_row(f: Finding) -> tuple[Cell, ...]:
    return (
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


def findings_caption(found: FindingsPage) -> str:
    return f"Where NDelius and the rules disagree on {found.day.isoformat()}"


def findings_csv(findings: Iterable[Finding]) -> Iterator[str]:
    return csv_chunks(FINDING_HEADINGS, (finding_row(f) for f in findings))


def team_counts_table(counts: dict[str, Counter[Mismatch]]) -> Table:
    kinds = list(Mismatch)
    return Table(
        "teams",
        "Findings per team",
        ("team", *(k.value for k in kinds), "total"),
        tuple((team, *(c.get(k, 0) for k in kinds), sum(c.values())) for team, c in counts.items()),
    )


def by_practitioner(entries: Iterable[Upcoming]) -> list[tuple[str, list[Upcoming]]]:
    return [(name, list(group)) for name, group in groupby(entries, _practitioner)]


def _practitioner(entry: Upcoming) -> str:
    return entry.practitioner


def upcoming_caption(found: UpcomingPage) -> str:
    return (
        f"Entering the final third or PSS in the {found.weeks} weeks after {found.day.isoformat()}"
    )


def upcoming_row(e: Upcoming) -> tuple[Cell, ...]:
    return (
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


def upcoming_csv(entries: Iterable[Upcoming]) -> Iterator[str]:
    return csv_chunks(UPCOMING_HEADINGS, (upcoming_row(e) for e in entries))
