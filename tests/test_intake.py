"""Reading cases: every problem named by record and field, bad cases never stop good ones."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probation_reset.intake.reader import (
    UnreadableCasesError,
    field_sort_key,
    parse_document,
    read_cases,
)

GOOD: dict[str, Any] = {
    "crn": "A000001",
    "events": [
        {
            "event_id": "1",
            "type": "LICENCE",
            "start_date": "2025-01-01",
            "end_date": "2026-01-01",
            "pss_end_date": "2026-06-01",
            "licence_conditions": [{"type": "REPORTING"}],
            "key_dates": {"probation_reset_date": "2025-09-01"},
        },
        {
            "event_id": "2",
            "type": "COMMUNITY_ORDER",
            "start_date": "2025-02-01",
            "end_date": "2026-02-01",
            "requirements": [{"type": "RAR", "days": 20}],
        },
    ],
    "registrations": [
        {"type": "MAPPA", "start_date": "2025-01-01", "level": 2, "category": 1},
        {"type": "ROSH", "start_date": "2025-01-01", "level": "HIGH"},
    ],
    "contacts": [
        {
            "contact_id": "c1",
            "event_id": "1",
            "date": "2025-01-02T09:30",
            "type": "INDUCTION",
            "mode": "FACE_TO_FACE",
            "outcome": "ATTENDED",
            "recorded_on": "2025-01-02",
        },
        {"contact_id": "c2", "date": "2025-01-03T09:30:00+01:00", "type": "CHECK_IN"},
    ],
}


def fields_of(case: dict[str, Any]) -> list[str]:
    intake = read_cases([case])
    assert not intake.cases
    return [e.field for e in intake.errors]


def changed(path: list[Any], value: Any) -> dict[str, Any]:
    case = copy.deepcopy(GOOD)
    node = case
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return case


def test_a_good_case_is_read_into_the_domain() -> None:
    intake = read_cases([GOOD])
    assert intake.errors == ()
    ((index, case),) = intake.cases
    assert index == 0 and case.crn == "A000001"
    assert case.events[0].probation_reset_date is not None
    assert case.contacts[0].day.isoformat() == "2025-01-02"
    assert case.contacts[1].day.isoformat() == "2025-01-03"
    assert case.contacts[1].time_of_day is not None and case.contacts[1].time_of_day.hour == 9


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["crn"], KeyError, "crn"),
        (["events"], KeyError, "events"),
        (["events", 0, "type"], "PAROLE", "events[0].type"),
        (["events", 0, "start_date"], "01/01/2025", "events[0].start_date"),
        (["events", 0, "start_date"], "2025-02-30", "events[0].start_date"),
        (["events", 0, "end_date"], "2024-12-31", "events[0].end_date"),
        (["events", 0, "terminated_on"], "2024-12-31", "events[0].terminated_on"),
        (["events", 1, "end_date"], None, "events[1].end_date"),
        (["events", 1, "pss_end_date"], "2026-06-01", "events[1].pss_end_date"),
        (["events", 0, "pss_end_date"], "2025-12-01", "events[0].pss_end_date"),
        (
            ["events", 0, "key_dates", "probation_reset_date"],
            "2026-01-02",
            "events[0].key_dates.probation_reset_date",
        ),
        (["events", 1, "event_id"], "1", "events[1].event_id"),
        (
            ["events", 1, "requirements", 0, "type"],
            "CURFEW_ORDER",
            "events[1].requirements[0].type",
        ),
        (["events", 0, "youth"], "yes", "events[0].youth"),
        (["registrations", 0, "level"], 4, "registrations[0].level"),
        (["registrations", 1, "level"], "SEVERE", "registrations[1].level"),
        (["registrations", 0, "deregistered_on"], "2024-01-01", "registrations[0].deregistered_on"),
        (["contacts", 0, "event_id"], "9", "contacts[0].event_id"),
        (["contacts", 0, "date"], "2025-01-02 09:30", "contacts[0].date"),
        (["contacts", 0, "outcome"], "DNA", "contacts[0].outcome"),
        (["contacts", 0, "recorded_on"], "2025-01-02T10:00", "contacts[0].recorded_on"),
    ],
)
def test_each_problem_names_its_field(path: list[Any], value: Any, field: str) -> None:
    assert field in fields_of(changed(path, value))


def test_a_licence_with_pss_but_no_end_date_is_refused() -> None:
    case = changed(["events", 0, "end_date"], None)
    case["events"][0].pop("key_dates")
    assert fields_of(case) == ["events[0].pss_end_date"]


def test_every_problem_of_a_case_is_listed_in_field_order() -> None:
    case = changed(["events", 0, "type"], "PAROLE")
    case["events"][1]["end_date"] = "2025-01-01"
    case["contacts"][1]["event_id"] = "7"
    assert fields_of(case) == ["contacts[1].event_id", "events[0].type", "events[1].end_date"]


def test_a_repeated_crn_rejects_the_later_case_and_keeps_the_first() -> None:
    intake = read_cases([GOOD, GOOD, {**GOOD, "crn": "A000002"}])
    assert [i for i, _ in intake.cases] == [0, 2]
    assert [(e.index, e.crn, e.field) for e in intake.errors] == [(1, "A000001", "crn")]


def test_a_case_with_no_events_is_valid() -> None:
    intake = read_cases([{"crn": "A000009", "events": []}])
    assert intake.errors == () and len(intake.cases) == 1


def test_documents_json_object_array_and_json_lines() -> None:
    assert parse_document('{"cases": [{"crn": "A"}]}') == [{"crn": "A"}]
    assert parse_document('[{"crn": "A"}, {"crn": "B"}]') == [{"crn": "A"}, {"crn": "B"}]
    assert parse_document('{"crn": "A"}\n\n{"crn": "B"}\n') == [{"crn": "A"}, {"crn": "B"}]
    with pytest.raises(UnreadableCasesError, match="line 2"):
        parse_document('{"crn": "A"}\n{"crn": \n')
    with pytest.raises(UnreadableCasesError):
        parse_document("")
    with pytest.raises(UnreadableCasesError):
        parse_document('{"cases": 3}')


def test_fields_sort_naturally() -> None:
    fields = ["events[10].type", "events[2].type", "crn", "contacts[0].date"]
    assert sorted(fields, key=field_sort_key) == [
        "contacts[0].date",
        "crn",
        "events[2].type",
        "events[10].type",
    ]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
PLACES = [
    ["crn"],
    ["events"],
    ["events", 0],
    ["events", 0, "type"],
    ["events", 0, "end_date"],
    ["events", 0, "key_dates"],
    ["events", 0, "requirements"],
    ["events", 1, "requirements", 0],
    ["registrations", 1, "level"],
    ["registrations", 0, "type"],
    ["registrations"],
    ["contacts", 0, "date"],
    ["contacts", 1],
    ["contacts", 0, "event_id"],
]


@given(place=st.sampled_from(PLACES), value=JSON_VALUES)
def test_any_json_anywhere_is_an_error_or_a_case_never_a_crash(
    place: list[Any], value: Any
) -> None:
    intake = read_cases([changed(place, value), GOOD | {"crn": "A000002"}])
    assert [i for i, _ in intake.cases][-1] == 1
    assert all(e.index == 0 for e in intake.errors)
    if intake.errors:
        assert all(isinstance(e.field, str) and e.message for e in intake.errors)
