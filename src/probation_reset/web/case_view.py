"""Everything the case page shows, from the stored case evaluated on the chosen day.

"What to do next" comes first: the engine's ``next_actions`` (soonest due first), then how
many obligations were missed. The timeline is the core's status spans
drawn to scale with the suspension and reinstatement days marked; each section is also a
``Table`` so it downloads as CSV.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import CaseResult, Engine
from probation_reset.rules.checklist import RULES as CHECKLIST_RULES
from probation_reset.rules.registry import Rule, all_rules
from probation_reset.store import repository
from probation_reset.store.models import CaseRecord, StatusTransitionRow
from probation_reset.store.refresh import stored_case
from probation_reset.web.record_origin import case_origins
from probation_reset.web.tables import Table

CHECKLIST = {rule.id for rule in CHECKLIST_RULES}
MARKED_KINDS = {
    "SUSPENDED": "Suspended",
    "RE_SUSPENDED": "Suspended again",
    "REINSTATED": "Reinstated",
}


@dataclass(frozen=True, slots=True)
class NextAction:
    text: str
    rule: str | None
    due_by: date | None
    urgent: bool


@dataclass(frozen=True, slots=True)
class Segment:
    """One status span drawn on the timeline, in per-mille of the drawing's width."""

    x: float
    width: float
    status: str
    label: str


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    kind: str
    label: str
    day: date


@dataclass(frozen=True, slots=True)
class Drawing:
    first: date
    last: date
    segments: tuple[Segment, ...]
    markers: tuple[Marker, ...]
    today: float | None
    years: tuple[tuple[float, int], ...]


@dataclass(frozen=True, slots=True)
class CaseView:
    record: CaseRecord
    case: Case
    result: CaseResult
    day: date
    next_actions: tuple[NextAction, ...]
    drawing: Drawing | None
    tables: tuple[Table, ...]
    checklist: tuple[Any, ...]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def _rules() -> dict[str, Rule]:
    return {rule.id: rule for rule in all_rules()}


def case_actions(result: CaseResult) -> tuple[NextAction, ...]:
    """The engine's next actions (soonest due first), then a summary of what was missed."""
    given = tuple(NextAction(a.action, a.rule, a.due_by, False) for a in result.next_actions)
    return given + missed_summary(result)


def _sentence_part(meaning: str) -> str:
    """A rule's meaning to follow a colon: first letter lower case (unless an acronym), no stop."""
    first = meaning.split(" ", 1)[0]
    lowered = meaning if first.isupper() and len(first) > 1 else meaning[:1].lower() + meaning[1:]
    return lowered.rstrip(".")


def missed_summary(result: CaseResult) -> tuple[NextAction, ...]:
    """How many obligations were missed, and the latest (urgent), when any was."""
    rules = _rules()
    missed = [o for o in result.obligations if o.status.value == "MISSED"]
    actions = []
    if missed:
        latest = max(missed, key=lambda o: o.due_by)
        actions.append(
            NextAction(
                f"{len(missed)} obligation{'s' if len(missed) != 1 else ''} missed; the latest: "
                f"{_sentence_part(rules[latest.rule].meaning)} (due by {latest.due_by:%-d %B %Y}).",
                latest.rule,
                latest.due_by,
                True,
            )
        )
    return tuple(actions)


def drawing(
    result: CaseResult, transitions: list[StatusTransitionRow], day: date
) -> Drawing | None:
    """The status spans to scale, from the first span's start to a little past the later of the
    last span's end and the chosen day."""
    spans = result.timeline
    if not spans:
        return None
    first = spans[0].span.start
    ends = [s.span.last for s in spans if s.span.last is not None]
    last = max([*ends, day, first]) if ends else max(day, first)
    if spans[-1].span.end is None:
        last = max(last, day)
    total = max((last - first).days + 1, 1)

    def x(on: date) -> float:
        return round(1000 * min(max((on - first).days, 0), total) / total, 1)

    segments = tuple(
        Segment(
            x(s.span.start),
            round(x(s.span.last or last) - x(s.span.start) + 1000 / total, 1),
            s.status.value,
            f"{s.status.value} from {s.span.start.isoformat()}",
        )
        for s in spans
    )
    markers = tuple(
        Marker(x(t.day), t.kind, f"{MARKED_KINDS[t.kind]} on {t.day.isoformat()}", t.day)
        for t in transitions
        if t.kind in MARKED_KINDS and first <= t.day <= last
    )
    years = tuple(
        (x(date(year, 1, 1)), year)
        for year in range(first.year + 1, last.year + 1)
        if first < date(year, 1, 1) <= last
    )
    today = x(day) if first <= day <= last else None
    return Drawing(first, last, segments, markers, today, years)


def case_transitions(session: Session, crn: str) -> list[StatusTransitionRow]:
    return list(
        session.scalars(
            select(StatusTransitionRow)
            .where(StatusTransitionRow.crn == crn, StatusTransitionRow.superseded_at.is_(None))
            .order_by(StatusTransitionRow.day, StatusTransitionRow.id)
        )
    )


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)[:300]
    return str(value)


def build_tables(
    case: Case,
    result: CaseResult,
    day: date,
    transitions: list[StatusTransitionRow],
    session: Session,
    actions: tuple[NextAction, ...],
) -> tuple[Table, ...]:
    crn = case.crn
    events = {e.event_id: e for e in case.events}
    in_force = [r for r in case.registrations if r.is_active(day)]
    changes = repository.case_changes(session, crn)
    origins = case_origins(
        session, crn, [c.import_id for c in changes] + [t.import_id for t in transitions]
    )
    return (
        Table(
            "next-actions",
            "What to do next",
            ("action", "rule", "due by"),
            tuple((a.text, a.rule, a.due_by) for a in actions),
        ),
        Table(
            "reasons",
            "Why",
            ("rule", "reason", "source", "event"),
            tuple((r.rule, r.text, r.source, r.event_id) for r in result.reasons),
        ),
        Table(
            "timeline",
            "Status timeline",
            ("from", "to", "status", "exemptions"),
            tuple(
                (s.span.start, s.span.last, s.status.value, ", ".join(s.exemptions))
                for s in result.timeline
            ),
        ),
        Table(
            "events",
            "Events",
            ("event", "type", "start", "end", "PSS end", "final third from", "phase", "continuing"),
            tuple(
                (
                    e.event_id,
                    events[e.event_id].type.value,
                    events[e.event_id].start_date,
                    events[e.event_id].end_date,
                    events[e.event_id].pss_end_date,
                    e.final_third_start,
                    e.phase.value,
                    ", ".join(e.continuing),
                )
                for e in result.events
            ),
        ),
        Table(
            "checklist",
            "Pre-suspension checklist",
            ("rule", "event", "window from", "due by", "status", "met by"),
            tuple(
                (o.rule, o.event_id, o.window_start, o.due_by, o.status.value, o.met_by)
                for o in result.obligations
                if o.rule in CHECKLIST
            ),
        ),
        Table(
            "obligations",
            "Obligations",
            ("rule", "event", "window from", "due by", "status", "met by"),
            tuple(
                (o.rule, o.event_id, o.window_start, o.due_by, o.status.value, o.met_by)
                for o in result.obligations
            ),
        ),
        Table(
            "registrations",
            "Registrations in force",
            ("type", "from", "deregistered on", "level", "category", "recorded by"),
            tuple(
                (
                    r.type.value,
                    r.start_date,
                    r.deregistered_on,
                    _value(r.level),
                    r.category,
                    origins.of_registration(r),
                )
                for r in in_force
            ),
        ),
        Table(
            "transitions",
            "Status changes",
            ("day", "change", "from", "to", "exemptions", "why", "recorded by"),
            tuple(
                (
                    t.day,
                    t.kind,
                    t.from_status,
                    t.to_status,
                    ", ".join(t.exemptions),
                    "; ".join(f"{r['text']} ({r['source']})" for r in t.reasons),
                    origins.of_import(t.import_id),
                )
                for t in transitions
            ),
        ),
        Table(
            "changes",
            "Changes to the record",
            ("when", "import", "change", "field", "old value", "new value", "made by"),
            tuple(
                (
                    c.changed_at,
                    c.import_id,
                    c.kind,
                    c.field,
                    _value(c.old_value),
                    "(the whole record)" if c.kind == "CASE_CREATED" else _value(c.new_value),
                    origins.of_import(c.import_id),
                )
                for c in changes
            ),
        ),
    )


def case_view(session: Session, engine: Engine, record: CaseRecord, day: date) -> CaseView:
    case = stored_case(record.crn, record.document)
    result = engine.evaluate(case, day)
    actions = case_actions(result)
    transitions = case_transitions(session, record.crn)
    tables = build_tables(case, result, day, transitions, session, actions)
    checklist = tuple(o for o in result.obligations if o.rule in CHECKLIST)
    return CaseView(
        record, case, result, day, actions, drawing(result, transitions, day), tables, checklist
    )
