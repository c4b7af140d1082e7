"""Hypothesis strategy: cases as JSON-ready dicts in the contract's input format, valid or not
(dates out of order, duplicate CRNs, levels of either kind), every optional field present or
absent."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat)
_maybe_days = st.none() | _days
_entry = st.fixed_dictionaries(
    {"type": st.sampled_from(["RAR", "UPW", "CURFEW"])},
    optional={
        "start_date": _days,
        "end_date": _days,
        "days": st.integers(0, 60),
        "hours": st.integers(0, 300),
    },
)
_condition = st.fixed_dictionaries(
    {"type": st.sampled_from(["REPORTING", "EM"])},
    optional={"start_date": _days, "end_date": _days},
)


@st.composite
def json_cases(draw: st.DrawFn) -> dict[str, Any]:
    case: dict[str, Any] = {"crn": draw(st.text("ABX0123", min_size=1, max_size=6))}
    if draw(st.booleans()):
        case["manager"] = draw(
            st.fixed_dictionaries(
                {}, optional={"region": st.text(max_size=5), "staff_code": st.text(max_size=5)}
            )
        )
    if draw(st.booleans()):
        case["date_of_birth"] = draw(_days)
    events = []
    for number in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["LICENCE", "COMMUNITY_ORDER", "SUSPENDED_SENTENCE_ORDER"]))
        event: dict[str, Any] = {
            "event_id": str(number + 1),
            "type": kind,
            "start_date": draw(_days),
            "end_date": draw(_maybe_days),
            "youth": draw(st.booleans()),
        }
        if kind == "LICENCE":
            event["pss_end_date"] = draw(_maybe_days)
            event["licence_conditions"] = draw(st.lists(_condition, max_size=2))
        else:
            event["requirements"] = draw(st.lists(_entry, max_size=2))
        if draw(st.booleans()):
            event["terminated_on"] = draw(_days)
        if draw(st.booleans()):
            event["key_dates"] = {"probation_reset_date": draw(_days)}
        events.append(event)
    case["events"] = events
    case["registrations"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {"type": st.sampled_from(["ROSH", "MAPPA", "NSD"]), "start_date": _days},
                optional={
                    "deregistered_on": _days,
                    "level": st.sampled_from(["LOW", "VERY_HIGH", 1, 3]),
                    "category": st.integers(1, 4),
                },
            ),
            max_size=3,
        )
    )
    contacts = []
    for number in range(draw(st.integers(0, 4))):
        moment = draw(_days) + draw(st.sampled_from(["", "T09:15", "T16:45"]))
        contact: dict[str, Any] = {
            "contact_id": f"C{number}",
            "date": moment,
            "type": "APPOINTMENT",
        }
        if events and draw(st.booleans()):
            contact["event_id"] = "1"
        contact["mode"] = draw(st.sampled_from([None, "FACE_TO_FACE", "VIDEO"]))
        contact["outcome"] = draw(st.sampled_from([None, "ATTENDED", "FAILED_TO_ATTEND"]))
        if draw(st.booleans()):
            contact["recorded_on"] = draw(_days)
        contacts.append(contact)
    case["contacts"] = contacts
    return case
