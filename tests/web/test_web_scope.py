"""The scope matrix: every route by every role, on SQLite and PostgreSQL, with 0 leaks.

Who may see which case is computed here from the fixed manager assignment (``manager_of``),
independently of the service's scope clause; every page, CSV and API route is then checked to
show exactly those cases (lists) or to answer 404 for any other (a case's own routes).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation_reset.store.database import open_database, session_factory
from probation_reset.store.models import CaseRecord
from web.conftest import USERS, WebDatabase, api, manager_of

CRN = re.compile(r"\b[A-Z]\d{6}\b")
CASE_TABLES = (
    "next-actions",
    "reasons",
    "timeline",
    "events",
    "checklist",
    "obligations",
    "registrations",
    "transitions",
    "changes",
)
ON = "on=2025-11-03"
WHAT_IF = f"{ON}&action=add&type=MAPPA&date=2025-11-03&level=2"
WHAT_IF_TABLES = ("status", "timeline", "obligations")
WHAT_IF_BODY = {"action": "add", "type": "MAPPA", "start_date": "2025-11-03", "level": 2}
#: Routes that never show a case, and how each is checked.
CASE_FREE = {"/", "/sign-in", "/sign-out", "/policy", "/policy.csv", "/assets/{name:path}"}
LISTS = {"/caseload", "/caseload.csv", "/api/v1/cases", "/api/v1/caseload", "/api/v1/transitions"}
ONE_CASE = {
    "/cases/{crn}",
    "/cases/{crn}/what-if",
    "/cases/{crn}/what-if/{table}.csv",
    "/cases/{crn}/{table}.csv",
    "/api/v1/cases/{crn}",
    "/api/v1/cases/{crn}/evaluation",
    "/api/v1/cases/{crn}/obligations",
    "/api/v1/cases/{crn}/what-if",
}
ADMIN_ONLY = {"/audit", "/audit.csv"}
#: Lists of the cases in scope, for every role.
CHECK_LISTS = {
    "/reconciliation",
    "/reconciliation/{table}.csv",
    "/upcoming",
    "/upcoming.csv",
    "/api/v1/reconciliation",
    "/api/v1/upcoming",
}
#: The hub's queue: hub staff (their region), a head of service and an admin; others 403.
HUB_LISTS = {"/hub", "/hub.csv", "/api/v1/hub/queue"}
HUB_ONE_CASE = {
    "/hub/information",
    "/hub/items/{ref}",
    "/hub/items/{ref}/triages.csv",
    "/hub/items/{ref}/triage",
    "/api/v1/hub/items",
    "/api/v1/hub/items/{ref}",
    "/api/v1/hub/items/{ref}/triage",
}
HUB_USERS = {"hub", "head", "admin"}
#: Figures of a whole region, PDU or team (no CRN): only of one the user holds every case of.
FIGURES = {"/dashboard", "/dashboard/{table}.csv", "/api/v1/figures"}
API_CASE_FREE = {
    "/api/v1/me",
    "/api/v1/rules",
    "/api/v1/openapi.json",
    "/api/docs",
}


def all_crns(url: str) -> list[str]:
    engine = open_database(url)
    try:
        with session_factory(engine)() as session:
            return list(session.scalars(select(CaseRecord.crn).order_by(CaseRecord.crn)))
    finally:
        engine.dispose()


def visible(username: str, crns: list[str]) -> set[str]:
    role, staff_code, team, region = USERS[username]
    seen = set()
    for i, crn in enumerate(crns):
        manager = manager_of(i)
        if (
            role.value in ("head", "admin")
            or (staff_code is not None and manager["staff_code"] == staff_code)
            or (team is not None and manager["team"] == team)
            or (region is not None and manager["region"] == region)
        ):
            seen.add(crn)
    return seen


def test_every_route_is_in_the_matrix(web_app: FastAPI) -> None:
    paths = {r.path for r in web_app.routes if hasattr(r, "path")}
    scoped = LISTS | ONE_CASE | CHECK_LISTS | HUB_LISTS | HUB_ONE_CASE
    covered = CASE_FREE | ADMIN_ONLY | API_CASE_FREE | FIGURES | scoped
    assert paths - covered == set(), "add these routes to the scope matrix"
    api_paths = {r.path for r in web_app.routes if isinstance(r, APIRoute)}
    assert {p for p in api_paths if p.startswith("/api/v1/")} <= scoped | FIGURES | API_CASE_FREE


def _csv_crns(text: str) -> set[str]:
    return {row["CRN"] for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize("username", list(USERS))
def test_scope_matrix(
    username: str,
    web_app: FastAPI,
    web_database: WebDatabase,
    clients: dict[str, TestClient],
) -> None:
    crns = all_crns(web_database.url)
    expected = visible(username, crns)
    hidden = [c for c in crns if c not in expected]
    page, program = clients[username], api(web_app, web_database, username)

    # Lists: exactly the cases in scope, whatever the filters.
    assert _csv_crns(page.get(f"/caseload.csv?{ON}").text) == expected
    assert _csv_crns(page.get(f"/caseload.csv?{ON}&status=SUSPENDED").text) <= expected
    for n in range(1, 4):
        shown = set(CRN.findall(page.get(f"/caseload?{ON}&page={n}").text))
        assert shown <= expected
    listed = program.get("/api/v1/cases?page_size=500").json()
    assert {c["crn"] for c in listed["cases"]} == expected and listed["total"] == len(expected)
    load = program.get(f"/api/v1/caseload?{ON}&page_size=500").json()
    assert {c["crn"] for c in load["cases"]} == expected
    moves = program.get("/api/v1/transitions?from=2020-01-01&to=2030-12-31").json()
    moved = {t["crn"] for t in moves["transitions"]}
    assert moved <= expected and (moved or not expected)

    # One case: in scope answers, out of scope is 404 and says nothing about it.
    for crn in hidden[:: max(1, len(hidden) // 4)][:4]:
        routes = [f"/cases/{crn}?{ON}"] + [f"/cases/{crn}/{t}.csv?{ON}" for t in CASE_TABLES]
        routes += [f"/cases/{crn}/what-if?{WHAT_IF}"]
        routes += [f"/cases/{crn}/what-if/{t}.csv?{WHAT_IF}" for t in WHAT_IF_TABLES]
        for path in routes:
            response = page.get(path)
            assert response.status_code == 404, path
            assert set(CRN.findall(response.text)) <= {crn}
        for path in ("", "/evaluation?" + ON, "/obligations?" + ON):
            response = program.get(f"/api/v1/cases/{crn}{path}")
            assert response.status_code == 404, path
            assert response.json()["error"]["status"] == 404
        response = program.post(f"/api/v1/cases/{crn}/what-if?{ON}", json=WHAT_IF_BODY)
        assert response.status_code == 404 and set(CRN.findall(response.text)) <= {crn}
    for crn in sorted(expected)[:2]:
        assert page.get(f"/cases/{crn}?{ON}").status_code == 200
        for table in CASE_TABLES:
            assert page.get(f"/cases/{crn}/{table}.csv?{ON}").status_code == 200
        assert page.get(f"/cases/{crn}/what-if?{WHAT_IF}").status_code == 200
        for table in WHAT_IF_TABLES:
            assert page.get(f"/cases/{crn}/what-if/{table}.csv?{WHAT_IF}").status_code == 200
        for path in ("", "/evaluation?" + ON, "/obligations?" + ON):
            assert program.get(f"/api/v1/cases/{crn}{path}").status_code == 200
        response = program.post(f"/api/v1/cases/{crn}/what-if?{ON}", json=WHAT_IF_BODY)
        assert response.status_code == 200 and response.json()["crn"] == crn

    # Case-free routes show no CRN; the audit log is for admins only.
    for path in ("/policy", "/policy.csv", "/sign-in"):
        assert CRN.findall(page.get(path).text) == [], path
    for path in ("/api/v1/me", "/api/v1/rules"):
        assert CRN.findall(program.get(path).text) == [], path
    for path in ("/audit", "/audit.csv"):
        assert page.get(path).status_code == (200 if username == "admin" else 403)


def _page_crns(text: str) -> set[str]:
    return set(CRN.findall(text))


@pytest.mark.parametrize("username", list(USERS))
def test_scope_matrix_of_the_hub_and_the_ndelius_checks(
    username: str,
    web_app: FastAPI,
    web_database: WebDatabase,
    clients: dict[str, TestClient],
) -> None:
    crns = all_crns(web_database.url)
    expected = visible(username, crns)
    page, program = clients[username], api(web_app, web_database, username)

    # Reconciliation and upcoming: only cases in scope, for every role.
    for table in ("findings", "teams"):
        response = page.get(f"/reconciliation/{table}.csv?{ON}")
        assert response.status_code == 200
    assert _csv_crns(page.get(f"/reconciliation/findings.csv?{ON}").text) <= expected
    assert _page_crns(page.get(f"/reconciliation?{ON}").text) <= expected
    assert _csv_crns(page.get(f"/upcoming.csv?{ON}&weeks=52").text) <= expected
    assert _page_crns(page.get(f"/upcoming?{ON}&weeks=52").text) <= expected
    found = program.get(f"/api/v1/reconciliation?{ON}").json()
    assert {f["crn"] for f in found["findings"]} <= expected
    assert found["people"] == len(expected)
    ahead = program.get(f"/api/v1/upcoming?{ON}&weeks=52").json()
    assert {u["crn"] for u in ahead["upcoming"]} <= expected
    if username == "head":
        assert found["findings"] and ahead["upcoming"], "the sample should give some of each"

    # The dashboard: counts only, of a scope the user holds whole (others: 404); no CRN.
    dashboard = page.get(f"/dashboard?{ON}")
    assert dashboard.status_code == (403 if USERS[username][0].value == "practitioner" else 200)
    assert _page_crns(dashboard.text) == set()
    people = page.get(f"/dashboard/summary.csv?{ON}")
    if people.status_code == 200:
        counted = {r["status"]: int(r["people"]) for r in csv.DictReader(io.StringIO(people.text))}
        assert sum(v for k, v in counted.items() if not k.startswith("in ")) == len(expected)
    figures = program.get(f"/api/v1/figures?{ON}")
    assert figures.status_code == dashboard.status_code
    assert _page_crns(figures.text) == set()
    if figures.status_code == 200:
        assert sum(figures.json()["by_status"].values()) == len(expected)
        for choice in figures.json()["choices"]:
            level, name = choice["level"], choice["name"] or ""
            query = f"{ON}&{level}={quote(name)}" if level != "all" else ON
            assert program.get(f"/api/v1/figures?{query}").status_code == 200, choice
    for region in sorted({manager_of(i)["region"] for i in range(len(crns))}):
        held = {c for i, c in enumerate(crns) if manager_of(i)["region"] == region} <= expected
        wanted = 403 if figures.status_code == 403 else 200 if held else 404
        response = program.get(f"/api/v1/figures?{ON}&region={quote(region)}")
        assert response.status_code == wanted, region
        assert _page_crns(response.text) == set()

    # The hub's queue: hub staff see their region, head and admin all; others are refused.
    head = clients["head"]
    every = list(csv.DictReader(io.StringIO(head.get(f"/hub.csv?{ON}&triaged=include").text)))
    assert every, "the sample should raise hub items"
    hidden_items = [r["item"] for r in every if r["CRN"] not in expected]
    if username not in HUB_USERS:
        for path in ("/hub", "/hub.csv"):
            assert page.get(f"{path}?{ON}").status_code == 403, path
        assert program.get(f"/api/v1/hub/queue?{ON}").status_code == 403
        hidden_items = [r["item"] for r in every][:3]
    else:
        assert _csv_crns(page.get(f"/hub.csv?{ON}&triaged=include").text) <= expected
        assert _page_crns(page.get(f"/hub?{ON}&triaged=include").text) <= expected
        queue = program.get(f"/api/v1/hub/queue?{ON}&triaged=include").json()
        assert {e["crn"] for e in queue["items"]} <= expected
        assert queue["items"] or not expected
    status = 403 if username not in HUB_USERS else 404
    token = form_token_of(page)
    for ref in hidden_items[:3]:
        quoted = quote(ref, safe="")
        named = _page_crns(ref)  # the answer may repeat what was asked, nothing more
        for path in (f"/hub/items/{quoted}?{ON}", f"/hub/items/{quoted}/triages.csv?{ON}"):
            response = page.get(path)
            assert response.status_code == status, path
            assert _page_crns(response.text) <= named
        triage = page.post(
            f"/hub/items/{quoted}/triage?{ON}",
            data={"csrf_token": token, "outcome": "NO_ACTION", "practitioner": "P"},
        )
        assert triage.status_code == status and _page_crns(triage.text) <= named
        assert program.get(f"/api/v1/hub/items/{quoted}?{ON}").status_code == status
        response = program.post(
            f"/api/v1/hub/items/{quoted}/triage?{ON}",
            json={"outcome": "NO_ACTION", "practitioner": "P"},
        )
        assert response.status_code == status
        assert _page_crns(response.text) <= named
    hidden = [c for c in crns if c not in expected][:2]
    for crn in hidden:
        body = {"crn": crn, "source": "POLICE", "received_on": "2025-11-03", "summary": "x"}
        response = program.post("/api/v1/hub/items", json=body)
        assert response.status_code == status
        recorded = page.post(f"/hub/information?{ON}", data={"csrf_token": token, **body})
        assert recorded.status_code in (400, 403)
        assert crn not in head.get(f"/hub.csv?{ON}&kind=INFORMATION_RECEIVED").text


def form_token_of(client: TestClient) -> str:
    """The session's CSRF token, from the sign-out form every page carries."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/policy?{ON}").text)
    assert found
    return found.group(1)
