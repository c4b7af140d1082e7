"""Hand-made cases for the hub's tests, as contract JSON, and the day they are judged on.

A licence from 2025-01-01 to 2026-01-01 enters its final third on 2025-09-01 (start + 243 days):
from then on, without an exemption, contact is suspended.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

ON = date(2025, 10, 15)
NOW = datetime(2025, 10, 15, 9, 30)
EAST_MIDLANDS = "East Midlands"


def manager(team: str = "Leicester 1", region: str = EAST_MIDLANDS) -> dict[str, str]:
    return {"region": region, "pdu": "Leicester", "team": team, "staff_name": "Sam Patel"}


def licence_case(
    crn: str,
    registrations: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    start: str = "2025-01-01",
    end: str = "2026-01-01",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "crn": crn,
        "manager": extra.pop("manager", manager()),
        "events": [
            {
                "event_id": "1",
                "type": "LICENCE",
                "start_date": start,
                "end_date": end,
                "licence_conditions": [{"type": "REPORTING"}],
            }
        ],
        "registrations": registrations or [],
        "contacts": contacts or [],
        **extra,
    }


def registration(kind: str, start: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "start_date": start, **fields}


def letter(contact_id: str, day: str) -> dict[str, Any]:
    return {"contact_id": contact_id, "date": day, "type": "SUSPENSION_LETTER"}


#: Suspended since 2025-09-01, no letter: a letter and the final-third contact are due.
SUSPENDED = licence_case("A100001")
#: Suspended, letter sent, no fixed abode, RoSH HIGH: check-ins missed and due.
NO_FIXED_ABODE = licence_case(
    "B100002",
    [
        registration("NO_FIXED_ABODE", "2025-08-01"),
        registration("ROSH", "2025-02-01", level="HIGH"),
    ],
    [
        letter("L1", "2025-08-20"),
        {
            "contact_id": "A1",
            "date": "2025-09-15",
            "type": "APPOINTMENT",
            "mode": "TELEPHONE",
            "outcome": "ATTENDED",
        },
    ],
    manager=manager("Leicester 2"),
)
#: PRC recorded, but the licence is before its final third: contact continues.
PRC_ACTIVE = licence_case(
    "C100003",
    [registration("CONTACT_SUSPENDED", "2025-09-20")],
    start="2025-06-01",
    end="2026-06-01",
)
#: Suspended from 2025-09-01, MAPPA level 2 from 2025-10-01: reinstated 14 days before ON.
REINSTATED = licence_case(
    "D100004",
    [registration("MAPPA", "2025-10-01", level=2, category=1)],
    [letter("L1", "2025-08-25")],
)
#: Suspended in another region.
WALES = licence_case("E100005", manager=manager("Cardiff 1", "Wales"))

HUB_CASES = [SUSPENDED, NO_FIXED_ABODE, PRC_ACTIVE, REINSTATED, WALES]

#: Text that must be stored and shown exactly as written.
HOSTILE = (
    "[bold red]MARAC[/] <script>alert('x')</script> '; DROP TABLE hub_items; -- "
    "\x1b[31mred\x1b[0m \u202eevil\u202c ünïcødé 💥"
)
