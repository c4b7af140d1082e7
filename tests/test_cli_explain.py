"""``explain``, ``evaluate`` from the database, ``run`` and ``changes`` as people read them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from probation_reset.cli.console import out
from probation_reset.cli.main import app

runner = CliRunner()
LONG_CRN = "X123456789-LONG-REFERENCE-0001"
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
    "registrations": [{"type": "MAPPA", "start_date": "2025-12-01", "category": 1, "level": 1}],
    "contacts": [
        {
            "contact_id": "c1",
            "date": "2025-03-05T10:00",
            "type": "INDUCTION",
            "mode": "FACE_TO_FACE",
            "outcome": "ATTENDED",
            "recorded_on": "2025-03-05",
        }
    ],
}
# On licence since 2017 with a high RoSH: a weekly standard in every week since.
LIFER = {
    "crn": LONG_CRN,
    "events": [{"event_id": "7", "type": "LICENCE", "start_date": "2017-05-02", "end_date": None}],
    "registrations": [
        {"type": "ROSH", "start_date": "2017-05-02", "level": "HIGH"},
        {"type": "CHILD_PROTECTION", "start_date": "2025-06-01"},
    ],
    "contacts": [
        {"contact_id": "late-1", "date": "2025-10-30", "type": "APPOINTMENT", "outcome": "ATTENDED"}
    ],
}
ENDED_WITH_MAPPA = {
    "crn": "ENDED01",
    "events": [
        {"event_id": "1", "type": "LICENCE", "start_date": "2024-01-01", "end_date": "2024-12-31"}
    ],
    "registrations": [{"type": "MAPPA", "start_date": "2024-06-01", "level": 1}],
}


@pytest.fixture
def eighty_columns() -> Iterator[None]:
    width = out.width
    out.width = 80
    yield
    out.width = width


def write(tmp_path: Path, cases: list[dict[str, Any]]) -> str:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": cases}))
    return str(path)


def explain(*args: str) -> str:
    result = runner.invoke(app, ["explain", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_explain_opens_with_what_to_do_next(tmp_path: Path) -> None:
    text = explain(write(tmp_path, [ORDER]), "--crn", "E01A", "--on", "2025-10-20")
    assert text.startswith("Case E01A on 20 Oct 2025: ACTIVE")
    assert text.index("What to do next") < text.index("Why ACTIVE") < text.index("Timeline")
    assert "Review the risk management plan for the final third" in text
    assert "by 30 Oct 2025" in text


def test_a_licence_since_2017_is_summarised_and_all_lists_everything(
    tmp_path: Path, eighty_columns: None
) -> None:
    cases = write(tmp_path, [LIFER])
    short = explain(cases, "--crn", LONG_CRN, "--on", "2025-11-03")
    assert 5 <= short.count("NS_WEEKLY_F2F_HIGH_ROSH") <= 16
    assert "Earlier periodic obligations, counted" in short
    everything = explain(cases, "--crn", LONG_CRN, "--on", "2025-11-03", "--all")
    assert everything.count("NS_WEEKLY_F2F_HIGH_ROSH") > 400
    assert "Earlier periodic obligations" not in everything


def test_tables_read_at_80_columns_without_cutting_anything(
    tmp_path: Path, eighty_columns: None
) -> None:
    text = explain(write(tmp_path, [LIFER]), "--crn", LONG_CRN, "--on", "2025-11-03")
    assert "…" not in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    assert "│ EXEMPT_CHILD_PROTECTION_PLAN │" in text
    assert "│ 2025-06-01 " in text  # the timeline's exempt span starts, whole
    result = runner.invoke(app, ["evaluate", write(tmp_path, [LIFER, ORDER]), "--on", "2025-11-03"])
    assert "…" not in result.stdout
    assert max(len(line.rstrip()) for line in result.stdout.splitlines()) <= 80
    assert "│ EXEMPT_CHILD_PROTECTION_PLAN │" in result.stdout
    assert LONG_CRN in result.stdout.replace("│\n│", "").replace(" ", "") or all(
        part in result.stdout for part in (LONG_CRN[:14], "2025-10-31")
    )


def test_a_late_recording_names_its_contact(tmp_path: Path) -> None:
    text = explain(write(tmp_path, [LIFER]), "--crn", LONG_CRN, "--on", "2025-11-03")
    (row,) = [i for i, line in enumerate(text.splitlines()) if "contact late-1" in line]
    assert "of 2025-10-30" in text.splitlines()[row + 1]
    assert "Record contact late-1" not in text  # missed on 31 Oct: an audit finding
    text = explain(write(tmp_path, [LIFER]), "--crn", LONG_CRN, "--on", "2025-10-31")
    assert "Record contact late-1 of 30 Oct 2025, by 31 Oct 2025." in text


def test_a_timeline_past_the_day_is_marked_projected(tmp_path: Path) -> None:
    text = explain(write(tmp_path, [ORDER]), "--crn", "E01A", "--on", "2025-11-03")
    rows = [line for line in text.splitlines() if "2025-12-01" in line and "EXEMPT" in line]
    assert rows and "projected" in rows[0]
    assert "now, then" in text


def test_explain_and_evaluate_read_the_database_when_no_file_is_given(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'caseload.sqlite'}"
    imported = runner.invoke(
        app, ["import", write(tmp_path, [ORDER, ENDED_WITH_MAPPA]), "--database", database]
    )
    assert imported.exit_code == 0, imported.output
    text = explain("--crn", "E01A", "--on", "2025-11-03", "--database", database)
    assert "Case E01A on 3 Nov 2025: SUSPENDED" in text
    result = runner.invoke(
        app, ["evaluate", "--on", "2025-11-03", "--database", database, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [(c["crn"], c["status"]) for c in document["cases"]] == [
        ("E01A", "SUSPENDED"),
        ("ENDED01", "ENDED"),
    ]
    missing = runner.invoke(
        app, ["explain", "--crn", "NOPE", "--on", "2025-11-03", "--database", database]
    )
    assert missing.exit_code == 2
    assert "no case with crn 'NOPE' in the database" in missing.output


def test_evaluate_of_an_empty_database_is_misuse(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    result = runner.invoke(app, ["evaluate", "--on", "2025-11-03", "--database", database])
    assert result.exit_code == 2
    assert "no CASES file given" in result.output


def test_run_names_the_people_behind_its_counts(tmp_path: Path, eighty_columns: None) -> None:
    database = f"sqlite:///{tmp_path / 'caseload.sqlite'}"
    exempt = ORDER | {"crn": "EXEMPT01"}
    runner.invoke(
        app, ["import", write(tmp_path, [exempt, ENDED_WITH_MAPPA]), "--database", database]
    )
    result = runner.invoke(app, ["run", "--on", "2024-07-01", "--database", database])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Exemptions on 2024-07-01: EXEMPT (contact continues) and others" in text
    (mappa,) = [line for line in text.splitlines() if "EXEMPT_MAPPA" in line]
    assert "ENDED01" not in mappa  # ACTIVE on that day: counted among the others, not named
    assert mappa.split("│")[2:4] == [" 0 ", " 1 "] or "0" in mappa.split("│")[2]
    result = runner.invoke(app, ["run", "--on", "2025-12-05", "--database", database])
    text = result.stdout
    assert "ENDED01" in text  # named beside the ENDED count
    assert "who is due" in text and "EXEMPT01" in text
    assert "REINSTATED" in text  # the MAPPA registration of 1 Dec 2025 reinstated contact


def test_changes_marks_projected_transitions(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'caseload.sqlite'}"
    quiet = ORDER | {"crn": "E01B", "registrations": []}
    runner.invoke(app, ["import", write(tmp_path, [ORDER, quiet]), "--database", database])
    result = runner.invoke(
        app,
        [
            "changes",
            "--from",
            "2025-01-01",
            "--to",
            "2026-12-31",
            "--database",
            database,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    moves = [
        (t["crn"], t["day"], t["kind"], t["projected"])
        for t in json.loads(result.stdout)["transitions"]
    ]
    # E01A's facts run to 1 Dec 2025 (its MAPPA registration), E01B's to 5 Mar 2025 (the last
    # contact): later changes follow from the order's dates, projected.
    assert moves == [
        ("E01A", "2025-03-03", "ACTIVE", False),
        ("E01B", "2025-03-03", "ACTIVE", False),
        ("E01A", "2025-10-31", "SUSPENDED", False),
        ("E01B", "2025-10-31", "SUSPENDED", True),
        ("E01A", "2025-12-01", "REINSTATED", False),
        ("E01A", "2026-03-03", "ENDED", True),
        ("E01B", "2026-03-03", "ENDED", True),
    ]
    table = runner.invoke(
        app, ["changes", "--from", "2025-10-01", "--to", "2025-12-31", "--database", database]
    )
    assert table.stdout.count("projected") == 1


def test_the_column_widths_fit_the_longest_ids() -> None:
    from probation_reset.cli.evaluate import EXEMPTION_WIDTH
    from probation_reset.cli.run import RULE_WIDTH
    from probation_reset.rules.exemptions import RULES as EXEMPTIONS
    from probation_reset.rules.registry import obligation_rule_order

    assert max(len(r.id) for r in EXEMPTIONS) == EXEMPTION_WIDTH
    assert max(len(rule) for rule in obligation_rule_order()) == RULE_WIDTH


def test_an_order_the_reset_does_not_act_on_suggests_no_final_third(tmp_path: Path) -> None:
    upw = {
        "crn": "NA1",
        "events": [
            {
                "event_id": "1",
                "type": "COMMUNITY_ORDER",
                "start_date": "2025-01-01",
                "end_date": "2025-12-31",
                "requirements": [{"type": "UPW"}],
            }
        ],
    }
    for on in ("2025-10-01", "2026-02-01"):  # in force, then ended
        text = explain(write(tmp_path, [upw]), "--crn", "NA1", "--on", on)
        assert "final third" not in text
        assert "Event 1: " in text and "the Reset does not act on it (no RAR)" in text
    text = explain(write(tmp_path, [upw]), "--crn", "NA1", "--on", "2025-10-01")
    assert "in force: UPW" in text and "while suspended" not in text
