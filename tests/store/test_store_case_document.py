"""The canonical case document, its hash, and the changes between two documents."""

from __future__ import annotations

from typing import Any

from probation_reset.store.case_document import (
    ChangeKind,
    FieldChange,
    canonical_document,
    content_hash,
    document_changes,
)


def raw(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "crn": "D1",
        "events": [
            {
                "event_id": "1",
                "type": "COMMUNITY_ORDER",
                "start_date": "2025-01-06",
                "end_date": "2026-01-05",
                "requirements": [{"type": "RAR"}],
            }
        ],
    }
    case.update(changes)
    return case


def test_the_same_facts_spelled_differently_give_the_same_document_and_hash() -> None:
    first = canonical_document(raw())
    second = canonical_document(
        {"registrations": None, "unknown": 1, **dict(reversed(list(raw().items())))}
    )
    assert first == second
    assert content_hash(first) == content_hash(second)


def test_a_contact_date_time_is_kept_as_written() -> None:
    contact = {"contact_id": "c", "date": "2025-01-07T09:30+01:00", "type": "APPOINTMENT"}
    assert canonical_document(raw(contacts=[contact]))["contacts"][0]["date"] == contact["date"]


def test_changes_name_each_field_with_its_old_and_new_value() -> None:
    old = canonical_document(raw())
    new_raw = raw(registrations=[{"type": "NSD", "start_date": "2025-03-01"}])
    new_raw["events"][0]["end_date"] = "2026-02-05"
    new = canonical_document(new_raw)
    changes = list(document_changes(old, new))
    assert (
        FieldChange(ChangeKind.VALUE_CHANGED, "events[0].end_date", "2026-01-05", "2026-02-05")
        in changes
    )
    added = [c for c in changes if c.field == "registrations[0]"]
    assert added[0].kind is ChangeKind.ITEM_ADDED and added[0].new_value["type"] == "NSD"
    assert list(document_changes(new, old))[-1].kind is ChangeKind.ITEM_REMOVED
    assert list(document_changes(old, old)) == []
