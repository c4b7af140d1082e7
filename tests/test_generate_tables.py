"""`probation-reset generate` and the Parquet tables of a caseload (columnar/tables.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from json_cases import json_cases
from probation_reset.cli.main import app
from probation_reset.columnar.table_reader import read_case_tables
from probation_reset.columnar.tables import (
    SCHEMAS,
    TABLE_NAMES,
    CaseTablesError,
    CaseTableWriter,
)
from probation_reset.sample.generator import generate_caseload, read_bundled_caseload
from probation_reset.store.case_document import canonical_document

runner = CliRunner()


def _digests(directory: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
    }


def test_generate_writes_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    for name in ("one", "two"):
        result = runner.invoke(
            app, ["generate", "--people", "300", "--seed", "9", "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        assert "300 people" in result.output
    first = _digests(tmp_path / "one")
    assert first == _digests(tmp_path / "two")
    assert set(first) == {"cases.jsonl", *(f"{table}.parquet" for table in TABLE_NAMES)}
    other = tmp_path / "other"
    runner.invoke(app, ["generate", "--people", "300", "--seed", "10", "--out", str(other)])
    assert _digests(other)["cases.jsonl"] != first["cases.jsonl"]


def test_generated_jsonl_and_tables_hold_the_generator_cases(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "generate",
            "--people",
            "250",
            "--seed",
            "3",
            "--as-of",
            "2026-01-05",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    expected = list(generate_caseload(250, 3, date(2026, 1, 5)))
    lines = (tmp_path / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == expected
    assert [case for chunk in read_case_tables(tmp_path, 64) for case in chunk] == expected
    people = pl.read_parquet(tmp_path / "people.parquet")
    assert people["case_index"].to_list() == list(range(250))
    assert people["crn"].to_list() == [case["crn"] for case in expected]
    assert people.schema == pl.Schema(SCHEMAS["people"])
    contacts = pl.read_parquet(tmp_path / "contacts.parquet")
    assert contacts.height == sum(len(case["contacts"]) for case in expected)
    assert contacts.schema["date"] == pl.Date()
    assert contacts.filter(pl.col("time").is_not_null()).height > 0
    registrations = pl.read_parquet(tmp_path / "registrations.parquet")
    mappa = registrations.filter(pl.col("type") == "MAPPA")
    assert mappa["level"].null_count() == mappa.height
    assert set(mappa["level_number"].to_list()) <= {1, 2, 3}


def test_the_bundled_sample_round_trips_through_the_tables(tmp_path: Path) -> None:
    cases = read_bundled_caseload()
    writer = CaseTableWriter(tmp_path, row_group_people=37)
    for case in cases:
        writer.add(case)
    writer.close()
    assert [case for chunk in read_case_tables(tmp_path, 50) for case in chunk] == cases


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--people", "-1"], "--people"),
        (["--people", "1000001"], "--people"),
        (["--people", "5", "--as-of", "2025-02-30"], "--as-of"),
    ],
)
def test_generate_misuse_exits_2(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = runner.invoke(app, ["generate", *arguments, "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert message in result.output


def test_tables_out_of_order_or_missing_are_refused(tmp_path: Path) -> None:
    writer = CaseTableWriter(tmp_path)
    for case in generate_caseload(5, 1, date(2025, 11, 3)):
        writer.add(case)
    writer.close()
    contacts = pl.read_parquet(tmp_path / "contacts.parquet")
    contacts.reverse().write_parquet(tmp_path / "contacts.parquet")
    with pytest.raises(CaseTablesError, match="case_index order"):
        list(read_case_tables(tmp_path))
    (tmp_path / "events.parquet").unlink()
    with pytest.raises(CaseTablesError, match=r"events\.parquet"):
        list(read_case_tables(tmp_path))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(json_cases(), max_size=6))
def test_any_caseload_round_trips_through_the_tables(
    tmp_path_factory: pytest.TempPathFactory, cases: list[dict[str, Any]]
) -> None:
    directory = tmp_path_factory.mktemp("tables")
    writer = CaseTableWriter(directory, row_group_people=2)
    for case in cases:
        writer.add(case)
    writer.close()
    back = [case for chunk in read_case_tables(directory, 3) for case in chunk]
    # A manager with no field set is read back as no manager.
    for case in cases:
        if case.get("manager") == {}:
            del case["manager"]
    assert [canonical_document(case) for case in back] == [
        canonical_document(case) for case in cases
    ]
