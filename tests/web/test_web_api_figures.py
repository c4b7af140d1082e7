"""The regional figures through the API, on SQLite and PostgreSQL: the dashboard page's tables
and numbers, for a scope the caller holds whole (as the page), audited; bad input is a 4xx."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from web.conftest import SAMPLE_DAY, WebDatabase, api, manager_of
from web.test_web_api_what_if import last_audit

ON = f"on={SAMPLE_DAY.isoformat()}"
REGION = manager_of(0)["region"]
OTHER = next(r for r in ("North West", "Wales") if r != REGION)


def csv_rows(client: TestClient, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    return list(csv.reader(io.StringIO(response.text)))


def as_text(rows: list[list[str | int | None]]) -> list[list[str]]:
    return [["" if c is None else str(c) for c in row] for row in rows]


def test_the_figures_are_the_dashboard_pages_tables(
    web_app: FastAPI, web_database: WebDatabase, clients: dict[str, TestClient]
) -> None:
    response = api(web_app, web_database, "hub").get(f"/api/v1/figures?{ON}&weeks=13")
    assert response.status_code == 200, response.text
    body = response.json()
    entry = last_audit(web_database.url, "hub")
    assert (entry.action, entry.channel, entry.detail) == (
        "READ_DASHBOARD",
        "API",
        f"region:{REGION} weeks=13",
    )
    assert body["scope"] == {"level": "region", "name": REGION}
    assert body["on"] == SAMPLE_DAY.isoformat() and len(body["weeks"]) == 13
    page = clients["hub"]
    scope = f"scope=region:{quote(REGION)}&weeks=13"
    tables = {t["id"]: t for t in body["tables"]}
    assert list(tables)[:2] == ["summary", "teams"]
    assert set(tables) - {"summary", "teams"} == {c["id"] for c in body["charts"]}
    for name, table in tables.items():
        shown = csv_rows(page, f"/dashboard/{name}.csv?{ON}&{scope}")
        assert shown == [table["columns"], *as_text(table["rows"])], name
    suspended = csv_rows(page, f"/caseload.csv?{ON}&status=SUSPENDED")
    assert body["in_reset_measures"] == body["by_status"]["SUSPENDED"] == len(suspended) - 1
    assert body["people"] == sum(body["by_status"].values())
    assert body["weeks"][-1]["in_reset_measures"] == body["in_reset_measures"]
    assert body["missed_obligations"] is None
    assert {"level": "region", "name": REGION} in body["choices"]
    assert all(c["name"] != OTHER for c in body["choices"])


def test_each_caller_gets_only_scopes_they_hold_whole(
    web_app: FastAPI, web_database: WebDatabase
) -> None:
    hub, head = api(web_app, web_database, "hub"), api(web_app, web_database, "head")
    team = manager_of(0)["team"]
    assert hub.get(f"/api/v1/figures?{ON}&team={quote(team)}").json()["scope"]["name"] == team
    for query in (f"region={OTHER}", f"team={quote(manager_of(6)['team'])}", "pdu=Nowhere"):
        response = hub.get(f"/api/v1/figures?{ON}&{query}")
        assert response.status_code == 404, query
        assert response.json()["error"]["message"] == (
            "There are no figures you may see for that scope."
        )
    spo = api(web_app, web_database, "spo")
    assert spo.get(f"/api/v1/figures?{ON}&region={quote(REGION)}").status_code == 404
    assert spo.get(f"/api/v1/figures?{ON}").json()["scope"] == {"level": "team", "name": team}
    for name in ("practitioner", "outsider"):
        assert api(web_app, web_database, name).get(f"/api/v1/figures?{ON}").status_code == 403
    everyone = head.get(f"/api/v1/figures?{ON}").json()
    assert everyone["scope"] == {"level": "all", "name": None}
    other = head.get(f"/api/v1/figures?{ON}&region={quote(OTHER)}").json()
    mine = head.get(f"/api/v1/figures?{ON}&region={quote(REGION)}").json()
    assert other["people"] + mine["people"] == everyone["people"]


def test_missed_obligations_on_request(web_app: FastAPI, web_database: WebDatabase) -> None:
    team = quote(manager_of(0)["team"])
    body = (
        api(web_app, web_database, "spo")
        .get(f"/api/v1/figures?{ON}&team={team}&weeks=4&obligations=include")
        .json()
    )
    missed = body["missed_obligations"]
    assert missed is not None and missed["to"] == SAMPLE_DAY.isoformat()
    assert missed["total"] == sum(sum(r.values()) for r in missed["by_team"].values()) > 0
    assert "missed-by-team" in {t["id"] for t in body["tables"]}


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        (f"region={quote(REGION)}&team=x", 400, "at most one of region, pdu and team"),
        ("region=", 422, "region"),
        ("region=%00", 400, "NUL"),
        ("weeks=0", 422, "weeks"),
        ("weeks=261", 422, "weeks"),
        ("obligations=yes", 422, "obligations"),
        ("on=2025-02-30", 400, "not a real date"),
        ("on=0001-01-01", 400, "outside the years 1800 to 2399"),
    ],
)
def test_bad_input_is_a_clear_client_error(
    web_app: FastAPI, web_database: WebDatabase, query: str, status: int, message: str
) -> None:
    response = api(web_app, web_database, "hub").get(f"/api/v1/figures?{query}")
    assert response.status_code == status, response.text
    assert message in response.json()["error"]["message"]
