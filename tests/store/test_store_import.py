"""Importing cases: the round trip, idempotence, change history, NDelius codes, bad records."""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import date, datetime
from typing import Any

from caseloads import AS_OF, generated, malformed, scenario_cases  # type: ignore[import-not-found]
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import parse_document, read_cases
from probation_reset.policy import load_parameters
from probation_reset.store import repository
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportReport, ImportSource
from probation_reset.store.models import (
    CaseChange,
    CaseRecord,
    ContactRow,
    EventRow,
    Import,
    ImportBatch,
    RegistrationRow,
    RejectedRecord,
    StatusSpanRow,
    StatusTransitionRow,
)
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import refresh_histories

PARAMETERS = load_parameters()


def run_import(
    sessions: sessionmaker[Session], records: list[Any], batch_size: int = 100
) -> ImportReport:
    importer = Importer(sessions, PARAMETERS, ndelius_codes(), batch_size)
    return importer.run(ImportSource("test", CASES_DOCUMENT, records), "tester")


def count(session: Session, table: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def evaluate_file(records: list[Any], on: date) -> dict[str, dict[str, Any]]:
    engine = Engine(PARAMETERS)
    text = json.dumps({"cases": records})
    intake = read_cases(parse_document(text))
    return {c.crn: case_result_json(engine.evaluate(c, on)) for _, c in intake.cases}


def evaluate_store(session: Session, on: date) -> dict[str, dict[str, Any]]:
    documents = repository.case_documents(session)
    return evaluate_file(list(documents.values()), on)


def test_round_trip_file_to_database_to_evaluation_gives_the_files_output(
    sessions: sessionmaker[Session],
) -> None:
    scenarios = scenario_cases()
    people = generated(80)
    report = run_import(sessions, [case for _, case in scenarios] + people)
    assert report.rejections == []
    with sessions() as session:
        for on in sorted({on for on, _ in scenarios}):
            expected = evaluate_file([case for day, case in scenarios if day == on], on)
            stored = evaluate_store(session, on)
            assert {crn: stored[crn] for crn in expected} == expected
        assert evaluate_store(session, AS_OF) == evaluate_file(
            [case for _, case in scenarios] + people, AS_OF
        )


def test_normalised_rows_follow_the_document(sessions: sessionmaker[Session]) -> None:
    people = generated(40)
    run_import(sessions, people)
    with sessions() as session:
        assert count(session, CaseRecord) == 40
        assert count(session, EventRow) == sum(len(p["events"]) for p in people)
        assert count(session, ContactRow) == sum(len(p.get("contacts") or []) for p in people)
        assert count(session, RegistrationRow) == sum(
            len(p.get("registrations") or []) for p in people
        )


def test_importing_the_same_file_again_changes_nothing(sessions: sessionmaker[Session]) -> None:
    people = generated(60)
    first = run_import(sessions, people, batch_size=25)
    assert (first.created, first.batches) == (60, 3)
    with sessions() as session:
        before = {
            table.__name__: count(session, table)
            for table in (CaseChange, StatusTransitionRow, EventRow, ContactRow)
        }
    again = run_import(sessions, list(reversed(people)))
    assert (again.created, again.changed, again.unchanged, again.changes) == (0, 0, 60, 0)
    assert again.transitions_added == again.transitions_superseded == 0
    with sessions() as session:
        after = {
            table.__name__: count(session, table)
            for table in (CaseChange, StatusTransitionRow, EventRow, ContactRow)
        }
        assert after == before
        imports = session.scalars(select(Import).order_by(Import.id)).all()
        assert [i.outcome for i in imports] == ["COMPLETE", "COMPLETE"]


def test_a_change_keeps_the_old_and_new_values_and_supersedes_transitions(
    sessions: sessionmaker[Session],
) -> None:
    order = {
        "crn": "C1",
        "events": [
            {
                "event_id": "1",
                "type": "COMMUNITY_ORDER",
                "start_date": "2025-01-06",
                "end_date": "2026-01-05",
                "requirements": [{"type": "RAR"}],
            }
        ],
    }
    first = run_import(sessions, [order])
    changed = copy.deepcopy(order)
    changed["registrations"] = [
        {
            "type": "MAPP",
            "level": "M1",
            "category": "M2",
            "start_date": "2025-10-01",
            "deregistered_on": "2025-11-15",
        }
    ]
    second = run_import(sessions, [changed])
    # ACTIVE, SUSPENDED and ENDED still follow; REINSTATED and RE_SUSPENDED are new.
    assert (second.changed, second.transitions_added, second.transitions_superseded) == (1, 2, 0)
    with sessions() as session:
        changes = repository.case_changes(session, "C1")
        assert [(c.kind, c.field, c.import_id) for c in changes] == [
            ("CASE_CREATED", "", first.import_id),
            ("ITEM_ADDED", "registrations[0]", second.import_id),
        ]
        assert changes[1].old_value is None
        assert changes[1].new_value["type"] == "MAPPA"
        transitions = repository.transitions_between(session, date(2025, 9, 1), date(2025, 12, 1))
        assert [(t.day, t.kind) for t in transitions] == [
            (date(2025, 9, 5), "SUSPENDED"),
            (date(2025, 10, 1), "REINSTATED"),
            (date(2025, 11, 15), "RE_SUSPENDED"),
        ]
        reinstated = transitions[1]
        assert reinstated.import_id == second.import_id
        assert {r["rule"] for r in reinstated.reasons} >= {"EXEMPT_MAPPA"}
    back = run_import(sessions, [order])
    assert (back.changed, back.transitions_added, back.transitions_superseded) == (1, 0, 2)
    with sessions() as session:
        kinds = [c.kind for c in repository.case_changes(session, "C1")]
        assert kinds == ["CASE_CREATED", "ITEM_ADDED", "ITEM_REMOVED"]
        assert [
            t.kind
            for t in repository.transitions_between(session, date(2025, 1, 1), date(2026, 12, 1))
        ] == ["ACTIVE", "SUSPENDED", "ENDED"]
        superseded = session.scalars(
            select(StatusTransitionRow)
            .where(StatusTransitionRow.superseded_at.is_not(None))
            .order_by(StatusTransitionRow.day)
        ).all()
        assert [(t.kind, t.import_id) for t in superseded] == [
            ("REINSTATED", second.import_id),
            ("RE_SUSPENDED", second.import_id),
        ]


def test_a_thousand_malformed_records_are_all_reported_and_no_good_case_is_lost(
    sessions: sessionmaker[Session],
) -> None:
    good = generated(1000, seed=21)
    bad = malformed(good, 1000)
    records: list[Any] = []
    expected: dict[int, str] = {}
    for index in range(1000):
        records.append(good[index])
        expected[len(records)] = bad[index][1]
        records.append(bad[index][0])
    report = run_import(sessions, records, batch_size=250)
    reported: dict[int, set[str]] = {}
    for rejection in report.rejections:
        assert rejection.record is not None and rejection.message
        reported.setdefault(rejection.record, set()).add(rejection.field)
    assert set(reported) == set(expected)
    for record, field in expected.items():
        assert field in reported[record], (record, field, reported[record])
    assert report.rejected == 1000
    assert (report.created, report.batches) == (1000, 8)
    with sessions() as session:
        assert set(repository.crns_in_store(session)) == {case["crn"] for case in good}
        assert count(session, RejectedRecord) == len(report.rejections)
        assert sum(b.rejected for b in session.scalars(select(ImportBatch))) == 1000
    kinds = Counter(field for field in expected.values())
    assert len(kinds) >= 9


def test_ndelius_coded_cases_are_stored_in_the_contracts_words(
    sessions: sessionmaker[Session],
) -> None:
    coded = {
        "crn": "ND1",
        "events": [
            {
                "event_id": "E1",
                "type": "LICENCE",
                "start_date": "2025-01-01",
                "key_dates": {"LED": "2026-01-01", "PR1": "2025-09-10", "FTHRD": "2025-08-01"},
                "licence_conditions": [{"type": "SL1"}, {"type": "EM01"}],
            }
        ],
        "registrations": [{"type": "RVHR", "start_date": "2025-10-01"}],
        "contacts": [
            {
                "contact_id": "c1",
                "event_id": "E1",
                "date": "2025-01-02",
                "type": "COAI",
                "outcome": "ATTC",
                "recorded_on": "2025-01-02",
            }
        ],
    }
    report = run_import(sessions, [coded])
    assert report.rejections == []
    with sessions() as session:
        document = repository.case_documents(session)["ND1"]
        assert document["events"][0]["end_date"] == "2026-01-01"
        assert document["events"][0]["key_dates"] == {"probation_reset_date": "2025-09-10"}
        assert document["registrations"][0]["type"] == "ROSH"
        assert document["registrations"][0]["level"] == "VERY_HIGH"
        assert document["contacts"][0]["type"] == "INDUCTION"
        kinds = [
            t.kind
            for t in repository.transitions_between(session, date(2025, 1, 1), date(2026, 12, 31))
        ]
        assert kinds == ["ACTIVE", "SUSPENDED", "REINSTATED", "ENDED"]


def test_status_counts_on_a_day_agree_with_the_engine(sessions: sessionmaker[Session]) -> None:
    people = generated(120, seed=4)
    run_import(sessions, people)
    expected = Counter(r["status"] for r in evaluate_file(people, AS_OF).values())
    with sessions() as session:
        assert repository.status_counts_on(session, AS_OF) == {
            status: n for status, n in expected.items()
        }


def test_refreshing_an_unchanged_store_writes_nothing(sessions: sessionmaker[Session]) -> None:
    run_import(sessions, generated(30))
    again = refresh_histories(sessions, PARAMETERS, batch_size=7)
    assert (again.cases, again.changed, again.transitions_added) == (30, 0, 0)


def test_refresh_restores_a_history_that_was_lost(sessions: sessionmaker[Session]) -> None:
    run_import(sessions, generated(30))
    with sessions.begin() as session:
        before = count(session, StatusTransitionRow)
        session.execute(delete(StatusSpanRow))
        session.execute(update(StatusTransitionRow).values(superseded_at=datetime(2025, 1, 1)))
    report = refresh_histories(sessions, PARAMETERS, batch_size=7)
    assert (report.changed, report.transitions_added) == (30, before)
    with sessions() as session:
        assert repository.status_counts_on(session, AS_OF) == dict(
            Counter(r["status"] for r in evaluate_store(session, AS_OF).values())
        )


def test_the_case_manager_fills_the_scope_columns_and_its_changes_are_recorded(
    sessions: sessionmaker[Session],
) -> None:
    person = generated(1, seed=11)[0]
    person["manager"] = {"region": "Wales", "team": "Cardiff 2", "staff_code": "W02C001"}
    run_import(sessions, [person])
    moved = copy.deepcopy(person)
    moved["manager"] = {"region": "Wales", "team": "Swansea 1", "staff_code": "W05S002"}
    report = run_import(sessions, [moved])
    assert report.changed == 1
    with sessions() as session:
        record = session.get(CaseRecord, person["crn"])
        assert record is not None
        assert (record.region, record.pdu, record.team, record.staff_code) == (
            "Wales",
            None,
            "Swansea 1",
            "W05S002",
        )
        changed = {
            (c.field, c.old_value, c.new_value)
            for c in session.scalars(select(CaseChange).where(CaseChange.crn == person["crn"]))
            if c.kind == "VALUE_CHANGED"
        }
    assert changed == {
        ("manager.team", "Cardiff 2", "Swansea 1"),
        ("manager.staff_code", "W02C001", "W05S002"),
    }


def test_each_new_case_records_its_creation_with_its_document_in_the_source_order(
    sessions: sessionmaker[Session],
) -> None:
    # PostgreSQL copies the document from the case just written; SQLite writes it again.
    records = generated(25)
    report = run_import(sessions, records, batch_size=10)
    assert report.created == 25
    with sessions() as session:
        cases = {c.crn: c for c in session.scalars(select(CaseRecord))}
        created = session.scalars(
            select(CaseChange).where(CaseChange.kind == "CASE_CREATED").order_by(CaseChange.id)
        ).all()
    assert [c.crn for c in created] == [r["crn"] for r in records]
    for change in created:
        case = cases[change.crn]
        assert (change.field, change.old_value, change.import_id) == ("", None, report.import_id)
        assert change.new_value == case.document
        assert change.changed_at == case.created_at
