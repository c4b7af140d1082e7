"""The reconciliation and upcoming answered from the store equal the per-case engine's.

A database of its own (SQLite and PostgreSQL): the seeded caseload of ``test_reconciliation`` with
its known mismatches, and generated people given PRC registrations and PR1 key dates at random
(seeded), so every kind of finding occurs. For several days, every finding and every upcoming
entry from the store (``reconciliation_query``, ``upcoming_query``), in order, must equal what
``reconcile`` and ``upcoming`` give from each stored case's evaluation; then the pages, the
counts, the kinds filter, the streamed CSV and the API are checked against the same answer.
"""

from __future__ import annotations

import csv
import io
import os
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation_reset.caseload.reconciliation import Finding, Mismatch, counts_by_team, reconcile
from probation_reset.caseload.upcoming import Upcoming, upcoming
from probation_reset.domain.case import Case
from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import load_parameters
from probation_reset.sample.generator import generate_caseload
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.digest import sync_digests
from probation_reset.store.importer import Importer, document_source
from probation_reset.store.models import CaseRecord
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import stored_case
from probation_reset.web import accounts
from probation_reset.web.app import create_app
from probation_reset.web.reconciliation_query import every_finding, findings_page
from probation_reset.web.scope import Role, Scope
from probation_reset.web.upcoming_query import every_entry, upcoming_page
from test_reconciliation import SEEDED  # type: ignore[import-not-found]
from web.conftest import PASSWORD, POSTGRES, _admin_sql, settings_for, signed_in

ENGINE = Engine(load_parameters())
DAYS = (date(2025, 3, 1), date(2025, 11, 3), date(2026, 6, 1))
PEOPLE = 240
EVERYONE = Scope(Role.HEAD)
TEAM = "Durham 1"


def _two_thirds(event: dict[str, Any]) -> date:
    start, end = date.fromisoformat(event["start_date"]), date.fromisoformat(event["end_date"])
    return start + timedelta(days=2 * (end - start).days // 3)


def _disagreeing(person: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The person with, at random, a PRC registration and PR1 key dates that may be wrong."""
    if rng.random() < 0.4:
        start = date(2024, 6, 1) + timedelta(days=rng.randrange(700))
        prc: dict[str, Any] = {"type": "CONTACT_SUSPENDED", "start_date": start.isoformat()}
        if rng.random() < 0.3:
            prc["deregistered_on"] = (start + timedelta(days=rng.randrange(1, 300))).isoformat()
        person = person | {"registrations": [*person.get("registrations", []), prc]}
    events = []
    for event in person["events"]:
        if event.get("end_date") and rng.random() < 0.3:
            key = _two_thirds(event) + timedelta(days=rng.choice((0, 0, -3, 2, 9)))
            event = event | {"key_dates": {"probation_reset_date": key.isoformat()}}
        events.append(event)
    return person | {"events": events}


def _licence(crn: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    event = {"event_id": "1", "type": "LICENCE", "start_date": start, "end_date": end} | more
    return {"crn": crn, "manager": {"team": "Edges", "staff_name": "Edge Cases"}, "events": [event]}


#: Edges of the upcoming: an event not started on the day that enters its final third within the
#: weeks (no checklist yet), a PR1 on the start day (the final third from its first day), a
#: licence terminated before its final third, and one entering PSS.
EDGES = [
    _licence("E1", "2025-12-01", "2026-03-01"),
    _licence("E2", "2026-01-01", "2026-12-31", key_dates={"probation_reset_date": "2026-01-01"}),
    _licence("E3", "2025-06-01", "2026-06-01", terminated_on="2026-01-15"),
    _licence("E4", "2024-11-21", "2025-11-20", pss_end_date="2026-11-20"),
]


def caseload() -> list[dict[str, Any]]:
    rng = random.Random(14)
    generated = generate_caseload(PEOPLE, 14, date(2025, 11, 3))
    people = [_disagreeing(p, rng) for p in generated]
    for number, person in enumerate(people[:60]):
        # Some in the seeded cases' team, some with no manager at all.
        person["manager"] = {"team": TEAM, "staff_code": f"D{number % 3}"} if number % 4 else None
        if person["manager"] is None:
            del person["manager"]
    return [*SEEDED, *EDGES, *people]


@dataclass(frozen=True)
class Store:
    url: str
    cases: tuple[Case, ...]


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    if request.param == "sqlite":
        yield _filled(f"sqlite:///{tmp_path_factory.mktemp('ndelius') / 'ndelius.sqlite'}")
        return
    if os.environ.get("PROBATION_RESET_SKIP_POSTGRES") == "1":
        pytest.skip("PROBATION_RESET_SKIP_POSTGRES=1")
    name = f"probation_reset_ndelius_{uuid.uuid4().hex[:12]}"
    _admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield _filled(POSTGRES.rsplit("/", 1)[0] + "/" + name)
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _filled(url: str) -> Store:
    import json

    database = open_database(url)
    sessions = session_factory(database)
    text = "\n".join(json.dumps(p) for p in caseload())
    report = Importer(sessions, ENGINE.parameters, ndelius_codes(), 100).run(
        document_source("seeded", text), "tests"
    )
    assert not report.rejections
    sync_digests(sessions, ENGINE)
    with sessions.begin() as session:
        records = session.scalars(select(CaseRecord).order_by(CaseRecord.crn))
        cases = tuple(stored_case(r.crn, r.document) for r in records)
        accounts.add_user(session, "head", PASSWORD, Role.HEAD, date(2025, 1, 1))  # type: ignore[arg-type]
    database.dispose()
    return Store(url, cases)


def engine_findings(cases: tuple[Case, ...], day: date, team: str | None = None) -> list[Finding]:
    return [
        f
        for case in cases
        if team is None or (case.manager and case.manager.team == team)
        for f in reconcile(case, ENGINE.evaluate(case, day))
    ]


def engine_upcoming(cases: tuple[Case, ...], day: date, weeks: int) -> list[Upcoming]:
    entries = [
        e
        for case in cases
        for e in upcoming(case, ENGINE.history(case), ENGINE.evaluate(case, day), weeks)
    ]
    return sorted(entries, key=lambda e: (e.practitioner, e.starts, e.crn, e.event_id))


@pytest.mark.parametrize("day", DAYS)
def test_every_finding_from_the_store_is_the_engines(store: Store, day: date) -> None:
    expected = engine_findings(store.cases, day)
    database = open_database(store.url)
    try:
        with session_factory(database, reading=True)() as session:
            found = list(every_finding(session, EVERYONE, day, frozenset()))
            team = list(every_finding(session, Scope(Role.SPO, team=TEAM), day, frozenset()))
            page = findings_page(session, EVERYONE, day, frozenset(), 2, 7)
            kinds = frozenset({Mismatch.PR1_DIFFERS, Mismatch.PRC_BUT_CONTACT_CONTINUES})
            chosen = findings_page(session, EVERYONE, day, kinds, 1, 500)
    finally:
        database.dispose()
    assert found == expected
    assert team == engine_findings(store.cases, day, TEAM)
    assert page.findings == tuple(expected[7:14])
    assert page.total == len(expected) and page.people == len(store.cases)
    assert page.counts == counts_by_team(expected)
    assert list(chosen.findings) == [f for f in expected if f.kind in kinds]
    assert chosen.counts == counts_by_team(chosen.findings)


def test_the_generated_findings_cover_every_kind_and_the_seeded_ones_are_exact(
    store: Store,
) -> None:
    everything = [f for day in DAYS for f in engine_findings(store.cases, day)]
    assert {f.kind for f in everything} == set(Mismatch)
    database = open_database(store.url)
    try:
        with session_factory(database, reading=True)() as session:
            found = every_finding(session, EVERYONE, date(2025, 11, 3), frozenset())
            seeded = {
                (f.crn, f.kind.value, f.event_id, f.days_apart) for f in found if f.crn[0] == "R"
            }
    finally:
        database.dispose()
    assert seeded == {
        ("R1", "PRC_BUT_CONTACT_CONTINUES", None, None),
        ("R2", "SUSPENDED_WITHOUT_PRC", None, None),
        ("R3", "PRC_BUT_CONTACT_CONTINUES", None, None),
        ("R3", "PR1_DIFFERS", "1", 2),
    }


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("weeks", [4, 52])
def test_every_upcoming_entry_from_the_store_is_the_engines(
    store: Store, day: date, weeks: int
) -> None:
    expected = engine_upcoming(store.cases, day, weeks)
    database = open_database(store.url)
    try:
        with session_factory(database, reading=True)() as session:
            found = list(every_entry(session, ENGINE, EVERYONE, day, weeks))
            page = upcoming_page(session, ENGINE, EVERYONE, day, weeks, 2, 5)
    finally:
        database.dispose()
    assert found == expected
    assert page.entries == tuple(expected[5:10]) and page.total == len(expected)
    if weeks == 52:
        assert expected and any(e.open_items for e in expected)
    if (day, weeks) == (date(2025, 11, 3), 52):
        edges = [(e.crn, e.entering.value, e.starts.isoformat(), e.open_items) for e in found]
        assert [e for e in edges if e[0][0] == "E"] == [
            ("E4", "PSS", "2025-11-21", ()),
            ("E2", "FINAL_THIRD", "2026-01-01", ()),
            ("E1", "FINAL_THIRD", "2026-01-30", ()),
        ]


def test_the_pages_csv_and_api_show_the_same_answer(store: Store) -> None:
    day = date(2025, 11, 3)
    expected = engine_findings(store.cases, day)
    ahead = engine_upcoming(store.cases, day, 52)
    app = create_app(settings_for(store.url))
    with TestClient(app):
        client = signed_in(app, "head")
        rows = list(
            csv.DictReader(io.StringIO(client.get(f"/reconciliation/findings.csv?on={day}").text))
        )
        assert [(r["CRN"], r["kind"], r["detail"]) for r in rows] == [
            (f.crn, f.kind.value, f.detail) for f in expected
        ]
        page = client.get(f"/reconciliation?on={day}&page=2").text
        assert f"{len(expected)} findings" in page and expected[50].detail in page
        assert expected[49].detail not in page or expected[49].detail == expected[50].detail
        upcoming_rows = list(
            csv.DictReader(io.StringIO(client.get(f"/upcoming.csv?on={day}&weeks=52").text))
        )
        assert [(r["CRN"], r["event"], r["from"]) for r in upcoming_rows] == [
            (e.crn, e.event_id, e.starts.isoformat()) for e in ahead
        ]
        assert f"{len(ahead)} events enter" in client.get(f"/upcoming?on={day}&weeks=52").text
    app.state.web.database.dispose()
