"""A person's status and obligations on a day, read back from the store's rows.

The status spans (``status_spans``) are the core's timeline (``CaseHistory.timeline``) as it was
derived, and a digest's obligation (``case_obligations``) is judged once on the digest's horizon
(``ObligationRow``). Pages that answer from the store, instead of evaluating each case, read them
back here, so each rule of reading is written once: the reconciliation's status, the upcoming
page's open checklist items, the hub's raised items.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, TextClause, or_, select
from sqlalchemy.orm import Session

from probation_reset.domain.span import DateSpan
from probation_reset.domain.vocabulary import STATUS_BY_WORD, Status
from probation_reset.rules.history import TimelineSpan
from probation_reset.rules.obligation import Obligation, obligation_status
from probation_reset.store.digest_tables import ObligationRow
from probation_reset.store.event_reads import crn_in, rows_for
from probation_reset.store.models import StatusSpanRow


def timeline_of(rows: Iterable[Any]) -> list[TimelineSpan]:
    """A person's stored status spans (rows with ``start_date``, ``end_date``, ``status``,
    ``exemptions``, in their order) as the timeline they were derived from."""
    return [
        TimelineSpan(
            DateSpan(row.start_date, row.end_date),
            STATUS_BY_WORD[row.status],
            tuple(row.exemptions),
        )
        for row in rows
    ]


def timelines_of(session: Session, crns: Sequence[str]) -> dict[str, list[TimelineSpan]]:
    """The stored timeline of each of ``crns`` (none: no span, never active)."""
    rows: dict[str, list[Any]] = defaultdict(list)
    for row in rows_for(
        session,
        crns,
        lambda operand: (
            select(
                StatusSpanRow.crn,
                StatusSpanRow.start_date,
                StatusSpanRow.end_date,
                StatusSpanRow.status,
                StatusSpanRow.exemptions,
            )
            .where(crn_in(StatusSpanRow.crn, operand))
            .order_by(StatusSpanRow.crn, StatusSpanRow.position)
        ),
    ):
        rows[row.crn].append(row)
    timelines: dict[str, list[TimelineSpan]] = defaultdict(list)
    timelines.update((crn, timeline_of(spans)) for crn, spans in rows.items())
    return timelines


def status_on(timeline: Sequence[TimelineSpan], day: date) -> tuple[Status, tuple[str, ...]]:
    """The status and exemptions of the span holding ``day``; ``ENDED`` when none holds it (the
    timeline runs from the first event's start to the last active day)."""
    for span in timeline:
        if span.span.contains(day):
            return span.status, span.exemptions
    return Status.ENDED, ()


def obligation_on(row: Any, day: date) -> Obligation:
    """A stored obligation (a ``case_obligations`` row) as the engine judges it on ``day``:
    ``MET`` when met by then, else ``NOT_YET_DUE`` before its window, ``DUE`` up to its due date,
    ``MISSED`` after."""
    met = row.met_on is not None and row.met_on <= day
    status = obligation_status(met, row.window_start, row.due_by, day)
    met_by = row.met_by if met else None
    return Obligation(row.rule, row.event_id, row.window_start, row.due_by, status, met_by)


def unmet_obligations(
    session: Session, crns: Sequence[str], day: date, *where: ColumnElement[bool] | TextClause
) -> dict[str, list[Obligation]]:
    """Each person's stored obligations meeting ``where`` and not met by ``day``, judged on
    ``day`` (``obligation_on``), in the case's order."""
    found: dict[str, list[Obligation]] = defaultdict(list)
    for row in rows_for(
        session,
        crns,
        lambda operand: (
            select(
                ObligationRow.crn,
                ObligationRow.rule,
                ObligationRow.event_id,
                ObligationRow.window_start,
                ObligationRow.due_by,
                ObligationRow.met_by,
                ObligationRow.met_on,
            )
            .where(
                crn_in(ObligationRow.crn, operand),
                *where,
                or_(ObligationRow.met_on.is_(None), ObligationRow.met_on > day),
            )
            .order_by(ObligationRow.crn, ObligationRow.position)
        ),
    ):
        found[row.crn].append(obligation_on(row, day))
    return found
