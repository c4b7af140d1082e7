"""Scenario tests written as data (tests/scenarios/*.json, plus the contract's public examples).

Each file holds input cases, a day and the expected output, in the format of the contract's
``check_scenarios.py``; only what a scenario names is compared. They run through the command line
in-process, exactly as a user would call it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from probation_reset.cli.main import app

HERE = Path(__file__).parent
SCENARIOS = sorted((HERE / "scenarios").glob("*.json"))
CONTRACT_EXAMPLES = HERE.parent.parent / "shared" / "contract" / "examples"
if CONTRACT_EXAMPLES.is_dir():
    SCENARIOS += sorted(CONTRACT_EXAMPLES.glob("*.json"))

IDENTITY = ("rule", "event_id", "due_by")


def run(scenario: dict[str, Any], tmp_path: Path) -> tuple[int, str]:
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
    path.write_text(text)
    stdin = scenario.get("stdin", False)
    args = scenario.get("args", ["--on", scenario["on"]])
    result = CliRunner().invoke(
        app,
        ["evaluate", "-" if stdin else str(path), *args, "--format", "json"],
        input=text if stdin else None,
    )
    return result.exit_code, result.stdout


def matches(actual: dict[str, Any], wanted: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return all(actual.get(k) == wanted[k] for k in keys if k in wanted)


def check_case(crn: str, wanted: dict[str, Any], got: dict[str, Any] | None) -> None:
    if wanted.get("absent"):
        assert got is None, f"{crn}: expected no result"
        return
    assert got is not None, f"{crn}: no result"
    for key in ("status", "exemptions"):
        if key in wanted:
            assert got[key] == wanted[key], f"{crn}.{key}"
    for event in wanted.get("events", []):
        (found,) = [e for e in got["events"] if e["event_id"] == event["event_id"]]
        assert {k: found.get(k) for k in event} == event, f"{crn}.events"
    if "timeline" in wanted:
        keys = ("from", "to", "status", "exemptions")
        assert [{k: s.get(k) for k in keys} for s in got["timeline"]] == wanted["timeline"]
    for obligation in wanted.get("obligations", []):
        found = [o for o in got["obligations"] if matches(o, obligation, IDENTITY)]
        assert found, f"{crn}: no obligation like {obligation}"
        assert any(matches(o, obligation, tuple(obligation)) for o in found), (obligation, found)
    for obligation in wanted.get("no_obligations", []):
        found = [o for o in got["obligations"] if matches(o, obligation, IDENTITY)]
        assert not found, f"{crn}: unexpected {found[0]}"
    # Beyond the contract's checker: reasons and next actions, in order and complete, compared
    # on the keys named (``text_contains`` / ``action_contains``: part of the sentence).
    for key, words in (("reasons", "text"), ("next_actions", "action")):
        if key in wanted:
            assert len(got[key]) == len(wanted[key]), (crn, key, got[key])
            for actual, expected in zip(got[key], wanted[key], strict=True):
                named = {k: v for k, v in expected.items() if k != f"{words}_contains"}
                assert {k: actual.get(k) for k in named} == named, (crn, key, actual)
                assert expected.get(f"{words}_contains", "") in actual[words], (crn, actual)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path, tmp_path: Path) -> None:
    scenario = json.loads(path.read_text())
    expect = scenario["expect"]
    code, stdout = run(scenario, tmp_path)
    if "exit_code" in expect:
        assert code == expect["exit_code"]
    if code == 2 or not (expect.get("cases") or expect.get("errors") or "count_cases" in expect):
        return
    document = json.loads(stdout)
    results = {c["crn"]: c for c in document["cases"]}
    if "count_cases" in expect:
        assert len(document["cases"]) == expect["count_cases"]
    for crn, wanted in expect.get("cases", {}).items():
        check_case(crn, wanted, results.get(crn))
    for error in expect.get("errors", []):
        assert any(
            e["index"] == error["index"]
            and ("crn" not in error or e["crn"] == error["crn"])
            and error.get("field_contains", "") in e["field"]
            for e in document["errors"]
        ), (error, document["errors"])
