"""What-if through the API, on SQLite and PostgreSQL: the "after" is the engine's evaluation of
the changed case and equals the page's; the store is left as it was but for the audit of the
read; bad input is a clear 4xx naming what is wrong; out of scope is not found."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation_reset.caseload.what_if import AddRegistration, EndRegistration, changed_case
from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import load_parameters
from probation_reset.store.access_tables import AuditEntryRow
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.models import CaseChange, CaseRecord, Import, StatusTransitionRow
from probation_reset.store.refresh import stored_case
from web.conftest import SAMPLE_DAY, WebDatabase, api
from web.test_web_hub import REGION, suspended_cases

ON = SAMPLE_DAY.isoformat()
MAPPA = {"action": "add", "type": "MAPPA", "start_date": ON, "level": 2, "category": 1}


def store_state(url: str, crn: str) -> tuple[Any, ...]:
    """What a what-if must leave alone: the case's document and hash, every import, change and
    transition."""
    database = open_database(url)
    try:
        with session_factory(database)() as session:
            record = session.get(CaseRecord, crn)
            assert record is not None
            counts = tuple(
                session.scalar(select(func.count()).select_from(table))
                for table in (Import, CaseChange, StatusTransitionRow)
            )
            return (record.content_hash, record.document, record.updated_at, *counts)
    finally:
        database.dispose()


def last_audit(url: str, username: str) -> AuditEntryRow:
    database = open_database(url)
    try:
        with session_factory(database)() as session:
            entry = session.scalars(
                select(AuditEntryRow)
                .where(AuditEntryRow.username == username)
                .order_by(AuditEntryRow.id.desc())
            ).first()
            assert entry is not None
            return entry
    finally:
        database.dispose()


def test_adding_mappa_through_the_api_is_the_evaluation_of_the_changed_case(
    web_app: FastAPI, web_database: WebDatabase, clients: dict[str, TestClient]
) -> None:
    crn = suspended_cases(web_database.url, REGION)[0]
    before = store_state(web_database.url, crn)
    response = api(web_app, web_database, "hub").post(
        f"/api/v1/cases/{crn}/what-if?on={ON}", json=MAPPA
    )
    assert response.status_code == 200, response.text
    body = response.json()

    assert store_state(web_database.url, crn) == before
    engine = Engine(load_parameters())
    case = stored_case(crn, before[1])
    change = AddRegistration(RegistrationType.MAPPA, SAMPLE_DAY, 2, 1)
    assert body["before"] == case_result_json(engine.evaluate(case, SAMPLE_DAY))
    assert body["after"] == case_result_json(
        engine.evaluate(changed_case(case, change), SAMPLE_DAY)
    )
    assert (body["before"]["status"], body["after"]["status"]) == ("SUSPENDED", "EXEMPT")
    assert body["after"]["exemptions"] == ["EXEMPT_MAPPA"]
    assert body["reinstates"] is body["status_changed"] is body["timeline_changed"] is True
    assert body["change"] == {
        "action": "add",
        "type": "MAPPA",
        "start_date": ON,
        "level": 2,
        "category": 1,
    }
    assert body["on"] == ON and body["crn"] == crn
    entry = last_audit(web_database.url, "hub")
    assert (entry.action, entry.channel, entry.crn) == ("WHAT_IF", "API", crn)
    assert entry.detail == f"add MAPPA level 2 from {ON}"

    # The page answers the same.
    asked = f"on={ON}&action=add&type=MAPPA&date={ON}&level=2&category=1"
    page = clients["hub"].get(f"/cases/{crn}/what-if/status.csv?{asked}").text
    status = {r["what"]: r for r in csv.DictReader(io.StringIO(page))}
    assert status["status"]["with the change"] == body["after"]["status"]
    assert status["exemptions"]["with the change"] == ", ".join(body["after"]["exemptions"])
    obligations = clients["hub"].get(f"/cases/{crn}/what-if/obligations.csv?{asked}").text
    changed = [(r["rule"], r["window from"]) for r in csv.DictReader(io.StringIO(obligations))]
    assert changed == [(o["rule"], o["window_start"]) for o in body["obligations_changed"]]


def test_ending_an_exemption_through_the_api_suspends_contact(
    web_app: FastAPI, web_database: WebDatabase
) -> None:
    engine = Engine(load_parameters())
    database = open_database(web_database.url)
    with session_factory(database)() as session:
        records = session.scalars(select(CaseRecord).order_by(CaseRecord.crn)).all()
        exempt = [
            (r.crn, stored_case(r.crn, r.document))
            for r in records
            if engine.evaluate(stored_case(r.crn, r.document), SAMPLE_DAY).exemptions
            == ("EXEMPT_MAPPA",)
        ]
    database.dispose()
    assert exempt, "the sample should hold someone exempt by MAPPA alone"
    crn, case = exempt[0]
    change = {"action": "end", "type": "MAPPA", "on": ON}
    body = api(web_app, web_database, "head").post(
        f"/api/v1/cases/{crn}/what-if?on={ON}", json=change
    )
    assert body.status_code == 200, body.text
    ended = changed_case(case, EndRegistration(RegistrationType.MAPPA, SAMPLE_DAY))
    expected = engine.evaluate(ended, SAMPLE_DAY)
    assert body.json()["after"] == case_result_json(expected)
    assert body.json()["after"]["status"] != Status.EXEMPT.value
    assert body.json()["change"]["on"] == ON


@pytest.mark.parametrize(
    ("change", "query", "status", "message"),
    [
        ({**MAPPA, "start_date": "2025-02-30"}, "", 422, "start_date"),
        ({**MAPPA, "start_date": "03/11/2025"}, "", 422, "start_date"),
        ({**MAPPA, "start_date": "1700-01-01"}, "", 422, "outside the years 1800 to 2399"),
        ({**MAPPA, "type": "FLAG"}, "", 422, "type"),
        ({**MAPPA, "type": "MAPPA\x00"}, "", 422, "type"),
        ({**MAPPA, "level": 7}, "", 400, "registration.level: MAPPA level must be 1, 2 or 3"),
        ({**MAPPA, "level": "2\x00"}, "", 400, "registration.level"),
        ({**MAPPA, "level": "²"}, "", 400, "registration.level"),
        ({**MAPPA, "level": True}, "", 422, "level"),
        ({**MAPPA, "category": 9}, "", 422, "category"),
        ({**MAPPA, "type": "ISC", "level": None}, "", 400, "ISC registration has no category"),
        ({**MAPPA, "type": "ROSH", "level": None, "category": None}, "", 400, "RoSH level"),
        ({"action": "end", "type": "NSD", "on": ON}, "", 400, "no NSD registration in force"),
        ({"action": "end", "type": "NSD", "start_date": ON}, "", 422, "on"),
        ({"action": "remove", "type": "NSD", "on": ON}, "", 422, "action"),
        ({"type": "NSD", "on": ON}, "", 422, "action"),
        (MAPPA, "?on=2025-13-01", 400, "not a real date"),
        (MAPPA, "?on=1799-12-31", 400, "outside the years 1800 to 2399"),
        (MAPPA, "?on=0001-01-01", 400, "outside the years 1800 to 2399"),
        (MAPPA, "?on=9999-12-31", 400, "outside the years 1800 to 2399"),
    ],
)
def test_bad_input_is_a_clear_client_error(
    web_app: FastAPI,
    web_database: WebDatabase,
    change: dict[str, Any],
    query: str,
    status: int,
    message: str,
) -> None:
    crn = suspended_cases(web_database.url, REGION)[0]
    path = f"/api/v1/cases/{crn}/what-if{query or f'?on={ON}'}"
    response = api(web_app, web_database, "hub").post(path, json=change)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]["message"]


def test_unknown_out_of_scope_and_nul_cases_are_not_found_or_refused(
    web_app: FastAPI, web_database: WebDatabase
) -> None:
    hub = api(web_app, web_database, "hub")
    other = next(r for r in ("North West", "Wales") if r != REGION)
    elsewhere = suspended_cases(web_database.url, other)[0]
    for crn in ("X000000", elsewhere):
        response = hub.post(f"/api/v1/cases/{crn}/what-if?on={ON}", json=MAPPA)
        assert response.status_code == 404
        assert response.json()["error"]["message"] == f"There is no case {crn!r} in your caseload"
    nul = hub.post(f"/api/v1/cases/X%00/what-if?on={ON}", json=MAPPA)
    assert nul.status_code == 400 and "NUL" in nul.json()["error"]["message"]
    assert (
        api(web_app, web_database, "head")
        .post(f"/api/v1/cases/{elsewhere}/what-if?on={ON}", json=MAPPA)
        .status_code
        == 200
    )
    anonymous = TestClient(web_app).post(f"/api/v1/cases/{elsewhere}/what-if", json=MAPPA)
    assert anonymous.status_code == 401


def test_the_day_defaults_to_today(web_app: FastAPI, web_database: WebDatabase) -> None:
    crn = suspended_cases(web_database.url, REGION)[0]
    body = api(web_app, web_database, "hub").post(f"/api/v1/cases/{crn}/what-if", json=MAPPA)
    assert body.status_code == 200 and body.json()["on"] == ON == date(2025, 11, 3).isoformat()
