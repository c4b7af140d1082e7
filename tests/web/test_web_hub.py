"""The hub's pages and API on a database of their own (they write), SQLite and PostgreSQL: a
MARAC notification recorded on a suspended case, a refused reinstatement, a reinstatement with a
new MAPPA registration; the case page, the reconciliation and the audit log follow."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import load_parameters
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.importer import Importer, document_source
from probation_reset.store.models import CaseRecord
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import stored_case
from probation_reset.web.app import create_app
from web.conftest import (
    POSTGRES,
    SAMPLE_DAY,
    WebDatabase,
    _admin_sql,
    _prepare,
    csv_rows,
    form_token,
    manager_of,
    managers_in_documents,
    settings_for,
    signed_in,
    stored_record,
)

ON = f"on={SAMPLE_DAY.isoformat()}"
REGION = manager_of(0)["region"]


def with_managers(database: WebDatabase) -> WebDatabase:
    managers_in_documents(database.url)
    return database


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def hub_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebDatabase]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("hub") / "hub.sqlite"
        yield with_managers(_prepare(f"sqlite:///{path}", "sqlite"))
        return
    if os.environ.get("PROBATION_RESET_SKIP_POSTGRES") == "1":
        pytest.skip("PROBATION_RESET_SKIP_POSTGRES=1")
    name = f"probation_reset_hubweb_{uuid.uuid4().hex[:12]}"
    try:
        _admin_sql(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES}: {error}")
    try:
        yield with_managers(_prepare(POSTGRES.rsplit("/", 1)[0] + "/" + name, "postgresql"))
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def app(hub_database: WebDatabase) -> Iterator[FastAPI]:
    built = create_app(settings_for(hub_database.url))
    with TestClient(built):
        yield built
    built.state.web.database.dispose()


def suspended_cases(url: str, region: str, mappa: bool = False) -> list[str]:
    """Cases of the region suspended on the sample day (and with no MAPPA ever recorded)."""
    engine = Engine(load_parameters())
    database = open_database(url)
    try:
        with session_factory(database)() as session:
            records = list(
                session.scalars(
                    select(CaseRecord).where(CaseRecord.region == region).order_by(CaseRecord.crn)
                )
            )
            found = []
            for record in records:
                case = stored_case(record.crn, record.document)
                if engine.evaluate(case, SAMPLE_DAY).status is not Status.SUSPENDED:
                    continue
                if not mappa and any(r.type is RegistrationType.MAPPA for r in case.registrations):
                    continue
                found.append(record.crn)
            return found
    finally:
        database.dispose()


def record_marac(client: TestClient, crn: str, summary: str) -> str:
    """Records a MARAC notification through the form; the new item's address."""
    token = form_token(client.get(f"/hub?{ON}").text)
    response = client.post(
        f"/hub/information?{ON}",
        data={
            "csrf_token": token,
            "crn": crn,
            "source": "MARAC",
            "received_on": SAMPLE_DAY.isoformat(),
            "summary": summary,
        },
    )
    assert response.status_code == 303, response.text[:2000]
    location: str = response.headers["location"]
    assert re.fullmatch(rf"/hub/items/\d+\?{ON}&recorded=1", location)
    return location.split("?")[0]


def findings_of(client: TestClient, crn: str) -> set[str]:
    text = client.get(f"/reconciliation/findings.csv?{ON}").text
    return {row["kind"] for row in csv.DictReader(io.StringIO(text)) if row["CRN"] == crn}


def test_a_hub_user_records_marac_information_and_reinstates_with_a_new_mappa_registration(
    app: FastAPI, hub_database: WebDatabase
) -> None:
    crn = suspended_cases(hub_database.url, REGION)[0]
    hub = signed_in(app, "hub")
    before = findings_of(hub, crn)
    link = f"/hub?on={SAMPLE_DAY.isoformat()}&amp;crn={crn}#record-heading"
    assert link in hub.get(f"/cases/{crn}?{ON}").text
    assert (
        f'id="crn" name="crn" type="text" spellcheck="false" value="{crn}"'
        in hub.get(f"/hub?{ON}&crn={crn}").text
    )
    item = record_marac(hub, crn, 'MARAC 3/11: <b>now MAPPA</b> level 2 "=1+1"')

    page = hub.get(f"{item}?{ON}&recorded=1")
    assert page.status_code == 200
    assert "&lt;b&gt;now MAPPA&lt;/b&gt;" in page.text and "<b>now MAPPA" not in page.text
    assert "The information is recorded" in page.text
    queue = hub.get(f"/hub?{ON}&kind=INFORMATION_RECEIVED").text
    assert crn in queue and "Marac" not in queue and "MARAC" in queue
    rows = list(csv.DictReader(io.StringIO(hub.get(f"/hub.csv?{ON}&source=MARAC").text)))
    assert [r["CRN"] for r in rows] == [crn]
    assert rows[0]["summary"].startswith("MARAC 3/11")
    formula = hub.get(f"/hub.csv?{ON}&source=MARAC").text
    assert "=1+1" in formula  # inside the text, not at the start of a cell

    token = form_token(page.text)
    later = (SAMPLE_DAY + timedelta(days=10)).isoformat()
    refused = hub.post(
        f"{item}/triage?{ON}",
        data={
            "csrf_token": token,
            "outcome": "REINSTATE",
            "practitioner": "Alex Morgan",
            "registration_type": "MAPPA",
            "registration_start": later,
            "level": "2",
            "category": "1",
        },
    )
    assert refused.status_code == 400
    assert "There is a problem" in refused.text and "govuk-error-summary" in refused.text
    assert later in refused.text
    case_page = hub.get(f"/cases/{crn}?{ON}").text
    assert "Reinstated on" not in case_page

    missing = hub.post(
        f"{item}/triage?{ON}",
        data={"csrf_token": token, "outcome": "REINSTATE", "practitioner": "Alex Morgan"},
    )
    assert missing.status_code == 400
    assert 'href="#registration_type"' in missing.text

    done = hub.post(
        f"{item}/triage?{ON}",
        data={
            "csrf_token": token,
            "outcome": "REINSTATE",
            "practitioner": "Alex Morgan",
            "registration_type": "MAPPA",
            "registration_start": SAMPLE_DAY.isoformat(),
            "level": "2",
            "category": "1",
            "shared_with": "ignored: another outcome's field",
        },
    )
    assert done.status_code == 303, done.text[:3000]
    shown = hub.get(done.headers["location"]).text
    assert "Triaged: Reinstate" in shown and "the case is exempt" in shown
    assert "Alex Morgan" in shown

    case_page = hub.get(f"/cases/{crn}?{ON}").text
    assert re.search(r"govuk-tag[^\"]*\">Exempt</strong>", case_page)
    assert "Reinstated on" in case_page
    after = findings_of(hub, crn)
    assert before != after
    assert "SUSPENDED_WITHOUT_PRC" not in after
    if "SUSPENDED_WITHOUT_PRC" not in before:
        assert "PRC_BUT_CONTACT_CONTINUES" in after

    audit = signed_in(app, "admin").get(f"/audit.csv?crn={crn}").text
    actions = [row["action"] for row in csv.DictReader(io.StringIO(audit))]
    for action in ("HUB_RECORD", "READ_HUB_ITEM", "HUB_REFUSED", "HUB_TRIAGE"):
        assert action in actions, actions
    assert actions.index("HUB_TRIAGE") < actions.index("HUB_REFUSED")  # newest first


def test_forms_need_the_session_csrf_token(app: FastAPI, hub_database: WebDatabase) -> None:
    crn = suspended_cases(hub_database.url, REGION)[1]
    hub = signed_in(app, "hub")
    response = hub.post(
        f"/hub/information?{ON}",
        data={"csrf_token": "forged", "crn": crn, "source": "POLICE", "summary": "x"},
    )
    assert response.status_code == 400 and "The form has expired" in response.text
    assert crn not in hub.get(f"/hub.csv?{ON}&kind=INFORMATION_RECEIVED").text


def test_a_form_that_cannot_be_used_names_each_field(app: FastAPI) -> None:
    hub = signed_in(app, "hub")
    token = form_token(hub.get(f"/hub?{ON}").text)
    response = hub.post(
        f"/hub/information?{ON}",
        data={"csrf_token": token, "crn": "", "source": "PIGEON", "received_on": "3/11/2025"},
    )
    assert response.status_code == 400
    for field in ("crn", "source", "received_on", "summary"):
        assert f'href="#{field}"' in response.text, field
    elsewhere = hub.post(
        f"/hub/information?{ON}",
        data={
            "csrf_token": token,
            "crn": "Z999999",
            "source": "POLICE",
            "received_on": SAMPLE_DAY.isoformat(),
            "summary": "x",
        },
    )
    assert elsewhere.status_code == 400
    assert "There is no case Z999999" in elsewhere.text


def test_only_the_hub_head_and_admin_use_the_queue_and_each_sees_its_region(
    app: FastAPI, hub_database: WebDatabase
) -> None:
    for name in ("practitioner", "spo", "outsider"):
        client = signed_in(app, name)
        assert client.get(f"/hub?{ON}").status_code == 403
        assert client.get(f"/hub.csv?{ON}").status_code == 403
    other_region = next(r for r in ("North West", "Wales") if r != REGION)
    crn = suspended_cases(hub_database.url, other_region)[0]
    head = signed_in(app, "head")
    item = record_marac(head, crn, "Police: arrested on 2 November")
    assert head.get(f"{item}?{ON}").status_code == 200
    hub = signed_in(app, "hub")
    hidden = hub.get(f"{item}?{ON}")
    assert hidden.status_code == 404 and crn not in hidden.text
    assert crn not in hub.get(f"/hub.csv?{ON}&triaged=include").text
    assert crn in head.get(f"/hub.csv?{ON}&triaged=include").text


def test_the_api_records_and_triages(app: FastAPI, hub_database: WebDatabase) -> None:
    crn = suspended_cases(hub_database.url, REGION)[2]
    api = TestClient(app, headers={"Authorization": f"Bearer {hub_database.tokens['hub']}"})
    made = api.post(
        "/api/v1/hub/items",
        json={
            "crn": crn,
            "source": "CHILDRENS_SOCIAL_CARE",
            "received_on": SAMPLE_DAY.isoformat(),
            "summary": "Child protection plan from 1 November",
        },
    )
    assert made.status_code == 201, made.text
    item = made.json()["item_id"]
    queue = api.get(f"/api/v1/hub/queue?{ON}&source=CHILDRENS_SOCIAL_CARE").json()
    assert [e["crn"] for e in queue["items"]] == [crn]
    assert queue["region"] == REGION
    refused = api.post(
        f"/api/v1/hub/items/{item}/triage?{ON}",
        json={
            "outcome": "REINSTATE",
            "practitioner": "Sam Jones",
            "registration": {"type": "ROSH", "start_date": SAMPLE_DAY.isoformat(), "level": "HIGH"},
        },
    )
    assert refused.status_code == 409, refused.text
    assert "VERY_HIGH" in refused.json()["error"]["message"]
    shared = api.post(
        f"/api/v1/hub/items/{item}/triage?{ON}",
        json={"outcome": "INFORMATION_SHARED", "practitioner": "Sam Jones", "shared_with": "CSC"},
    )
    assert shared.status_code == 200, shared.text
    assert shared.json()["status"] == "SUSPENDED"
    shown = api.get(f"/api/v1/hub/items/{item}?{ON}").json()
    assert [t["outcome"] for t in shown["triages"]] == ["INFORMATION_SHARED"]
    raised = [e for e in api.get(f"/api/v1/hub/queue?{ON}").json()["items"] if not e["item_id"]]
    if raised:
        one = api.get(f"/api/v1/hub/items/{quote(raised[0]['ref'], safe='')}?{ON}")
        assert one.status_code == 200 and one.json()["ref"] == raised[0]["ref"]
    practitioner = TestClient(
        app, headers={"Authorization": f"Bearer {hub_database.tokens['practitioner']}"}
    )
    assert practitioner.get(f"/api/v1/hub/queue?{ON}").status_code == 403


def import_from_ndelius(url: str, cases: list[dict[str, Any]]) -> None:
    database = open_database(url)
    try:
        text = "\n".join(json.dumps(case) for case in cases)
        Importer(session_factory(database), load_parameters(), ndelius_codes()).run(
            document_source("ndelius.jsonl", text), "nightly"
        )
    finally:
        database.dispose()


def test_a_registration_the_hub_recorded_is_shown_as_the_hubs_until_ndelius_carries_it(
    app: FastAPI, hub_database: WebDatabase
) -> None:
    crn = suspended_cases(hub_database.url, REGION)[3]
    from_ndelius = dict(stored_record(hub_database.url, crn).document)
    api = TestClient(app, headers={"Authorization": f"Bearer {hub_database.tokens['hub']}"})
    item = api.post(
        "/api/v1/hub/items",
        json={
            "crn": crn,
            "source": "POLICE",
            "received_on": SAMPLE_DAY.isoformat(),
            "summary": "NSD",
        },
    ).json()["item_id"]
    nsd = {"type": "NSD", "start_date": SAMPLE_DAY.isoformat()}
    done = api.post(
        f"/api/v1/hub/items/{item}/triage?{ON}",
        json={"outcome": "REINSTATE", "practitioner": "Alex Morgan", "registration": nsd},
    )
    assert done.status_code == 200 and done.json()["status"] == "EXEMPT", done.text
    hub = signed_in(app, "hub")
    hub_said = f"regional hub: item {item}, reinstated on {SAMPLE_DAY} by Alex Morgan"

    import_from_ndelius(hub_database.url, [from_ndelius])  # NDelius does not have it yet
    registrations = csv_rows(hub, f"/cases/{crn}/registrations.csv?{ON}")
    [shown] = [r for r in registrations if r["type"] == "NSD"]
    assert shown["recorded by"] == f"{hub_said}; not yet in NDelius"
    assert api.get(f"/api/v1/cases/{crn}/evaluation?{ON}").json()["status"] == "EXEMPT"
    changes = csv_rows(hub, f"/cases/{crn}/changes.csv?{ON}")
    added = [r for r in changes if r["change"] == "ITEM_ADDED"]
    assert added[-1]["made by"].startswith(f"regional hub: hub item {item}: REINSTATE (NSD from")
    assert added[-1]["made by"].endswith("by Alex Morgan (entered by hub)")
    moves = csv_rows(hub, f"/cases/{crn}/transitions.csv?{ON}")
    [reinstated] = [m for m in moves if m["change"] == "REINSTATED" and m["day"] == str(SAMPLE_DAY)]
    assert reinstated["recorded by"].startswith("regional hub:")

    carrying = {**from_ndelius, "registrations": [*from_ndelius["registrations"], nsd]}
    import_from_ndelius(hub_database.url, [carrying])
    registrations = csv_rows(hub, f"/cases/{crn}/registrations.csv?{ON}")
    assert [r["recorded by"] for r in registrations if r["type"] == "NSD"] == [
        f"NDelius (first recorded by the {hub_said})"
    ]
    assert api.get(f"/api/v1/cases/{crn}/evaluation?{ON}").json()["status"] == "EXEMPT"
    assert (
        dict(stored_record(hub_database.url, crn).document)["registrations"].count(
            {**nsd, "deregistered_on": None, "level": None, "category": None}
        )
        == 1
    )
