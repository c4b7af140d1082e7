"""Next actions: what to do next, by when, soonest first, with the rule and its source."""

from __future__ import annotations

from datetime import date

from builders import case, contact, licence
from probation_reset.domain.vocabulary import ContactType
from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import Engine

# A year's licence from 1 Jan 2025: halfway 2 Jul 2025, final third from 1 Sep 2025.
LICENCE = licence()


def test_due_and_soon_due_obligations_soonest_first(engine: Engine) -> None:
    result = engine.evaluate(case(LICENCE), date(2025, 8, 20))
    assert [(a.rule, a.status and a.status.value, a.due_by) for a in result.next_actions] == [
        ("RESET_PRE_LICENCE_REVIEW", "DUE", date(2025, 8, 31)),
        ("NS_MONTHLY_F2F", "DUE", date(2025, 8, 31)),
        ("RESET_PRE_RMP", "DUE", date(2025, 8, 31)),
        ("RESET_LICENCE_FINAL_THIRD_CONTACT", "NOT_YET_DUE", date(2026, 1, 1)),
    ]
    monthly = result.next_actions[1]
    assert (
        monthly.action
        == "Hold a face-to-face appointment in August 2025 for event 1, by 31 Aug 2025."
    )
    assert monthly.source == "SMF 5.9"
    soon = result.next_actions[3]
    assert "from 1 Sep 2025, by 1 Jan 2026" in soon.action


def test_obligations_opening_beyond_the_horizon_wait(engine: Engine) -> None:
    on = date(2025, 8, 3)  # the final-third contact opens on 1 Sep, 29 days later
    assert engine.parameters.next_actions_horizon_days.at(on) == 28
    rules = [a.rule for a in engine.evaluate(case(LICENCE), on).next_actions]
    assert "RESET_LICENCE_FINAL_THIRD_CONTACT" not in rules
    assert "RESET_PRE_RMP" in rules  # opens tomorrow, 4 Aug: within the horizon
    rules = [a.rule for a in engine.evaluate(case(LICENCE), date(2025, 8, 4)).next_actions]
    assert "RESET_LICENCE_FINAL_THIRD_CONTACT" in rules


def test_met_and_missed_obligations_are_not_next_actions(engine: Engine) -> None:
    seen = contact("c1", date(2025, 8, 5), recorded_on=date(2025, 8, 5))
    review = contact("r1", date(2025, 8, 6), ContactType.RMP_REVIEW, recorded_on=date(2025, 8, 6))
    result = engine.evaluate(case(LICENCE, contacts=(seen, review)), date(2025, 8, 20))
    rules = [a.rule for a in result.next_actions]
    assert "NS_MONTHLY_F2F" not in rules and "RESET_PRE_RMP" not in rules
    assert "NS_INDUCTION" not in rules  # missed in January: an audit finding, not a next action


def test_a_late_recording_names_the_contact(engine: Engine) -> None:
    seen = contact("c7", date(2025, 8, 18))  # never recorded
    result = engine.evaluate(case(LICENCE, contacts=(seen,)), date(2025, 8, 19))
    (record,) = [a for a in result.next_actions if a.rule == "NS_RECORD_1WD"]
    assert record.contact_id == "c7"
    assert record.action == "Record contact c7 of 18 Aug 2025, by 19 Aug 2025."
    document = case_result_json(result)
    (late,) = [o for o in document["obligations"] if o["rule"] == "NS_RECORD_1WD"]
    assert late["contact_id"] == "c7"


def test_a_suspended_case_has_the_standing_reminders(engine: Engine) -> None:
    result = engine.evaluate(case(LICENCE), date(2025, 10, 1))
    assert result.status.value == "SUSPENDED"
    reminders = [(a.rule, a.source, a.due_by) for a in result.next_actions if a.due_by is None]
    assert reminders == [
        ("REMINDER_NAMED_PRACTITIONER", "FAQ", None),
        ("REMINDER_ENFORCEMENT_AND_RECALL", "FAQ", None),
        ("REMINDER_REACTIVE_MANAGEMENT", "RESET", None),
    ]
    assert result.next_actions[-1].action.startswith("React to information from the police, MARAC")
    assert not [
        a for a in engine.evaluate(case(LICENCE), date(2025, 7, 1)).next_actions if a.due_by is None
    ]


def test_the_document_keeps_the_contract_fields_and_adds_next_actions(engine: Engine) -> None:
    document = case_result_json(engine.evaluate(case(LICENCE), date(2025, 10, 1)))
    assert list(document)[:7] == [
        "crn",
        "status",
        "exemptions",
        "reasons",
        "events",
        "timeline",
        "obligations",
    ]
    first = document["next_actions"][0]
    assert set(first) >= {"action", "rule", "source", "due_by", "status"}
    assert document["next_actions"][-1]["due_by"] is None
