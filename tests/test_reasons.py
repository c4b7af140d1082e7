"""Reasons name this person's facts, and come from the same history as the timeline."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import case, licence, rar_order, registration
from probation_reset.domain.case import Case, Registration, Requirement
from probation_reset.domain.vocabulary import (
    EventType,
    RegistrationType,
    RequirementType,
    Status,
)
from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import Engine
from probation_reset.rules.exemptions import RULES as EXEMPTION_RULES
from probation_reset.rules.reasons import plain_day, status_reasons
from probation_reset.rules.registry import find_rule
from strategies import cases

# A year's licence from 1 Jan 2025: final third from 1 Sep 2025, ends 1 Jan 2026.
LICENCE = licence()


def reasons_json(engine: Engine, person: Case, on: date) -> list[dict[str, object]]:
    reasons = case_result_json(engine.evaluate(person, on))["reasons"]
    assert isinstance(reasons, list)
    return reasons


def test_an_exemption_names_the_registration_that_gives_it(engine: Engine) -> None:
    mappa = Registration(RegistrationType.MAPPA, date(2025, 10, 24), level=1, category=2)
    reasons = reasons_json(engine, case(LICENCE, registrations=(mappa,)), date(2025, 11, 3))
    assert [r["rule"] for r in reasons] == ["PHASE_FINAL_THIRD", "EXEMPT_MAPPA"]
    exemption = reasons[1]
    assert str(exemption["text"]).startswith("MAPPA category 2 level 1 since 24 Oct 2025")
    assert exemption["registration"] == {
        "type": "MAPPA",
        "level": 1,
        "category": 2,
        "start_date": "2025-10-24",
        "deregistered_on": None,
    }
    assert exemption["source"] == "RESET"


def test_very_high_rosh_names_the_assessment_in_force(engine: Engine) -> None:
    rosh = (
        registration(RegistrationType.ROSH, date(2025, 2, 1), level="HIGH", position=0),
        registration(RegistrationType.ROSH, date(2025, 9, 15), level="VERY_HIGH", position=1),
    )
    reasons = reasons_json(engine, case(LICENCE, registrations=rosh), date(2025, 10, 1))
    very_high = next(r for r in reasons if r["rule"] == "EXEMPT_VERY_HIGH_ROSH")
    assert "RoSH very high since 15 Sep 2025" in str(very_high["text"])


def test_exempt_after_a_suspension_says_when_suspended_and_reinstated(engine: Engine) -> None:
    mappa = registration(RegistrationType.MAPPA, date(2025, 10, 1), level=1)
    reasons = reasons_json(engine, case(LICENCE, registrations=(mappa,)), date(2025, 11, 3))
    phase = reasons[0]
    assert phase["rule"] == "PHASE_FINAL_THIRD"
    assert phase["suspended_on"] == "2025-09-01"
    assert phase["reinstated_on"] == "2025-10-01"
    assert "suspended on 1 Sep 2025 and reinstated on 1 Oct 2025" in str(phase["text"])


def test_exempt_from_the_start_says_no_suspension(engine: Engine) -> None:
    mappa = registration(RegistrationType.MAPPA, date(2025, 1, 1), level=1)
    phase = reasons_json(engine, case(LICENCE, registrations=(mappa,)), date(2025, 11, 3))[0]
    assert "suspended_on" not in phase and "reinstated" not in str(phase["text"])


def test_suspended_lists_the_exemptions_checked_and_the_lookalikes(engine: Engine) -> None:
    flags = (
        registration(RegistrationType.CHILD_CONCERNS, date(2025, 5, 1)),
        registration(RegistrationType.CHILD_IN_NEED, date(2025, 6, 2), date(2025, 12, 1)),
        registration(RegistrationType.ROSH, date(2025, 3, 3), level="HIGH"),
        registration(RegistrationType.CHILD_IN_NEED, date(2024, 1, 1), date(2024, 6, 1)),
    )
    (reason,) = reasons_json(engine, case(LICENCE, registrations=flags), date(2025, 11, 3))
    assert reason["rule"] == "PHASE_FINAL_THIRD"
    assert reason["since"] == "2025-09-01"
    assert reason["checked"] == [r.id for r in EXEMPTION_RULES]
    assert [(x["type"], x["start_date"]) for x in reason["lookalikes"]] == [  # type: ignore[union-attr]
        ("ROSH", "2025-03-03"),
        ("CHILD_CONCERNS", "2025-05-01"),
        ("CHILD_IN_NEED", "2025-06-02"),
    ]
    text = str(reason["text"])
    assert "suspended since 1 Sep 2025" in text
    assert "child concerns since 1 May 2025 (child concerns is not a child protection plan)" in text
    assert "RoSH high since 3 Mar 2025 (high RoSH is not very high)" in text


def test_suspended_again_after_an_exemption_ends(engine: Engine) -> None:
    mappa = registration(RegistrationType.MAPPA, date(2025, 10, 1), date(2025, 11, 1), level=1)
    (reason,) = reasons_json(engine, case(LICENCE, registrations=(mappa,)), date(2025, 11, 3))
    assert reason["since"] == "2025-11-01"
    assert "suspended again since 1 Nov 2025" in str(reason["text"])


def test_ended_says_not_started_ended_or_terminated(engine: Engine) -> None:
    later = licence(date(2025, 11, 28), date(2026, 11, 27), event_id="2")
    (reason,) = reasons_json(engine, case(later), date(2025, 11, 3))
    assert reason["rule"] == "STATUS_NO_ACTIVE_EVENT"
    assert reason["source"] == "SMF 1.4"
    assert "has not started yet (starts 28 Nov 2025)" in str(reason["text"])
    assert reason["events"] == [{"event_id": "2", "state": "NOT_STARTED", "on": "2025-11-28"}]

    (reason,) = reasons_json(engine, case(LICENCE), date(2026, 2, 1))
    assert "ended on 1 Jan 2026" in str(reason["text"])
    recalled = licence(terminated_on=date(2025, 7, 4))
    (reason,) = reasons_json(engine, case(recalled), date(2025, 8, 1))
    assert "was terminated on 4 Jul 2025" in str(reason["text"])
    assert reason["events"] == [{"event_id": "1", "state": "TERMINATED", "on": "2025-07-04"}]


def test_not_applicable_says_reset_does_not_act_and_suggests_no_final_third(
    engine: Engine,
) -> None:
    upw = rar_order(requirements=(Requirement(RequirementType.UPW),))
    (reason,) = reasons_json(engine, case(upw), date(2025, 11, 3))
    assert reason["rule"] == "PHASE_NO_RESET"
    assert "Reset does not act on it" in str(reason["text"])
    assert "final third" not in str(reason["text"])
    assert reason["requirements"] == ["UPW"]


def test_reset_not_in_force_cites_the_text_that_gives_april_2024(engine: Engine) -> None:
    old = licence(date(2023, 1, 1), date(2024, 6, 30), type=EventType.LICENCE)
    (reason,) = reasons_json(engine, case(old), date(2024, 3, 1))
    assert reason["rule"] == "RESET_NOT_YET_IN_FORCE"
    assert reason["source"] == "policy/002"
    assert reason["reset_effective_from"] == "2024-04-01"
    assert f"not in force until {plain_day(date(2024, 4, 1))}" in str(reason["text"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person=cases(), offsets=st.lists(st.integers(-30, 1500), min_size=1, max_size=5))
def test_reasons_agree_with_the_timeline_and_the_contract(
    engine: Engine, person: Case, offsets: list[int]
) -> None:
    history = engine.history(person)
    first = min((e.start_date for e in person.events), default=date(2025, 1, 1))
    for offset in offsets:
        day = first + timedelta(days=offset)
        status, reasons = status_reasons(history, day)
        today = history.at(day)
        assert status is today.status
        assert reasons, "at least one reason"
        exempt = [r.rule for r in reasons if r.rule.startswith("EXEMPT_")]
        assert exempt == list(today.exemptions)
        for reason in reasons:
            assert reason.source == find_rule(reason.rule).source
            assert reason.text.endswith(".")
        deciding = [r for r in reasons if r.event_id is not None]
        assert len({r.event_id for r in deciding}) == len(deciding)
        if status is Status.ENDED:
            assert reasons[0].rule == "STATUS_NO_ACTIVE_EVENT"
            assert not deciding
        if status is Status.SUSPENDED:
            assert all(r.details["since"] <= day.isoformat() for r in deciding)


def test_a_youth_sentence_names_the_event(engine: Engine) -> None:
    youth = licence(youth=True)
    reasons = reasons_json(engine, case(youth), date(2025, 10, 1))
    assert [r["rule"] for r in reasons] == ["PHASE_FINAL_THIRD", "EXEMPT_YOUTH_SENTENCE"]
    assert reasons[1]["text"] == (
        "Event 1 (licence) was imposed as a youth sentence: youth sentences are exempt."
    )
    assert reasons[1]["events"] == ["1"]
    assert reasons[1]["source"] == "FAQ"
