"""The API: tokens, JSON errors, the evaluation equal to the contract's CaseResult, filters,
paging, transitions, rules; and every read of a case audited."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import Engine
from probation_reset.store.access_tables import AuditEntryRow
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.models import CaseRecord
from probation_reset.store.refresh import stored_case
from web.conftest import WebDatabase, api


def test_no_token_or_a_wrong_one_is_401_in_json(web_app: FastAPI) -> None:
    anonymous = TestClient(web_app)
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
        response = anonymous.get("/api/v1/cases", headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert body["error"]["status"] == 401 and "token" in body["error"]["message"]


def test_evaluation_is_the_contract_case_result_with_next_actions(
    web_app: FastAPI, web_database: WebDatabase, engine: Engine
) -> None:
    admin = api(web_app, web_database, "admin")
    database = open_database(web_database.url)
    with session_factory(database)() as session:
        record = session.scalar(select(CaseRecord).where(CaseRecord.crn == "S000017"))
        assert record is not None
        document = record.document
    database.dispose()
    body = admin.get("/api/v1/cases/S000017/evaluation?on=2025-11-03").json()
    expected = case_result_json(
        engine.evaluate(stored_case("S000017", document), date(2025, 11, 3))
    )
    assert {k: body[k] for k in expected} == expected
    assert body["on"] == "2025-11-03" and body["status"] == "SUSPENDED"
    assert body["next_actions"] and body["next_actions"][0]["due_by"] >= "2025-11-03"


def test_a_bad_day_is_a_clear_json_error(web_app: FastAPI, web_database: WebDatabase) -> None:
    admin = api(web_app, web_database, "admin")
    for on in ("2025-02-30", "03/11/2025", "2025-1-3"):
        response = admin.get(f"/api/v1/cases/S000017/evaluation?on={on}")
        assert response.status_code in (400, 422), on
        assert "on" in response.json()["error"]["message"] or "date" in response.text
    response = admin.get("/api/v1/transitions?from=2025-11-03&to=2025-11-01")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "'to' is before 'from'"


def test_caseload_filters_and_paging(web_app: FastAPI, web_database: WebDatabase) -> None:
    admin = api(web_app, web_database, "admin")
    everyone = admin.get("/api/v1/caseload?on=2025-11-03&page_size=500").json()
    assert everyone["total"] == len(everyone["cases"]) == sum(everyone["status_counts"].values())
    suspended = admin.get("/api/v1/caseload?on=2025-11-03&status=SUSPENDED&page_size=500").json()
    assert suspended["total"] == everyone["status_counts"]["SUSPENDED"]
    assert {c["status"] for c in suspended["cases"]} == {"SUSPENDED"}
    missed = admin.get("/api/v1/caseload?on=2025-11-03&obligations=missed&page_size=500").json()
    assert missed["cases"] and all(c["obligations_missed"] > 0 for c in missed["cases"])
    mappa = admin.get("/api/v1/caseload?on=2025-11-03&exemption=EXEMPT_MAPPA").json()
    assert mappa["cases"] and all("EXEMPT_MAPPA" in c["exemptions"] for c in mappa["cases"])
    soon = admin.get("/api/v1/caseload?on=2025-11-03&within_weeks=4&page_size=500").json()
    assert soon["cases"]
    for case in soon["cases"]:
        assert case["final_third_start"] is not None
        assert "2025-11-03" < case["final_third_start"] <= "2025-12-01"
    first = admin.get("/api/v1/caseload?on=2025-11-03&page_size=10&sort=crn").json()
    second = admin.get("/api/v1/caseload?on=2025-11-03&page_size=10&page=2&sort=crn").json()
    assert first["pages"] == -(-everyone["total"] // 10)
    crns = [c["crn"] for c in first["cases"] + second["cases"]]
    assert crns == sorted(crns) and len(set(crns)) == 20
    by_missed = admin.get("/api/v1/caseload?on=2025-11-03&sort=missed&order=desc").json()
    counts = [c["obligations_missed"] for c in by_missed["cases"]]
    assert counts == sorted(counts, reverse=True)
    bad = admin.get("/api/v1/caseload?exemption=EXEMPT_NOTHING")
    assert bad.status_code == 400 and "EXEMPT_NOTHING" in bad.json()["error"]["message"]


def test_obligations_filter_by_status(web_app: FastAPI, web_database: WebDatabase) -> None:
    admin = api(web_app, web_database, "admin")
    body = admin.get("/api/v1/cases/S000017/obligations?on=2025-11-03&status=MISSED").json()
    assert body["obligations"] and {o["status"] for o in body["obligations"]} == {"MISSED"}


def test_transitions_rules_me(web_app: FastAPI, web_database: WebDatabase) -> None:
    hub = api(web_app, web_database, "hub")
    moves = hub.get("/api/v1/transitions?from=2025-10-01&to=2025-10-31&kind=SUSPENDED").json()
    assert moves["transitions"] and {t["kind"] for t in moves["transitions"]} == {"SUSPENDED"}
    assert all("2025-10-01" <= t["day"] <= "2025-10-31" for t in moves["transitions"])
    rules = hub.get("/api/v1/rules").json()["rules"]
    mappa = next(r for r in rules if r["id"] == "EXEMPT_MAPPA")
    assert mappa["passage"] == "MAPPA cases (all categories and levels)"
    assert hub.get("/api/v1/me").json()["role"] == "hub"


def test_reads_of_a_case_are_audited(web_app: FastAPI, web_database: WebDatabase) -> None:
    head = api(web_app, web_database, "head")
    head.get("/api/v1/cases/X019575/evaluation?on=2025-11-03")
    database = open_database(web_database.url)
    with session_factory(database)() as session:
        entry = session.scalars(
            select(AuditEntryRow)
            .where(AuditEntryRow.crn == "X019575", AuditEntryRow.username == "head")
            .order_by(AuditEntryRow.id.desc())
        ).first()
    database.dispose()
    assert entry is not None
    assert (entry.action, entry.channel) == ("READ_CASE", "API")
    assert entry.detail == "evaluation on 2025-11-03"


def test_openapi_document_lists_every_operation(web_app: FastAPI) -> None:
    document = TestClient(web_app).get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/v1/me",
        "/api/v1/cases",
        "/api/v1/cases/{crn}",
        "/api/v1/cases/{crn}/evaluation",
        "/api/v1/cases/{crn}/obligations",
        "/api/v1/caseload",
        "/api/v1/transitions",
        "/api/v1/rules",
        "/api/v1/hub/queue",
        "/api/v1/hub/items",
        "/api/v1/hub/items/{ref}",
        "/api/v1/hub/items/{ref}/triage",
        "/api/v1/reconciliation",
        "/api/v1/upcoming",
        "/api/v1/cases/{crn}/what-if",
        "/api/v1/figures",
    }
