"""Bulk writes (store/bulk.py): COPY on PostgreSQL, executemany on SQLite, in the caller's
transaction; awkward text and nulls come back as written."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation_reset.store.bulk import insert_rows, update_by_key
from probation_reset.store.models import CaseRecord, ContactRow
from probation_reset.store.repository import create_cases, start_import

AWKWARD = ["tab\there", "new\nline", "back\\slash", "quote \" and '", "\\N", "", "ünï ☃"]


def test_rows_come_back_as_written(session: Session) -> None:
    import_id = start_import(session, "t", "test", "me", "v", datetime(2025, 1, 1)).id
    document = {"crn": "B1", "events": [], "registrations": [], "contacts": []}
    create_cases(session, {"B1": (document, "hash")}, import_id, datetime(2025, 1, 1))
    rows = [
        {
            "crn": "B1",
            "position": number,
            "contact_id": text or "empty",
            "event_id": None,
            "date": f"2025-01-02 {text}",
            "day": date(2025, 1, 2),
            "type": "APPOINTMENT",
            "mode": None,
            "outcome": "ATTENDED",
            "recorded_on": None if number % 3 else date(2025, 1, 3),
        }
        for number, text in enumerate(AWKWARD)
    ]
    insert_rows(session, ContactRow, rows)
    stored = session.execute(
        select(
            ContactRow.position, ContactRow.contact_id, ContactRow.date, ContactRow.day,
            ContactRow.mode, ContactRow.recorded_on,
        ).order_by(ContactRow.position)
    ).all()  # fmt: skip
    assert [tuple(row) for row in stored] == [
        (r["position"], r["contact_id"], r["date"], r["day"], None, r["recorded_on"]) for r in rows
    ]
    update_by_key(session, CaseRecord, "crn", [{"crn": "B1", "history_policy_version": "p2"}])
    version = session.scalar(select(CaseRecord.history_policy_version))
    assert version == "p2"
    insert_rows(session, ContactRow, [])
