"""Web tests run on SQLite and PostgreSQL alike, for real, on the bundled sample.

Each backend gets one database for the test session: the sample imported, every case given a
manager by a fixed rule (so scope is known whatever the sample holds), one user per role plus an
outsider whose staff code matches no case, and an API token each. Tests that write (sign-in,
audit) do so in that database; they never assume it is empty of such rows.
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import load_parameters
from probation_reset.sample.generator import SAMPLE_FILE_NAME
from probation_reset.store.case_document import content_hash
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.importer import DEFAULT_BATCH_SIZE, Importer, document_source
from probation_reset.store.models import CaseRecord
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.web import accounts
from probation_reset.web.app import create_app
from probation_reset.web.scope import Role
from probation_reset.web.settings import Settings

POSTGRES = os.environ.get(
    "PROBATION_RESET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
SAMPLE_DAY = date(2025, 11, 3)
PASSWORD = "correct horse battery staple"
PRACTITIONERS = 12
REGIONS = ("North West", "Wales")


def manager_of(index: int) -> dict[str, str]:
    """Case ``index`` (in CRN order) goes to practitioner ``index % 12``; three practitioners to a
    team, two teams to a region."""
    p = index % PRACTITIONERS
    team = p // 3
    region = REGIONS[team // 2]
    return {
        "region": region,
        "pdu": f"{region} PDU",
        "team": f"{region} team {team % 2 + 1}",
        "staff_code": f"N{team:02d}P{p:03d}",
        "staff_name": f"Practitioner {p:02d}",
    }


USERS = {
    "practitioner": (Role.PRACTITIONER, manager_of(0)["staff_code"], None, None),
    "spo": (Role.SPO, None, manager_of(0)["team"], None),
    "hub": (Role.HUB, None, None, manager_of(0)["region"]),
    "head": (Role.HEAD, None, None, None),
    "admin": (Role.ADMIN, None, None, None),
    "outsider": (Role.PRACTITIONER, "NOBODY", None, None),
}


@dataclass(frozen=True)
class WebDatabase:
    url: str
    backend: str
    tokens: dict[str, str]


def _admin_sql(sql: str) -> None:
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def _prepare(url: str, backend: str) -> WebDatabase:
    engine = open_database(url)
    sessions = session_factory(engine)
    core = Engine(load_parameters())
    text = resources.files("probation_reset.sample").joinpath(SAMPLE_FILE_NAME).read_text()
    Importer(sessions, core.parameters, ndelius_codes(), DEFAULT_BATCH_SIZE).run(
        document_source("sample", text), "tests"
    )
    at = datetime(2025, 11, 3, 9, 0)
    tokens = {}
    with sessions.begin() as session:
        crns = list(session.scalars(select(CaseRecord.crn).order_by(CaseRecord.crn)))
        for i, crn in enumerate(crns):
            session.execute(update(CaseRecord).where(CaseRecord.crn == crn).values(**manager_of(i)))
        for name, (role, staff_code, team, region) in USERS.items():
            accounts.add_user(
                session,
                name,
                PASSWORD,
                role,
                at,
                staff_code=staff_code,
                team=team,
                region=region,
                display_name=f"Test {name}",
            )
            tokens[name] = accounts.create_api_token(session, name, "tests", at)
    engine.dispose()
    return WebDatabase(url, backend, tokens)


def managers_in_documents(url: str) -> None:
    """Write each case's manager (``manager_of``) into its stored document too, as an import
    would, so that a change to the case through the store (a hub reinstatement) keeps it."""
    engine = open_database(url)
    try:
        with session_factory(engine).begin() as session:
            records = session.scalars(select(CaseRecord).order_by(CaseRecord.crn))
            for i, record in enumerate(records):
                document = {**record.document, "manager": manager_of(i)}
                record.document = document
                record.content_hash = content_hash(document)
    finally:
        engine.dispose()


@pytest.fixture(scope="session", params=("sqlite", "postgresql"))
def web_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebDatabase]:
    backend: str = request.param
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("web") / "web.sqlite"
        yield _prepare(f"sqlite:///{path}", backend)
        return
    if os.environ.get("PROBATION_RESET_SKIP_POSTGRES") == "1":
        pytest.skip("PROBATION_RESET_SKIP_POSTGRES=1")
    name = f"probation_reset_web_{uuid.uuid4().hex[:12]}"
    try:
        _admin_sql(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES}: {error}")
    try:
        yield _prepare(POSTGRES.rsplit("/", 1)[0] + "/" + name, backend)
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settings_for(url: str, **changes: object) -> Settings:
    base = Settings(
        database_url=url,
        node_modules=NODE_MODULES,
        today=lambda: SAMPLE_DAY,
        sign_in_limit=1000,
    )
    return Settings(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, **changes})  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def web_app(web_database: WebDatabase) -> Iterator[FastAPI]:
    app = create_app(settings_for(web_database.url))
    with TestClient(app):
        yield app
    app.state.web.database.dispose()


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def signed_in(app: FastAPI, username: str, base_url: str = "http://testserver") -> TestClient:
    client = TestClient(app, base_url=base_url, follow_redirects=False)
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": form_token(page.text)},
    )
    assert response.status_code == 303, response.text[:500]
    return client


@pytest.fixture(scope="session")
def clients(web_app: FastAPI) -> dict[str, TestClient]:
    return {name: signed_in(web_app, name) for name in USERS}


def api(web_app: FastAPI, web_database: WebDatabase, username: str) -> TestClient:
    return TestClient(web_app, headers={"Authorization": f"Bearer {web_database.tokens[username]}"})


def stored_record(url: str, crn: str) -> CaseRecord:
    """The stored case ``crn``, read on a connection of its own."""
    database = open_database(url)
    try:
        with session_factory(database)() as session:
            record = session.get(CaseRecord, crn)
            assert record is not None
            session.expunge(record)
            return record
    finally:
        database.dispose()


def csv_rows(client: TestClient, path: str) -> list[dict[str, str]]:
    """A CSV download's rows by heading (it must answer 200)."""
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    return list(csv.DictReader(io.StringIO(response.text)))
