"""`probation-reset batch`: each case's result is exactly the per-case engine's, in input order,
from JSON Lines, JSON or Parquet tables, on one worker or several."""

from __future__ import annotations

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
from probation_reset.batch.result_table import result_of_row
from probation_reset.cli.main import app
from probation_reset.columnar.tables import CaseTableWriter
from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import read_cases
from probation_reset.sample.generator import generate_caseload, read_bundled_caseload
from test_scenarios import SCENARIOS

runner = CliRunner()
ON = "2025-11-03"


def _jsonl(path: Path, cases: list[Any]) -> Path:
    path.write_text("".join(json.dumps(case) + "\n" for case in cases), encoding="utf-8")
    return path


def _invoke(*arguments: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(arguments), input=stdin)
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def thousands() -> list[dict[str, Any]]:
    """The bundled sample and 2,500 generated people on another day."""
    return [*read_bundled_caseload(), *generate_caseload(2_500, 77, date(2026, 3, 2))]


def test_every_line_is_the_per_case_engines_result(
    tmp_path: Path, engine: Engine, thousands: list[dict[str, Any]]
) -> None:
    source = _jsonl(tmp_path / "cases.jsonl", thousands)
    out = tmp_path / "results.jsonl"
    code, _ = _invoke("batch", str(source), "--on", ON, "--out", str(out), "--workers", "1")
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    intake = read_cases(thousands)
    assert intake.errors == ()
    expected = [
        case_result_json(engine.evaluate(case, date(2025, 11, 3))) for _, case in intake.cases
    ]
    assert len(lines) == len(expected) == len(thousands)
    assert [json.loads(line) for line in lines] == expected
    statuses = {line["status"] for line in expected}
    assert statuses == {"ACTIVE", "SUSPENDED", "EXEMPT", "NOT_APPLICABLE", "ENDED"}


def test_two_workers_write_what_one_writes(
    tmp_path: Path, thousands: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("probation_reset.cli.batch.CHUNK_CASES", 500)  # three chunks
    source = _jsonl(tmp_path / "cases.jsonl", thousands[:1_400])
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"results-{workers}.json"
        code, _ = _invoke(
            "batch", str(source), "--on", ON, "--format", "json", "--out", str(out),
            "--workers", workers,
        )  # fmt: skip
        assert code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    code, evaluated = _invoke("evaluate", str(source), "--on", ON, "--format", "json")
    assert code == 0
    assert outputs[0].decode("utf-8") == evaluated


def test_parquet_tables_in_and_out(tmp_path: Path, thousands: list[dict[str, Any]]) -> None:
    cases = thousands[:900]
    writer = CaseTableWriter(tmp_path / "tables", row_group_people=256)
    for case in cases:
        writer.add(case)
    writer.close()
    from_tables = tmp_path / "from-tables.jsonl"
    code, _ = _invoke(
        "batch", str(tmp_path / "tables"), "--on", ON, "--out", str(from_tables), "--workers", "1"
    )
    assert code == 0
    from_jsonl = tmp_path / "from-jsonl.jsonl"
    source = _jsonl(tmp_path / "cases.jsonl", cases)
    _invoke("batch", str(source), "--on", ON, "--out", str(from_jsonl), "--workers", "1")
    assert from_tables.read_bytes() == from_jsonl.read_bytes()
    parquet = tmp_path / "results.parquet"
    code, _ = _invoke(
        "batch", str(source), "--on", ON, "--format", "parquet", "--out", str(parquet),
        "--workers", "1",
    )  # fmt: skip
    assert code == 0
    rows = pl.read_parquet(parquet).to_dicts()
    assert [row["index"] for row in rows] == list(range(len(cases)))
    expected = [json.loads(line) for line in from_jsonl.read_text(encoding="utf-8").splitlines()]
    assert [result_of_row(row) for row in rows] == expected


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_gives_what_evaluate_gives(scenario_path: Path, tmp_path: Path) -> None:
    scenario = json.loads(scenario_path.read_text(encoding="utf-8"))
    jsonl = scenario.get("input_format") == "jsonl"
    if "input_text" in scenario:
        text = scenario["input_text"]
    elif jsonl:
        cases = scenario["input"]
        cases = cases["cases"] if isinstance(cases, dict) else cases
        text = "".join(json.dumps(c) + "\n" for c in cases)
    else:
        text = json.dumps(scenario["input"])
    path = tmp_path / ("cases.jsonl" if jsonl else "cases.json")
    path.write_text(text, encoding="utf-8")
    stdin = scenario.get("stdin", False)
    source = "-" if stdin else str(path)
    arguments = scenario.get("args", ["--on", scenario["on"]])
    evaluated = _invoke("evaluate", source, *arguments, "--format", "json", stdin=text)
    batched = _invoke("batch", source, *arguments, "--format", "json", "--workers", "1", stdin=text)
    assert batched == evaluated


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases=st.lists(json_cases(), max_size=8))
def test_any_cases_valid_or_not_give_what_evaluate_gives(
    tmp_path_factory: pytest.TempPathFactory, cases: list[dict[str, Any]]
) -> None:
    path = _jsonl(tmp_path_factory.mktemp("batch") / "cases.jsonl", cases)
    evaluated = _invoke("evaluate", str(path), "--on", ON, "--format", "json")
    assert _invoke("batch", str(path), "--on", ON, "--format", "json", "--workers", "1") == (
        evaluated
    )
    code, lines = _invoke("batch", str(path), "--on", ON, "--workers", "1")
    assert code == evaluated[0]
    if code == 2:
        return
    document = json.loads(evaluated[1])
    written = [json.loads(line) for line in lines.splitlines()]
    assert [line for line in written if "errors" not in line] == document["cases"]
    errors = [dict(error) for line in written for error in line.get("errors", ())]
    assert errors == document["errors"]


def test_an_unreadable_line_stops_the_batch_and_writes_nothing(tmp_path: Path) -> None:
    good = json.dumps(next(generate_caseload(1, 1, date(2025, 11, 3))))
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{good}\n{good}\n{{broken,\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["batch", str(path), "--on", ON, "--out", str(out), "--workers", "1"]
    )
    assert result.exit_code == 2
    assert "line 3, column 2 is not JSON" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_misuse_is_exit_2(tmp_path: Path) -> None:
    assert _invoke("batch", str(tmp_path / "none.jsonl"), "--on", ON)[0] == 2
    assert _invoke("batch", "-", "--on", "2025-13-01", stdin="{}")[0] == 2
    assert _invoke("batch", "-", "--on", ON, "--format", "parquet", stdin="{}")[0] == 2
    assert _invoke("batch", "-", "--on", ON, "--out", str(tmp_path), stdin="{}")[0] == 2


@pytest.mark.parametrize("workers", ["1", "2"])
def test_tables_whose_rows_make_no_case_stop_the_batch_naming_the_table(
    tmp_path: Path, workers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cases are made from the rows where the chunk is evaluated (a worker, for two):
    a requirement of no event of its case is still a clear exit 2, and nothing is written."""
    monkeypatch.setattr("probation_reset.cli.batch.CHUNK_CASES", 500)
    tables = tmp_path / "tables"
    writer = CaseTableWriter(tables)
    for case in generate_caseload(1_200, 5, date(2025, 11, 3)):
        writer.add(case)
    writer.close()
    requirements = pl.read_parquet(tables / "requirements.parquet")
    last = requirements.height - 1
    requirements.with_columns(
        pl.when(pl.int_range(pl.len()) == last)
        .then(pl.lit("no-such-event"))
        .otherwise(pl.col("event_id"))
        .alias("event_id")
    ).write_parquet(tables / "requirements.parquet")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["batch", str(tables), "--on", ON, "--out", str(out), "--workers", workers]
    )
    assert result.exit_code == 2
    assert "requirements.parquet" in result.output
    assert "no event no-such-event" in result.output
    assert not out.exists()


def test_workers_hand_over_every_line_and_leave_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers, chunks of 300, from Parquet tables and from JSON Lines: the same lines as
    one process writes; a CRN seen in an earlier chunk and a refused case still get their
    error lines; the workers' hand-over files are all gone at the end (`batch.handover`)."""
    monkeypatch.setattr("probation_reset.cli.batch.CHUNK_CASES", 300)
    handovers = tmp_path / "tmp"
    handovers.mkdir()
    monkeypatch.setenv("TMPDIR", str(handovers))
    monkeypatch.setattr("tempfile.tempdir", None)
    cases = list(generate_caseload(1_000, 11, date(2025, 11, 3)))
    cases[700] = dict(cases[700], crn=cases[100]["crn"])  # seen in the first chunk
    cases[800] = dict(cases[800], events="not a list")  # refused
    writer = CaseTableWriter(tmp_path / "tables")
    for case in cases:
        if case is not cases[800]:
            writer.add(case)
    writer.close()
    source = _jsonl(tmp_path / "cases.jsonl", cases)
    for name, input_path in (("jsonl", source), ("tables", tmp_path / "tables")):
        written = []
        for workers in ("1", "2"):
            out = tmp_path / f"{name}-{workers}.jsonl"
            code, _ = _invoke(
                "batch", str(input_path), "--on", ON, "--out", str(out), "--workers", workers
            )
            assert code == 1
            written.append(out.read_bytes())
        assert written[0] == written[1]
        lines = [json.loads(line) for line in written[1].splitlines()]
        assert len(lines) == (1_000 if name == "jsonl" else 999)
        assert lines[700]["errors"][0]["message"] == f"crn {cases[100]['crn']!r} was already seen"
        if name == "jsonl":
            assert any(e["field"] == "events" for e in lines[800]["errors"])
    assert list(handovers.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "out_name"),
    [("jsonl", None), ("json", "out.json"), ("json", None), ("parquet", "out.parquet")],
)
def test_every_output_takes_the_workers_results_as_one_process_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str, out_name: str | None
) -> None:
    """Whether the results are copied on from the workers' files (JSON Lines, every case of a
    chunk kept) or read back (a chunk with a refused case or a CRN seen before; the JSON
    document; Parquet), to a file or to standard output: what two workers write is what one
    process writes."""
    monkeypatch.setattr("probation_reset.cli.batch.CHUNK_CASES", 200)
    cases = list(generate_caseload(600, 23, date(2025, 11, 3)))
    cases[450] = dict(cases[450], crn=cases[50]["crn"])
    source = _jsonl(tmp_path / "cases.jsonl", cases)
    written = []
    for workers in ("1", "2"):
        target = ["--out", str(tmp_path / f"{workers}-{out_name}")] if out_name else []
        result = runner.invoke(
            app,
            ["batch", str(source), "--on", ON, "--format", output, "--workers", workers, *target],
        )
        assert result.exit_code == 1
        if out_name is None:
            written.append(result.stdout_bytes)
        elif output == "parquet":
            written.append(pl.read_parquet(tmp_path / f"{workers}-{out_name}").to_dicts())
        else:
            written.append((tmp_path / f"{workers}-{out_name}").read_bytes())
    assert written[0] == written[1]
    if output == "jsonl":
        lines = [json.loads(line) for line in written[1].splitlines()]
        assert [line["crn"] for line in lines] == [case["crn"] for case in cases]
        assert lines[450]["errors"][0]["message"] == f"crn {cases[50]['crn']!r} was already seen"
        assert lines[449]["status"] in {"ACTIVE", "SUSPENDED", "EXEMPT", "NOT_APPLICABLE", "ENDED"}
