"""Strange, huge or hostile records: each is rejected with its field, and never costs a good one.

Every record below once crashed writing its batch (or its rejection) on SQLite or PostgreSQL,
losing that batch and every later one."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from caseloads import generated  # type: ignore[import-not-found]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from probation_reset.cli.main import app
from probation_reset.intake import limits
from probation_reset.intake.limits import MAX_DEPTH, store_problems
from probation_reset.policy import load_parameters
from probation_reset.store import repository
from probation_reset.store.importer import (
    CASES_DOCUMENT,
    Importer,
    ImportReport,
    ImportSource,
    check_records,
)
from probation_reset.store.models import Import, RejectedRecord
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.rejection import MESSAGE_LENGTH, Rejection, storable

PARAMETERS = load_parameters()
RUNNER = CliRunner()
IMPORT = ["import", "--format", "json"]


def database(directory: Path) -> str:
    return f"sqlite:///{directory / 'store.sqlite'}"


def nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def registration(**fields: Any) -> dict[str, Any]:
    return {"type": "NO_FIXED_ABODE", "start_date": "2025-01-01", **fields}


def _set_crn(value: str) -> Callable[[dict[str, Any]], None]:
    return lambda case: case.__setitem__("crn", value)


def _add_registration(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda case: case.setdefault("registrations", []).append(registration(**fields))


def _first_event(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda case: case["events"][0].__setitem__(key, value)


#: (what, how to spoil a good case, the field its rejection names).
HOSTILE: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("lone surrogate in the CRN", _set_crn("X\ud800"), "crn"),
    ("CRN over 64 characters", _set_crn("C" * 65), "crn"),
    ("NUL in the CRN", _set_crn("A\x00B"), "crn"),
    ("NUL in an event id", _first_event("event_id", "E\x00"), "events[0].event_id"),
    ("message over 2,000 characters", _first_event("start_date", "1" * 5000), "events[0]"),
    (
        "field path over 300 characters",
        _first_event("key_dates", {"K" * 400: "2025-01-01"}),
        "events[0].key_dates",
    ),
    ("integer of 2^31", _add_registration(category=2**31), "registrations"),
    ("integer of 2^63", _add_registration(category=2**63), "registrations"),
    ("negative integer below -2^31", _add_registration(level=-(2**31) - 1), "registrations"),
    ("not a number", _add_registration(level=float("nan")), "registrations"),
    ("a level nested 400 deep", _add_registration(level=nested(400)), "registrations"),
    ("an unknown field nested 400 deep", lambda c: c.__setitem__("extra", nested(400)), "extra"),
    ("a level too long for its column", _add_registration(level="L" * 33), "registrations"),
]


def run_import(sessions: sessionmaker[Session], records: list[Any]) -> ImportReport:
    importer = Importer(sessions, PARAMETERS, ndelius_codes(), batch_size=4)
    return importer.run(ImportSource("hostile", CASES_DOCUMENT, records), "tester")


def test_every_hostile_record_is_rejected_and_every_good_one_is_stored(
    sessions: sessionmaker[Session],
) -> None:
    good = generated(len(HOSTILE) + 1, seed=41)
    records: list[Any] = []
    expected: dict[int, tuple[str, str]] = {}
    for n, (what, spoil, field) in enumerate(HOSTILE):
        records.append(good[n])
        bad = copy.deepcopy(good[n])
        bad["crn"] = f"BAD{n}"
        spoil(bad)
        expected[len(records)] = (what, field)
        records.append(bad)
    records.append(good[-1])
    report = run_import(sessions, records)
    assert (report.created, report.rejected) == (len(good), len(HOSTILE))
    fields: dict[int, list[str]] = {}
    for rejection in report.rejections:
        assert rejection.record is not None
        fields.setdefault(rejection.record, []).append(rejection.field)
    assert set(fields) == set(expected)
    for record, (what, field) in expected.items():
        assert any(f.startswith(field) for f in fields[record]), (what, fields[record])
    with sessions() as session:
        assert set(repository.crns_in_store(session)) == {case["crn"] for case in good}
        stored = session.scalars(select(RejectedRecord)).all()
        assert len(stored) == len(report.rejections)
        assert all(len(r.message) <= MESSAGE_LENGTH and len(r.field) <= 300 for r in stored)
        assert all("\x00" not in r.message and "\x00" not in (r.crn or "") for r in stored)
        assert session.scalars(select(Import.outcome)).one() == "COMPLETE"


@pytest.mark.parametrize(("what", "spoil", "field"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_the_limits_name_the_field(
    what: str, spoil: Callable[[dict[str, Any]], None], field: str
) -> None:
    case = generated(1, seed=42)[0]
    spoil(case)
    problems = store_problems(case)
    if what == "message over 2,000 characters":
        assert problems == []  # a bad date: the core rejects it; its message is cut to fit
        return
    if what == "field path over 300 characters":
        assert problems == []  # an unknown key date: the mapping rejects it, its path cut
        return
    assert problems and all(f.startswith(field) for f, _ in problems), problems


def test_a_good_case_is_within_the_limits() -> None:
    assert all(store_problems(case) == [] for case in generated(50, seed=43))
    assert store_problems({"x": nested(MAX_DEPTH)}) == []
    assert store_problems({"x": nested(MAX_DEPTH + 1)}) != []


def test_a_rejection_is_cut_and_escaped_to_fit_its_columns() -> None:
    stored = Rejection(1, "X\ud800" * 40, "f" * 400, "m\x00" * 3000, "w" * 400).stored()
    assert stored.crn is not None and len(stored.crn) == 64 and stored.crn.endswith("…")
    assert stored.crn.startswith("X\\ud800X")
    assert len(stored.field) == 300 and len(stored.message) == 2000
    assert "\x00" not in stored.message and stored.message.startswith("m\\x00m")
    assert storable("short", 10) == "short"


def count(session: Session, table: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_record_the_database_refuses_costs_no_other_record(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the limits switched off, what the database itself refuses still rejects only the
    record at fault (found by trial halves of its batch), never its neighbours."""
    monkeypatch.setattr("probation_reset.store.import_check.store_problems", lambda _raw: [])
    good = generated(9, seed=44)
    records: list[Any] = list(good)
    too_large = copy.deepcopy(good[0])
    too_large["crn"] = "HUGE"
    _add_registration(category=2**63)(too_large)
    records.insert(3, too_large)
    report = run_import(sessions, records)
    assert report.created == len(good)
    assert [(r.record, r.crn) for r in report.rejections] == [(3, "HUGE")]
    assert report.rejections[0].message.startswith("the database cannot keep this record: ")
    with sessions() as session:
        assert set(repository.crns_in_store(session)) == {case["crn"] for case in good}
        assert count(session, RejectedRecord) == 1
        imported = session.scalars(select(Import)).one()
        assert (imported.outcome, imported.created, imported.rejected) == ("COMPLETE", 9, 1)


def test_a_csv_byte_that_is_not_utf8_rejects_only_its_case(tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_bytes(b"crn,date_of_birth\nGOOD,\nB\xffD,\n")
    (tmp_path / "events.csv").write_bytes(
        b"crn,event_id,type,start_date,end_date\n"
        b"GOOD,E1,LICENCE,2025-01-01,2026-01-01\n"
        b"B\xffD,E1,LICENCE,2025-01-01,2026-01-01\n"
    )
    result = RUNNER.invoke(app, [*IMPORT, str(tmp_path), "--database", database(tmp_path)])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["created"] == 1
    assert [(e["index"], e["field"]) for e in report["errors"]] == [(1, "crn")]
    assert "U+DCFF" in report["errors"][0]["message"]


def test_a_csv_cell_over_the_csv_readers_limit_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_text("crn,date_of_birth\nGOOD,\nBIG," + "x" * 131_073 + "\n")
    result = RUNNER.invoke(app, [*IMPORT, str(tmp_path), "--database", database(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cases.csv row 3: field larger than field limit (131072)" in result.stderr


hostile_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["X\ud800", "A\x00B", "C" * 70, "2025-01-01", "LICENCE", "MAPPA", "E1"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "crn",
                    "events",
                    "event_id",
                    "type",
                    "start_date",
                    "end_date",
                    "registrations",
                    "contacts",
                    "contact_id",
                    "level",
                    "category",
                    "date",
                    "key_dates",
                    "manager",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(hostile_values | st.builds(nested, st.integers(1, 60)), max_size=4))
def test_checking_any_records_keeps_or_rejects_each_and_never_crashes(records: list[Any]) -> None:
    good = generated(1, seed=45)[0]
    checked = check_records(ImportSource("fuzz", CASES_DOCUMENT, [*records, good]), ndelius_codes())
    kept = {index for index, _, _ in checked.valid}
    refused = {r.record for r in checked.rejections}
    assert kept | refused == set(range(len(records) + 1)) and not kept & refused
    assert len(records) in kept
    for _, _, document in checked.valid:
        assert store_problems(document) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=hostile_values
    | st.builds(nested, st.integers(1, 60))
    | st.builds(lambda n: {"crn": "X" * n, "level": "L" * n}, st.integers(60, 70))
)
def test_the_quick_walk_of_a_record_finds_what_the_careful_walk_finds(value: Any) -> None:
    """``store_problems`` first walks a record quickly, without naming fields; a record it
    passes must have no problem, and the problems it reports are the careful walk's."""
    careful = limits._Check()
    careful.visit(value, None, 0)
    assert store_problems(value) == careful.problems
