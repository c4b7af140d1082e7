"""What-if for one case: the "after" is exactly the evaluation of the changed case."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from builders import case, rar_order, registration
from probation_reset.caseload.what_if import (
    AddRegistration,
    EndRegistration,
    WhatIfError,
    changed_case,
    what_if,
)
from probation_reset.cli.main import app
from probation_reset.domain.case import Case, Registration
from probation_reset.domain.vocabulary import ObligationStatus, RegistrationType, RoshLevel, Status
from probation_reset.evaluation.engine import Engine
from strategies import cases, days

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
runner = CliRunner()


@st.composite
def additions(draw: st.DrawFn) -> AddRegistration:
    kind = draw(st.sampled_from(list(RegistrationType)))
    level: str | int | None = None
    if kind is RegistrationType.ROSH:
        level = draw(st.sampled_from(list(RoshLevel))).value
    elif kind is RegistrationType.MAPPA:
        level = draw(st.sampled_from([None, 1, 2, 3]))
    return AddRegistration(kind, draw(days), level)


@SETTINGS
@given(case=cases(), change=additions(), on=days)
def test_adding_a_registration_equals_evaluating_the_case_with_it(
    engine: Engine, case: Case, change: AddRegistration, on: date
) -> None:
    expected_case = Case(
        case.crn,
        case.events,
        (
            *case.registrations,
            Registration(
                change.type,
                change.start_date,
                None,
                change.level,
                None,
                len(case.registrations),
            ),
        ),
        case.contacts,
    )
    result = what_if(engine, case, change, on)
    assert result.before == engine.evaluate(case, on)
    assert result.after == engine.evaluate(expected_case, on)
    changed_keys = {(c.rule, c.event_id, c.window_start) for c in result.obligation_changes()}
    same = [o for o in result.before.obligations if o in result.after.obligations]
    assert not any((o.rule, o.event_id, o.window_start) in changed_keys for o in same)


@SETTINGS
@given(case=cases(), kind=st.sampled_from(list(RegistrationType)), day=days, on=days)
def test_ending_registrations_equals_evaluating_the_case_with_them_ended(
    engine: Engine, case: Case, kind: RegistrationType, day: date, on: date
) -> None:
    change = EndRegistration(kind, day)
    in_force = [r for r in case.registrations if r.type is kind and r.is_active(day)]
    if not in_force:
        with pytest.raises(WhatIfError, match=kind.value):
            what_if(engine, case, change, on)
        return
    ended = tuple(
        Registration(r.type, r.start_date, day, r.level, r.category, r.position)
        if r in in_force
        else r
        for r in case.registrations
    )
    result = what_if(engine, case, change, on)
    assert result.after == engine.evaluate(replace(case, registrations=ended), on)
    assert result.before == engine.evaluate(case, on)


ORDER_CASE = case(rar_order(), crn="W1")  # final third from 2025-10-31


def test_a_mappa_registration_reinstates_a_suspended_order(engine: Engine) -> None:
    result = what_if(
        engine,
        ORDER_CASE,
        AddRegistration(RegistrationType.MAPPA, date(2025, 11, 10), 1),
        date(2025, 11, 12),
    )
    assert result.before.status is Status.SUSPENDED
    assert result.after.status is Status.EXEMPT
    assert result.after.exemptions == ("EXEMPT_MAPPA",)
    assert result.reinstates and result.status_changed and result.timeline_changed
    assert [(s.span.start, s.status) for s in result.after.timeline] == [
        (date(2025, 3, 3), Status.ACTIVE),
        (date(2025, 10, 31), Status.SUSPENDED),
        (date(2025, 11, 10), Status.EXEMPT),
    ]
    # Contact resumes: the whole months from December owe a face-to-face contact again.
    on_judged = what_if(
        engine,
        ORDER_CASE,
        AddRegistration(RegistrationType.MAPPA, date(2025, 11, 10), 1),
        date(2026, 1, 5),
    )
    monthly = [c for c in on_judged.obligation_changes() if c.rule == "NS_MONTHLY_F2F"]
    assert [(c.window_start, c.before, c.after) for c in monthly] == [
        (date(2025, 12, 1), None, ObligationStatus.MISSED),
        (date(2026, 1, 1), None, ObligationStatus.DUE),
    ]


def test_ending_the_exempting_registration_suspends_again(engine: Engine) -> None:
    exempt = case(
        rar_order(),
        registrations=(registration(RegistrationType.CHILD_PROTECTION, date(2025, 6, 1)),),
        crn="W2",
    )
    result = what_if(
        engine,
        exempt,
        EndRegistration(RegistrationType.CHILD_PROTECTION, date(2025, 12, 1)),
        date(2025, 12, 2),
    )
    assert (result.before.status, result.after.status) == (Status.EXEMPT, Status.SUSPENDED)
    assert changed_case(
        exempt, EndRegistration(RegistrationType.CHILD_PROTECTION, date(2025, 12, 1))
    ).registrations[0].deregistered_on == date(2025, 12, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (AddRegistration(RegistrationType.ROSH, date(2025, 1, 1)), "RoSH level must be"),
        (AddRegistration(RegistrationType.MAPPA, date(2025, 1, 1), 4), "MAPPA level must be"),
        (AddRegistration(RegistrationType.NSD, date(2025, 1, 1), 2), "has no level"),
        (AddRegistration(RegistrationType.MAPPA, date(2025, 1, 1), "²"), "MAPPA level must be"),
        (AddRegistration(RegistrationType.MAPPA, date(2025, 1, 1), True), "MAPPA level must be"),
        (AddRegistration(RegistrationType.MAPPA, date(2025, 1, 1), 1, 5), "category must be"),
        (AddRegistration(RegistrationType.ISC, date(2025, 1, 1), None, 1), "has no category"),
        (EndRegistration(RegistrationType.MAPPA, date(2025, 1, 1)), "no MAPPA registration"),
    ],
)
def test_changes_that_cannot_be_made_say_why(
    engine: Engine, change: AddRegistration | EndRegistration, message: str
) -> None:
    with pytest.raises(WhatIfError, match=message):
        what_if(engine, ORDER_CASE, change, date(2025, 11, 3))


CASE_DOCUMENT = {
    "crn": "W3",
    "events": [
        {
            "event_id": "1",
            "type": "COMMUNITY_ORDER",
            "start_date": "2025-03-03",
            "end_date": "2026-03-02",
            "requirements": [{"type": "RAR"}],
        }
    ],
}


def test_cli_after_equals_evaluate_of_the_file_with_the_registration(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps([CASE_DOCUMENT]))
    added = tmp_path / "added.json"
    with_mappa = dict(CASE_DOCUMENT)
    with_mappa["registrations"] = [{"type": "MAPPA", "start_date": "2025-11-10", "level": 2}]
    added.write_text(json.dumps([with_mappa]))
    result = runner.invoke(
        app,
        ["what-if", str(plain), "--crn", "W3", "--on", "2025-11-20", "--add", "mappa:2025-11-10:2"],
    )
    assert result.exit_code == 0, result.output
    shown = runner.invoke(
        app,
        [
            "what-if",
            str(plain),
            "--crn",
            "W3",
            "--on",
            "2025-11-20",
            "--add",
            "MAPPA:2025-11-10:2",
            "--format",
            "json",
        ],
    )
    document = json.loads(shown.stdout)
    evaluated = runner.invoke(
        app, ["evaluate", str(added), "--on", "2025-11-20", "--format", "json"]
    )
    assert document["after"] == json.loads(evaluated.stdout)["cases"][0]
    assert document["before"]["status"] == "SUSPENDED"
    assert document["after"]["status"] == "EXEMPT"
    assert document["reinstates"] is True
    assert document["change"] == {
        "action": "add",
        "type": "MAPPA",
        "start_date": "2025-11-10",
        "level": "2",
        "category": None,
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--add", "MAPPA:2025-11-10", "--end", "MAPPA:2025-11-10"], "exactly one"),
        ([], "exactly one"),
        (["--add", "FLAG:2025-11-10"], "unknown registration type 'FLAG'"),
        (["--add", "MAPPA:10/11/2025"], "--add"),
        (["--end", "MAPPA"], "expected TYPE:DATE"),
        (["--end", "MAPPA:2025-11-10"], "no MAPPA registration in force"),
        (["--crn", "NOPE", "--add", "MAPPA:2025-11-10"], "no case with crn 'NOPE'"),
    ],
)
def test_cli_misuse_exits_2_with_the_reason(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps([CASE_DOCUMENT]))
    crn = [] if "--crn" in arguments else ["--crn", "W3"]
    result = runner.invoke(app, ["what-if", str(plain), *crn, "--on", "2025-11-20", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
