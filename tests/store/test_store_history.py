"""Status spans and transitions as the store keeps them, derived from the core's timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from caseloads import generated  # type: ignore[import-not-found]

from builders import rar_order  # type: ignore[import-not-found]
from probation_reset.domain.case import Case, Registration
from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import read_cases
from probation_reset.store.history import TransitionKind, status_history


def mappa(start: date, end: date | None) -> Registration:
    return Registration(RegistrationType.MAPPA, start, end, level=1, category=2)


def test_an_order_suspended_reinstated_by_mappa_and_suspended_again(engine: Engine) -> None:
    case = Case(
        "H1",
        (rar_order(date(2025, 1, 6), date(2026, 1, 5)),),
        (mappa(date(2025, 10, 1), date(2025, 11, 15)),),
    )
    history = status_history(engine, case)
    assert [(t.day, t.from_status, t.to_status, t.kind) for t in history.transitions] == [
        (date(2025, 1, 6), None, Status.ACTIVE, TransitionKind.ACTIVE),
        (date(2025, 9, 5), Status.ACTIVE, Status.SUSPENDED, TransitionKind.SUSPENDED),
        (date(2025, 10, 1), Status.SUSPENDED, Status.EXEMPT, TransitionKind.REINSTATED),
        (date(2025, 11, 15), Status.EXEMPT, Status.SUSPENDED, TransitionKind.RE_SUSPENDED),
        (date(2026, 1, 6), Status.SUSPENDED, Status.ENDED, TransitionKind.ENDED),
    ]
    reinstated = history.transitions[2]
    assert reinstated.exemptions == ("EXEMPT_MAPPA",)
    assert {r["rule"] for r in reinstated.reasons} == {"PHASE_FINAL_THIRD", "EXEMPT_MAPPA"}
    assert all(r["source"] for t in history.transitions for r in t.reasons)


def test_exempt_from_the_start_of_the_final_third_is_exempted_not_reinstated(
    engine: Engine,
) -> None:
    case = Case(
        "H2",
        (rar_order(date(2025, 1, 6), date(2026, 1, 5)),),
        (mappa(date(2025, 2, 1), date(2025, 11, 15)),),
    )
    kinds = [t.kind for t in status_history(engine, case).transitions]
    assert kinds == [
        TransitionKind.ACTIVE,
        TransitionKind.EXEMPTED,
        TransitionKind.SUSPENDED,
        TransitionKind.ENDED,
    ]


def test_a_case_with_no_events_has_no_history(engine: Engine) -> None:
    history = status_history(engine, Case("H3", ()))
    assert history.spans == () and history.transitions == ()


def test_an_open_ended_licence_never_ends(engine: Engine) -> None:
    from builders import licence  # type: ignore[import-not-found]

    history = status_history(engine, Case("H4", (licence(end=None),)))
    assert [t.kind for t in history.transitions] == [TransitionKind.ACTIVE]


@pytest.mark.parametrize("seed", [3, 5])
def test_every_transition_agrees_with_the_engine_on_the_day_and_the_day_before(
    engine: Engine, seed: int
) -> None:
    for _, case in read_cases(generated(120, seed)).cases:
        history = status_history(engine, case)
        for transition in history.transitions:
            on = engine.evaluate(case, transition.day)
            before = engine.evaluate(case, transition.day - timedelta(days=1)).status
            assert on.status is transition.to_status
            assert on.exemptions == transition.exemptions
            if transition.from_status is None:
                assert before is Status.ENDED
            else:
                assert before is transition.from_status
        assert [(s.span, s.status) for s in history.spans] == [
            (s.span, s.status) for s in engine.history(case).timeline()
        ]
