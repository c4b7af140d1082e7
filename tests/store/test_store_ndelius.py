"""The NDelius code table (store/ndelius_codes.yaml) and its mapping to the contract's words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from probation_reset.intake.reader import validate_case
from probation_reset.store.ndelius import (
    CONTACT_MODES,
    CONTACT_OUTCOMES,
    CONTACT_TYPES,
    LICENCE_CONDITION_TYPES,
    REGISTRATION_TYPES,
    REQUIREMENT_TYPES,
    ROSH_LEVELS,
    ndelius_codes,
)

CODES = ndelius_codes()
DOCS = Path(__file__).parents[2] / "docs" / "ndelius-codes.md"


def a_case(**records: Any) -> dict[str, Any]:
    event = {
        "event_id": "1",
        "type": "LICENCE",
        "start_date": "2025-01-01",
        "end_date": "2026-01-01",
    }
    event.update(records.pop("event", {}))
    return {"crn": "N1", "events": [event], **records}


def test_every_code_maps_to_a_word_of_the_contract() -> None:
    table = CODES.table
    checks = [
        (table.registration_types, "type", REGISTRATION_TYPES),
        (table.rosh_levels, "level", ROSH_LEVELS),
        (table.requirement_types, "type", REQUIREMENT_TYPES),
        (table.licence_condition_types, "type", LICENCE_CONDITION_TYPES),
        (table.contact_types, "type", CONTACT_TYPES),
        (table.contact_modes, "mode", CONTACT_MODES),
    ]
    for entries, key, words in checks:
        for entry in entries:
            assert getattr(entry, key) in words, entry.code
    for entry in table.contact_types:
        assert entry.mode is None or entry.mode in CONTACT_MODES, entry.code
    for entry in table.contact_outcomes:
        assert entry.outcome is None or entry.outcome in CONTACT_OUTCOMES, entry.code


def test_no_code_is_also_a_word_of_the_contract_so_a_value_is_never_ambiguous() -> None:
    pairs = [
        (CODES.registration_types, REGISTRATION_TYPES),
        (CODES.rosh_levels, REGISTRATION_TYPES),
        (CODES.requirement_types, REQUIREMENT_TYPES),
        (CODES.licence_condition_types, LICENCE_CONDITION_TYPES),
        (CODES.contact_types, CONTACT_TYPES),
        (CODES.contact_modes, CONTACT_MODES),
        (CODES.contact_outcomes, CONTACT_OUTCOMES),
    ]
    for codes, words in pairs:
        assert not set(codes) & words


def test_every_entry_cites_its_source() -> None:
    for section in type(CODES.table).model_fields:
        for entry in getattr(CODES.table, section):
            assert entry.source == "project-defined" or re.match(
                r"[\w.-]+/[\w.-]+ \S", entry.source
            )
            assert entry.description


def test_every_code_is_in_the_documented_table() -> None:
    documented = DOCS.read_text()
    for section in type(CODES.table).model_fields:
        for entry in getattr(CODES.table, section):
            assert f"`{entry.code}`" in documented or f"| {entry.code} " in documented, entry.code


@pytest.mark.parametrize(
    ("registration", "expected"),
    [
        ({"type": "RVHR"}, {"type": "ROSH", "level": "VERY_HIGH"}),
        ({"type": "RHRH"}, {"type": "ROSH", "level": "HIGH"}),
        ({"type": "MAPP", "level": "M2", "category": "M3"}, {"type": "MAPPA", "level": 2}),
        ({"type": "RCPR"}, {"type": "CHILD_PROTECTION"}),
        ({"type": "RCCO"}, {"type": "CHILD_CONCERNS"}),
        ({"type": "PR_NSD"}, {"type": "NSD"}),
        ({"type": "NOTMAPPA"}, {"type": "OTHER"}),
        ({"type": "MAPPA", "level": 3}, {"type": "MAPPA", "level": 3}),
    ],
)
def test_registration_codes_read_as_the_contract_registration(
    registration: dict[str, Any], expected: dict[str, Any]
) -> None:
    raw = a_case(registrations=[{"start_date": "2025-02-01", **registration}])
    mapped, problems = CODES.to_contract(raw)
    assert problems == []
    for key, value in expected.items():
        assert mapped["registrations"][0][key] == value
    assert not isinstance(validate_case(mapped, 0), list)


def test_mappa_level_and_category_codes_are_read_from_their_own_fields() -> None:
    raw = a_case(
        registrations=[
            {"type": "MAPP", "start_date": "2025-02-01", "level": "M1", "category": "M4"}
        ]
    )
    mapped, _ = CODES.to_contract(raw)
    assert (mapped["registrations"][0]["level"], mapped["registrations"][0]["category"]) == (1, 4)


def test_pr1_is_the_probation_reset_date_and_fthrd_is_ignored() -> None:
    raw = a_case(event={"key_dates": {"PR1": "2025-09-01", "FTHRD": "2025-08-01"}})
    mapped, problems = CODES.to_contract(raw)
    assert problems == []
    assert mapped["events"][0]["key_dates"] == {"probation_reset_date": "2025-09-01"}
    case = validate_case(mapped, 0)
    assert not isinstance(case, list)
    assert str(case.events[0].probation_reset_date) == "2025-09-01"


def test_licence_dates_come_from_led_and_pssed_and_sed_only_without_led() -> None:
    raw = a_case(
        event={
            "end_date": None,
            "key_dates": {"SED": "2026-03-01", "LED": "2026-01-01", "PSSED": "2026-06-01"},
        }
    )
    mapped, problems = CODES.to_contract(raw)
    assert problems == []
    assert mapped["events"][0]["end_date"] == "2026-01-01"
    assert mapped["events"][0]["pss_end_date"] == "2026-06-01"


def test_a_key_date_that_disagrees_with_the_field_it_fills_is_reported() -> None:
    raw = a_case(event={"key_dates": {"LED": "2026-02-02"}})
    _, problems = CODES.to_contract(raw)
    assert [field for field, _ in problems] == ["events[0].key_dates.LED"]


def test_requirement_and_licence_condition_categories() -> None:
    raw = a_case(
        event={
            "type": "COMMUNITY_ORDER",
            "requirements": [{"type": "F"}, {"type": "W"}, {"type": "RM49"}],
            "licence_conditions": [],
        }
    )
    mapped, problems = CODES.to_contract(raw)
    assert problems == []
    assert [r["type"] for r in mapped["events"][0]["requirements"]] == ["RAR", "UPW", "CURFEW"]
    raw = a_case(event={"licence_conditions": [{"type": "SL1"}, {"type": "EM01"}]})
    mapped, _ = CODES.to_contract(raw)
    assert [c["type"] for c in mapped["events"][0]["licence_conditions"]] == ["REPORTING", "EM"]


def test_contact_type_implies_its_mode_unless_a_mode_is_given() -> None:
    contacts = [
        {"contact_id": "a", "date": "2025-01-02", "type": "COAP", "outcome": "ATTC"},
        {"contact_id": "b", "date": "2025-01-03", "type": "COPT", "outcome": "AFTA"},
        {"contact_id": "c", "date": "2025-01-04", "type": "C084", "mode": "PR_VIDEO"},
        {"contact_id": "d", "date": "2025-01-05", "type": "CHVS", "outcome": "RSOF"},
    ]
    mapped, problems = CODES.to_contract(a_case(contacts=contacts))
    assert problems == []
    assert [(c["type"], c.get("mode"), c.get("outcome")) for c in mapped["contacts"]] == [
        ("APPOINTMENT", "FACE_TO_FACE", "ATTENDED"),
        ("APPOINTMENT", "TELEPHONE", "FAILED_TO_ATTEND"),
        ("APPOINTMENT", "VIDEO", None),
        ("HOME_VISIT", "FACE_TO_FACE", None),
    ]


def test_youth_flag() -> None:
    mapped, problems = CODES.to_contract(a_case(event={"flags": ["PR_YOUTH"]}))
    assert problems == [] and mapped["events"][0]["youth"] is True


def test_an_unknown_code_is_reported_never_guessed() -> None:
    raw = a_case(
        event={"key_dates": {"QQQ": "2025-01-01"}, "licence_conditions": [{"type": "ZZ"}]},
        registrations=[{"type": "MAPA", "start_date": "2025-02-01"}],
        contacts=[{"contact_id": "a", "date": "2025-01-02", "type": "XXXX", "outcome": "NOPE"}],
    )
    _, problems = CODES.to_contract(raw)
    assert sorted(field for field, _ in problems) == [
        "contacts[0].outcome",
        "contacts[0].type",
        "events[0].key_dates.QQQ",
        "events[0].licence_conditions[0].type",
        "registrations[0].type",
    ]
    assert all("ndelius_codes.yaml" in message for _, message in problems)


def test_mapping_leaves_the_input_untouched() -> None:
    raw = a_case(registrations=[{"type": "RVHR", "start_date": "2025-02-01"}])
    CODES.to_contract(raw)
    assert raw["registrations"][0] == {"type": "RVHR", "start_date": "2025-02-01"}


def test_prc_is_kept_as_contact_suspended_and_never_decides_the_status() -> None:
    raw = a_case(registrations=[{"type": "PRC", "start_date": "2025-09-01"}])
    mapped, problems = CODES.to_contract(raw)
    assert problems == []
    assert mapped["registrations"][0]["type"] == "CONTACT_SUSPENDED"
    case = validate_case(mapped, 0)
    assert not isinstance(case, list)
    assert case.registrations[0].type.value == "CONTACT_SUSPENDED"


NESTED_OFFENDER_MANAGER = {
    "probationArea": {"code": "N07", "description": "London"},
    "team": {
        "code": "N07T01",
        "description": "Camden Team 1",
        "borough": {"code": "N07CAM", "description": "Camden and Islington"},
    },
    "staff": {"code": "N07A123", "forenames": "Sam", "surname": "Jones"},
}
FLAT_OFFENDER_MANAGER = {
    "providerCode": "N03",
    "teamCode": "N03T02",
    "teamDescription": "Cardiff Team 2",
    "boroughCode": "N03CDF",
    "code": "N03B456",
    "forename": "Rhian",
    "surname": "Evans",
}


@pytest.mark.parametrize(
    ("key", "record", "manager"),
    [
        (
            "offender_manager",
            NESTED_OFFENDER_MANAGER,
            {
                "region": "London",
                "pdu": "Camden and Islington",
                "team": "Camden Team 1",
                "staff_code": "N07A123",
                "staff_name": "Sam Jones",
            },
        ),
        (
            "offenderManager",
            FLAT_OFFENDER_MANAGER,
            {
                "region": "N03",
                "pdu": "N03CDF",
                "team": "Cardiff Team 2",
                "staff_code": "N03B456",
                "staff_name": "Rhian Evans",
            },
        ),
    ],
)
def test_an_ndelius_offender_manager_becomes_the_case_manager(
    key: str, record: dict[str, Any], manager: dict[str, str]
) -> None:
    mapped, problems = CODES.to_contract(a_case(**{key: record}))
    assert problems == []
    assert key not in mapped
    assert mapped["manager"] == manager
    case = validate_case(mapped, 0)
    assert not isinstance(case, list)
    assert case.manager is not None and case.manager.team == manager["team"]


def test_a_given_manager_wins_field_by_field_and_bad_values_are_named() -> None:
    raw = a_case(
        manager={"team": "Team given"},
        offender_manager={**NESTED_OFFENDER_MANAGER, "staff": {"code": 7, "surname": "Jones"}},
    )
    mapped, problems = CODES.to_contract(raw)
    assert problems == [("offender_manager.staff.code", "must be text")]
    assert mapped["manager"] == {
        "region": "London",
        "pdu": "Camden and Islington",
        "team": "Team given",
        "staff_name": "Jones",
    }
    assert CODES.to_contract(a_case(offender_manager="Sam"))[1] == [
        ("offender_manager", "an offender manager must be an object")
    ]
