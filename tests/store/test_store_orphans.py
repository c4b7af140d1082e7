"""No row an import writes with a case outlives its case, event or import (they carry no
foreign key: Alembic 0007 and 0010).

Imports that create cases, then change them (events renumbered, contacts moved to another event
or dropped, whole events removed), then a refresh: after each, every contact, obligation, event,
requirement, licence condition, registration, change record, status span and transition and
caseload digest row belongs to a stored case, every row naming an event names one of its case's
stored events, every row naming an import names a stored one, and the contacts are exactly as
many as the stored documents hold.
"""

from __future__ import annotations

import copy
from typing import Any

from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.policy import load_parameters
from probation_reset.store import repository
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportSource
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import refresh_histories

PARAMETERS = load_parameters()

ORPHANS = {
    "contacts without their case": (
        "SELECT count(*) FROM contacts c WHERE NOT EXISTS "
        "(SELECT 1 FROM cases k WHERE k.crn = c.crn)"
    ),
    "contacts naming an event their case does not have": (
        "SELECT count(*) FROM contacts c WHERE c.event_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.crn = c.crn AND e.event_id = c.event_id)"
    ),
    "obligations without their case": (
        "SELECT count(*) FROM case_obligations o WHERE NOT EXISTS "
        "(SELECT 1 FROM cases k WHERE k.crn = o.crn)"
    ),
    "obligations naming an event their case does not have": (
        "SELECT count(*) FROM case_obligations o WHERE o.event_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM events e WHERE e.crn = o.crn AND e.event_id = o.event_id)"
    ),
    **{
        f"{table} without their case": (
            f"SELECT count(*) FROM {table} r WHERE NOT EXISTS "
            "(SELECT 1 FROM cases k WHERE k.crn = r.crn)"
        )
        for table in (
            "events",
            "registrations",
            "case_changes",
            "status_spans",
            "status_transitions",
            "case_digests",
            "event_phase_spans",
            "exemption_spans",
        )
    },
    **{
        f"{table} naming an event their case does not have": (
            f"SELECT count(*) FROM {table} r WHERE NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.crn = r.crn AND e.event_id = r.event_id)"
        )
        for table in ("requirements", "licence_conditions")
    },
    **{
        f"{table} naming no stored import": (
            f"SELECT count(*) FROM {table} r WHERE r.import_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM imports i WHERE i.id = r.import_id)"
        )
        for table in ("case_changes", "status_transitions")
    },
}


def _import(sessions: sessionmaker[Session], records: list[dict[str, Any]]) -> None:
    importer = Importer(sessions, PARAMETERS, ndelius_codes(), 40)
    report = importer.run(ImportSource("test", CASES_DOCUMENT, records), "tester")
    assert report.rejected == 0


def _check(session: Session) -> None:
    found = {name: session.scalar(text(sql)) for name, sql in ORPHANS.items()}
    assert found == dict.fromkeys(ORPHANS, 0)
    documents = repository.case_documents(session)
    held = sum(len(document.get("contacts") or []) for document in documents.values())
    assert session.scalar(text("SELECT count(*) FROM contacts")) == held


def _renumbered(case: dict[str, Any], turn: int) -> dict[str, Any]:
    """The case changed as a later export may change it."""
    changed = copy.deepcopy(case)
    events = changed["events"]
    contacts = changed.get("contacts") or []
    if turn % 3 == 0 and len(events) > 1:  # an event removed, and its contacts with it
        gone = events.pop()["event_id"]
        changed["contacts"] = [c for c in contacts if c.get("event_id") != gone]
    elif turn % 3 == 1:  # every event renumbered, its contacts following
        for event in events:
            event["event_id"] = f"R{event['event_id']}"
        for contact in contacts:
            if contact.get("event_id") is not None:
                contact["event_id"] = f"R{contact['event_id']}"
    else:  # half the contacts dropped, the rest made the person's (no event)
        changed["contacts"] = [
            {key: value for key, value in contact.items() if key != "event_id"}
            for contact in contacts[::2]
        ]
    return changed


def test_no_contact_or_obligation_outlives_its_case_or_event(
    sessions: sessionmaker[Session],
) -> None:
    cases = generated(120, seed=23)
    _import(sessions, cases)
    with sessions() as session:
        _check(session)
        assert session.scalar(text("SELECT count(*) FROM case_obligations")) > 0
    _import(sessions, [_renumbered(case, turn) for turn, case in enumerate(cases)])
    with sessions() as session:
        _check(session)
        renumbered = session.scalar(text("SELECT count(*) FROM events WHERE event_id LIKE 'R%'"))
        assert renumbered is not None and renumbered > 0
    refresh_histories(sessions, PARAMETERS)
    with sessions() as session:
        _check(session)
