"""The dashboard's figures from the store, on SQLite and PostgreSQL, for a hand-made region
whose every figure is known, and for a generated caseload checked against the engine."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from probation_reset.cli.main import app
from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.figures import queries
from probation_reset.figures.dashboard import dashboard
from probation_reset.figures.model import Scope, ScopeLevel
from probation_reset.figures.relief import Relief, month_of, relief_in_month
from probation_reset.intake.reader import read_cases
from probation_reset.policy import load_parameters
from probation_reset.store.hub_tables import HubItemRow, HubTriageRow
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportSource
from probation_reset.store.ndelius import ndelius_codes

PARAMETERS = load_parameters()
ON = date(2025, 11, 12)  # a Wednesday; the weeks start on 27 October, 3 and 10 November
EAST = Scope(ScopeLevel.REGION, "East Midlands")


def person(
    crn: str,
    team: str,
    event: dict[str, Any],
    registrations: list[dict[str, Any]] | None = None,
    region: str = "East Midlands",
) -> dict[str, Any]:
    pdu = {"Team A": "Nottingham", "Team B": "Derby"}.get(team, "Tyneside")
    return {
        "crn": crn,
        "manager": {"region": region, "pdu": pdu, "team": team, "staff_code": f"{team[-1]}01"},
        "events": [{"event_id": "1", **event}],
        "registrations": registrations or [],
    }


def rar_order(start: str, end: str) -> dict[str, Any]:
    return {
        "type": "COMMUNITY_ORDER",
        "start_date": start,
        "end_date": end,
        "requirements": [{"type": "RAR"}],
    }


def mappa(start: str, end: str | None = None) -> dict[str, Any]:
    return {"type": "MAPPA", "start_date": start, "deregistered_on": end, "level": 1}


REGION = [
    # Final third from 31 October: suspended all November, a monthly appointment removed.
    person("A1", "Team A", rar_order("2025-03-03", "2026-03-02")),
    # A licence in its final third from 1 September, RoSH high: monthly and 4 weekly removed.
    person(
        "A2",
        "Team A",
        {"type": "LICENCE", "start_date": "2025-01-01", "end_date": "2026-01-01"},
        [{"type": "ROSH", "start_date": "2025-06-01", "level": "HIGH"}],
    ),
    # Suspended from 5 September, reinstated by MAPPA on Monday 10 November.
    person("A3", "Team A", rar_order("2025-01-06", "2026-01-05"), [mappa("2025-11-10")]),
    # Suspended 5 September, reinstated 1 October, re-suspended Wednesday 5 November.
    person(
        "B1", "Team B", rar_order("2025-01-06", "2026-01-05"), [mappa("2025-10-01", "2025-11-05")]
    ),
    # An unpaid-work order: the Reset does not act on it.
    person(
        "B2",
        "Team B",
        {
            "type": "COMMUNITY_ORDER",
            "start_date": "2025-02-01",
            "end_date": "2026-01-31",
            "requirements": [{"type": "UPW"}],
        },
    ),
    # Ended in 2024.
    person("B3", "Team B", rar_order("2024-01-01", "2024-12-31")),
    # Another region's suspended person: never in the East Midlands' figures.
    person("N1", "Team N", rar_order("2025-03-03", "2026-03-02"), region="North East"),
]


@pytest.fixture
def region(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    importer = Importer(sessions, PARAMETERS, ndelius_codes(), 100)
    report = importer.run(ImportSource("test", CASES_DOCUMENT, REGION), "tester")
    assert report.rejected == 0
    return sessions


def test_the_region_on_the_day(region: sessionmaker[Session]) -> None:
    with region() as session:
        found = queries.figures(session, EAST, ON, weeks=3)
    assert found.people == 6
    assert found.policy_versions == ("2024-11",)
    assert found.by_status == {
        "ACTIVE": 0,
        "EXEMPT": 1,
        "SUSPENDED": 3,
        "NOT_APPLICABLE": 1,
        "ENDED": 1,
    }
    assert found.in_reset_measures == 3
    assert found.by_team == {
        "Team A": {"EXEMPT": 1, "SUSPENDED": 2},
        "Team B": {"SUSPENDED": 1, "NOT_APPLICABLE": 1},
    }
    assert found.workload.month == month_of(ON)
    assert found.workload.total == Relief(2, 4)
    assert found.workload.by_team == {"Team A": Relief(2, 4)}


def test_the_region_week_by_week(region: sessionmaker[Session]) -> None:
    with region() as session:
        weeks = queries.weekly_figures(session, EAST, ON, 3)
    assert [
        (w.start, w.last, w.in_reset_measures, w.suspended, w.reinstated, w.re_suspended)
        for w in weeks
    ] == [
        (date(2025, 10, 27), date(2025, 11, 2), 3, 1, 0, 0),
        (date(2025, 11, 3), date(2025, 11, 9), 4, 0, 0, 1),
        (date(2025, 11, 10), ON, 3, 0, 1, 0),
    ]
    assert weeks[0].by_status == {
        "ACTIVE": 0,
        "EXEMPT": 1,
        "SUSPENDED": 3,
        "NOT_APPLICABLE": 1,
        "ENDED": 1,
    }


@pytest.mark.parametrize(
    ("scope", "people", "suspended", "relief"),
    [
        (Scope(ScopeLevel.TEAM, "Team B"), 3, 1, Relief(0, 0)),
        (Scope(ScopeLevel.PDU, "Nottingham"), 3, 2, Relief(2, 4)),
        (Scope(ScopeLevel.REGION, "North East"), 1, 1, Relief(1, 0)),
        (Scope(ScopeLevel.TEAM, "Nobody's team"), 0, 0, Relief(0, 0)),
        (Scope(), 7, 4, Relief(3, 4)),
    ],
)
def test_each_scope_counts_its_own_people(
    region: sessionmaker[Session], scope: Scope, people: int, suspended: int, relief: Relief
) -> None:
    with region() as session:
        found = queries.figures(session, scope, ON, weeks=2)
    assert (found.people, found.in_reset_measures, found.workload.total) == (
        people,
        suspended,
        relief,
    )
    assert sum(found.by_status.values()) == people


def hub_item(
    crn: str, received: date, source: str | None, kind: str = "INFORMATION_RECEIVED"
) -> HubItemRow:
    return HubItemRow(
        crn=crn,
        kind=kind,
        source=source,
        received_on=received,
        summary="test",
        recorded_by="tester",
        recorded_at=datetime(2025, 11, 12, 9, 0),
    )


def triage(item: HubItemRow, outcome: str, on: date) -> HubTriageRow:
    return HubTriageRow(
        item_id=item.id,
        outcome=outcome,
        practitioner="P",
        triaged_by="tester",
        triaged_on=on,
        triaged_at=datetime(2025, 11, 12, 9, 0),
    )


def test_hub_items_received_and_their_outcomes(region: sessionmaker[Session]) -> None:
    with region.begin() as session:
        marac = hub_item("A3", date(2025, 11, 4), "MARAC")
        police = hub_item("A1", date(2025, 11, 5), "POLICE")
        raised = hub_item("B1", date(2025, 11, 10), None, "SUSPENSION_LETTER_DUE")
        elsewhere = hub_item("N1", date(2025, 11, 10), "POLICE")
        session.add_all([marac, police, raised, elsewhere])
        session.flush()
        session.add_all(
            [
                triage(marac, "NO_ACTION", date(2025, 11, 6)),
                # Triaged again: the latest triage is the outcome; the first one stays counted
                # in its week.
                triage(marac, "REINSTATE", date(2025, 11, 10)),
                triage(raised, "INFORMATION_SHARED", date(2025, 11, 11)),
                triage(elsewhere, "NO_ACTION", date(2025, 11, 11)),
            ]
        )
    with region() as session:
        found = queries.figures(session, EAST, ON, weeks=3)
    assert found.hub is not None
    assert (found.hub.first, found.hub.last, found.hub.received) == (date(2025, 10, 27), ON, 3)
    assert found.hub.by_source == {"MARAC": 1, "POLICE": 1, "SUSPENSION_LETTER_DUE": 1}
    assert found.hub.by_outcome == {"INFORMATION_SHARED": 1, "REINSTATE": 1, "WAITING": 1}
    assert [(w.hub_received, dict(w.hub_triaged)) for w in found.weeks] == [
        (0, {}),
        (2, {"NO_ACTION": 1}),
        (1, {"INFORMATION_SHARED": 1, "REINSTATE": 1}),
    ]


def test_missed_obligations_by_team_come_from_evaluating_the_cases(
    region: sessionmaker[Session], engine: Engine
) -> None:
    with region() as session:
        found = dashboard(session, Scope(ScopeLevel.TEAM, "Team B"), ON, 3, engine)
    assert found.missed is not None
    # B1 was exempt all October: its monthly contact, due by 31 October, was missed.
    assert found.missed.by_team == {"Team B": {"NS_MONTHLY_F2F": 1}}
    assert (found.missed.first, found.missed.last) == (date(2025, 10, 27), ON)


def test_generated_caseload_agrees_with_the_engine_day_by_day(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    records = generated(150, seed=23)
    importer = Importer(sessions, PARAMETERS, ndelius_codes(), 50)
    importer.run(ImportSource("test", CASES_DOCUMENT, records), "tester")
    cases = [c for _, c in read_cases(records).cases]
    days = [ON - timedelta(weeks=n) for n in (30, 9, 4, 1, 0)]
    with sessions() as session:
        counted = queries.status_counts_on_days(session, Scope(), days)
        workload = queries.workload_removed(session, Scope(), ON)
    for day, by_status in zip(days, counted, strict=True):
        expected = Counter(engine.evaluate(c, day).status.value for c in cases)
        assert by_status == {s.value: expected[s.value] for s in Status}
    month = month_of(ON)
    monthly = weekly = 0
    for case in cases:
        spans = [s.span for s in engine.history(case).timeline() if s.status is Status.SUSPENDED]
        rosh = [r for r in case.registrations if r.type is RegistrationType.ROSH]
        relief = relief_in_month(spans, case.events, rosh, month)
        monthly += relief.monthly
        weekly += relief.weekly
    assert workload.total == Relief(monthly, weekly)
    assert monthly > 0


FIGURES = ("figures", "--on", "2025-11-12")


def test_cli_figures_as_json_and_csv(new_database: Any, tmp_path: Path) -> None:
    url = new_database()
    cases = tmp_path / "region.json"
    cases.write_text(json.dumps(REGION))
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(cases), "--database", url]).exit_code == 0
    shown = runner.invoke(
        app,
        [
            *FIGURES,
            "--region",
            "East Midlands",
            "--weeks",
            "3",
            "--format",
            "json",
            "--database",
            url,
        ],
    )
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert document["in_reset_measures"] == 3
    assert document["scope"] == {"level": "region", "name": "East Midlands"}
    assert [w["reinstated"] for w in document["weeks"]] == [0, 0, 1]
    assert document["workload_removed"] == {
        "month": "2025-11",
        "monthly": 2,
        "weekly": 4,
        "by_team": {"Team A": {"monthly": 2, "weekly": 4}},
    }
    charts = {c["id"]: c for c in document["charts"]}
    assert charts["in-reset-measures"]["series"] == [{"name": "SUSPENDED", "values": [3, 4, 3]}]
    assert charts["in-reset-measures"]["categories"] == ["2025-10-27", "2025-11-03", "2025-11-10"]
    as_csv = runner.invoke(
        app,
        [*FIGURES, "--team", "Team A", "--weeks", "1", "--format", "csv", "--database", url],
    )
    lines = as_csv.stdout.splitlines()
    assert lines[0] == "chart,x_label,x,series,value"
    assert "in-reset-measures,week,2025-11-10,SUSPENDED,2" in lines
    assert "workload-removed,team,Team A,weekly,4" in lines
    both = runner.invoke(
        app, ["figures", "--on", "2025-11-12", "--team", "A", "--pdu", "B", "--database", url]
    )
    assert both.exit_code == 2
    assert "at most one of --region, --pdu and --team" in both.stderr


def test_a_scope_holding_every_stored_case_needs_no_filter(
    sessions: sessionmaker[Session],
) -> None:
    east_only = [p for p in REGION if p["manager"]["region"] == "East Midlands"]
    Importer(sessions, PARAMETERS, ndelius_codes(), 100).run(
        ImportSource("test", CASES_DOCUMENT, east_only), "tester"
    )
    with sessions() as session:
        assert queries.filtering(session, EAST) == Scope()
        assert queries.filtering(session, Scope(ScopeLevel.TEAM, "Team A")).name == "Team A"
        found = queries.figures(session, EAST, ON, weeks=3)
    assert found.scope == EAST
    assert (found.people, found.in_reset_measures, found.workload.total) == (6, 3, Relief(2, 4))


WHAT_IF = ("what-if", "--on", "2025-11-12", "--crn")


def test_what_if_reads_the_case_from_the_database(new_database: Any, tmp_path: Path) -> None:
    url = new_database()
    cases = tmp_path / "region.json"
    cases.write_text(json.dumps(REGION))
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(cases), "--database", url]).exit_code == 0
    shown = runner.invoke(
        app,
        [*WHAT_IF, "A1", "--add", "NSD:2025-11-10", "--format", "json", "--database", url],
    )
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert (document["before"]["status"], document["after"]["status"]) == ("SUSPENDED", "EXEMPT")
    assert document["after"]["exemptions"] == ["EXEMPT_NSD"]
    missing = runner.invoke(app, [*WHAT_IF, "ZZ9", "--end", "NSD:2025-11-10", "--database", url])
    assert missing.exit_code == 2
    assert "no case with crn 'ZZ9' in the database" in missing.stderr
