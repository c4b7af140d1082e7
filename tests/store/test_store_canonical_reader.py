"""A stored canonical document read as written gives the case full validation gives; anything
else is validated in full, and a document that is not valid is still refused by name."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from json_cases import json_cases
from probation_reset.intake.reader import validate_case
from probation_reset.sample.generator.bundled import read_bundled_caseload
from probation_reset.sample.generator.people import generate_caseload
from probation_reset.store.canonical_reader import NotCanonicalError, case_of_canonical
from probation_reset.store.case_document import StoredCaseError, canonical_document, stored_case


def _valid(raw: dict[str, Any]) -> bool:
    return not isinstance(validate_case(raw, 0), list)


def test_every_sample_and_generated_case_reads_back_as_validation_reads_it() -> None:
    raws = read_bundled_caseload() + list(generate_caseload(400, 3, date(2025, 11, 3)))
    checked = 0
    for raw in raws:
        if not _valid(raw):
            continue
        document = json.loads(json.dumps(canonical_document(raw)))  # as the store gives it back
        expected = validate_case(document, 0)
        assert case_of_canonical(document) == expected
        assert stored_case(document["crn"], document) == expected
        checked += 1
    assert checked > 400


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=json_cases())
def test_a_valid_case_reads_back_from_its_canonical_document_as_validated(
    raw: dict[str, Any],
) -> None:
    if not _valid(raw):
        return
    document = json.loads(json.dumps(canonical_document(raw)))
    assert case_of_canonical(document) == validate_case(raw, 0)


def _document() -> dict[str, Any]:
    raw = {
        "crn": "X1",
        "events": [
            {
                "event_id": "1",
                "type": "LICENCE",
                "start_date": "2025-01-06",
                "end_date": "2026-01-05",
            }
        ],
        "registrations": [{"type": "ROSH", "start_date": "2025-01-06", "level": "HIGH"}],
        "contacts": [
            {"contact_id": "c1", "event_id": "1", "date": "2025-01-07T10:00", "type": "APPOINTMENT"}
        ],
    }
    return json.loads(json.dumps(canonical_document(raw)))


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        (lambda d: d["events"][0].update(type="PRISON"), "events[0].type"),
        (lambda d: d["registrations"][0].update(level="EXTREME"), "registrations[0].level"),
        (lambda d: d["contacts"][0].update(date="07/01/2025"), "contacts[0].date"),
        (lambda d: d["events"][0].pop("youth"), None),
        (lambda d: d.update(crn=""), "crn"),
        (lambda d: d["events"][0]["requirements"].append({"type": "RAR", "days": -1}), "days"),
    ],
)
def test_a_document_not_as_the_store_writes_it_is_validated_in_full(
    spoil: Any, named: str | None
) -> None:
    document = _document()
    assert stored_case("X1", document) == case_of_canonical(document)
    spoiled = copy.deepcopy(document)
    spoil(spoiled)
    with pytest.raises(NotCanonicalError):
        case_of_canonical(spoiled)
    if named is None:  # not canonical, yet valid: full validation reads it
        assert stored_case("X1", spoiled) == validate_case(spoiled, 0)
        return
    with pytest.raises(StoredCaseError, match=named.replace("[", r"\[").replace("]", r"\]")):
        stored_case("X1", spoiled)
