"""The columnar obligation engine (`columnar.obligations`) against the per-case engine.

`batch` from Parquet builds each chunk's cases without their contacts and judges every
obligation of the chunk in columns; its result for each person must be the per-case engine's,
byte for byte (the case read by the intake, evaluated by `Engine.evaluate`), on the sample, on
generated caseloads, on hypothesis cases (damaged or not) and on the contract's scenarios.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from json_cases import json_cases
from probation_reset.batch.sources import Chunk
from probation_reset.batch.work import ChunkEvaluator
from probation_reset.columnar.case_builder import direct_cases
from probation_reset.columnar.obligations import Person, judge_chunk
from probation_reset.columnar.table_reader import TableChunk, cases_of, read_table_chunks
from probation_reset.domain.case import Case
from probation_reset.evaluation.document import case_result_bytes
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import validate_case
from probation_reset.policy import load_parameters
from probation_reset.sample.generator import generate_caseload, read_bundled_caseload
from test_case_builder import _DAMAGES, _damage, _tables

ENGINE = Engine(load_parameters(None))


def _expected(chunk: TableChunk, first: int, on: date) -> list[bytes | None]:
    """Each person's result as the intake and the per-case engine make it (None: refused)."""
    results: list[bytes | None] = []
    for index, raw in enumerate(cases_of(chunk), first):
        case = validate_case(raw, index)
        results.append(
            case_result_bytes(ENGINE.evaluate(case, on)) if isinstance(case, Case) else None
        )
    return results


def _judged_people(chunk: TableChunk, on: date) -> int:
    """How many of the chunk's people the columnar engine judges itself."""
    built = direct_cases(chunk, with_contacts=False)
    assert built is not None
    indices = chunk.table("people").column("case_index").to_pylist()
    people = [
        Person(indices[offset], history, ENGINE.duties(history, on))
        for offset, case in enumerate(built)
        if case is not None
        for history in [ENGINE.history(case)]
    ]
    return len(judge_chunk(chunk.table("contacts"), people, on, ENGINE))


def _compare(directory: Path, size: int, on: date) -> tuple[int, int]:
    """Every result of the batch's chunks against the per-case engine's; the number of people
    and the number the columnar engine judged."""
    evaluate = ChunkEvaluator(ENGINE, on)
    first = people = judged = 0
    for tables in read_table_chunks(directory, size):
        outcomes = evaluate(Chunk(first, tables=tables))
        assert [o.result for o in outcomes] == _expected(tables, first, on)
        first += tables.people
        people += tables.people
        judged += _judged_people(tables, on)
    return people, judged


@pytest.mark.parametrize("on", [date(2024, 4, 2), date(2025, 11, 3), date(2026, 3, 2)])
def test_the_sample_and_generated_people_are_judged_as_the_per_case_engine_judges_them(
    tmp_path: Path, on: date
) -> None:
    cases = [*read_bundled_caseload(), *generate_caseload(1_000, 7, date(2026, 3, 2))]
    directory = _tables(tmp_path, cases, row_group_people=400)
    assert _compare(directory, 500, on) == (len(cases), len(cases))


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=st.lists(
        st.tuples(json_cases(), st.lists(st.sampled_from(_DAMAGES), max_size=1)), max_size=6
    ),
    on=st.dates(date(2023, 1, 1), date(2027, 12, 31)),
)
def test_any_cases_on_any_day_are_judged_as_the_per_case_engine_judges_them(
    tmp_path_factory: pytest.TempPathFactory,
    cases: list[tuple[dict[str, Any], list[str]]],
    on: date,
) -> None:
    for case, damages in cases:
        for how in damages:
            _damage(case, how)
    directory = _tables(tmp_path_factory.mktemp("tables"), [case for case, _ in cases])
    _compare(directory, 4, on)


def _case(contact_id: str, event_id: str = "1") -> dict[str, Any]:
    return {
        "crn": "X000001",
        "events": [
            {
                "event_id": event_id,
                "type": "COMMUNITY_ORDER",
                "start_date": "2025-01-06",
                "end_date": "2026-01-05",
                "requirements": [{"type": "RAR", "days": 20}],
            }
        ],
        "contacts": [
            {
                "contact_id": contact_id,
                "event_id": event_id,
                "date": "2025-01-07T10:00",
                "type": "APPOINTMENT",
                "mode": "FACE_TO_FACE",
                "outcome": "ATTENDED",
                "recorded_on": "2025-01-07",
            },
            {
                "contact_id": "same-day-earlier",
                "date": "2025-01-07T09:30:00",
                "type": "APPOINTMENT",
                "mode": "FACE_TO_FACE",
                "outcome": "ATTENDED",
            },
        ],
    }


@pytest.mark.parametrize("odd", ['say "hi"', "back\\slash", "tab\there", "line\nbreak"])
def test_an_id_json_escapes_is_left_to_the_per_case_engine(tmp_path: Path, odd: str) -> None:
    cases = [_case(odd), _case("C-2", event_id=odd), _case("C-3")]
    for number, case in enumerate(cases):
        case["crn"] = f"X00000{number}"
    directory = _tables(tmp_path, cases)
    # the two with an odd id are left; the plain one is judged here; all three as expected
    assert _compare(directory, 10, date(2025, 3, 3)) == (3, 1)


def test_a_contact_without_a_time_and_one_at_midnight_keep_their_input_order(
    tmp_path: Path,
) -> None:
    case = _case("C-1")
    midnight = dict(case["contacts"][1], contact_id="at-midnight", date="2025-01-07T00:00")
    bare = dict(case["contacts"][1], contact_id="bare-day", date="2025-01-07")
    case["contacts"] = [midnight, bare]
    directory = _tables(tmp_path, [case])
    assert _compare(directory, 10, date(2025, 3, 3)) == (1, 1)
    result = json.loads(ChunkEvaluator(ENGINE, date(2025, 3, 3))(
        Chunk(0, tables=next(read_table_chunks(directory, 10)))
    )[0].result or b"{}")  # fmt: skip
    induction = next(o for o in result["obligations"] if o["rule"] == "NS_INDUCTION")
    assert induction["met_by"] == "at-midnight"


def test_cases_built_without_contacts_are_the_cases_with_them_less_their_contacts(
    tmp_path: Path,
) -> None:
    cases = [*read_bundled_caseload()]
    for how, case in zip(_DAMAGES, cases, strict=False):
        _damage(case, how)
    directory = _tables(tmp_path, cases, row_group_people=100)
    for chunk in read_table_chunks(directory, 60):
        with_them = direct_cases(chunk)
        without = direct_cases(chunk, with_contacts=False)
        assert with_them is not None and without is not None
        assert [case is None for case in without] == [case is None for case in with_them]
        for bare, full in zip(without, with_them, strict=True):
            if full is not None:
                assert bare == dataclasses.replace(full, contacts=())


def test_every_valid_case_of_the_contracts_scenarios_is_judged_as_the_per_case_engine(
    tmp_path: Path,
) -> None:
    from test_scenarios import SCENARIOS

    by_day: dict[date, list[dict[str, Any]]] = {}
    for path in SCENARIOS:
        scenario = json.loads(path.read_text(encoding="utf-8"))
        cases = scenario.get("input")
        cases = cases.get("cases") if isinstance(cases, dict) else cases
        on = scenario.get("on")
        if not isinstance(on, str) or not isinstance(cases, list):
            continue
        for index, case in enumerate(cases):
            if isinstance(validate_case(case, index), Case):
                by_day.setdefault(date.fromisoformat(on), []).append(case)
    assert sum(map(len, by_day.values())) > 100
    for number, (on, cases) in enumerate(sorted(by_day.items())):
        directory = _tables(tmp_path / str(number), cases, row_group_people=50)
        people, judged = _compare(directory, 40, on)
        assert people == len(cases) and judged > 0
