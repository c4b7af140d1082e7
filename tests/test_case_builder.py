"""Cases made straight from the Parquet tables (`columnar.case_builder`) are the intake's cases.

Every case the builder makes must equal what the intake makes of the same rows read as JSON
(`table_reader.cases_of`, then `intake.reader.validate_case`); a person the intake refuses must
be left to it. Checked on the bundled sample and generated people (all of whom the builder must
make itself, or it saves nothing), and on hypothesis-generated cases, damaged at random in the
ways the intake refuses.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from json_cases import json_cases
from probation_reset.columnar.case_builder import direct_cases
from probation_reset.columnar.table_reader import TableChunk, cases_of, read_table_chunks
from probation_reset.columnar.tables import CaseTableWriter
from probation_reset.domain.case import Case
from probation_reset.intake.reader import validate_case
from probation_reset.sample.generator import generate_caseload, read_bundled_caseload


def _tables(directory: Path, cases: list[dict[str, Any]], row_group_people: int = 2) -> Path:
    writer = CaseTableWriter(directory, row_group_people=row_group_people)
    for case in cases:
        writer.add(case)
    writer.close()
    return directory


def _compare(chunk: TableChunk) -> tuple[int, int]:
    """Checks every case built against the intake's; the numbers built and left to it."""
    built = direct_cases(chunk)
    assert built is not None
    read = [validate_case(raw, index) for index, raw in enumerate(cases_of(chunk))]
    assert len(built) == len(read) == chunk.people
    for case, expected in zip(built, read, strict=True):
        if case is not None:
            assert isinstance(case, Case)
            assert case == expected
    made = sum(case is not None for case in built)
    return made, len(built) - made


def test_the_sample_and_generated_people_are_all_built_as_the_intake_builds_them(
    tmp_path: Path,
) -> None:
    cases = [*read_bundled_caseload(), *generate_caseload(1_500, 5, date(2026, 3, 2))]
    directory = _tables(tmp_path, cases, row_group_people=400)
    made = left = 0
    for chunk in read_table_chunks(directory, 300):
        counts = _compare(chunk)
        made, left = made + counts[0], left + counts[1]
    assert (made, left) == (len(cases), 0)


def _damage(case: dict[str, Any], how: str) -> None:
    """One way the intake refuses a case, made in a field the tables can hold."""
    events = case["events"]
    contacts = case["contacts"]
    registrations = case["registrations"]
    if how == "empty crn":
        case["crn"] = ""
    elif how == "long manager name":
        case["manager"] = {"staff_name": "n" * 201}
    elif how == "birth before 1800":
        case["date_of_birth"] = "1799-12-31"
    elif how == "unknown event type" and events:
        events[0]["type"] = "PAROLE"
    elif how == "event start after 2399" and events:
        events[0]["start_date"] = "2400-01-01"
    elif how == "repeated event id" and events:
        events.append(copy.deepcopy(events[0]))
    elif how == "order without end" and events:
        events[0].update(type="COMMUNITY_ORDER", end_date=None)
        events[0].pop("pss_end_date", None)
    elif how == "pss on an order" and events:
        events[0].update(type="COMMUNITY_ORDER", end_date="2026-01-01", pss_end_date="2026-06-01")
    elif how == "negative days" and events:
        events[0].setdefault("requirements", []).append({"type": "RAR", "days": -1})
    elif how == "unknown requirement" and events:
        events[0].setdefault("requirements", []).append({"type": "TAGGING"})
    elif how == "mappa level 4":
        registrations.append({"type": "MAPPA", "start_date": "2024-01-01", "level": 4})
    elif how == "mappa level as text":
        registrations.append({"type": "MAPPA", "start_date": "2024-01-01", "level": "HIGH"})
    elif how == "rosh level as number":
        registrations.append({"type": "ROSH", "start_date": "2024-01-01", "level": 2})
    elif how == "unknown registration":
        registrations.append({"type": "GANG", "start_date": "2024-01-01"})
    elif how == "deregistered before start":
        registrations.append(
            {"type": "NSD", "start_date": "2024-01-01", "deregistered_on": "2023-01-01"}
        )
    elif how == "hour 25":
        contacts.append({"contact_id": "T", "date": "2025-01-02T25:00", "type": "APPOINTMENT"})
    elif how == "time with an offset":  # taken by the intake, left to it by the screen
        contacts.append({"contact_id": "T", "date": "2025-01-02T09:00Z", "type": "APPOINTMENT"})
    elif how == "unknown contact type":
        contacts.append({"contact_id": "T", "date": "2025-01-02", "type": "LETTER"})
    elif how == "unknown outcome":
        contacts.append(
            {"contact_id": "T", "date": "2025-01-02", "type": "APPOINTMENT", "outcome": "LATE"}
        )
    elif how == "contact naming no event":
        contacts.append(
            {"contact_id": "T", "date": "2025-01-02", "type": "APPOINTMENT", "event_id": "9"}
        )
    elif how == "empty contact id":
        contacts.append({"contact_id": "", "date": "2025-01-02", "type": "APPOINTMENT"})


_DAMAGES = [
    "none", "empty crn", "long manager name", "birth before 1800", "unknown event type",
    "event start after 2399", "repeated event id", "order without end", "pss on an order",
    "negative days", "unknown requirement", "mappa level 4", "mappa level as text",
    "rosh level as number", "unknown registration", "deregistered before start", "hour 25",
    "time with an offset", "unknown contact type", "unknown outcome", "contact naming no event",
    "empty contact id",
]  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=st.lists(
        st.tuples(json_cases(), st.lists(st.sampled_from(_DAMAGES), max_size=2)), max_size=6
    )
)
def test_any_case_built_is_the_intakes_and_every_refused_case_is_left_to_it(
    tmp_path_factory: pytest.TempPathFactory, cases: list[tuple[dict[str, Any], list[str]]]
) -> None:
    for case, damages in cases:
        for how in damages:
            _damage(case, how)
    directory = _tables(tmp_path_factory.mktemp("tables"), [case for case, _ in cases])
    for chunk in read_table_chunks(directory, 3):
        _compare(chunk)


def test_every_damage_is_left_to_the_intake(tmp_path: Path) -> None:
    base = {
        "crn": "X1",
        "events": [
            {
                "event_id": "1",
                "type": "LICENCE",
                "start_date": "2024-01-01",
                "end_date": "2026-01-01",
                "pss_end_date": None,
            }
        ],
        "registrations": [],
        "contacts": [],
    }
    cases = []
    for how in _DAMAGES:
        case = copy.deepcopy(base)
        _damage(case, how)
        cases.append(case)
    chunk = next(read_table_chunks(_tables(tmp_path, cases, 100), 100))
    built = direct_cases(chunk)
    assert built is not None
    assert [how for how, case in zip(_DAMAGES, built, strict=True) if case is not None] == ["none"]
    assert _compare(chunk) == (1, len(_DAMAGES) - 1)


def test_a_column_of_another_type_leaves_the_whole_chunk_to_the_intake(tmp_path: Path) -> None:
    cases = generate_caseload(20, 3, date(2026, 3, 2))
    directory = _tables(tmp_path, cases, 20)
    requirements = pl.read_parquet(directory / "requirements.parquet")
    requirements.with_columns(pl.col("days").cast(pl.Float64)).write_parquet(
        directory / "requirements.parquet"
    )
    chunk = next(read_table_chunks(directory, 20))
    assert direct_cases(chunk) is None


def test_rows_of_no_case_leave_the_whole_chunk_to_the_intake(tmp_path: Path) -> None:
    cases = generate_caseload(20, 3, date(2026, 3, 2))
    directory = _tables(tmp_path, cases, 20)
    requirements = pl.read_parquet(directory / "requirements.parquet")
    requirements.with_columns(pl.lit("no such event").alias("event_id")).write_parquet(
        directory / "requirements.parquet"
    )
    chunk = next(read_table_chunks(directory, 20))
    assert direct_cases(chunk) is None


def test_every_valid_case_of_the_contracts_scenarios_is_built_as_the_intake_builds_it(
    tmp_path: Path,
) -> None:
    from test_scenarios import SCENARIOS

    valid: list[dict[str, Any]] = []
    for path in SCENARIOS:
        scenario = json.loads(path.read_text(encoding="utf-8"))
        cases = scenario.get("input")
        cases = cases.get("cases") if isinstance(cases, dict) else cases
        for index, case in enumerate(cases if isinstance(cases, list) else []):
            if isinstance(validate_case(case, index), Case):
                valid.append(case)
    directory = _tables(tmp_path, valid, row_group_people=50)
    made = left = 0
    for chunk in read_table_chunks(directory, 40):
        counts = _compare(chunk)
        made, left = made + counts[0], left + counts[1]
    assert made + left == len(valid) > 100
    # Only a case with a contact time the tables hold otherwise than ``HH:MM[:SS]`` (one with
    # an offset, which the intake takes) is left to it.
    plain = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?")
    assert left == sum(
        any(not plain.fullmatch(c["date"]) for c in case.get("contacts") or []) for case in valid
    )
