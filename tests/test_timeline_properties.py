"""Invariants of the spans: the timeline covers the case without gaps and agrees with the status
that the day-functions give on every day sampled."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import ObligationStatus, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.rules.exemptions import exemptions_on
from probation_reset.rules.phase import last_active_day
from probation_reset.rules.status import person_status
from strategies import cases

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case=cases(), offsets=st.lists(st.integers(0, 2000), min_size=1, max_size=8))
def test_timeline_is_contiguous_and_agrees_with_the_status_on_each_day(
    engine: Engine, case: Case, offsets: list[int]
) -> None:
    timeline = engine.history(case).timeline()
    if not timeline:
        return
    starts = min(e.start_date for e in case.events)
    assert timeline[0].span.start == starts
    for before, after in pairwise(timeline):
        assert before.span.end == after.span.start
        assert (before.status, before.exemptions) != (after.status, after.exemptions)
    lasts = [
        last
        for last, event in ((last_active_day(e), e) for e in case.events)
        if last is None or last >= event.start_date
    ]
    if any(x is None for x in lasts):
        assert timeline[-1].span.end is None
    else:
        assert timeline[-1].span.last == max(x for x in lasts if x is not None)
        assert timeline[-1].status is not Status.ENDED
    reset_starts = engine.parameters.reset_starts
    for offset in offsets:
        day = starts + timedelta(days=offset)
        span = next((s for s in timeline if s.span.contains(day)), None)
        if span is None:
            assert person_status(case, day, reset_starts) is Status.ENDED
            continue
        assert span.status is person_status(case, day, reset_starts)
        assert span.exemptions == exemptions_on(case, day)


@SETTINGS
@given(case=cases(), on=st.dates(min_value=date(2023, 6, 1), max_value=date(2028, 6, 1)))
def test_every_obligation_is_judged_by_its_window_and_due_date(
    engine: Engine, case: Case, on: date
) -> None:
    result = engine.evaluate(case, on)
    contacts = {c.contact_id: c for c in case.contacts}
    assert result.status is person_status(case, on, engine.parameters.reset_starts)
    assert len(result.events) == len(case.events)
    for obligation in result.obligations:
        if obligation.status is ObligationStatus.MET:
            assert obligation.met_by is not None
            met = contacts[obligation.met_by]
            if obligation.rule != "NS_RECORD_1WD":
                assert obligation.window_start <= met.day <= obligation.due_by
                assert met.day <= on
        else:
            assert obligation.met_by is None
            expected = (
                ObligationStatus.NOT_YET_DUE
                if on < obligation.window_start
                else ObligationStatus.DUE
                if on <= obligation.due_by
                else ObligationStatus.MISSED
            )
            assert obligation.status is expected
    keys = [o.window_start for o in result.obligations]
    assert keys == sorted(keys)


ANY_ACCEPTED_DAY = st.dates(min_value=date(1800, 1, 1), max_value=date(2396, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(ANY_ACCEPTED_DAY), on=ANY_ACCEPTED_DAY)
def test_any_case_the_service_accepts_evaluates(engine: Engine, case: Case, on: date) -> None:
    result = engine.evaluate(case, on)
    assert result.status is person_status(case, on, engine.parameters.reset_starts)
    assert all(
        o.window_start <= o.due_by or o.rule.startswith("RESET_") for o in result.obligations
    )
