"""The columnar status and exemptions (columnar/status.py, `batch --status-only`) against the
per-case engine, person by person, on several days."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from json_cases import json_cases
from probation_reset.cli.main import app
from probation_reset.columnar.status import statuses
from probation_reset.columnar.tables import CaseTablesError, CaseTableWriter
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import read_cases
from probation_reset.policy import load_parameters
from probation_reset.sample.generator import generate_caseload

runner = CliRunner()
PARAMETERS = load_parameters()
ENGINE = Engine(PARAMETERS)
DAYS = (date(2023, 6, 1), date(2024, 3, 31), date(2024, 4, 1), date(2025, 11, 3), date(2026, 7, 15))
Row = tuple[str, str, tuple[str, ...]]


def _write(directory: Path, cases: list[dict[str, Any]], row_group_people: int = 500) -> None:
    writer = CaseTableWriter(directory, row_group_people=row_group_people)
    for case in cases:
        writer.add(case)
    writer.close()


def _columnar(directory: Path, on: date) -> list[Row]:
    frame = statuses(directory, on, PARAMETERS)
    return [
        (crn, status, tuple(exemptions))
        for crn, status, exemptions in zip(
            frame["crn"], frame["status"], frame["exemptions"], strict=True
        )
    ]


def _engine(cases: list[dict[str, Any]], on: date) -> dict[int, Row]:
    """The engine's rows by case index, for the cases it accepts (duplicate CRNs aside)."""
    rows: dict[int, Row] = {}
    for index, raw in enumerate(cases):
        accepted = read_cases([raw]).cases
        if accepted:
            result = ENGINE.evaluate(accepted[0][1], on)
            rows[index] = (result.crn, result.status.value, result.exemptions)
    return rows


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    cases = list(generate_caseload(2500, 17, date(2025, 11, 3)))
    directory = tmp_path_factory.mktemp("generated")
    _write(directory, cases, row_group_people=600)
    return directory, cases


@pytest.mark.parametrize("on", DAYS)
def test_generated_caseload_matches_the_engine(
    generated: tuple[Path, list[dict[str, Any]]], on: date
) -> None:
    directory, cases = generated
    intake = read_cases(cases)
    assert intake.errors == ()
    expected = []
    for _, case in intake.cases:
        result = ENGINE.evaluate(case, on)
        expected.append((result.crn, result.status.value, result.exemptions))
    got = _columnar(directory, on)
    assert got == expected
    if on >= date(2025, 1, 1):
        assert {status for _, status, _ in got} == {
            "ACTIVE",
            "SUSPENDED",
            "EXEMPT",
            "NOT_APPLICABLE",
            "ENDED",
        }


_day = st.dates(min_value=date(2023, 6, 1), max_value=date(2026, 12, 31))
_registration = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["ROSH", "MAPPA", "NSD", "CHILD_PROTECTION", "CHILD_IN_NEED", "ISC", "IOM"]
        ),
        "start_date": st.sampled_from(["2024-01-01", "2024-06-01", "2025-01-01"]),
    },
    optional={
        "deregistered_on": st.sampled_from(["2024-06-01", "2025-03-01", "2026-01-01"]),
        "level": st.sampled_from(["LOW", "HIGH", "VERY_HIGH"]),
    },
)


@st.composite
def _dense_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Cases whose dates crowd around the days judged: RoSH ties on start dates, PR1 key
    dates, PSS, terminations and youth sentences close to each other."""
    case = draw(json_cases())
    for event in case["events"]:
        start = draw(_day)
        event["start_date"] = start.isoformat()
        if event.get("end_date") is not None or event["type"] != "LICENCE":
            end = draw(st.dates(min_value=start, max_value=date(2027, 12, 31)))
            event["end_date"] = end.isoformat()
            if "key_dates" in event:
                pr1 = draw(st.dates(min_value=start, max_value=end))
                event["key_dates"] = {"probation_reset_date": pr1.isoformat()}
            if event["type"] == "LICENCE" and draw(st.booleans()):
                pss = draw(st.dates(min_value=end, max_value=date(2028, 12, 31)))
                event["pss_end_date"] = pss.isoformat()
            else:
                event.pop("pss_end_date", None)
        else:
            event.pop("pss_end_date", None)
            event.pop("key_dates", None)
        if "terminated_on" in event:
            event["terminated_on"] = draw(_day).isoformat()
    registrations = draw(st.lists(_registration, max_size=5))
    for registration in registrations:
        if registration["type"] == "ROSH":
            registration.setdefault("level", "VERY_HIGH")
        elif registration["type"] == "MAPPA":
            registration.pop("level", None)
    case["registrations"] = registrations
    return case


def _edges(cases: list[dict[str, Any]]) -> set[date]:
    """Days on which something changes for the cases (and the days before them)."""
    days: set[date] = set()
    for raw in cases:
        for _, case in read_cases([raw]).cases:
            for event in ENGINE.evaluate(case, date(2025, 1, 1)).events:
                if event.final_third_start is not None:
                    days.add(event.final_third_start)
            for registration in case.registrations:
                days.add(registration.start_date)
            for source in case.events:
                days.update(d for d in (source.end_date, source.terminated_on) if d is not None)
    return days | {date.fromordinal(day.toordinal() - 1) for day in days}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=st.lists(_dense_cases() | json_cases(), max_size=8),
    days=st.lists(_day, min_size=1, max_size=3),
)
def test_any_caseload_matches_the_engine(
    tmp_path_factory: pytest.TempPathFactory, cases: list[dict[str, Any]], days: list[date]
) -> None:
    directory = tmp_path_factory.mktemp("hypothesis")
    _write(directory, cases, row_group_people=3)
    for on in sorted({*days, date(2024, 4, 1), *_edges(cases)}):
        got = _columnar(directory, on)
        assert len(got) == len(cases)
        for index, row in _engine(cases, on).items():
            assert got[index] == row, (on, cases[index])


def test_ties_on_rosh_start_go_to_the_later_in_input_order(tmp_path: Path) -> None:
    def case(crn: str, levels: list[str]) -> dict[str, Any]:
        return {
            "crn": crn,
            "events": [
                {
                    "event_id": "1",
                    "type": "LICENCE",
                    "start_date": "2025-01-01",
                    "end_date": "2026-01-01",
                }
            ],
            "registrations": [
                {"type": "ROSH", "start_date": "2025-02-01", "level": level} for level in levels
            ],
        }

    _write(tmp_path, [case("A1", ["VERY_HIGH", "HIGH"]), case("B2", ["HIGH", "VERY_HIGH"])])
    assert _columnar(tmp_path, date(2025, 10, 1)) == [
        ("A1", "SUSPENDED", ()),
        ("B2", "EXEMPT", ("EXEMPT_VERY_HIGH_ROSH",)),
    ]


def test_batch_status_only_writes_json_lines(
    generated: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    directory, cases = generated
    out = tmp_path / "statuses.jsonl"
    result = runner.invoke(
        app, ["batch", str(directory), "--on", "2025-11-03", "--status-only", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [list(line) for line in lines[:1]] == [["crn", "status", "exemptions"]]
    assert [(line["crn"], line["status"], tuple(line["exemptions"])) for line in lines] == (
        _columnar(directory, date(2025, 11, 3))
    )
    assert len(lines) == len(cases)
    printed = runner.invoke(app, ["batch", str(directory), "--on", "2025-11-03", "--status-only"])
    assert printed.exit_code == 0
    assert printed.stdout == out.read_text(encoding="utf-8")


def test_batch_status_only_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"crn": "A", "events": []}\n', encoding="utf-8")
    result = runner.invoke(app, ["batch", str(cases), "--on", "2025-11-03", "--status-only"])
    assert result.exit_code == 2
    assert "directory of Parquet tables" in result.stderr
    result = runner.invoke(app, ["batch", str(tmp_path), "--on", "2025-11-03", "--status-only"])
    assert result.exit_code == 2
    assert "people.parquet: no such file" in result.stderr
    with pytest.raises(CaseTablesError, match=r"people\.parquet"):
        statuses(tmp_path, date(2025, 11, 3), PARAMETERS)
    result = runner.invoke(
        app,
        ["batch", str(tmp_path), "--on", "2025-11-03", "--status-only", "--format", "json"],
    )
    assert result.exit_code == 2
    assert "JSON Lines only" in result.stderr
