"""Sign-in, sessions, CSRF, limits, headers, the day picker, assets and escaping (SQLite)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from probation_reset.store.database import open_database, session_factory
from probation_reset.store.models import CaseRecord
from probation_reset.web.app import create_app
from web.conftest import PASSWORD, WebDatabase, _prepare, form_token, settings_for, signed_in


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> WebDatabase:
    path = tmp_path_factory.mktemp("pages") / "pages.sqlite"
    return _prepare(f"sqlite:///{path}", "sqlite")


@pytest.fixture(scope="module")
def app(own_database: WebDatabase) -> Iterator[FastAPI]:
    built = create_app(settings_for(own_database.url, sign_in_limit=3))
    with TestClient(built):
        yield built
    built.state.web.database.dispose()


def attempt(client: TestClient, username: str, password: str) -> tuple[int, str]:
    token = form_token(client.get("/sign-in").text)
    response = client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": token}
    )
    return response.status_code, response.text


def test_a_page_sends_you_to_sign_in_and_back(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    response = client.get("/cases/S000017?on=2025-11-03")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/cases/S000017?on=2025-11-03"
    page = client.get(response.headers["location"])
    assert 'name="next" value="/cases/S000017?on=2025-11-03"' in page.text


def test_session_cookie_flags(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    token = form_token(client.get("/sign-in").text)
    response = client.post(
        "/sign-in", data={"username": "head", "password": PASSWORD, "csrf_token": token}
    )
    cookie = response.headers["set-cookie"]
    assert "pr_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie
    secure = TestClient(app, base_url="https://testserver", follow_redirects=False)
    token = form_token(secure.get("/sign-in").text)
    response = secure.post(
        "/sign-in", data={"username": "head", "password": PASSWORD, "csrf_token": token}
    )
    assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_then_the_limit(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    for _ in range(3):
        status, text = attempt(client, "spo", "not the password")
        assert status == 401 and "The user name or password is not right" in text
    status, text = attempt(client, "spo", PASSWORD)
    assert status == 429 and "Too many attempts" in text
    status, _ = attempt(client, "hub", PASSWORD)
    assert status == 303


def test_forms_need_their_csrf_token(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    client.get("/sign-in")
    response = client.post("/sign-in", data={"username": "head", "password": PASSWORD})
    assert response.status_code == 400 and "The form has expired" in response.text
    response = client.post(
        "/sign-in", data={"username": "head", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400
    head = signed_in(app, "head")
    assert head.post("/sign-out", data={"csrf_token": "forged"}).status_code == 400
    assert head.get("/caseload").status_code == 200
    token = form_token(head.get("/caseload").text)
    assert head.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert head.get("/caseload").status_code == 303


def test_next_never_leaves_the_service(app: FastAPI) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        client = TestClient(app, follow_redirects=False)
        token = form_token(client.get("/sign-in").text)
        response = client.post(
            "/sign-in",
            data={"username": "head", "password": PASSWORD, "csrf_token": token, "next": target},
        )
        assert response.headers["location"] == "/caseload"


def test_hardening_headers_and_the_script_nonce(app: FastAPI) -> None:
    page = signed_in(app, "admin").get("/caseload?on=2025-11-03")
    policy = page.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce and f'nonce="{nonce.group(1)}"' in page.text
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"


def test_the_day_picker(app: FastAPI) -> None:
    head = signed_in(app, "head")
    page = head.get("/caseload")
    assert (
        'value="2025-11-03"' in page.text
        and "Showing <strong>3 November 2025</strong>" in page.text
    )
    bad = head.get("/caseload?on=2025-13-01")
    assert bad.status_code == 400
    assert "is not a real date written YYYY-MM-DD" in bad.text
    kept = head.get("/caseload?on=2024-06-01&status=ACTIVE")
    assert '<input type="hidden" name="status" value="ACTIVE">' in kept.text


def test_find_by_crn_goes_to_the_case(app: FastAPI) -> None:
    head = signed_in(app, "head")
    response = head.get("/caseload?on=2025-11-03&crn=s000017")
    assert response.headers["location"] == "/cases/S000017?on=2025-11-03"
    missing = head.get("/caseload?on=2025-11-03&crn=Z999999")
    assert "There is no case Z999999 in your caseload" in missing.text


def test_case_page_has_next_actions_first_and_citations(app: FastAPI) -> None:
    page = signed_in(app, "head").get("/cases/S000017?on=2025-11-03").text
    assert page.index("What to do next") < page.index("Why the status is")
    assert 'href="/policy?on=2025-11-03#PHASE_FINAL_THIRD"' in page
    assert "Suspended on 2025-10-31" in page


def test_obligations_filter_on_the_case_page(app: FastAPI) -> None:
    head = signed_in(app, "head")
    page = head.get("/cases/S000017?on=2025-11-03&obligation_status=MISSED").text
    assert "2 of 24 obligations" in page


def test_policy_page_quotes_each_cited_paragraph(app: FastAPI) -> None:
    page = signed_in(app, "head").get("/policy").text
    assert 'id="NS_RECORD_1WD"' in page
    assert "Case records must be updated within one working day of the contact" in page


def test_data_is_never_read_as_markup_nor_as_a_formula(
    app: FastAPI, own_database: WebDatabase
) -> None:
    database = open_database(own_database.url)
    with session_factory(database).begin() as session:
        session.execute(
            update(CaseRecord)
            .where(CaseRecord.crn == "S000017")
            .values(staff_name="<script>alert(1)</script>", team='=HYPERLINK("x")')
        )
    database.dispose()
    head = signed_in(app, "head")
    page = head.get("/cases/S000017?on=2025-11-03").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    csv_text = head.get("/caseload.csv?on=2025-11-03&crn=S000017").text
    assert "'=HYPERLINK" in csv_text


def test_assets_are_served_and_missing_ones_say_run_npm_ci(
    app: FastAPI, own_database: WebDatabase, tmp_path: Path
) -> None:
    client = TestClient(app)
    assert client.get("/assets/govuk-frontend.min.css").status_code == 200
    assert client.get("/assets/fonts/bold-b542beb274-v2.woff2").status_code == 200
    assert client.get("/assets/app.js").status_code == 200
    assert client.get("/assets/../../pyproject.toml").status_code == 404
    bare = create_app(settings_for(own_database.url, node_modules=tmp_path))
    response = TestClient(bare).get("/assets/govuk-frontend.min.css")
    assert response.status_code == 503 and "npm ci" in response.text
    bare.state.web.database.dispose()


def test_a_nul_in_the_address_or_the_form_is_refused_not_a_crash(app: FastAPI) -> None:
    head = signed_in(app, "head")
    assert head.get("/caseload?crn=%00").status_code == 400
    assert head.get("/cases/X%00").status_code == 400
    api_error = TestClient(app).get("/api/v1/caseload?crn=%00")
    assert api_error.status_code == 400 and "NUL" in api_error.json()["error"]["message"]
    client = TestClient(app, follow_redirects=False)
    status, _ = attempt(client, "head\x00", "wrong\x00password")
    assert status == 401
