"""Reconciliation with NDelius (PRC and PR1 against the rules) and who enters a final third soon."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from typer.testing import CliRunner

from builders import case, licence, rar_order, registration  # type: ignore[import-not-found]
from probation_reset.caseload.reconciliation import Mismatch, counts_by_team, reconcile
from probation_reset.caseload.upcoming import upcoming
from probation_reset.cli.main import app
from probation_reset.domain.case import Case, Manager, Requirement
from probation_reset.domain.vocabulary import (
    Phase,
    RegistrationType,
    RequirementType,
    Status,
)
from probation_reset.evaluation.engine import Engine
from probation_reset.policy import load_parameters
from strategies import cases as any_case  # type: ignore[import-not-found]

ENGINE = Engine(load_parameters())
PRC = RegistrationType.CONTACT_SUSPENDED
ON = date(2025, 11, 3)
RUNNER = CliRunner()


def findings(person: Case, on: date = ON) -> list[tuple[Mismatch, str | None, int | None]]:
    return [
        (f.kind, f.event_id, f.days_apart) for f in reconcile(person, ENGINE.evaluate(person, on))
    ]


def with_pr1(event_date: date, **changes: object) -> object:
    return licence(probation_reset_date=event_date, **changes)


def test_prc_on_an_exempt_person_says_remove_it_and_reinstate() -> None:
    person = case(
        licence(probation_reset_date=date(2025, 9, 1)),
        registrations=(
            registration(PRC, date(2025, 9, 1)),
            registration(RegistrationType.MAPPA, date(2025, 10, 1), level=1, position=1),
        ),
    )
    result = ENGINE.evaluate(person, ON)
    assert result.status is Status.EXEMPT
    [finding] = reconcile(person, result)
    assert finding.kind is Mismatch.PRC_BUT_CONTACT_CONTINUES
    assert "since 1 Sep 2025" in finding.detail and "EXEMPT_MAPPA" in finding.detail
    assert finding.action.startswith("End the PRC registration")


def test_prc_before_the_final_third_contact_continues() -> None:
    person = case(
        licence(probation_reset_date=date(2025, 9, 1)),
        registrations=(registration(PRC, date(2025, 6, 1)),),
    )
    assert findings(person, date(2025, 7, 1)) == [(Mismatch.PRC_BUT_CONTACT_CONTINUES, None, None)]


def test_prc_on_an_order_without_rar_or_after_the_end_is_not_under_reset() -> None:
    upw = rar_order(requirements=(Requirement(RequirementType.UPW),))
    on_upw = case(upw, registrations=(registration(PRC, date(2025, 5, 1)),))
    assert findings(on_upw) == [(Mismatch.PRC_BUT_NOT_UNDER_RESET, None, None)]
    ended = case(
        licence(
            start=date(2023, 1, 1), end=date(2024, 1, 1), probation_reset_date=date(2023, 9, 2)
        ),
        registrations=(registration(PRC, date(2023, 9, 2)),),
    )
    assert findings(ended) == [(Mismatch.PRC_BUT_NOT_UNDER_RESET, None, None)]


def test_suspended_without_prc_says_register_it_from_the_suspension_start() -> None:
    person = case(licence(probation_reset_date=date(2025, 9, 1)))
    [finding] = reconcile(person, ENGINE.evaluate(person, ON))
    assert finding.kind is Mismatch.SUSPENDED_WITHOUT_PRC
    assert finding.action == "Register PRC (contact suspended) from 1 Sep 2025."


def test_agreeing_records_give_no_finding() -> None:
    suspended = case(
        licence(probation_reset_date=date(2025, 9, 1)),
        registrations=(registration(PRC, date(2025, 9, 1)),),
    )
    assert findings(suspended) == []
    active = case(
        licence(
            start=date(2025, 6, 1), end=date(2026, 6, 1), probation_reset_date=date(2026, 1, 30)
        )
    )
    assert findings(active) == []


def test_pr1_missing_or_different_from_the_two_thirds_point() -> None:
    # 2025-01-01 to 2026-01-01: the two-thirds point is 2025-09-01 (contract section 3).
    missing = case(licence())
    assert findings(missing, date(2025, 6, 1)) == [(Mismatch.PR1_MISSING, "1", None)]
    assert reconcile(missing, ENGINE.evaluate(missing, date(2025, 6, 1)))[0].action == (
        "Record the PR1 key date 2025-09-01."
    )
    late = case(licence(probation_reset_date=date(2025, 9, 4)))
    assert findings(late, date(2025, 6, 1)) == [(Mismatch.PR1_DIFFERS, "1", 3)]
    early = case(licence(probation_reset_date=date(2025, 8, 30)))
    [finding] = reconcile(early, ENGINE.evaluate(early, date(2025, 6, 1)))
    assert (finding.days_apart, "2 day(s) before" in finding.detail) == (-2, True)


def test_pr1_on_an_order_without_rar_and_no_key_date_finding_once_ended() -> None:
    upw = rar_order(
        requirements=(Requirement(RequirementType.UPW),), probation_reset_date=date(2025, 10, 31)
    )
    assert findings(case(upw)) == [(Mismatch.PR1_ON_ORDER_WITHOUT_RAR, "1", None)]
    ended = case(licence(start=date(2023, 1, 1), end=date(2024, 1, 1)))
    assert findings(ended) == []


def test_counts_per_team() -> None:
    def managed(team: str | None, crn: str) -> Case:
        person = case(licence(probation_reset_date=date(2025, 9, 1)), crn=crn)
        return Case(person.crn, person.events, manager=Manager(team=team) if team else None)

    people = [managed("Durham 1", "A1"), managed("Durham 1", "A2"), managed(None, "A3")]
    all_findings = [f for p in people for f in reconcile(p, ENGINE.evaluate(p, ON))]
    assert {t: dict(c) for t, c in counts_by_team(all_findings).items()} == {
        "(no team)": {Mismatch.SUSPENDED_WITHOUT_PRC: 1},
        "Durham 1": {Mismatch.SUSPENDED_WITHOUT_PRC: 2},
    }


@settings(max_examples=150, deadline=None)
@given(any_case())
def test_the_prc_findings_follow_the_status_and_the_prc_registration(person: Case) -> None:
    result = ENGINE.evaluate(person, ON)
    prc = any(r.type is PRC and r.is_active(ON) for r in person.registrations)
    kinds = {f.kind for f in reconcile(person, result)}
    assert (Mismatch.SUSPENDED_WITHOUT_PRC in kinds) == (
        result.status is Status.SUSPENDED and not prc
    )
    assert (Mismatch.PRC_BUT_CONTACT_CONTINUES in kinds) == (
        prc and result.status in (Status.ACTIVE, Status.EXEMPT)
    )
    assert (Mismatch.PRC_BUT_NOT_UNDER_RESET in kinds) == (
        prc and result.status in (Status.ENDED, Status.NOT_APPLICABLE)
    )


SEEDED = [
    {
        "crn": "R1",
        "manager": {"team": "Durham 1", "staff_name": "Alex Smith"},
        "events": [
            {
                "event_id": "1",
                "type": "LICENCE",
                "start_date": "2025-01-01",
                "end_date": "2026-01-01",
                "key_dates": {"probation_reset_date": "2025-09-01"},
            }
        ],
        "registrations": [
            {"type": "CONTACT_SUSPENDED", "start_date": "2025-09-01"},
            {"type": "MAPPA", "start_date": "2025-10-20", "level": 1, "category": 1},
        ],
    },
    {
        "crn": "R2",
        "manager": {"team": "Durham 1", "staff_name": "Alex Smith"},
        "events": [
            {
                "event_id": "1",
                "type": "LICENCE",
                "start_date": "2025-01-01",
                "end_date": "2026-01-01",
                "key_dates": {"probation_reset_date": "2025-09-01"},
            }
        ],
    },
    {
        "crn": "R3",
        "manager": {"team": "Cardiff 2", "staff_name": "Rhian Evans"},
        "events": [
            {
                "event_id": "1",
                "type": "LICENCE",
                "start_date": "2025-06-01",
                "end_date": "2026-06-01",
                "key_dates": {"probation_reset_date": "2026-02-01"},
            }
        ],
        "registrations": [{"type": "CONTACT_SUSPENDED", "start_date": "2025-09-01"}],
    },
    {
        "crn": "R4",
        "manager": {"team": "Cardiff 2", "staff_name": "Rhian Evans"},
        "events": [
            {
                "event_id": "1",
                "type": "LICENCE",
                "start_date": "2025-01-01",
                "end_date": "2026-01-01",
                "key_dates": {"probation_reset_date": "2025-09-01"},
            }
        ],
        "registrations": [{"type": "CONTACT_SUSPENDED", "start_date": "2025-09-01"}],
    },
]


def test_a_seeded_caseload_gives_exactly_its_known_mismatches(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": SEEDED}))
    result = RUNNER.invoke(app, ["reconcile", str(path), "--on", "2025-11-03", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    found = {(f["crn"], f["kind"], f["event_id"], f["days_apart"]) for f in document["findings"]}
    assert found == {
        ("R1", "PRC_BUT_CONTACT_CONTINUES", None, None),
        ("R2", "SUSPENDED_WITHOUT_PRC", None, None),
        ("R3", "PRC_BUT_CONTACT_CONTINUES", None, None),
        ("R3", "PR1_DIFFERS", "1", 2),  # two-thirds point 2026-01-30
    }
    assert document["counts_by_team"] == {
        "Cardiff 2": {"PRC_BUT_CONTACT_CONTINUES": 1, "PR1_DIFFERS": 1},
        "Durham 1": {"PRC_BUT_CONTACT_CONTINUES": 1, "SUSPENDED_WITHOUT_PRC": 1},
    }
    as_csv = RUNNER.invoke(app, ["reconcile", str(path), "--on", "2025-11-03", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert sorted((r["crn"], r["kind"], r["team"]) for r in rows) == sorted(
        (crn, kind, "Durham 1" if crn in ("R1", "R2") else "Cardiff 2") for crn, kind, _, _ in found
    )
    table = RUNNER.invoke(app, ["reconcile", str(path), "--on", "2025-11-03"])
    assert table.exit_code == 0 and "SUSPENDED_WITHOUT_PRC" in table.stdout


def test_upcoming_lists_crossings_within_the_horizon_with_open_checklist_items() -> None:
    # Final third on 2025-09-01; on 2025-08-20 the RMP review and licence review are due.
    person = case(
        licence(),
        licence(
            start=date(2024, 9, 1),
            end=date(2025, 8, 31),
            event_id="2",
            pss_end_date=date(2026, 8, 31),
        ),
    )
    on = date(2025, 8, 20)
    result = ENGINE.evaluate(person, on)
    entries = upcoming(person, ENGINE.history(person), result, weeks=2)
    assert [(e.event_id, e.entering, e.starts, e.status_then) for e in entries] == [
        ("1", Phase.FINAL_THIRD, date(2025, 9, 1), Status.SUSPENDED),
        ("2", Phase.PSS, date(2025, 9, 1), Status.SUSPENDED),
    ]
    assert [(o.rule, o.due_by) for o in entries[0].open_items] == [
        ("RESET_PRE_LICENCE_REVIEW", date(2025, 8, 31)),
        ("RESET_PRE_RMP", date(2025, 8, 31)),
    ]
    assert upcoming(person, ENGINE.history(person), result, weeks=1) == []
