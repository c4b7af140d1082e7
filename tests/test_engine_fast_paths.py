"""The engine's fast paths give the answers of the plain ones: the working-day and date caches,
the contact search from the window's first day, the exemptions not asked when no registration
of their type is in force, status spans joined as runs, remembered recording deadlines, the
result's text written by orjson from dataclasses, and the collector paused by the CLI."""

from __future__ import annotations

import gc
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probation_reset.calendar.working_days import WorkingDayCalendar
from probation_reset.cli.collector import collector_paused
from probation_reset.domain.case import Case, Contact
from probation_reset.domain.span import merge_adjacent
from probation_reset.domain.vocabulary import (
    ContactOutcome,
    ContactType,
    ObligationStatus,
    RoshLevel,
    Status,
)
from probation_reset.evaluation.document import case_result_json, case_result_text
from probation_reset.evaluation.engine import Engine
from probation_reset.evaluation.json_text import json_line
from probation_reset.intake.dates import parse_contact_moment, parse_date
from probation_reset.policy import load_parameters
from probation_reset.rules.exemptions import EXEMPTIONS, MAPPA, VERY_HIGH_ROSH, exemptions_on
from probation_reset.rules.history import Interval
from probation_reset.rules.national_standards import INDUCTION, RECORD_1WD
from probation_reset.rules.obligation import Duty, Qualifying, RecordingObligation, judge
from strategies import cases, days

FIRST = date(2024, 1, 1)


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    count=st.integers(min_value=0, max_value=20),
)
def test_a_remembered_working_day_is_the_one_counted_afresh(day: date, count: int) -> None:
    bank_holidays = load_parameters().bank_holidays
    remembering = WorkingDayCalendar(bank_holidays)
    first = remembering.add_working_days(day, count)
    assert remembering.add_working_days(day, count) == first
    assert WorkingDayCalendar(bank_holidays).add_working_days(day, count) == first
    # Counted by hand: the count-th day after `day` that is a working day.
    current, remaining = day, count
    while remaining:
        current += timedelta(days=1)
        remaining -= remembering.is_working_day(current)
    assert first == current


def test_a_negative_count_is_refused_every_time() -> None:
    calendar = WorkingDayCalendar(load_parameters().bank_holidays)
    for _ in range(2):
        with pytest.raises(ValueError, match="negative"):
            calendar.add_working_days(date(2025, 1, 6), -1)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-1-01", "1799-12-31", ""])
def test_a_bad_date_is_refused_every_time_it_is_read(text: str) -> None:
    for _ in range(2):
        with pytest.raises(ValueError):
            parse_date(text)
        with pytest.raises(ValueError):
            parse_contact_moment(text)
    for unhashable in ([], {"a": 1}):
        with pytest.raises(ValueError):
            parse_date(unhashable)
        with pytest.raises(ValueError):
            parse_contact_moment(unhashable)


def test_a_date_read_twice_is_the_same_date() -> None:
    assert parse_date("2025-11-03") == date(2025, 11, 3)
    assert parse_date("2025-11-03") == date(2025, 11, 3)
    assert parse_contact_moment("2025-11-03T09:15")[0] == date(2025, 11, 3)
    assert parse_contact_moment("2025-11-03T09:15")[1] is not None


_contacts = st.lists(
    st.builds(
        lambda offset, held, f2f: (offset, held, f2f),
        st.integers(min_value=0, max_value=120),
        st.booleans(),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(
    planned=_contacts,
    window=st.integers(min_value=0, max_value=120),
    length=st.integers(min_value=0, max_value=40),
    on=st.integers(min_value=0, max_value=160),
)
def test_searching_from_the_window_start_finds_the_contact_a_full_scan_finds(
    planned: list[tuple[int, bool, bool]], window: int, length: int, on: int
) -> None:
    contacts = sorted(
        (
            Contact(
                f"C{number}",
                FIRST + timedelta(days=offset),
                ContactType.APPOINTMENT,
                outcome=ContactOutcome.ATTENDED if held else ContactOutcome.FAILED_TO_ATTEND,
                position=number,
            )
            for number, (offset, held, _) in enumerate(planned)
        ),
        key=lambda contact: contact.order_key,
    )
    start = FIRST + timedelta(days=window)
    held = Qualifying("held contact", lambda c: c.is_held)
    duty = Duty(INDUCTION, None, start, start + timedelta(days=length), held)
    day = FIRST + timedelta(days=on)
    days = [contact.day for contact in contacts]
    fast = judge(duty, day, contacts, days)
    assert fast == judge(duty, day, contacts)
    held_in_window = [
        c.contact_id for c in contacts if start <= c.day <= min(duty.due_by, day) and c.is_held
    ]
    assert fast.met_by == (held_in_window[0] if held_in_window else None)
    assert (fast.status is ObligationStatus.MET) == bool(held_in_window)


def test_the_collector_is_paused_then_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


ENGINE = Engine(load_parameters())


@settings(max_examples=300, deadline=None)
@given(case=cases(), day=days)
def test_exemptions_skipping_unregistered_types_are_those_every_rule_gives(
    case: Case, day: date
) -> None:
    asked_every_rule = tuple(rule.id for rule, applies in EXEMPTIONS if applies(case, day))
    assert exemptions_on(case, day) == asked_every_rule
    listed = (VERY_HIGH_ROSH.id, MAPPA.id)
    assert exemptions_on(case, day, listed) == tuple(e for e in asked_every_rule if e in listed)


@settings(max_examples=200, deadline=None)
@given(case=cases())
def test_spans_where_joins_the_intervals_as_merging_their_spans_does(case: Case) -> None:
    history = ENGINE.history(case)

    def suspended(interval: Interval) -> bool:
        return interval.status is Status.SUSPENDED

    def high(interval: Interval) -> bool:
        return interval.rosh in (RoshLevel.HIGH, RoshLevel.VERY_HIGH)

    for holds in (suspended, high):
        merged = merge_adjacent(i.span for i in history.intervals if holds(i))
        assert history.spans_where(holds) == merged


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_a_remembered_recording_deadline_is_the_one_worked_out_afresh(day: date) -> None:
    parameters = load_parameters()
    allowed = parameters.recording_working_days.at(day)
    expected = WorkingDayCalendar(parameters.bank_holidays).add_working_days(day, allowed)
    assert ENGINE.recording_deadlines(day) == expected
    assert ENGINE.recording_deadlines(day) == expected


@settings(max_examples=200, deadline=None)
@given(case=cases(), on=days)
def test_the_result_text_is_the_json_line_of_the_result_json(case: Case, on: date) -> None:
    result = ENGINE.evaluate(case, on)
    written = case_result_text(result)
    assert written == json_line(case_result_json(result))
    assert json.loads(written) == case_result_json(result)
    recordings = [o for o in result.obligations if o.rule == RECORD_1WD.id]
    assert all(isinstance(o, RecordingObligation) for o in recordings)
    assert [o["contact_id"] for o in json.loads(written)["obligations"] if "contact_id" in o] == [
        o.contact_id for o in recordings if isinstance(o, RecordingObligation)
    ]
