"""Bulk writes (store/bulk.py): COPY on PostgreSQL, executemany on SQLite, in the caller's
transaction; awkward text and nulls come back as written."""

from __future__ import annotations

import json
from datetime import date, datetime

import hypothesis.strategies as st
from hypothesis import given
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation_reset.batch.sources import read_json
from probation_reset.evaluation.json_text import json_line
from probation_reset.store.bulk import GatheredRows, insert_rows, update_by_key
from probation_reset.store.models import CaseRecord, ContactRow, EventRow
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


def test_gathered_rows_come_back_as_written(session: Session) -> None:
    """Rows in the drivers' terms (``bulk_rows``): COPY text on PostgreSQL, tuples on SQLite."""
    import_id = start_import(session, "t", "test", "me", "v", datetime(2025, 1, 1)).id
    document = {"crn": "G\t1", "events": [], "registrations": [], "contacts": []}
    create_cases(session, {"G\t1": (document, "hash")}, import_id, datetime(2025, 1, 1))
    gathered = GatheredRows(session.get_bind().dialect.name)
    gathered.add(
        "events",
        [("G\t1", 0, "E\\1", "LICENCE", "2025-01-01", None, None, True, None, "2025-06-01")],
    )
    rows = [
        ("G\t1", n, text or "empty", "E\\1", f"2025-01-02T10:00 {text}", "2025-01-02",
         "APPOINTMENT", None, "ATTENDED", None if n % 2 else "2025-01-03")
        for n, text in enumerate(AWKWARD)
    ]  # fmt: skip
    gathered.add("contacts", rows)
    gathered.write(session)
    stored = session.execute(
        select(
            ContactRow.crn, ContactRow.position, ContactRow.contact_id, ContactRow.event_id,
            ContactRow.date, ContactRow.day, ContactRow.recorded_on,
        ).order_by(ContactRow.position)
    ).all()  # fmt: skip
    assert [tuple(row) for row in stored] == [
        (r[0], r[1], r[2], r[3], r[4], date(2025, 1, 2), None if r[1] % 2 else date(2025, 1, 3))
        for r in rows
    ]
    youth = session.scalar(select(EventRow.youth).where(EventRow.crn == "G\t1"))
    assert youth is True


#: Any text, lone surrogates included (hypothesis leaves them out unless asked).
ANY_TEXT = st.text(st.characters(exclude_categories=()))
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)  # past 64 bits: orjson refuses
    | ANY_TEXT,  # a lone surrogate: orjson refuses
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_stored_json_text_reads_back_as_the_value(value: object) -> None:
    """``json_line``, as the store writes its JSON (orjson, or ``json`` for what orjson
    refuses), writes what reads back as the value written, as the store reads it
    (``read_json``), and ``json`` would read it too."""
    text = json_line(value)
    assert read_json(text) == value
    assert json.loads(text) == value
