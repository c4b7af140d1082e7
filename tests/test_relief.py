"""The workload the Reset removed agrees with the engine run as if the Reset never came."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import case, licence, rar_order, registration
from probation_reset.domain.case import Case, Event, Registration
from probation_reset.domain.span import DateSpan
from probation_reset.domain.vocabulary import Phase, RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.figures.relief import (
    Relief,
    month_of,
    monthly_removed,
    phase_span,
    relief_in_month,
    weekly_removed,
    weeks_starting_in,
)
from probation_reset.policy.parameters import DatedParameter, DatedValue
from probation_reset.rules.obligation import Obligation
from probation_reset.rules.phase import event_phase
from strategies import cases, events

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEVER = date(9999, 1, 1)
LATE = date(2031, 1, 1)


def without_reset(engine: Engine) -> Engine:
    """The same policy, with the Reset never in force: nobody is ever suspended."""
    never = DatedParameter("reset/effective_from", "never", (DatedValue(NEVER, NEVER, "-", "-"),))
    return Engine(replace(engine.parameters, reset_effective_from=never))


def suspended_spans(engine: Engine, subject: Case) -> list[DateSpan]:
    return [s.span for s in engine.history(subject).timeline() if s.status is Status.SUSPENDED]


def months_touching(spans: list[DateSpan], until: date) -> list[DateSpan]:
    """Every calendar month meeting one of ``spans``, up to ``until``."""
    months: list[DateSpan] = []
    for span in spans:
        day = span.start
        while (span.end is None or day < span.end) and day <= until:
            month = month_of(day)
            if month not in months:
                months.append(month)
            assert month.end is not None
            day = month.end
    return months


@SETTINGS
@given(subject=cases(), high_rosh_from=st.none() | st.dates(date(2023, 1, 1), date(2026, 1, 1)))
def test_removed_periods_are_those_owed_without_the_reset_and_suspended_throughout(
    engine: Engine, subject: Case, high_rosh_from: date | None
) -> None:
    if high_rosh_from is not None:
        rosh = Registration(
            RegistrationType.ROSH, high_rosh_from, None, "HIGH", None, len(subject.registrations)
        )
        subject = replace(subject, registrations=(*subject.registrations, rosh))
    suspended = suspended_spans(engine, subject)
    registrations = [r for r in subject.registrations if r.type is RegistrationType.ROSH]
    counterfactual = without_reset(engine).evaluate(subject, LATE).obligations
    actual = engine.evaluate(subject, LATE).obligations

    def owed(rule: str, period: DateSpan, obligations: tuple[Obligation, ...]) -> bool:
        return any(o.rule == rule and o.window_start == period.start for o in obligations)

    def throughout(period: DateSpan) -> bool:
        return any(s.covers(period) for s in suspended)

    for month in months_touching(suspended, date(2029, 12, 31)):
        expected_month = throughout(month) and owed("NS_MONTHLY_F2F", month, counterfactual)
        assert monthly_removed(suspended, subject.events, month) == expected_month
        if expected_month:
            assert not owed("NS_MONTHLY_F2F", month, actual)
        weeks = 0
        for week in weeks_starting_in(month):
            expected_week = throughout(week) and owed(
                "NS_WEEKLY_F2F_HIGH_ROSH", week, counterfactual
            )
            assert weekly_removed(suspended, subject.events, registrations, week) == expected_week
            weeks += expected_week
        assert relief_in_month(suspended, subject.events, registrations, month) == Relief(
            int(expected_month), weeks
        )


def test_a_suspended_high_rosh_licence_in_november_2025(engine: Engine) -> None:
    # Licence 2025-01-01 to 2026-01-01: final third from 2025-09-01; RoSH high from 2025-06-01.
    person = case(
        licence(),
        registrations=(registration(RegistrationType.ROSH, date(2025, 6, 1), level="HIGH"),),
    )
    november = month_of(date(2025, 11, 17))
    relief = relief_in_month(
        suspended_spans(engine, person), person.events, person.registrations, november
    )
    # Every day of November is suspended; the weeks starting on 3, 10, 17 and 24 November.
    assert relief == Relief(1, 4)


def test_a_month_only_partly_suspended_is_not_counted(engine: Engine) -> None:
    person = case(rar_order())  # final third from 2025-10-31
    suspended = suspended_spans(engine, person)
    assert relief_in_month(suspended, person.events, (), month_of(date(2025, 10, 5))) == Relief(
        0, 0
    )
    assert relief_in_month(suspended, person.events, (), month_of(date(2025, 11, 5))) == Relief(
        1, 0
    )
    # PSS is never owed a monthly contact: a licence in PSS removes nothing.
    in_pss = case(licence(pss_end_date=date(2026, 12, 31)))
    assert relief_in_month(
        suspended_spans(engine, in_pss), in_pss.events, (), month_of(date(2026, 3, 1))
    ) == Relief(0, 0)


@SETTINGS
@given(
    event=events("1"),
    phases=st.sampled_from(
        [frozenset({Phase.FINAL_THIRD}), frozenset({Phase.FINAL_THIRD, Phase.NO_RESET})]
    ),
    offsets=st.lists(st.integers(-30, 1500), min_size=1, max_size=10),
)
def test_the_phase_span_holds_the_days_event_phase_gives(
    event: Event, phases: frozenset[Phase], offsets: list[int]
) -> None:
    span = phase_span(event, phases)
    for offset in offsets:
        day = event.start_date + timedelta(days=offset)
        assert (span is not None and span.contains(day)) == (event_phase(event, day) in phases)
