"""Caseloads for the storage tests: the project's scenarios, generated people, broken records."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

from probation_reset.intake.reader import read_cases
from probation_reset.sample.generator import generate_caseload

SCENARIOS = Path(__file__).parent.parent / "scenarios"
AS_OF = date(2025, 11, 3)


def scenario_cases() -> list[tuple[date, dict[str, Any]]]:
    """Every valid case of the scenario files, with the scenario's day, CRNs unique."""
    found: list[tuple[date, dict[str, Any]]] = []
    seen: set[str] = set()
    for path in sorted(SCENARIOS.glob("*.json")):
        scenario = json.loads(path.read_text())
        if "input" not in scenario or "on" not in scenario:
            continue
        cases = scenario["input"]
        cases = cases["cases"] if isinstance(cases, dict) else cases
        intake = read_cases(cases)
        for index, case in intake.cases:
            if case.crn not in seen:
                seen.add(case.crn)
                found.append((date.fromisoformat(scenario["on"]), cases[index]))
    return found


def generated(people: int, seed: int = 11) -> list[dict[str, Any]]:
    return [dict(case) for case in generate_caseload(people, seed, AS_OF)]


def _set(case: dict[str, Any], path: list[Any], value: Any) -> None:
    holder: Any = case
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value


#: Ways to break a good case: (name, field expected in the error, how).
BREAKAGES: list[tuple[str, str, Any]] = [
    ("bad event type", "events[0].type", lambda c: _set(c, ["events", 0, "type"], "PAROLE")),
    ("bad date", "events[0].start_date", lambda c: _set(c, ["events", 0, "start_date"], "1/2/24")),
    (
        "end before start",
        "events[0].end_date",
        lambda c: _set(c, ["events", 0, "end_date"], "1999-01-01"),
    ),
    ("missing events", "events", lambda c: c.pop("events")),
    ("missing crn", "crn", lambda c: c.pop("crn")),
    (
        "unknown NDelius registration code",
        "registrations[0].type",
        lambda c: c.setdefault("registrations", []).insert(
            0, {"type": "ZZMAPP", "start_date": "2025-01-01"}
        ),
    ),
    (
        "unknown NDelius contact outcome",
        "contacts[0].outcome",
        lambda c: c.setdefault("contacts", []).insert(
            0,
            {"contact_id": "bad", "date": "2025-01-02", "type": "COAP", "outcome": "ZZZZ"},
        ),
    ),
    (
        "contact naming no event",
        "contacts[0].event_id",
        lambda c: c.setdefault("contacts", []).insert(
            0, {"contact_id": "bad", "date": "2025-01-02", "type": "OTHER", "event_id": "nope"}
        ),
    ),
    (
        "unknown key date code",
        "events[0].key_dates.XYZ",
        lambda c: _set(c, ["events", 0, "key_dates"], {"XYZ": "2025-01-01"}),
    ),
    ("not an object", "", lambda c: None),
]


def malformed(good: list[dict[str, Any]], count: int) -> list[tuple[dict[str, Any] | Any, str]]:
    """``count`` broken records, each with the field its error must name, the kinds taken in
    turn; a CRN of the good ones is reused every ``len(BREAKAGES) + 1``-th time (a duplicate)."""
    broken: list[tuple[Any, str]] = []
    for n in range(count):
        if n % (len(BREAKAGES) + 1) == len(BREAKAGES):
            duplicate = copy.deepcopy(good[n % len(good)])
            broken.append((duplicate, "crn"))
            continue
        name, field, breaking = BREAKAGES[n % (len(BREAKAGES) + 1)]
        case = copy.deepcopy(good[n % len(good)])
        case["crn"] = f"BAD{n:05d}"
        if name == "not an object":
            broken.append(([case["crn"]], field))
            continue
        breaking(case)
        broken.append((case, field))
    return broken
