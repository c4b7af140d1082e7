"""Differential test: the engine against a naive day-by-day model of CONTRACT.md.

Random valid cases are generated as contract JSON (every event type, PSS, life licences, early
terminations, PR1 key dates, youth sentences; every registration type with RoSH and MAPPA levels
changing over time; contacts of every type, mode and outcome, some with times, some tied to an
event, some recorded), and the engine's CaseResult must equal the reference model's on status,
exemptions, events, timeline and obligations (in order).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probation_reset.evaluation.document import case_result_json
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import read_cases
from reference_model import reference_evaluate, working_days_after

FIRST = date(2023, 6, 1)
LAST_START = date(2025, 12, 31)
LAST = date(2026, 6, 30)

REQUIREMENTS = [
    "RAR",
    "UPW",
    "DRR",
    "ATR",
    "MHTR",
    "ACCREDITED_PROGRAMME",
    "CURFEW",
    "EM",
    "EXCLUSION",
    "PROHIBITED_ACTIVITY",
    "RESIDENCE",
    "ALCOHOL_ABSTINENCE",
    "OTHER",
]
CONDITIONS = [
    "REPORTING",
    "DRUG_TESTING",
    "CURFEW",
    "EM",
    "EXCLUSION_ZONE",
    "NON_CONTACT",
    "RESIDENCE",
    "ACCREDITED_PROGRAMME",
    "OTHER",
]
REGISTRATIONS = [
    "MAPPA",
    "ROSH",
    "NSD",
    "CHILD_PROTECTION",
    "CHILD_CONCERNS",
    "CHILD_IN_NEED",
    "ISC",
    "NO_FIXED_ABODE",
    "RISK_TO_SELF",
    "DOMESTIC_ABUSE",
    "IOM",
    "SEXUAL_OFFENCE_NOTIFICATION",
    "ROSH_TO_CHILDREN_HIGH",
    "OTHER",
]
# Weighted towards the registrations that drive the rules.
REGISTRATION_CHOICES = [*REGISTRATIONS, "MAPPA", "ROSH", "ROSH", "NO_FIXED_ABODE", "RISK_TO_SELF"]
CONTACT_TYPES = [
    "APPOINTMENT",
    "INDUCTION",
    "HOME_VISIT",
    "CHECK_IN",
    "RMP_REVIEW",
    "LICENCE_CONDITIONS_REVIEW",
    "EM_CURFEW_REVIEW",
    "SAFETY_PLAN",
    "SUSPENSION_LETTER",
    "OTHER",
]
FOCUSED_REGISTRATIONS = ["NO_FIXED_ABODE", "RISK_TO_SELF", "ROSH", "MAPPA", "NSD"]
FOCUSED_CONTACTS = [
    "CHECK_IN",
    "SAFETY_PLAN",
    "LICENCE_CONDITIONS_REVIEW",
    "EM_CURFEW_REVIEW",
    "RMP_REVIEW",
    "APPOINTMENT",
    "HOME_VISIT",
]
F2F_TYPES = ["APPOINTMENT", "HOME_VISIT", "CHECK_IN"]
MODES = [None, "FACE_TO_FACE", "FACE_TO_FACE", "VIDEO", "TELEPHONE", "OTHER"]
OUTCOMES = [None, "ATTENDED", "ATTENDED", "ATTENDED", "FAILED_TO_ATTEND", "ACCEPTABLE_ABSENCE"]


def _iso(day: date) -> str:
    return day.isoformat()


def _plus(day: date, days: int) -> date:
    return day + timedelta(days=days)


@st.composite
def _dated_items(
    draw: st.DrawFn, kinds: list[str], start: date, end: date | None
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    length = 400 if end is None else (end - start).days
    for kind in draw(st.lists(st.sampled_from(kinds), max_size=3)):
        item: dict[str, Any] = {"type": kind}
        # Mostly within the event, now and then a little outside it (nothing forbids that).
        if draw(st.integers(0, 3)) == 0:
            first = _plus(start, draw(st.integers(-30, length + 10)))
            item["start_date"] = _iso(first)
            if draw(st.booleans()):
                item["end_date"] = _iso(_plus(first, draw(st.integers(0, length + 10))))
        elif draw(st.integers(0, 5)) == 0:
            item["end_date"] = _iso(_plus(start, draw(st.integers(0, length + 10))))
        items.append(item)
    return items


@st.composite
def _event(draw: st.DrawFn, event_id: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["COMMUNITY_ORDER", "SUSPENDED_SENTENCE_ORDER", "LICENCE"]))
    start = draw(st.dates(FIRST, LAST_START))
    life = kind == "LICENCE" and draw(st.integers(0, 7)) == 0
    length = draw(st.one_of(st.integers(0, 730), st.integers(0, 60)))
    end = None if life else _plus(start, length)
    event: dict[str, Any] = {
        "event_id": event_id,
        "type": kind,
        "start_date": _iso(start),
        "end_date": None if end is None else _iso(end),
    }
    last = end
    if kind == "LICENCE" and end is not None and draw(st.booleans()):
        pss_end = _plus(end, draw(st.integers(1, 365)))
        event["pss_end_date"] = _iso(pss_end)
        last = pss_end
    if draw(st.integers(0, 5)) == 0:
        event["youth"] = True
    if draw(st.integers(0, 4)) == 0:
        span = 800 if last is None else (last - start).days + 20
        event["terminated_on"] = _iso(_plus(start, draw(st.integers(0, span))))
    if end is not None and draw(st.integers(0, 4)) == 0:
        reset_date = _plus(start, draw(st.integers(0, (end - start).days)))
        event["key_dates"] = {"probation_reset_date": _iso(reset_date)}
    if kind == "LICENCE":
        event["licence_conditions"] = draw(_dated_items(CONDITIONS, start, end))
    else:
        requirements = draw(_dated_items(REQUIREMENTS, start, end))
        if draw(st.booleans()):
            requirements.insert(draw(st.integers(0, len(requirements))), {"type": "RAR"})
        event["requirements"] = requirements
    return event


@st.composite
def _registration(draw: st.DrawFn, anchors: list[date], kinds: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(kinds))
    start = _plus(draw(st.sampled_from(anchors)), draw(st.integers(-60, 500)))
    registration: dict[str, Any] = {"type": kind, "start_date": _iso(start)}
    if draw(st.booleans()):
        registration["deregistered_on"] = _iso(_plus(start, draw(st.integers(0, 400))))
    if kind == "MAPPA":
        level = draw(st.sampled_from([None, 1, 2, 2, 3, 3]))
        if level is not None:
            registration["level"] = level
        registration["category"] = draw(st.integers(1, 4))
    elif kind == "ROSH":
        registration["level"] = draw(st.sampled_from(["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]))
    return registration


@st.composite
def _contact(
    draw: st.DrawFn,
    index: int,
    events: list[dict[str, Any]],
    anchors: list[date],
    kinds: list[str],
) -> dict[str, Any]:
    day = _plus(draw(st.sampled_from(anchors)), draw(st.integers(-40, 120)))
    text = _iso(day)
    timing = draw(st.integers(0, 5))
    if timing == 1:
        text += f"T{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from([0, 30, 45])):02d}"
    elif timing == 2:
        text += f"T{draw(st.integers(0, 23)):02d}:15:{draw(st.integers(0, 59)):02d}"
    elif timing == 3:
        zone = draw(st.sampled_from(["Z", "+01:00", "-05:00"]))
        text += f"T{draw(st.sampled_from([0, 9, 14])):02d}:00{zone}"
    contact: dict[str, Any] = {
        "contact_id": f"C{index}",
        "date": text,
        "type": draw(st.sampled_from(kinds)),
    }
    if events and draw(st.integers(0, 2)) == 0:
        contact["event_id"] = draw(st.sampled_from(events))["event_id"]
    mode = draw(st.sampled_from(MODES))
    if mode is not None:
        contact["mode"] = mode
    outcome = draw(st.sampled_from(OUTCOMES))
    if outcome is not None or draw(st.booleans()):
        contact["outcome"] = outcome
    if draw(st.integers(0, 2)) > 0:
        contact["recorded_on"] = _iso(_plus(day, draw(st.integers(-2, 6))))
    return contact


def _anchors(events: list[dict[str, Any]]) -> list[date]:
    """Days around which registrations and contacts are drawn: event starts and ends."""
    found = [FIRST, date(2024, 4, 1)]
    for event in events:
        found.append(date.fromisoformat(event["start_date"]))
        for key in ("end_date", "pss_end_date", "terminated_on"):
            if event.get(key):
                found.append(date.fromisoformat(event[key]) - timedelta(days=60))
        if event.get("key_dates"):
            found.append(date.fromisoformat(event["key_dates"]["probation_reset_date"]))
        elif event.get("end_date"):
            start = date.fromisoformat(event["start_date"])
            length = (date.fromisoformat(event["end_date"]) - start).days
            found.append(_plus(start, 2 * length // 3 - 30))
            found.append(_plus(start, 2 * length // 3))
    return found


@st.composite
def cases_and_days(draw: st.DrawFn, focused: bool = False) -> tuple[dict[str, Any], date]:
    """A valid case as contract JSON and a day to judge it on.

    ``focused`` cases have one or two sentences, the registrations that drive the Reset's own
    duties, and contacts of the kinds that meet them, so the rarer duties are met now and then.
    """
    count = draw(st.integers(1, 2) if focused else st.integers(0, 3))
    events = [draw(_event(f"E{i}")) for i in range(count)]
    anchors = _anchors(events)
    registration_kinds = FOCUSED_REGISTRATIONS if focused else REGISTRATION_CHOICES
    registrations = draw(st.lists(_registration(anchors, registration_kinds), max_size=6))
    contact_kinds = FOCUSED_CONTACTS if focused else CONTACT_TYPES + F2F_TYPES
    contacts = [
        draw(_contact(i, events, anchors, contact_kinds))
        for i in range(draw(st.integers(0, 30 if focused else 24)))
    ]
    case = {
        "crn": "X000001",
        "events": events,
        "registrations": registrations,
        "contacts": contacts,
    }
    on = draw(
        st.one_of(
            st.dates(FIRST, LAST),
            st.builds(_plus, st.sampled_from(anchors), st.integers(-10, 90)),
            st.builds(_plus, st.sampled_from(anchors), st.integers(20, 200)),
        )
    )
    return case, on


def _compare(engine: Engine, case: dict[str, Any], on: date) -> None:
    intake = read_cases([case])
    assert not intake.errors, intake.errors
    ((_, parsed),) = intake.cases
    actual = case_result_json(engine.evaluate(parsed, on))
    expected = reference_evaluate(case, on)
    # The contract's fields of each obligation (fields beyond them are welcome, CONTRACT 4.2).
    contract = ("rule", "event_id", "window_start", "due_by", "status", "met_by")
    actual["obligations"] = [{k: o[k] for k in contract} for o in actual["obligations"]]
    for key in ("status", "exemptions", "events", "timeline", "obligations"):
        assert actual[key] == expected[key], key


SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(data=cases_and_days())
def test_engine_agrees_with_the_day_by_day_reference_model(
    engine: Engine, data: tuple[dict[str, Any], date]
) -> None:
    case, on = data
    _compare(engine, case, on)


@SETTINGS
@given(data=cases_and_days(focused=True))
def test_engine_agrees_with_the_reference_model_on_the_reset_duties(
    engine: Engine, data: tuple[dict[str, Any], date]
) -> None:
    case, on = data
    _compare(engine, case, on)


def test_working_days_of_the_reference_model() -> None:
    # CONTRACT.md section 3: release on Tue 2024-12-24, 1 working day, is due by 2024-12-27.
    assert working_days_after(date(2024, 12, 24), 1) == date(2024, 12, 27)


def _licence(event_id: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {"event_id": event_id, "type": "LICENCE", "start_date": start, "end_date": end, **extra}


def test_a_bare_date_ties_with_a_contact_timed_at_midnight(engine: Engine) -> None:
    # docs/conventions.md: a date-only contact counts as the first moment of its day, so it ties
    # with a contact timed 00:00 and input order decides which one meets the induction.
    midnight = {
        "contact_id": "MIDNIGHT",
        "date": "2024-05-07T00:00",
        "type": "APPOINTMENT",
        "mode": "FACE_TO_FACE",
        "outcome": "ATTENDED",
    }
    bare = {"contact_id": "BARE", "date": "2024-05-07", "type": "HOME_VISIT", "outcome": "ATTENDED"}
    for contacts, first in (([midnight, bare], "MIDNIGHT"), ([bare, midnight], "BARE")):
        case = {
            "crn": "T1",
            "events": [_licence("1", "2024-05-06", "2025-06-10")],
            "contacts": contacts,
        }
        on = date(2024, 5, 10)
        induction = reference_evaluate(case, on)["obligations"][0]
        assert (induction["rule"], induction["met_by"]) == ("NS_INDUCTION", first)
        _compare(engine, case, on)


def test_recording_duties_of_one_day_and_event_follow_the_contacts_date_and_time(
    engine: Engine,
) -> None:
    case = {
        "crn": "T2",
        "events": [],
        "contacts": [
            {"contact_id": "LATE", "date": "2023-06-01T00:30", "type": "APPOINTMENT"},
            {
                "contact_id": "EARLY",
                "date": "2023-06-01",
                "type": "APPOINTMENT",
                "recorded_on": "2023-06-01",
            },
        ],
    }
    statuses = [o["status"] for o in reference_evaluate(case, date(2023, 6, 1))["obligations"]]
    assert statuses == ["MET", "DUE"]
    _compare(engine, case, date(2023, 6, 1))


def test_a_timeline_starts_at_an_event_terminated_on_its_first_day(engine: Engine) -> None:
    case = {
        "crn": "T3",
        "events": [
            _licence("1", "2024-01-01", "2024-12-31", terminated_on="2024-01-01"),
            _licence("2", "2024-02-01", "2024-12-31"),
        ],
    }
    timeline = reference_evaluate(case, date(2024, 3, 1))["timeline"]
    assert timeline[0] == {
        "from": "2024-01-01",
        "to": "2024-01-31",
        "status": "ENDED",
        "exemptions": [],
    }
    _compare(engine, case, date(2024, 3, 1))
    # Only never-active events: nothing to list.
    case["events"] = case["events"][:1]
    assert reference_evaluate(case, date(2024, 3, 1))["timeline"] == []
    _compare(engine, case, date(2024, 3, 1))


def test_a_no_fixed_abode_period_is_cut_to_its_event_s_last_active_day(engine: Engine) -> None:
    # Section 5: the period's event is the first in FINAL_THIRD or PSS on its first day, and a
    # due_by after that event's last active day is cut to it, even while another keeps the
    # suspension going.
    case = {
        "crn": "T4",
        "events": [
            _licence(
                "1",
                "2024-01-01",
                "2024-09-10",
                key_dates={"probation_reset_date": "2024-05-01"},
                terminated_on="2024-06-10",
            ),
            _licence(
                "2", "2024-02-01", "2024-10-31", key_dates={"probation_reset_date": "2024-05-01"}
            ),
        ],
        "registrations": [{"type": "NO_FIXED_ABODE", "start_date": "2024-01-01"}],
    }
    on = date(2024, 9, 30)
    periods = [
        (o["event_id"], o["window_start"], o["due_by"])
        for o in reference_evaluate(case, on)["obligations"]
        if o["rule"] == "RESET_NFA_CHECK_IN"
    ]
    assert periods[:3] == [
        ("1", "2024-05-01", "2024-05-28"),
        ("1", "2024-05-29", "2024-06-09"),
        ("2", "2024-06-26", "2024-07-23"),
    ]
    _compare(engine, case, on)


def test_obligations_of_one_day_and_rule_follow_event_input_order(engine: Engine) -> None:
    # CONTRACT.md 4.2: obligations are "ordered by window_start, then the order of section 5's
    # table, then event input order"; the recording duty of event 1's contact comes first.
    case = {
        "crn": "T5",
        "events": [
            {
                "event_id": "1",
                "type": "COMMUNITY_ORDER",
                "start_date": "2023-06-01",
                "end_date": "2023-06-01",
            },
            {
                "event_id": "2",
                "type": "COMMUNITY_ORDER",
                "start_date": "2023-06-01",
                "end_date": "2023-06-01",
            },
        ],
        "contacts": [
            {"contact_id": "A", "date": "2023-06-01", "type": "APPOINTMENT", "event_id": "2"},
            {"contact_id": "B", "date": "2023-06-01", "type": "APPOINTMENT", "event_id": "1"},
        ],
    }
    recording = [
        o["event_id"]
        for o in reference_evaluate(case, date(2023, 6, 1))["obligations"]
        if o["rule"] == "NS_RECORD_1WD"
    ]
    assert recording == ["1", "2"]
    _compare(engine, case, date(2023, 6, 1))


def test_an_em_condition_dated_before_release_counts_on_the_day_before_the_final_third(
    engine: Engine,
) -> None:
    # Section 5: RESET_PRE_EM_CURFEW_REVIEW applies where an EM or CURFEW condition "is in force
    # on the day before the final-third start"; in force goes by the condition's own dates, even
    # on a day before the licence starts (PR1 on the release day).
    case = {
        "crn": "T6",
        "events": [
            _licence(
                "1",
                "2024-06-03",
                "2025-06-10",
                key_dates={"probation_reset_date": "2024-06-03"},
                licence_conditions=[{"type": "EM", "start_date": "2024-05-01"}],
            )
        ],
    }
    on = date(2024, 6, 20)
    rules = [o["rule"] for o in reference_evaluate(case, on)["obligations"]]
    assert "RESET_PRE_EM_CURFEW_REVIEW" in rules
    _compare(engine, case, on)
