"""The hub's pure parts: the items the engine raises, their references, the queue's risk order,
and how people's text is shown."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from builders import case, contact, licence, registration  # type: ignore[import-not-found]
from probation_reset.cli.hub_output import literal
from probation_reset.domain.vocabulary import (
    ContactType,
    RegistrationType,
    RoshLevel,
    Status,
)
from probation_reset.evaluation.engine import Engine
from probation_reset.hub.queue import risk_band
from probation_reset.hub.raised import (
    OBLIGATION_ITEMS,
    RaisedRef,
    hub_evaluation,
    parse_raised_ref,
    raised_items,
    raised_ref,
    status_run,
)
from probation_reset.hub.vocabulary import ItemKind
from probation_reset.policy import load_parameters
from probation_reset.rules import reset
from probation_reset.store.digest_tables import SUSPENSION_DUTIES
from probation_reset.store.models import SUSPENSION_LETTER
from probation_reset.web.hub_view import item_href
from strategies import cases  # type: ignore[import-not-found]

ENGINE = Engine(load_parameters())
ON = date(2025, 10, 15)


def raised(subject: object, on: date = ON) -> list[tuple[str, str, str | None]]:
    result = ENGINE.evaluate(subject, on)  # type: ignore[arg-type]
    return [
        (i.kind.value, i.since.isoformat(), i.due_by.isoformat() if i.due_by else None)
        for i in raised_items(subject, result, 28)  # type: ignore[arg-type]
    ]


def test_a_suspended_licence_without_a_letter_raises_the_letter_and_the_contact() -> None:
    assert raised(case(licence())) == [
        ("SUSPENSION_LETTER_DUE", "2025-09-01", None),
        ("FINAL_THIRD_CONTACT_DUE", "2025-09-01", "2026-01-01"),
    ]


def test_a_letter_sent_up_to_28_days_before_the_suspension_counts() -> None:
    sent = contact("L", date(2025, 8, 4), ContactType.SUSPENSION_LETTER, None, None)
    too_early = contact("L", date(2025, 8, 3), ContactType.SUSPENSION_LETTER, None, None)
    assert [k for k, _, _ in raised(case(licence(), contacts=(sent,)))] == [
        "FINAL_THIRD_CONTACT_DUE"
    ]
    assert "SUSPENSION_LETTER_DUE" in [
        k for k, _, _ in raised(case(licence(), contacts=(too_early,)))
    ]


def test_a_reinstatement_is_new_for_28_days() -> None:
    mappa = registration(RegistrationType.MAPPA, date(2025, 10, 1), level=1)
    subject = case(licence(), registrations=(mappa,))
    assert raised(subject, date(2025, 10, 28)) == [("NEWLY_REINSTATED", "2025-10-01", None)]
    assert raised(subject, date(2025, 10, 29)) == []


def test_exempt_from_the_start_of_the_final_third_is_not_a_reinstatement() -> None:
    mappa = registration(RegistrationType.MAPPA, date(2025, 8, 1), level=1)
    assert raised(case(licence(), registrations=(mappa,))) == []


def test_a_prc_on_an_ended_case_waits_from_the_day_after_the_last_active_day() -> None:
    prc = registration(RegistrationType.CONTACT_SUSPENDED, date(2025, 9, 1))
    subject = case(licence(end=date(2025, 10, 1)), registrations=(prc,))
    items = raised_items(subject, ENGINE.evaluate(subject, ON), 28)
    assert [(i.kind, i.since) for i in items] == [(ItemKind.PRC_DISAGREES, date(2025, 10, 2))]
    assert "PRC_BUT_NOT_UNDER_RESET" in items[0].detail


def test_the_status_run_goes_back_over_changes_of_exemption() -> None:
    mappa = registration(RegistrationType.MAPPA, date(2025, 10, 1), level=1)
    rosh = registration(RegistrationType.ROSH, date(2025, 10, 5), level="VERY_HIGH", position=1)
    result = ENGINE.evaluate(case(licence(), registrations=(mappa, rosh)), ON)
    assert status_run(result.timeline, ON) == (date(2025, 10, 1), Status.SUSPENDED)
    assert status_run(result.timeline, date(2024, 1, 1)) is None


@given(
    kind=st.sampled_from([k for k in ItemKind if k.raised_by_engine]),
    since=st.dates(date(1800, 1, 1), date(2399, 12, 31)),
    event_id=st.none() | st.text(min_size=1),
    crn=st.text(min_size=1),
)
def test_a_raised_reference_reads_back_whatever_the_ids_hold(
    kind: ItemKind, since: date, event_id: str | None, crn: str
) -> None:
    assert parse_raised_ref(raised_ref(kind, since, event_id, crn)) == RaisedRef(
        kind, since, event_id, crn
    )


@given(cases())
def test_raised_items_are_unique_and_wait_from_a_day_not_after_the_day_judged(
    subject: object,
) -> None:
    result = ENGINE.evaluate(subject, ON)  # type: ignore[arg-type]
    items = raised_items(subject, result, 28)  # type: ignore[arg-type]
    assert len({i.ref for i in items}) == len(items)
    assert all(i.since <= ON for i in items)
    kinds = {i.kind for i in items}
    if result.status is not Status.SUSPENDED:
        assert not kinds & {
            ItemKind.SUSPENSION_LETTER_DUE,
            ItemKind.NFA_CHECK_IN_DUE,
            ItemKind.FINAL_THIRD_CONTACT_DUE,
        }
    if ItemKind.PRC_DISAGREES in kinds:
        assert result.status is not Status.SUSPENDED


def test_risk_bands_put_mappa_2_and_very_high_rosh_first() -> None:
    assert risk_band(RoshLevel.VERY_HIGH, False, None) == 3
    assert risk_band(None, True, 2) == 3
    assert risk_band(RoshLevel.LOW, True, 1) == 2
    assert risk_band(RoshLevel.HIGH, False, None) == 2
    assert risk_band(RoshLevel.MEDIUM, False, None) == 1
    assert risk_band(None, False, None) == 0


def test_people_text_is_shown_as_written_with_control_characters_visible() -> None:
    shown = literal("[bold]x[/] \x1b[31m\x07 line\nnext")
    assert shown.plain == "[bold]x[/] \\x1b[31m\\x07 line\nnext"
    assert shown.spans == []
    assert literal(None).plain == "-"


@given(cases(), st.dates(date(2023, 1, 1), date(2027, 12, 31)))
def test_the_hub_evaluation_agrees_with_the_engine_on_what_it_gives(
    subject: object, on: date
) -> None:
    full = ENGINE.evaluate(subject, on)  # type: ignore[arg-type]
    light = hub_evaluation(ENGINE, ENGINE.history(subject), on)  # type: ignore[arg-type]
    assert (light.status, light.exemptions, light.timeline) == (
        full.status,
        full.exemptions,
        full.timeline,
    )
    assert [(e.event_id, e.phase, e.final_third_start) for e in light.events] == [
        (e.event_id, e.phase, e.final_third_start) for e in full.events
    ]
    reset_rules = {"RESET_LICENCE_FINAL_THIRD_CONTACT", "RESET_NFA_CHECK_IN"}
    assert sorted(light.obligations, key=repr) == sorted(
        (o for o in full.obligations if o.rule in reset_rules), key=repr
    )


def test_the_store_indexes_the_duties_and_letters_the_queue_reads() -> None:
    """The partial indexes' conditions (Alembic 0006) name what the raised items read."""
    assert set(SUSPENSION_DUTIES) == set(OBLIGATION_ITEMS) == {r.id for r in reset.RULES}
    assert ContactType.SUSPENSION_LETTER.value == SUSPENSION_LETTER


@given(st.text(max_size=40), st.dates(date(1800, 1, 1), date(2399, 12, 31)))
def test_an_items_link_quotes_its_reference_as_quote_does(ref: str, day: date) -> None:
    assert item_href(ref, day) == f"/hub/items/{quote(ref, safe='')}?on={day.isoformat()}"


@given(cases())
def test_a_suspension_is_one_span_of_the_timeline_with_no_exemption(subject: object) -> None:
    """What the queue from the store relies on (``RaisedFacts.timeline``): the span holding a
    suspended day is the whole run of suspended days."""
    timeline = ENGINE.history(subject).timeline()  # type: ignore[arg-type]
    for before, after in pairwise(timeline):
        assert not (
            before.status is after.status is Status.SUSPENDED
            and before.span.end == after.span.start
        )
    assert all(t.exemptions == () for t in timeline if t.status is Status.SUSPENDED)
