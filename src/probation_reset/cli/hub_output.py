"""How the hub's items look on a terminal and in JSON. Text that came from people (summaries,
notes, names) is shown literally (``safe_output.plain``): never read as markup, control
characters shown as their escapes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from probation_reset.cli.safe_output import plain

if TYPE_CHECKING:  # the store is imported only when a command runs
    from probation_reset.hub.queue import QueueEntry, TriageView


def literal(value: str | None) -> Text:
    """``value`` shown literally; ``-`` for nothing."""
    return Text("-") if value is None else plain(value)


def triage_json(triage: TriageView) -> dict[str, Any]:
    return {
        "triage_id": triage.triage_id,
        "outcome": triage.outcome.value,
        "practitioner": triage.practitioner,
        "triaged_by": triage.triaged_by,
        "triaged_on": triage.triaged_on.isoformat(),
        "triaged_at": triage.triaged_at.isoformat(),
        "enforcement": triage.enforcement.value if triage.enforcement else None,
        "shared_with": triage.shared_with,
        "registration": triage.registration,
        "case_import_id": triage.case_import_id,
        "note": triage.note,
    }


def entry_json(entry: QueueEntry) -> dict[str, Any]:
    manager = entry.manager
    return {
        "ref": entry.ref,
        "item_id": entry.item_id,
        "crn": entry.crn,
        "kind": entry.kind.value,
        "source": entry.source.value if entry.source else None,
        "since": entry.since.isoformat(),
        "waiting_days": entry.waiting_days,
        "waiting": entry.waiting,
        "summary": entry.summary,
        "action": entry.action,
        "event_id": entry.event_id,
        "due_by": entry.due_by.isoformat() if entry.due_by else None,
        "overdue": entry.overdue,
        "status": entry.status.value,
        "rosh": entry.risk.rosh.value if entry.risk.rosh else None,
        "mappa": entry.risk.mappa,
        "mappa_level": entry.risk.mappa_level,
        "risk_band": entry.risk.band,
        "region": manager.region if manager else None,
        "team": manager.team if manager else None,
        "staff_name": manager.staff_name if manager else None,
        "recorded_by": entry.recorded_by,
        "recorded_at": entry.recorded_at.isoformat() if entry.recorded_at else None,
        "triages": [triage_json(t) for t in entry.triages],
    }


def _outcome(entry: QueueEntry) -> Text:
    if entry.waiting:
        return Text("waiting")
    latest = entry.triages[-1]
    text = Text(f"{latest.outcome.value} ({latest.triaged_on.isoformat()}, ")
    text.append_text(literal(latest.practitioner))
    text.append(")")
    return text


def queue_table(entries: Sequence[QueueEntry], title: str) -> Table:
    table = Table(title=title)
    for heading in ("item", "CRN", "kind", "waiting", "risk", "status", "team", "summary"):
        table.add_column(heading, no_wrap=heading in ("item", "CRN"))
    for entry in entries:
        kind = entry.kind.value + (f"\n{entry.source.value}" if entry.source else "")
        waiting = f"{entry.waiting_days} day(s)\nsince {entry.since.isoformat()}"
        if entry.overdue:
            waiting += "\noverdue"
        summary = literal(entry.summary)
        if not entry.waiting:
            summary.append("\n")
            summary.append_text(_outcome(entry))
        table.add_row(
            literal(entry.ref),
            literal(entry.crn),
            Text(kind),
            Text(waiting),
            Text(entry.risk.describe()),
            Text(entry.status.value),
            literal(entry.team),
            summary,
        )
    return table


def item_table(entry: QueueEntry, still_raised: bool) -> Table:
    table = Table(title=f"Hub item {entry.ref}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    rows: list[tuple[str, Text]] = [
        ("CRN", literal(entry.crn)),
        ("kind", Text(entry.kind.value)),
        ("source", Text(entry.source.value if entry.source else "the engine")),
        ("since", Text(f"{entry.since.isoformat()} ({entry.waiting_days} day(s))")),
        ("summary", literal(entry.summary)),
        ("what to do", literal(entry.action)),
        ("status", Text(entry.status.value)),
        ("risk", Text(entry.risk.describe())),
        ("team", literal(entry.team)),
        ("recorded", literal(_recorded(entry))),
    ]
    if entry.kind.raised_by_engine:
        rows.append(("still raised", Text("yes" if still_raised else "no")))
    for name, value in rows:
        table.add_row(name, value)
    for triage in entry.triages:
        line = literal(
            f"{triage.outcome.value} on {triage.triaged_on.isoformat()} by {triage.practitioner}"
            f" (entered by {triage.triaged_by} at {_moment(triage.triaged_at)})"
            + (f"; {triage.enforcement.value}" if triage.enforcement else "")
            + (f"; shared with {triage.shared_with}" if triage.shared_with else "")
            + (f"; recorded {_registration(triage.registration)}" if triage.registration else "")
            + (f"; case change import {triage.case_import_id}" if triage.case_import_id else "")
            + (f"; note: {triage.note}" if triage.note else "")
        )
        table.add_row(f"triage {triage.triage_id}", line)
    return table


def _recorded(entry: QueueEntry) -> str | None:
    if entry.recorded_by is None or entry.recorded_at is None:
        return None
    return f"by {entry.recorded_by} at {_moment(entry.recorded_at)}"


def _moment(at: datetime) -> str:
    return f"{at.isoformat(sep=' ', timespec='seconds')} UTC"


def _registration(registration: dict[str, object]) -> str:
    """``MAPPA level 2, category 1 from 2025-10-14``."""
    parts = [str(registration.get("type"))]
    extra = [
        f"{name} {registration[name]}"
        for name in ("level", "category")
        if registration.get(name) is not None
    ]
    if extra:
        parts.append(", ".join(extra))
    return f"{' '.join(parts)} from {registration.get('start_date')}"
