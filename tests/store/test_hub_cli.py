"""``probation-reset hub record|triage|queue|show`` against a database of their own (SQLite and
PostgreSQL): the flow, exit codes 0/1/2, and people's text shown literally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hub_cases import HOSTILE, HUB_CASES  # type: ignore[import-not-found]
from typer.testing import CliRunner

from probation_reset.cli.main import app

RUNNER = CliRunner()
ON = ["--on", "2025-10-15"]
WIDE = {"COLUMNS": "400"}


def invoke(database: str, *args: str) -> Any:
    return RUNNER.invoke(app, [*args, "--database", database], env=WIDE)


def imported(database: str, tmp_path: Path) -> str:
    source = tmp_path / "hub.json"
    source.write_text(json.dumps(HUB_CASES))
    result = invoke(database, "import", str(source))
    assert result.exit_code == 0, result.output
    return database


def test_record_queue_reinstate_and_show(empty_database: str, tmp_path: Path) -> None:
    database = imported(empty_database, tmp_path)
    recorded = invoke(
        database,
        "hub",
        "record",
        "A100001",
        "--source",
        "MARAC",
        "--received",
        "2025-10-14",
        "--summary",
        HOSTILE,
        "--by",
        "hub.officer",
        "--format",
        "json",
    )
    assert recorded.exit_code == 0, recorded.output
    item = str(json.loads(recorded.stdout)["item_id"])

    listed = invoke(database, "hub", "queue", *ON, "--region", "East Midlands", "--format", "json")
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.stdout)["items"]
    mine = next(i for i in items if i["ref"] == item)
    assert (mine["summary"], mine["source"], mine["waiting_days"]) == (HOSTILE, "MARAC", 1)
    assert "E100005" not in {i["crn"] for i in items}

    table = invoke(database, "hub", "queue", *ON, "--kind", "INFORMATION_RECEIVED")
    assert table.exit_code == 0, table.output
    assert "[bold red]MARAC[/] <script>alert('x')</script>" in table.stdout
    assert "\\x1b[31mred\\x1b[0m" in table.stdout
    assert "\x1b" not in table.stdout

    triaged = invoke(
        database,
        "hub",
        "triage",
        item,
        "--outcome",
        "REINSTATE",
        "--practitioner",
        "Alex Morgan",
        *ON,
        "--registration",
        "MAPPA",
        "--registration-start",
        "2025-10-14",
        "--level",
        "2",
        "--category",
        "1",
        "--format",
        "json",
    )
    assert triaged.exit_code == 0, triaged.output
    outcome = json.loads(triaged.stdout)
    assert (outcome["status"], outcome["exemptions"]) == ("EXEMPT", ["EXEMPT_MAPPA"])

    changes = invoke(
        database, "changes", "--from", "2025-10-14", "--to", "2025-10-14", "--format", "json"
    )
    assert [(t["crn"], t["kind"]) for t in json.loads(changes.stdout)["transitions"]] == [
        ("A100001", "REINSTATED")
    ]

    shown = invoke(database, "hub", "show", item, *ON, "--format", "json")
    assert shown.exit_code == 0, shown.output
    view = json.loads(shown.stdout)
    assert [(t["outcome"], t["practitioner"]) for t in view["triages"]] == [
        ("REINSTATE", "Alex Morgan")
    ]
    assert view["triages"][0]["registration"]["type"] == "MAPPA"
    assert view["status"] == "EXEMPT"

    readable = invoke(database, "hub", "show", item, *ON)
    assert readable.exit_code == 0, readable.output
    assert "REINSTATE on 2025-10-15 by Alex Morgan" in readable.stdout
    assert "[bold red]MARAC[/]" in readable.stdout


def test_a_refused_reinstatement_exits_1_with_the_reason(
    empty_database: str, tmp_path: Path
) -> None:
    database = imported(empty_database, tmp_path)
    ref = "SUSPENSION_LETTER_DUE:2025-09-01::A100001"
    base = ["hub", "triage", ref, "--outcome", "REINSTATE", "--practitioner", "Alex", *ON]
    bare = invoke(database, *base)
    assert bare.exit_code == 1, bare.output
    assert "reinstatement refused: a reinstatement must record the registration" in bare.stderr
    concerns = invoke(database, *base, "--registration", "CHILD_CONCERNS")
    assert concerns.exit_code == 1
    assert "CHILD_CONCERNS registration is not an exemption" in concerns.stderr
    still = invoke(database, "hub", "queue", *ON, "--format", "json")
    assert ref in {i["ref"] for i in json.loads(still.stdout)["items"]}


def test_misuse_exits_2_with_one_line_and_no_traceback(empty_database: str, tmp_path: Path) -> None:
    database = imported(empty_database, tmp_path)
    record = ["hub", "record", "A100001", "--source", "POLICE", "--received"]
    for args, message in (
        ([*record, "2025-13-01", "--summary", "x"], "--received"),
        ([*record, "2025-10-01"], "--summary or --summary-file"),
        ([*record, "2025-10-01", "--summary", " "], "summary: is required"),
        (
            [
                "hub",
                "record",
                "NOBODY",
                "--source",
                "POLICE",
                "--received",
                "2025-10-01",
                "--summary",
                "x",
            ],
            "crn: no case NOBODY",
        ),
        ([*record, "2025-10-01", "--summary", "x", "--region", "Wales"], "in region Wales"),
        (
            ["hub", "triage", "42", "--outcome", "NO_ACTION", "--practitioner", "A", *ON],
            "no hub item 42",
        ),
        (
            [
                "hub",
                "triage",
                "SUSPENSION_LETTER_DUE:2025-09-01::A100001",
                "--outcome",
                "ENFORCEMENT_CONSIDERED",
                "--practitioner",
                "A",
                *ON,
            ],
            "BREACH or RECALL",
        ),
        (
            [
                "hub",
                "triage",
                "1",
                "--outcome",
                "NO_ACTION",
                "--practitioner",
                "A",
                *ON,
                "--level",
                "2",
            ],
            "go with --registration",
        ),
        (["hub", "queue", "--on", "15/10/2025"], "--on"),
        (["hub", "show", "nonsense", *ON], "not an item number"),
        (["hub", "queue", *ON, "--source", "NEIGHBOUR"], "NEIGHBOUR"),
    ):
        result = invoke(database, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_a_summary_is_read_from_standard_input_as_written(
    empty_database: str, tmp_path: Path
) -> None:
    database = imported(empty_database, tmp_path)
    args = ["hub", "record", "B100002", "--source", "THE_PERSON", "--received", "2025-10-10"]
    result = RUNNER.invoke(
        app,
        [*args, "--summary-file", "-", "--format", "json", "--database", database],
        input="Moved in with a partner;\nsays [red]nothing[/] else\n",
    )
    assert result.exit_code == 0, result.output
    item = str(json.loads(result.stdout)["item_id"])
    shown = invoke(database, "hub", "show", item, *ON, "--format", "json")
    assert (
        json.loads(shown.stdout)["summary"]
        == "Moved in with a partner;\nsays [red]nothing[/] else\n"
    )
    assert json.loads(shown.stdout)["source"] == "THE_PERSON"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not UTF-8")
    unreadable = invoke(database, *args, "--summary-file", str(bad))
    assert unreadable.exit_code == 2, unreadable.output
    assert f"cannot read {bad}" in unreadable.output
