"""The hub's queue answered from the store equals the queue of every person evaluated by the
engine, item for item, in order and word for word (SQLite and PostgreSQL).

A database of its own per backend: the hub's seeded cases (``hub_cases``), a few edges, and 240
generated people given, at random and seeded, suspension letters, NDelius PRC registrations, MAPPA
registrations that reinstate contact, and no fixed abode, in two regions, so every kind of item
the engine raises occurs on the days judged (checked). Some items are recorded and triaged, so
stored items, their triages and materialised raised items are in the queue too. The reference is
the service with every person of the scope evaluated case by case (``hub_evaluation``, the path
the queue took before it was answered from the store); the store's answer must be the same for
each day, scope and filter, through the service, the command line and the API.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hub_cases import HUB_CASES, letter, licence_case, manager, registration  # type: ignore[import-not-found]
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from conftest import NewDatabase  # type: ignore[import-not-found]
from probation_reset.cli.hub_output import entry_json
from probation_reset.cli.main import app as cli
from probation_reset.domain.vocabulary import RegistrationType
from probation_reset.evaluation.engine import Engine
from probation_reset.hub import raised_query, service
from probation_reset.hub.queue import QueueEntry, QueueFilter
from probation_reset.hub.raised_query import StoredQueue
from probation_reset.hub.reinstatement import RegistrationFact
from probation_reset.hub.requests import Decision, InformationReceived
from probation_reset.hub.service import HubService
from probation_reset.hub.vocabulary import ItemKind, Outcome, Source
from probation_reset.policy import load_parameters
from probation_reset.sample.generator import generate_caseload
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.digest import sync_digests
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportSource
from probation_reset.store.models import CaseRecord
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.web import accounts
from probation_reset.web.app import create_app
from probation_reset.web.hub_view import queue_table
from probation_reset.web.routes.api_hub import item_json
from probation_reset.web.scope import Role
from probation_reset.web.tables import csv_text
from web.conftest import PASSWORD, settings_for, signed_in  # type: ignore[import-not-found]

ENGINE = Engine(load_parameters())
NOW = datetime(2026, 3, 2, 9, 0)
DAYS = (date(2025, 6, 2), date(2025, 10, 15), date(2025, 11, 3), date(2026, 3, 1))
PEOPLE = 240
REGIONS = ("East Midlands", "Wales")
EVERY_KIND = {k for k in ItemKind if k.raised_by_engine}


def _two_thirds(event: dict[str, Any]) -> date | None:
    if not event.get("end_date"):
        return None
    start, end = date.fromisoformat(event["start_date"]), date.fromisoformat(event["end_date"])
    return start + timedelta(days=2 * (end - start).days // 3)


def _varied(number: int, person: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The person with, at random, suspension letters around a final-third start, a PRC, a
    MAPPA registration shortly before a day judged (a reinstatement when suspended), no fixed
    abode; in one of two regions."""
    registrations = list(person.get("registrations") or [])
    contacts = list(person.get("contacts") or [])
    starts = [d for d in (_two_thirds(e) for e in person["events"]) if d is not None]
    if starts and rng.random() < 0.5:
        day = rng.choice(starts) + timedelta(days=rng.randrange(-45, 30))
        contacts.append(letter(f"L{number}", day.isoformat()))
    if rng.random() < 0.3:
        start = date(2024, 6, 1) + timedelta(days=rng.randrange(700))
        prc = registration("CONTACT_SUSPENDED", start.isoformat())
        if rng.random() < 0.3:
            prc["deregistered_on"] = (start + timedelta(days=rng.randrange(1, 300))).isoformat()
        registrations.append(prc)
    if rng.random() < 0.15:
        start = rng.choice(DAYS) - timedelta(days=rng.randrange(0, 40))
        registrations.append(
            registration("MAPPA", start.isoformat(), level=rng.randint(1, 3), category=1)
        )
    if rng.random() < 0.1:
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(400))
        registrations.append(registration("NO_FIXED_ABODE", start.isoformat()))
    region = REGIONS[number % 2]
    team = f"{region} {number % 3}"
    return person | {
        "crn": f"G{number:05d}",
        "manager": manager(team, region) if number % 7 else None,
        "registrations": registrations,
        "contacts": contacts,
    }


#: Edges: a PRC on an ended licence under MAPPA (the risk from the exemption spans, past the
#: timeline), a PRC on an order without a RAR, a suspension letter on the last day of the
#: look-back, a re-suspension after a MAPPA registration ended.
EDGES = [
    licence_case(
        "H100001",
        [
            registration("CONTACT_SUSPENDED", "2025-05-01"),
            registration("MAPPA", "2025-01-10", level=2, category=2),
        ],
        end="2025-06-30",
    ),
    {
        "crn": "H100002",
        "manager": manager("Leicester 2"),
        "events": [
            {
                "event_id": "9",
                "type": "COMMUNITY_ORDER",
                "start_date": "2025-03-01",
                "end_date": "2026-03-01",
                "requirements": [{"type": "UPW", "hours": 100}],
            }
        ],
        "registrations": [registration("CONTACT_SUSPENDED", "2025-08-01")],
    },
    licence_case("H100003", contacts=[letter("L1", "2025-08-04")]),
    licence_case(
        "H100004",
        [registration("MAPPA", "2025-09-20", deregistered_on="2025-10-20", level=1)],
        [letter("L1", "2025-08-20")],
    ),
]


def caseload() -> list[dict[str, Any]]:
    rng = random.Random(14)
    generated = generate_caseload(PEOPLE, 14, date(2025, 11, 3))
    return [*HUB_CASES, *EDGES, *(_varied(n, p, rng) for n, p in enumerate(generated))]


@dataclass(frozen=True)
class Store:
    url: str
    token: str


@pytest.fixture(scope="module")
def store(new_database: NewDatabase) -> Iterator[Store]:
    """The caseload imported, its digests derived, some items recorded and triaged."""
    url = new_database()
    database = open_database(url)
    sessions = session_factory(database)
    parameters = ENGINE.parameters
    report = Importer(sessions, parameters, ndelius_codes(), 100).run(
        ImportSource("hub queue", CASES_DOCUMENT, caseload()), "tests"
    )
    assert not report.rejections
    sync_digests(sessions, ENGINE)
    hub = HubService(ENGINE, clock=lambda: NOW)
    with sessions.begin() as session:
        accounts.add_user(session, "head", PASSWORD, Role.HEAD, NOW)
        token = accounts.create_api_token(session, "head", "tests", NOW)
        for crn, received in (("A100001", "2025-10-14"), ("G00003", "2025-06-01")):
            info = InformationReceived(
                crn, Source.POLICE, date.fromisoformat(received), f"about {crn}", "hub.officer"
            )
            hub.record(session, info)
        day = date(2025, 11, 3)
        raised = [e for e in hub.queue(session, day) if e.item_id is None]
        outcomes = (Outcome.NO_ACTION, Outcome.INFORMATION_SHARED) * (len(raised) // 18 + 1)
        for entry, outcome in zip(raised[::9], outcomes, strict=False):
            shared = "police" if outcome is Outcome.INFORMATION_SHARED else None
            hub.triage(
                session,
                entry.ref,
                Decision(outcome, "Alex Morgan", "hub.officer", shared_with=shared),
                day,
            )
    database.dispose()
    yield Store(url, token)


def engine_queue(
    monkeypatch: pytest.MonkeyPatch,
    session: Session,
    day: date,
    keep: QueueFilter | None = None,
    region: str | None = None,
) -> list[QueueEntry]:
    """The queue with every person of the scope evaluated by the engine: nothing answered
    from the store."""

    def nothing_from_the_store(
        session: Session,
        on: date,
        version: str,
        recent_days: int,
        scope: tuple[str | None, str | None],
        others: Any = (),
        raising: bool = True,
    ) -> StoredQueue:
        in_region, team = scope
        query = select(CaseRecord.crn)
        if in_region is not None:
            query = query.where(CaseRecord.region == in_region)
        if team is not None:
            query = query.where(CaseRecord.team == team)
        everyone = sorted(session.scalars(query)) if raising else []
        return StoredQueue(everyone, {}, {})

    with monkeypatch.context() as patched:
        patched.setattr(service, "stored_queue", nothing_from_the_store)
        return HubService(ENGINE, clock=lambda: NOW).queue(session, day, keep, region)


def store_queue(
    session: Session, day: date, keep: QueueFilter | None = None, region: str | None = None
) -> list[QueueEntry]:
    return HubService(ENGINE, clock=lambda: NOW).queue(session, day, keep, region)


FILTERS = [
    QueueFilter(),
    QueueFilter(include_triaged=True),
    QueueFilter(kinds=(ItemKind.NFA_CHECK_IN_DUE, ItemKind.PRC_DISAGREES), min_waiting_days=20),
    QueueFilter(sources=(Source.POLICE,), include_triaged=True),
    QueueFilter(team="East Midlands 1"),
]


@pytest.mark.parametrize("day", DAYS)
def test_the_queue_from_the_store_is_the_engines(
    store: Store, day: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(store.url)
    try:
        with session_factory(database, reading=True)() as session:
            answered = raised_query.stored_queue(
                session, day, ENGINE.parameters.version, 28, (None, None)
            )
            for region in (None, *REGIONS):
                for keep in FILTERS:
                    expected = engine_queue(monkeypatch, session, day, keep, region)
                    assert store_queue(session, day, keep, region) == expected, (region, keep)
    finally:
        database.dispose()
    # Every candidate was answered from the store (its digests are current), not evaluated.
    assert answered.candidates and set(answered.facts) == set(answered.candidates)


def test_every_kind_of_raised_item_occurs_and_the_edges_are_as_the_rules_say(
    store: Store,
) -> None:
    database = open_database(store.url)
    try:
        with session_factory(database, reading=True)() as session:
            queues = {
                day: store_queue(session, day, QueueFilter(include_triaged=True)) for day in DAYS
            }
    finally:
        database.dispose()
    everything = [e for entries in queues.values() for e in entries]
    assert {e.kind for e in everything} >= EVERY_KIND
    obligations = [e for e in everything if e.kind is ItemKind.NFA_CHECK_IN_DUE]
    assert {e.overdue for e in obligations} == {True, False}
    assert any(e.triages for e in everything) and any(e.item_id for e in everything)
    edges = {
        (e.crn, e.kind.value, e.since.isoformat(), e.risk.band, e.status.value)
        for e in queues[date(2025, 11, 3)]
        if e.crn.startswith("H")
    }
    assert edges == {
        ("H100001", "PRC_DISAGREES", "2025-07-01", 3, "ENDED"),
        ("H100002", "PRC_DISAGREES", "2025-08-01", 0, "NOT_APPLICABLE"),
        ("H100003", "FINAL_THIRD_CONTACT_DUE", "2025-09-01", 0, "SUSPENDED"),
        ("H100004", "FINAL_THIRD_CONTACT_DUE", "2025-09-01", 0, "SUSPENDED"),
        ("H100004", "SUSPENSION_LETTER_DUE", "2025-10-20", 0, "SUSPENDED"),
    }


def test_a_case_changed_since_its_digests_is_evaluated_and_the_answer_is_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reinstatement changes the case (its digests are now stale): the queue evaluates that
    case, answers the others from the store, and equals the engine's (rolled back after)."""
    day = date(2025, 10, 15)
    database = open_database(store.url)
    try:
        with session_factory(database)() as session:
            hub = HubService(ENGINE, clock=lambda: NOW)
            mappa = RegistrationFact(RegistrationType.MAPPA, date(2025, 10, 14), 2, 1)
            hub.triage(
                session,
                "SUSPENSION_LETTER_DUE:2025-09-01::A100001",
                Decision(Outcome.REINSTATE, "Alex Morgan", "hub.officer", registration=mappa),
                day,
            )
            answered = raised_query.stored_queue(
                session, day, ENGINE.parameters.version, 28, (None, None)
            )
            assert "A100001" in answered.candidates and "A100001" not in answered.people
            found = store_queue(session, day, QueueFilter(include_triaged=True))
            assert found == engine_queue(
                monkeypatch, session, day, QueueFilter(include_triaged=True)
            )
            assert {e.kind for e in found if e.crn == "A100001"} == {
                ItemKind.INFORMATION_RECEIVED,
                ItemKind.NEWLY_REINSTATED,
                ItemKind.SUSPENSION_LETTER_DUE,
            }
            session.rollback()
    finally:
        database.dispose()


def test_the_command_line_the_page_and_the_api_give_the_store_answer(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = date(2025, 11, 3)
    database = open_database(store.url)
    try:
        with session_factory(database, reading=True)() as session:
            everywhere = engine_queue(monkeypatch, session, day)
            expected = engine_queue(monkeypatch, session, day, QueueFilter(), REGIONS[0])
    finally:
        database.dispose()
    assert len(expected) > 20
    result = CliRunner().invoke(
        cli,
        [
            *("hub", "queue", "--on", day.isoformat(), "--region", REGIONS[0]),
            *("--format", "json", "--database", store.url),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["items"] == [entry_json(e) for e in expected]
    app = create_app(settings_for(store.url, today=lambda: day))
    with TestClient(app):
        page = signed_in(app, "head")
        shown = page.get(f"/hub?on={day}")
        assert shown.status_code == 200 and f"{len(everywhere)} items waiting" in shown.text
        assert page.get(f"/hub.csv?on={day}").text == csv_text(queue_table(everywhere))
        api = TestClient(app, headers={"Authorization": f"Bearer {store.token}"})
        answer = api.get(f"/api/v1/hub/queue?on={day}")
        assert answer.status_code == 200
        assert answer.json()["items"] == [item_json(e).model_dump(mode="json") for e in everywhere]
    app.state.web.database.dispose()
