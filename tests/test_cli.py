"""The command line: exit codes, formats and misuse (CONTRACT.md section 1)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from probation_reset.cli.main import app

runner = CliRunner()
ORDER = {
    "crn": "E01A",
    "events": [
        {
            "event_id": "1",
            "type": "COMMUNITY_ORDER",
            "start_date": "2025-03-03",
            "end_date": "2026-03-02",
            "requirements": [{"type": "RAR"}, {"type": "UPW"}],
        }
    ],
}


def write(tmp_path: Path, text: str, name: str = "cases.json") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_json_document_for_a_suspended_order(tmp_path: Path) -> None:
    cases = write(tmp_path, json.dumps({"cases": [ORDER]}))
    result = runner.invoke(app, ["evaluate", cases, "--on", "2025-10-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["on"] == "2025-10-31" and document["policy_version"] == "2024-11"
    (case,) = document["cases"]
    assert case["status"] == "SUSPENDED"
    assert case["events"] == [
        {
            "event_id": "1",
            "phase": "FINAL_THIRD",
            "final_third_start": "2025-10-31",
            "continuing": ["UPW"],
        }
    ]
    assert case["reasons"][0]["rule"] == "PHASE_FINAL_THIRD"
    assert document["errors"] == []


def test_json_lines_on_standard_input(tmp_path: Path) -> None:
    second = {**ORDER, "crn": "E01B"}
    text = json.dumps(ORDER) + "\n\n" + json.dumps(second) + "\n"
    result = runner.invoke(
        app, ["evaluate", "-", "--on", "2025-10-30", "--format", "json"], input=text
    )
    assert result.exit_code == 0
    assert [c["status"] for c in json.loads(result.stdout)["cases"]] == ["ACTIVE", "ACTIVE"]


def test_a_rejected_case_gives_exit_1_and_the_others_are_evaluated(tmp_path: Path) -> None:
    bad = {**ORDER, "crn": "BAD", "events": [{**ORDER["events"][0], "end_date": None}]}
    cases = write(tmp_path, json.dumps([bad, ORDER]))
    result = runner.invoke(app, ["evaluate", cases, "--on", "2025-10-31", "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [c["crn"] for c in document["cases"]] == ["E01A"]
    assert document["errors"][0]["field"] == "events[0].end_date"
    assert document["errors"][0]["index"] == 0


def test_misuse_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    cases = write(tmp_path, json.dumps([ORDER]))
    for args in (
        ["evaluate", cases, "--on", "31/10/2025"],
        ["evaluate", cases, "--on", "2025-02-30"],
        ["evaluate", str(tmp_path / "missing.json"), "--on", "2025-10-31"],
        ["evaluate", write(tmp_path, "{not json\n", "bad.jsonl"), "--on", "2025-10-31"],
        ["evaluate", cases, "--on", "2025-10-31", "--policy", "1999"],
        ["evaluate", cases],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_table_format_lists_each_person(tmp_path: Path) -> None:
    cases = write(tmp_path, json.dumps([ORDER]))
    result = runner.invoke(app, ["evaluate", cases, "--on", "2025-10-31"])
    assert result.exit_code == 0
    assert "E01A" in result.stdout and "SUSPENDED" in result.stdout


def test_explain_lays_out_one_case(tmp_path: Path) -> None:
    cases = write(tmp_path, json.dumps([ORDER]))
    result = runner.invoke(app, ["explain", cases, "--crn", "E01A", "--on", "2025-10-31"])
    assert result.exit_code == 0
    for words in (
        "SUSPENDED",
        "PHASE_FINAL_THIRD",
        "2025-10-31",
        "UPW",
        "Timeline",
        "NS_INDUCTION",
    ):
        assert words in result.stdout
    missing = runner.invoke(app, ["explain", cases, "--crn", "NOPE", "--on", "2025-10-31"])
    assert missing.exit_code == 2


def test_rules_lists_every_rule() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    assert "NS_HOME_VISIT_MAPPA_L2_L3" in result.stdout and "SMF 26.5" in result.stdout
