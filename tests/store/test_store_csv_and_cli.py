"""The CSV bundle, and the import, refresh and changes commands."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from caseloads import AS_OF, generated  # type: ignore[import-not-found]
from typer.testing import CliRunner

from probation_reset.cli.main import app
from probation_reset.intake.reader import read_cases
from probation_reset.store.case_document import canonical_document
from probation_reset.store.csv_bundle import COLUMNS, CsvBundleError, read_csv_bundle
from probation_reset.store.importer import check_records, csv_source
from probation_reset.store.ndelius import ndelius_codes

RUNNER = CliRunner()


def write_bundle(directory: Path, cases: list[dict[str, Any]]) -> None:
    """The cases as a CSV bundle, one file per record kind."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
    for case in cases:
        rows["cases.csv"].append(
            {
                "crn": case["crn"],
                "date_of_birth": case.get("date_of_birth"),
                **(case.get("manager") or {}),
            }
        )
        for event in case["events"]:
            key_dates = event.get("key_dates") or {}
            rows["events.csv"].append(
                {
                    "crn": case["crn"],
                    **{k: v for k, v in event.items() if k in COLUMNS["events.csv"]},
                    "probation_reset_date": key_dates.get("probation_reset_date"),
                }
            )
            for name, key in (
                ("requirements.csv", "requirements"),
                ("licence_conditions.csv", "licence_conditions"),
            ):
                for item in event.get(key) or []:
                    rows[name].append({"crn": case["crn"], "event_id": event["event_id"], **item})
        for name, key in (("registrations.csv", "registrations"), ("contacts.csv", "contacts")):
            for item in case.get(key) or []:
                rows[name].append({"crn": case["crn"], **item})
    directory.mkdir(exist_ok=True)
    for name, items in rows.items():
        with (directory / name).open("w", newline="") as handle:
            writer = csv.DictWriter(handle, COLUMNS[name])
            writer.writeheader()
            for item in items:
                writer.writerow({k: "" if v is None else v for k, v in item.items()})


def test_a_csv_bundle_reads_as_the_same_cases_as_its_json(tmp_path: Path) -> None:
    people = generated(60, seed=2)
    write_bundle(tmp_path / "bundle", people)
    checked = check_records(csv_source(str(tmp_path / "bundle"), ndelius_codes()), ndelius_codes())
    assert checked.rejections == []
    from_json = {
        c.crn: canonical_document(p)
        for p, (_, c) in zip(people, read_cases(people).cases, strict=True)
    }
    assert {c.crn: document for _, c, document in checked.valid} == from_json


def test_a_csv_bundle_carries_the_case_manager(tmp_path: Path) -> None:
    people = generated(2, seed=5)
    people[0]["manager"] = {"region": "Wales", "team": "Cardiff 2", "staff_code": "W02C001"}
    people[1].pop("manager", None)
    write_bundle(tmp_path, people)
    records = read_csv_bundle(tmp_path).records
    assert records[0]["manager"] == {
        "region": "Wales",
        "team": "Cardiff 2",
        "staff_code": "W02C001",
    }
    assert "manager" not in records[1]


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("events.csv", "end_date"),
        ("registrations.csv", "deregistered_on"),
        ("contacts.csv", "outcome"),
        ("contacts.csv", "recorded_on"),
        ("requirements.csv", "type"),
    ],
)
def test_a_file_without_a_needed_column_is_refused_naming_file_and_column(
    tmp_path: Path, file: str, column: str
) -> None:
    write_bundle(tmp_path, generated(3, seed=2))
    with (tmp_path / file).open(newline="") as handle:
        table = list(csv.DictReader(handle))
    kept = [c for c in COLUMNS[file] if c != column]
    with (tmp_path / file).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, kept, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    with pytest.raises(CsvBundleError, match=rf"^{file}: no {column} column"):
        read_csv_bundle(tmp_path)
    result = RUNNER.invoke(app, ["import", str(tmp_path), "--database", f"sqlite:///{tmp_path}/x"])
    assert result.exit_code == 2
    assert f"{file}: no {column} column" in result.output


def test_csv_problems_name_the_file_row_and_column(tmp_path: Path) -> None:
    people = generated(3, seed=2)
    people[1]["events"][0]["end_date"] = "2001-01-01"
    write_bundle(tmp_path, people)
    with (tmp_path / "registrations.csv").open("a", newline="") as handle:
        csv.writer(handle).writerow(["GHOST", "RVHR", "2025-01-01", "", "", ""])
    with (tmp_path / "requirements.csv").open("a", newline="") as handle:
        csv.writer(handle).writerow([people[2]["crn"], "no-such-event", "F", "", "", "", ""])
    bundle = read_csv_bundle(tmp_path, ndelius_codes().key_dates)
    checked = check_records(csv_source(str(tmp_path), ndelius_codes()), ndelius_codes())
    where = {(r.record, r.field): r.location for r in checked.rejections}
    event_row = 2 + len(people[0]["events"])
    assert where[(1, "events[0].end_date")] == f"events.csv row {event_row} column end_date"
    ghost_row = 2 + sum(len(p.get("registrations") or []) for p in people)
    assert where[(None, "crn")] == f"registrations.csv row {ghost_row} column crn"
    assert where[(2, "event_id")].startswith("requirements.csv row ")
    assert len(bundle.records) == 3
    assert [c.crn for _, c, _ in checked.valid] == [people[0]["crn"]]


def test_import_refresh_and_changes_from_the_command_line(
    empty_database: str, tmp_path: Path
) -> None:
    people = generated(40, seed=6)
    source = tmp_path / "caseload.json"
    source.write_text(json.dumps({"cases": people}))
    database = ["--database", empty_database]
    first = RUNNER.invoke(app, ["import", str(source), *database, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["created"] == 40
    again = RUNNER.invoke(app, ["import", str(source), *database])
    assert again.exit_code == 0 and "40 unchanged" in again.stdout

    listed = RUNNER.invoke(
        app,
        [
            "changes",
            "--from",
            "2024-01-01",
            "--to",
            AS_OF.isoformat(),
            *database,
            "--format",
            "json",
        ],
    )
    assert listed.exit_code == 0
    transitions = json.loads(listed.stdout)["transitions"]
    assert transitions and all(t["reasons"] for t in transitions)
    assert [t["day"] for t in transitions] == sorted(t["day"] for t in transitions)
    only = RUNNER.invoke(
        app,
        [
            "changes",
            "--from",
            "2024-01-01",
            "--to",
            AS_OF.isoformat(),
            "--kind",
            "SUSPENDED",
            *database,
            "--format",
            "json",
        ],
    )
    kinds = {t["kind"] for t in json.loads(only.stdout)["transitions"]}
    assert kinds == {"SUSPENDED"}

    refreshed = RUNNER.invoke(app, ["refresh", "--on", AS_OF.isoformat(), *database])
    assert refreshed.exit_code == 0 and "0 histories changed" in refreshed.stdout

    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([people[0], {"crn": "B1", "events": [{"type": "X"}]}]))
    rejected = RUNNER.invoke(app, ["import", str(broken), *database, "--format", "json"])
    assert rejected.exit_code == 1
    errors = json.loads(rejected.stdout)["errors"]
    assert {(e["index"], e["field"]) for e in errors} >= {(1, "events[0].type")}


def test_misuse_exits_2(empty_database: str, tmp_path: Path) -> None:
    database = ["--database", empty_database]
    not_json = tmp_path / "x.json"
    not_json.write_text("{nope\n")
    assert RUNNER.invoke(app, ["import", str(not_json), *database]).exit_code == 2
    assert RUNNER.invoke(app, ["import", str(tmp_path / "missing.json"), *database]).exit_code == 2
    assert RUNNER.invoke(app, ["import", str(tmp_path), *database]).exit_code == 2  # no cases.csv
    assert RUNNER.invoke(app, ["refresh", "--on", "2025-13-01", *database]).exit_code == 2
    bad_range = ["changes", "--from", "2025-02-01", "--to", "2025-01-01", *database]
    assert RUNNER.invoke(app, bad_range).exit_code == 2
    assert RUNNER.invoke(app, ["changes", "--from", "x", "--to", "y", *database]).exit_code == 2
    unknown = ["changes", "--from", "2025-01-01", "--to", "2025-01-02", "--database", "nope://"]
    assert RUNNER.invoke(app, unknown).exit_code == 2
