"""A case's rows as the bulk writers take them: plain values in a table's column order.

Rows are tuples of text, whole numbers, booleans and ``None``, days written ``YYYY-MM-DD`` (as
SQLAlchemy writes a ``Date`` on SQLite, and as PostgreSQL reads one), JSON as its text. They are
built where the work is done (a worker process, see ``import_prepare``) and sent to the
process that writes: on SQLite as tuples for one ``executemany`` per table, on PostgreSQL as the
lines of ``COPY ... FROM STDIN`` (text format: ``copy_lines``), so the writing process only
joins them.

The columns that depend on the transaction (the import, the moment) are not in these rows: the
writer puts them first (``STAMPED``), so a PostgreSQL line is prefixed, never parsed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from probation_reset.evaluation.json_text import json_line
from probation_reset.store.case_document import MANAGER_FIELDS
from probation_reset.store.history import StatusHistory

POSTGRESQL = "postgresql"

#: Each bulk-written table's columns, in the order of its rows.
COLUMNS: dict[str, tuple[str, ...]] = {
    "events": (
        "crn", "position", "event_id", "type", "start_date", "end_date", "pss_end_date", "youth",
        "terminated_on", "probation_reset_date",
    ),
    "requirements": (
        "crn", "event_id", "position", "type", "start_date", "end_date", "days", "hours",
    ),
    "licence_conditions": ("crn", "event_id", "position", "type", "start_date", "end_date"),
    "registrations": (
        "crn", "position", "type", "start_date", "deregistered_on", "level", "category",
    ),
    "contacts": (
        "crn", "position", "contact_id", "event_id", "date", "day", "type", "mode", "outcome",
        "recorded_on",
    ),
    "status_spans": (
        "crn", "position", "start_date", "end_date", "status", "exemptions", "policy_version",
    ),
    "event_phase_spans": ("crn", "event_id", "phase", "start_date", "end_date"),
    "exemption_spans": ("crn", "exemption", "start_date", "end_date"),
    "case_obligations": (
        "crn", "position", "rule", "event_id", "window_start", "due_by", "met_by", "met_on",
    ),
    # Stamped tables: the transaction's columns (STAMPED) come first.
    "cases": (
        "created_by_import", "updated_by_import", "created_at", "updated_at", "crn", "document",
        "content_hash", "history_policy_version", *MANAGER_FIELDS,
    ),
    "case_changes": (
        "import_id", "changed_at", "crn", "kind", "field", "old_value", "new_value",
    ),
    "status_transitions": (
        "import_id", "recorded_at", "superseded_at", "crn", "day", "from_status", "to_status",
        "kind", "exemptions", "reasons", "policy_version",
    ),
    "case_digests": ("derived_at", "crn", "content_hash", "policy_version", "horizon"),
}  # fmt: skip
#: A case's records as rows, rebuilt from its document (``case_records``), in writing order.
RECORD_TABLES = ("events", "requirements", "licence_conditions", "registrations", "contacts")
DIGEST_TABLES = ("event_phase_spans", "exemption_spans", "case_obligations")
#: How many leading columns of a stamped table the writer fills.
STAMPED = {"cases": 4, "case_changes": 2, "status_transitions": 3, "case_digests": 1}

Row = tuple[Any, ...]


_DAY_TEXTS: dict[date, str] = {}


def day_text(value: date) -> str:
    """A day as ``YYYY-MM-DD``: one shared string per day. Rows repeat the same days many times
    (a caseload's obligations, spans and transitions fall on a few thousand days), so sharing
    the text saves making it again, and pickling it again between processes (a pickle refers
    back to a string it has already written)."""
    text = _DAY_TEXTS.get(value)
    if text is None:
        text = _DAY_TEXTS[value] = value.isoformat()
    return text


def optional_day_text(value: date | None) -> str | None:
    return None if value is None else day_text(value)


_SHARED_DAYS: dict[str, str] = {}


def shared_day(text: str | None) -> str | None:
    """A day as written (``YYYY-MM-DD``), as one shared string (see ``day_text``)."""
    if text is None:
        return None
    return _SHARED_DAYS.setdefault(text, text)


def case_records(crn: str, document: Mapping[str, Any]) -> dict[str, list[Row]]:
    """The rows of the case's events, requirements, licence conditions, registrations and
    contacts, from its canonical document (every field present, days as written)."""
    events: list[Row] = []
    requirements: list[Row] = []
    conditions: list[Row] = []
    for i, event in enumerate(document["events"]):
        event_id = event["event_id"]
        key_dates = event.get("key_dates") or {}
        events.append(
            (crn, i, event_id, event["type"], event["start_date"], event["end_date"],
             event["pss_end_date"], bool(event["youth"]), event["terminated_on"],
             key_dates.get("probation_reset_date"))
        )  # fmt: skip
        for j, item in enumerate(event["requirements"]):
            requirements.append(
                (crn, event_id, j, item["type"], item["start_date"], item["end_date"],
                 item["days"], item["hours"])
            )  # fmt: skip
        for j, item in enumerate(event["licence_conditions"]):
            conditions.append(
                (crn, event_id, j, item["type"], item["start_date"], item["end_date"])
            )
    registrations: list[Row] = []
    for k, item in enumerate(document["registrations"]):
        level, category = item["level"], item["category"]
        registrations.append(
            (crn, k, item["type"], item["start_date"], item["deregistered_on"],
             None if level is None else str(level), category if type(category) is int else None)
        )  # fmt: skip
    # A contact's day is the date part of its date as written (``intake.dates``); its days are
    # shared strings (``shared_day``).
    contacts = [
        (crn, m, c["contact_id"], c["event_id"], c["date"], shared_day(c["date"][:10]), c["type"],
         c["mode"], c["outcome"], shared_day(c["recorded_on"]))
        for m, c in enumerate(document["contacts"])
    ]  # fmt: skip
    return {
        "events": events,
        "requirements": requirements,
        "licence_conditions": conditions,
        "registrations": registrations,
        "contacts": contacts,
    }


def history_rows(history: StatusHistory) -> tuple[list[Row], list[Row]]:
    """The status spans and the transitions (less their stamped columns) of a history, their
    JSON written as the store writes all its JSON (``json_line``)."""
    crn, version = history.crn, history.policy_version
    spans = [
        (crn, i, day_text(s.span.start), optional_day_text(s.span.end), s.status.value,
         json_line(list(s.exemptions)), version)
        for i, s in enumerate(history.spans)
    ]  # fmt: skip
    transitions = [
        (crn, day_text(t.day), None if t.from_status is None else t.from_status.value,
         t.to_status.value, t.kind.value, json_line(list(t.exemptions)),
         json_line(list(t.reasons)), version)
        for t in history.transitions
    ]  # fmt: skip
    return spans, transitions


# --- PostgreSQL COPY text ----------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def copy_field(value: Any) -> str:
    """One value as a field of ``COPY``'s text format (``\\N`` is null)."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)  # type: ignore[no-any-return]
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {kind.__name__} by COPY")


def copy_lines(rows: Iterable[Row]) -> str:
    """Rows as ``COPY`` text, a line each (text that needs no escape, the most, goes as it is)."""
    lines: list[str] = []
    special = _SPECIAL.search
    for row in rows:
        fields: list[str] = []
        for value in row:
            kind = type(value)
            if kind is str:
                fields.append(value.translate(_ESCAPES) if special(value) else value)
            elif value is None:
                fields.append("\\N")
            elif kind is int:
                fields.append(str(value))
            else:
                fields.append(copy_field(value))
        lines.append("\t".join(fields))
    lines.append("")
    return "\n".join(lines) if len(lines) > 1 else ""


def moment(at: datetime, dialect: str) -> str:
    """A moment as the table's ``DateTime`` column keeps it (SQLAlchemy's SQLite format)."""
    if dialect == POSTGRESQL:
        return at.isoformat(" ")
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")
