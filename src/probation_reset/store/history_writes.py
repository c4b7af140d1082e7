"""Writing status histories: each case's spans replaced, its transitions compared with the
stored ones (a transition that no longer follows is superseded, never deleted; a new one is
added; what is the same is left alone), in the caller's transaction, in bulk."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from probation_reset.store.bulk import GatheredRows
from probation_reset.store.bulk_rows import history_rows, moment
from probation_reset.store.history import StatusHistory, StatusTransition
from probation_reset.store.models import CaseRecord, StatusSpanRow, StatusTransitionRow


def _span_key(row: Any) -> tuple[Any, ...]:
    return (row.start_date, row.end_date, row.status, tuple(row.exemptions), row.policy_version)


def _transition_facts(transition: StatusTransition, policy_version: str) -> tuple[Any, ...]:
    """A new transition's facts but its reasons, as a stored one's read back."""
    return (
        transition.day,
        None if transition.from_status is None else transition.from_status.value,
        transition.to_status.value,
        transition.kind.value,
        transition.exemptions,
        policy_version,
    )


def _stored_facts(row: Any) -> tuple[Any, ...]:
    return (
        row.day,
        row.from_status,
        row.to_status,
        row.kind,
        tuple(row.exemptions),
        row.policy_version,
    )


def _same_reasons(stored: Any, new: Sequence[Mapping[str, Any]]) -> bool:
    """Whether stored reasons (read back from JSON) are the new ones: equal as they are, or
    failing that as key-sorted JSON (a tuple in a new reason is a list once stored)."""
    listed = list(new)
    return bool(stored == listed) or json.dumps(stored, sort_keys=True) == json.dumps(
        listed, sort_keys=True
    )


@dataclass(frozen=True, slots=True)
class HistoryWrite:
    """What writing histories did: cases whose history changed, transitions added and
    superseded."""

    cases: int = 0
    added: int = 0
    superseded: int = 0


_SPAN_COLUMNS = (
    StatusSpanRow.crn,
    StatusSpanRow.start_date,
    StatusSpanRow.end_date,
    StatusSpanRow.status,
    StatusSpanRow.exemptions,
    StatusSpanRow.policy_version,
)
_TRANSITION_COLUMNS = (
    StatusTransitionRow.id,
    StatusTransitionRow.crn,
    StatusTransitionRow.day,
    StatusTransitionRow.from_status,
    StatusTransitionRow.to_status,
    StatusTransitionRow.kind,
    StatusTransitionRow.exemptions,
    StatusTransitionRow.reasons,
    StatusTransitionRow.policy_version,
)


def write_histories(
    session: Session,
    histories: Sequence[StatusHistory],
    import_id: int | None,
    at: datetime,
) -> HistoryWrite:
    """Store each case's status spans and transitions. Spans are replaced; a transition that no
    longer follows is marked superseded (never deleted) and a new one is added; what is the same
    is left alone, so writing the same history twice changes nothing. Stored rows are read as
    plain rows and new ones written in bulk (``bulk.GatheredRows``)."""
    if not histories:
        return HistoryWrite()
    crns = [h.crn for h in histories]
    spans: dict[str, list[Any]] = {crn: [] for crn in crns}
    connection = session.connection()
    for span in connection.execute(
        select(*_SPAN_COLUMNS)
        .where(StatusSpanRow.crn.in_(crns))
        .order_by(StatusSpanRow.crn, StatusSpanRow.position)
    ):
        spans[span.crn].append(span)
    in_force: dict[str, list[Any]] = {crn: [] for crn in crns}
    for row in connection.execute(
        select(*_TRANSITION_COLUMNS).where(
            StatusTransitionRow.crn.in_(crns), StatusTransitionRow.superseded_at.is_(None)
        )
    ):
        in_force[row.crn].append(row)
    changed_spans: list[str] = []
    superseded: list[int] = []
    gathered = GatheredRows(session.get_bind().dialect.name)
    added: list[tuple[Any, ...]] = []
    changed_cases = 0
    for history in histories:
        version = history.policy_version
        new_spans = [
            (s.span.start, s.span.end, s.status.value, s.exemptions, version) for s in history.spans
        ]
        span_changed = new_spans != [_span_key(row) for row in spans[history.crn]]
        # Each stored transition in force is kept when a new one has its facts (each new one
        # keeping at most one); the others are superseded, the new ones not kept are added.
        wanted = [(_transition_facts(t, version), t.reasons) for t in history.transitions]
        kept = [False] * len(wanted)
        for row in in_force[history.crn]:
            facts = _stored_facts(row)
            for n, (new_facts, reasons) in enumerate(wanted):
                if not kept[n] and new_facts == facts and _same_reasons(row.reasons, reasons):
                    kept[n] = True
                    break
            else:
                superseded.append(row.id)
        fresh = [n for n, done in enumerate(kept) if not done]
        if span_changed or fresh:
            span_rows, transition_rows = history_rows(history)
            if span_changed:
                changed_spans.append(history.crn)
                gathered.add("status_spans", span_rows)
            added.extend(transition_rows[n] for n in fresh)
        if span_changed or fresh or sum(kept) != len(in_force[history.crn]):
            changed_cases += 1
    if changed_spans:
        session.execute(delete(StatusSpanRow).where(StatusSpanRow.crn.in_(changed_spans)))
    if superseded:
        session.execute(
            update(StatusTransitionRow)
            .where(StatusTransitionRow.id.in_(superseded))
            .values(superseded_at=at)
        )
    gathered.add_stamped(
        "status_transitions", (import_id, moment(at, gathered.dialect), None), added
    )
    gathered.write(session)
    for version in {h.policy_version for h in histories}:
        session.execute(
            update(CaseRecord)
            .where(
                CaseRecord.crn.in_([h.crn for h in histories if h.policy_version == version]),
                or_(
                    CaseRecord.history_policy_version.is_(None),
                    CaseRecord.history_policy_version != version,
                ),
            )
            .values(history_policy_version=version)
        )
    return HistoryWrite(changed_cases, len(added), len(superseded))
