"""Hypothesis strategies for whole cases, in the domain model."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from probation_reset.domain.case import (
    Case,
    Contact,
    Event,
    LicenceCondition,
    Registration,
    Requirement,
)
from probation_reset.domain.vocabulary import (
    ContactMode,
    ContactOutcome,
    ContactType,
    EventType,
    LicenceConditionType,
    RegistrationType,
    RequirementType,
    RoshLevel,
)

FIRST = date(2023, 1, 1)
LAST = date(2027, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def events(draw: st.DrawFn, event_id: str, within: st.SearchStrategy[date] = days) -> Event:
    kind = draw(st.sampled_from(list(EventType)))
    start = draw(within)
    open_ended = kind is EventType.LICENCE and draw(st.integers(0, 9)) == 0
    end = None if open_ended else start + timedelta(days=draw(st.integers(0, 900)))
    pss_end = None
    if kind is EventType.LICENCE and end is not None and draw(st.booleans()):
        pss_end = end + timedelta(days=draw(st.integers(1, 365)))
    terminated = (
        start + timedelta(days=draw(st.integers(0, 1200))) if draw(st.integers(0, 4)) == 0 else None
    )
    requirements: tuple[Requirement, ...] = ()
    conditions: tuple[LicenceCondition, ...] = ()
    if kind is EventType.LICENCE:
        conditions = tuple(
            LicenceCondition(t)
            for t in draw(st.lists(st.sampled_from(list(LicenceConditionType)), max_size=3))
        )
    else:
        requirements = tuple(
            Requirement(t)
            for t in draw(st.lists(st.sampled_from(list(RequirementType)), max_size=3))
        )
    reset_date = None
    if end is not None and draw(st.integers(0, 5)) == 0:
        reset_date = start + timedelta(days=draw(st.integers(0, (end - start).days)))
    return Event(
        event_id=event_id,
        type=kind,
        start_date=start,
        end_date=end,
        pss_end_date=pss_end,
        youth=draw(st.integers(0, 9)) == 0,
        terminated_on=terminated,
        requirements=requirements,
        licence_conditions=conditions,
        probation_reset_date=reset_date,
    )


@st.composite
def registrations(
    draw: st.DrawFn, position: int, within: st.SearchStrategy[date] = days
) -> Registration:
    kind = draw(st.sampled_from(list(RegistrationType)))
    start = draw(within)
    ends = draw(st.booleans())
    deregistered = start + timedelta(days=draw(st.integers(0, 500))) if ends else None
    level: str | int | None = None
    if kind is RegistrationType.ROSH:
        level = draw(st.sampled_from(list(RoshLevel))).value
    elif kind is RegistrationType.MAPPA:
        level = draw(st.sampled_from([None, 1, 2, 3]))
    return Registration(kind, start, deregistered, level, None, position)


@st.composite
def contacts(
    draw: st.DrawFn, position: int, event_ids: list[str], within: st.SearchStrategy[date] = days
) -> Contact:
    day = draw(within)
    return Contact(
        contact_id=f"c{position}",
        day=day,
        type=draw(st.sampled_from(list(ContactType))),
        event_id=draw(st.sampled_from([None, *event_ids])),
        mode=draw(st.sampled_from([None, *ContactMode])),
        outcome=draw(st.sampled_from([None, *ContactOutcome])),
        recorded_on=day + timedelta(days=draw(st.integers(0, 5))) if draw(st.booleans()) else None,
        position=position,
    )


@st.composite
def cases(draw: st.DrawFn, within: st.SearchStrategy[date] = days) -> Case:
    count = draw(st.integers(0, 3))
    event_list = [draw(events(str(i + 1), within)) for i in range(count)]
    ids = [e.event_id for e in event_list]
    regs = [draw(registrations(i, within)) for i in range(draw(st.integers(0, 5)))]
    cons = [draw(contacts(i, ids, within)) for i in range(draw(st.integers(0, 12)))]
    return Case("H000001", tuple(event_list), tuple(regs), tuple(cons))
