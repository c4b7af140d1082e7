"""The final-third fraction and the exemption list as policy parameters; variants; comparing a
caseload under two policies."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from builders import case, licence, rar_order, registration
from probation_reset.caseload.policy_compare import compare_policies
from probation_reset.cli.main import app
from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.policy import available_versions, load_parameters
from probation_reset.policy.variant import PolicyVariantError, bundled_variants, load_variant
from probation_reset.rules import exemptions
from probation_reset.rules.final_third import fraction_point, halfway_point
from probation_reset.rules.history import CaseHistory
from strategies import cases

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HALFWAY = Engine(load_variant("halfway"))
runner = CliRunner()


def test_the_published_reset_is_two_thirds_and_every_exemption() -> None:
    parameters = load_parameters()
    assert parameters.final_third_fraction.at(date(2025, 1, 1)) == Fraction(2, 3)
    assert parameters.final_third_fraction.at_or_first(date(2020, 1, 1)) == Fraction(2, 3)
    assert parameters.exemptions.at(date(2025, 1, 1)) == tuple(r.id for r in exemptions.RULES)


def test_a_variant_is_never_a_version_nor_the_default() -> None:
    assert "halfway" in bundled_variants()
    assert "halfway" not in available_versions()
    assert load_parameters().version == "2024-11"
    assert HALFWAY.parameters.version == "halfway"
    assert HALFWAY.parameters.final_third_fraction.at(date(2025, 1, 1)) == Fraction(1, 2)
    assert HALFWAY.parameters.reset_starts == date(2024, 4, 1)


@SETTINGS
@given(subject=cases())
def test_the_published_parameters_give_the_history_of_the_published_rules(
    engine: Engine, subject: Case
) -> None:
    plain = CaseHistory(subject, engine.parameters.reset_starts)
    assert engine.history(subject).intervals == plain.intervals
    assert engine.history(subject).events == plain.events


@SETTINGS
@given(subject=cases())
def test_halfway_is_the_history_of_the_case_with_pr1_on_the_halfway_point(
    engine: Engine, subject: Case
) -> None:
    moved = replace(
        subject,
        events=tuple(
            replace(e, probation_reset_date=halfway_point(e) if e.end_date else None)
            for e in subject.events
        ),
    )
    halfway = HALFWAY.history(subject)
    assert [d.final_third_start for d in halfway.events] == [
        fraction_point(e, Fraction(1, 2)) for e in subject.events
    ]
    assert halfway.timeline() == engine.history(moved).timeline()


def variant(tmp_path: Path, parameters: str, name: str = "variant.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        'id: test-variant\ntitle: a test\nbased_on: "2024-11"\nparameters:\n' + parameters
    )
    return path


NO_VERY_HIGH_ROSH = """  reset/exemptions:
    - from: 2024-04-01
      value: [EXEMPT_MAPPA, EXEMPT_NSD, EXEMPT_CHILD_PROTECTION_PLAN, EXEMPT_ISC]
      published: 2024-11-30
      reference: {source: HYPOTHETICAL, title: no very high RoSH nor youth exemption}
"""


def test_an_exemption_left_off_the_list_no_longer_keeps_contact(
    engine: Engine, tmp_path: Path
) -> None:
    very_high = case(
        rar_order(),
        registrations=(registration(RegistrationType.ROSH, date(2025, 1, 1), level="VERY_HIGH"),),
    )
    narrower = Engine(load_variant(str(variant(tmp_path, NO_VERY_HIGH_ROSH))))
    on = date(2025, 11, 3)
    assert engine.evaluate(very_high, on).status is Status.EXEMPT
    assert narrower.history(very_high).at(on).status is Status.SUSPENDED
    assert narrower.history(very_high).at(on).exemptions == ()


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            "  reset/final_third_fraction:\n    - {from: 2024-04-01, value: '3/2', "
            "published: 2024-11-30, reference: {source: X, title: y}}\n",
            "parameters.reset/final_third_fraction: value '3/2' is not between 0 and 1",
        ),
        (
            "  reset/exemptions:\n    - {from: 2024-04-01, value: [EXEMPT_MAPA], "
            "published: 2024-11-30, reference: {source: X, title: y}}\n",
            "EXEMPT_MAPA is not an exemption",
        ),
        (
            "  reset/halfway:\n    - {from: 2024-04-01, value: 1, "
            "published: 2024-11-30, reference: {source: X, title: y}}\n",
            "parameters.reset/halfway: no such parameter",
        ),
        ("  reset/exemptions: 7\n", "parameters.reset/exemptions"),
    ],
)
def test_a_bad_variant_is_refused_naming_the_field(
    tmp_path: Path, parameters: str, message: str
) -> None:
    with pytest.raises(PolicyVariantError, match=message.replace("(", r"\(")):
        load_variant(str(variant(tmp_path, parameters)))


# A RAR order, D = 364 days: the final third from 31 October 2025, the halfway point 1 September.
ORDER = rar_order(date(2025, 3, 3), date(2026, 3, 2))
CASELOAD = [
    case(ORDER, crn="P1"),
    case(ORDER, crn="P2", registrations=(registration(RegistrationType.MAPPA, date(2025, 1, 1)),)),
    case(licence(date(2025, 1, 1), date(2026, 1, 1)), crn="P3"),  # final third from 1 September
    case(rar_order(date(2023, 1, 2), date(2024, 1, 1)), crn="P4"),  # ended
]


def test_comparing_the_caseload_halfway(engine: Engine) -> None:
    found = compare_policies(CASELOAD, engine, HALFWAY, date(2025, 10, 1))
    assert (found.policy, found.against, found.people) == ("2024-11", "halfway", 4)
    assert found.by_status == {
        "ENDED": (1, 1),
        "ACTIVE": (2, 0),
        "EXEMPT": (0, 1),
        "SUSPENDED": (1, 2),
    }
    assert found.moves == {("ACTIVE", "EXEMPT"): 1, ("ACTIVE", "SUSPENDED"): 1}
    assert [(c.crn, c.status, c.status_against) for c in found.changes] == [
        ("P1", Status.ACTIVE, Status.SUSPENDED),
        ("P2", Status.ACTIVE, Status.EXEMPT),
    ]
    assert found.changes[0].final_third_starts == (("1", date(2025, 10, 31), date(2025, 9, 1)),)
    assert found.by_team == {"(no team)": found.by_status}


COMPARE = ("compare-policy", "--on", "2025-10-01", "--against", "halfway")


def test_cli_compare_policy(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text(
        json.dumps(
            [
                {
                    "crn": "P1",
                    "manager": {"team": "Team A"},
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
            ]
        )
    )
    shown = runner.invoke(
        app,
        [*COMPARE, str(path), "--format", "json"],
    )
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert document["by_team"] == {
        "Team A": {
            "ACTIVE": {"policy": 1, "against": 0},
            "SUSPENDED": {"policy": 0, "against": 1},
        }
    }
    assert document["moves"] == [{"from": "ACTIVE", "to": "SUSPENDED", "people": 1}]
    as_csv = runner.invoke(
        app,
        [*COMPARE, str(path), "--format", "csv"],
    )
    assert as_csv.stdout.splitlines() == [
        "crn,team,status,exemptions,status_against,exemptions_against",
        "P1,Team A,ACTIVE,,SUSPENDED,",
    ]
    unknown = runner.invoke(
        app, ["compare-policy", str(path), "--on", "2025-10-01", "--against", "quarter"]
    )
    assert unknown.exit_code == 2
    assert "'quarter' is neither a policy version, a bundled variant (halfway)" in unknown.stderr
