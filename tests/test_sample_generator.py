"""The synthetic caseload generator and the bundled sample caseload.

The validity checks here are written from CONTRACT.md section 2 on their own (not with the
project's intake code), and `_status_on` is a small independent reading of section 3 used to
check that the hand-crafted showcase people really are in the situations they claim.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from probation_reset.sample.generator import (
    MAX_PEOPLE,
    SAMPLE_AS_OF,
    SAMPLE_FILE_NAME,
    SAMPLE_PEOPLE,
    SAMPLE_SEED,
    bundled_caseload,
    generate_caseload,
    read_bundled_caseload,
    showcase_cases,
    write_jsonl,
)
from probation_reset.sample.generator import distributions as generator_distributions
from probation_reset.sample.generator.distributions import (
    DISTRIBUTIONS,
    Distributions,
    parse_distributions,
)
from probation_reset.sample.generator.managers import Allocation
from probation_reset.sample.generator.people import synthetic_case

EVENT_TYPES = {"COMMUNITY_ORDER", "SUSPENDED_SENTENCE_ORDER", "LICENCE"}
REQUIREMENT_TYPES = {
    "RAR", "UPW", "DRR", "ATR", "MHTR", "ACCREDITED_PROGRAMME", "CURFEW", "EM", "EXCLUSION",
    "PROHIBITED_ACTIVITY", "RESIDENCE", "ALCOHOL_ABSTINENCE", "OTHER",
}  # fmt: skip
CONDITION_TYPES = {
    "REPORTING", "DRUG_TESTING", "CURFEW", "EM", "EXCLUSION_ZONE", "NON_CONTACT", "RESIDENCE",
    "ACCREDITED_PROGRAMME", "OTHER",
}  # fmt: skip
REGISTRATION_TYPES = {
    "MAPPA", "ROSH", "NSD", "CHILD_PROTECTION", "CHILD_CONCERNS", "CHILD_IN_NEED", "ISC",
    "NO_FIXED_ABODE", "RISK_TO_SELF", "DOMESTIC_ABUSE", "IOM", "SEXUAL_OFFENCE_NOTIFICATION",
    "ROSH_TO_CHILDREN_HIGH", "OTHER",
}  # fmt: skip
ROSH_LEVELS = {"LOW", "MEDIUM", "HIGH", "VERY_HIGH"}
CONTACT_TYPES = {
    "APPOINTMENT", "INDUCTION", "HOME_VISIT", "CHECK_IN", "RMP_REVIEW",
    "LICENCE_CONDITIONS_REVIEW", "EM_CURFEW_REVIEW", "SAFETY_PLAN", "SUSPENSION_LETTER", "OTHER",
}  # fmt: skip
MANAGER_FIELDS = {"region", "pdu", "team", "staff_code", "staff_name"}
MODES = {"FACE_TO_FACE", "VIDEO", "TELEPHONE", "OTHER"}
OUTCOMES = {"ATTENDED", "FAILED_TO_ATTEND", "ACCEPTABLE_ABSENCE", None}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}")
RESET_IN_FORCE_FROM = date(2024, 4, 1)


def _day(value: object) -> date:
    assert isinstance(value, str) and DATE.fullmatch(value), value
    return date.fromisoformat(value)


def _contact_day(value: object) -> date:
    assert isinstance(value, str), value
    match = DATE_TIME.fullmatch(value)
    return date.fromisoformat(match.group(1)) if match else _day(value)


def case_problems(case: Mapping[str, Any], as_of: date) -> list[str]:
    """What is wrong with `case` under CONTRACT.md section 2 (empty when valid)."""
    problems: list[str] = []

    def check(condition: bool, what: str) -> None:
        if not condition:
            problems.append(f"{case.get('crn')}: {what}")

    check(
        isinstance(case["crn"], str) and re.fullmatch(r"[XS]\d{6}", case["crn"]) is not None, "crn"
    )
    if "date_of_birth" in case:
        check(_day(case["date_of_birth"]) < as_of, "date_of_birth")
    if "manager" in case:
        manager = case["manager"]
        check(set(manager) <= MANAGER_FIELDS, "manager fields")
        check(all(isinstance(value, str) and value for value in manager.values()), "manager")
    event_ids: list[str] = []
    for event in case["events"]:
        event_ids.append(event["event_id"])
        check(event["type"] in EVENT_TYPES, "event type")
        start = _day(event["start_date"])
        end = None if event["end_date"] is None else _day(event["end_date"])
        licence = event["type"] == "LICENCE"
        check(end is not None or licence, "null end_date on an order")
        check(end is None or end > start, "end_date after start_date")
        pss_end = event.get("pss_end_date")
        if pss_end is not None:
            check(licence and end is not None and _day(pss_end) > end, "pss_end_date")
        check(isinstance(event.get("youth", False), bool), "youth")
        if event.get("terminated_on") is not None:
            check(_day(event["terminated_on"]) > start, "terminated_on after start")
            check(_day(event["terminated_on"]) <= as_of, "terminated_on by as_of")
        entries = event.get("licence_conditions" if licence else "requirements", [])
        check(("requirements" if licence else "licence_conditions") not in event, "entry list")
        check(licence or len(entries) > 0, "an order has requirements")
        for entry in entries:
            check(
                entry["type"] in (CONDITION_TYPES if licence else REQUIREMENT_TYPES), "entry type"
            )
            if "start_date" in entry and "end_date" in entry:
                entry_start, entry_end = _day(entry["start_date"]), _day(entry["end_date"])
                check(start <= entry_start <= entry_end, "entry dates")
                check(end is None or entry_end <= end, "entry within the event")
        reset_date = event.get("key_dates", {}).get("probation_reset_date")
        if reset_date is not None:
            check(end is not None and start <= _day(reset_date) <= end, "probation_reset_date")
    check(len(event_ids) == len(set(event_ids)), "unique event_ids")
    for registration in case["registrations"]:
        kind = registration["type"]
        check(kind in REGISTRATION_TYPES, "registration type")
        start = _day(registration["start_date"])
        check(start <= as_of, "registered by as_of")
        if registration.get("deregistered_on") is not None:
            deregistered = _day(registration["deregistered_on"])
            check(start < deregistered <= as_of, "deregistered_on")
        if kind == "MAPPA":
            check(registration["category"] in {1, 2, 3, 4}, "MAPPA category")
            check(registration["level"] in {1, 2, 3}, "MAPPA level")
        elif kind == "ROSH":
            check(registration["level"] in ROSH_LEVELS, "RoSH level")
        else:
            check("level" not in registration and "category" not in registration, "level")
    contact_ids: list[str] = []
    for contact in case["contacts"]:
        contact_ids.append(contact["contact_id"])
        check(contact.get("event_id", event_ids[0] if event_ids else None) in event_ids, "event_id")
        day = _contact_day(contact["date"])
        check(contact["type"] in CONTACT_TYPES, "contact type")
        check(contact.get("mode") in MODES | {None}, "mode")
        check(contact.get("outcome") in OUTCOMES, "outcome")
        check((contact.get("outcome") is None) == (day > as_of), "booked iff after as_of")
        if contact.get("recorded_on") is not None:
            check(day <= _day(contact["recorded_on"]) <= as_of, "recorded_on")
    check(len(contact_ids) == len(set(contact_ids)), "unique contact_ids")
    return problems


def _last_active_day(event: Mapping[str, Any]) -> date | None:
    last = event.get("pss_end_date") or event["end_date"]
    last_day = None if last is None else _day(last)
    if event.get("terminated_on"):
        cut = _day(event["terminated_on"]) - timedelta(days=1)
        last_day = cut if last_day is None else min(last_day, cut)
    return last_day


def _phase(event: Mapping[str, Any], day: date) -> str:
    """Event phase on `day`, CONTRACT.md section 3."""
    start = _day(event["start_date"])
    if day < start:
        return "NOT_STARTED"
    last = _last_active_day(event)
    if last is not None and day > last:
        return "ENDED"
    has_rar = any(entry["type"] == "RAR" for entry in event.get("requirements", []))
    if event["type"] != "LICENCE" and not has_rar:
        return "NO_RESET"
    if event["end_date"] is None:
        return "NO_FINAL_THIRD"
    end = _day(event["end_date"])
    if day > end:
        return "PSS"
    reset_date = event.get("key_dates", {}).get("probation_reset_date")
    final_third = (
        _day(reset_date) if reset_date else start + timedelta(days=(2 * (end - start).days) // 3)
    )
    return "FINAL_THIRD" if day >= final_third else "BEFORE_FINAL_THIRD"


def _active(registration: Mapping[str, Any], day: date) -> bool:
    deregistered = registration.get("deregistered_on")
    return _day(registration["start_date"]) <= day and (
        deregistered is None or day < _day(deregistered)
    )


def _status_on(case: Mapping[str, Any], day: date) -> tuple[str, list[str]]:
    """Person status and exemptions on `day`, CONTRACT.md section 3."""
    flags = [registration for registration in case["registrations"] if _active(registration, day)]
    kinds = {flag["type"] for flag in flags}
    roshes = [flag for flag in flags if flag["type"] == "ROSH"]
    rosh = max(roshes, key=lambda flag: flag["start_date"])["level"] if roshes else None
    phases = [(event, _phase(event, day)) for event in case["events"]]
    active = [(event, phase) for event, phase in phases if phase not in {"NOT_STARTED", "ENDED"}]
    exemptions = [
        rule
        for rule, applies in (
            ("EXEMPT_MAPPA", "MAPPA" in kinds),
            ("EXEMPT_NSD", "NSD" in kinds),
            ("EXEMPT_VERY_HIGH_ROSH", rosh == "VERY_HIGH"),
            ("EXEMPT_CHILD_PROTECTION_PLAN", "CHILD_PROTECTION" in kinds),
            ("EXEMPT_ISC", "ISC" in kinds),
            ("EXEMPT_YOUTH_SENTENCE", any(event.get("youth") for event, _ in active)),
        )
        if applies
    ]
    in_force = day >= RESET_IN_FORCE_FROM
    if not active:
        return "ENDED", exemptions
    reset_phases = {phase for _, phase in active} & {"FINAL_THIRD", "PSS"}
    if any(phase in {"BEFORE_FINAL_THIRD", "NO_FINAL_THIRD"} for _, phase in active) or (
        reset_phases and not in_force
    ):
        return "ACTIVE", exemptions
    if reset_phases:
        return ("EXEMPT" if exemptions else "SUSPENDED"), exemptions
    return "NOT_APPLICABLE", exemptions


def _all_problems(cases: Iterable[Mapping[str, Any]], as_of: date) -> list[str]:
    problems: list[str] = []
    crns: set[str] = set()
    for case in cases:
        problems.extend(case_problems(case, as_of))
        if case["crn"] in crns:
            problems.append(f"duplicate crn {case['crn']}")
        crns.add(case["crn"])
    return problems


@pytest.fixture(scope="module")
def caseload_2000() -> list[dict[str, object]]:
    return list(generate_caseload(2000, 2024, SAMPLE_AS_OF))


def test_same_seed_gives_identical_output() -> None:
    first = list(generate_caseload(60, 11, date(2025, 6, 30)))
    second = list(generate_caseload(60, 11, date(2025, 6, 30)))
    assert first == second
    assert json.dumps(first) == json.dumps(second)
    assert len(first) == 60


def test_different_seeds_or_dates_differ() -> None:
    base = list(generate_caseload(30, 1, SAMPLE_AS_OF))
    assert base != list(generate_caseload(30, 2, SAMPLE_AS_OF))
    assert [case["crn"] for case in base] != [
        case["crn"] for case in generate_caseload(30, 2, SAMPLE_AS_OF)
    ]
    assert base != list(generate_caseload(30, 1, SAMPLE_AS_OF + timedelta(days=1)))


def test_prefix_is_stable_and_global_random_untouched() -> None:
    random.seed(99)
    expected = random.random()
    random.seed(99)
    longer = list(generate_caseload(40, 5, SAMPLE_AS_OF))
    assert random.random() == expected
    assert list(generate_caseload(10, 5, SAMPLE_AS_OF)) == longer[:10]


def test_people_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        list(generate_caseload(-1, 1, SAMPLE_AS_OF))
    assert list(generate_caseload(0, 1, SAMPLE_AS_OF)) == []


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**64),
    people=st.integers(min_value=1, max_value=25),
    as_of=st.dates(min_value=date(2019, 1, 1), max_value=date(2031, 12, 31)),
)
def test_every_generated_case_is_valid(seed: int, people: int, as_of: date) -> None:
    cases = list(generate_caseload(people, seed, as_of))
    assert len(cases) == people
    assert _all_problems(cases, as_of) == []
    assert json.loads(json.dumps(cases)) == cases


def test_two_thousand_people_are_valid_and_realistic(caseload_2000: list[dict[str, Any]]) -> None:
    cases = caseload_2000
    assert _all_problems(cases, SAMPLE_AS_OF) == []
    contacts = [len(case["contacts"]) for case in cases]
    assert 30 <= sum(contacts) / len(cases) <= 50

    events = [event for case in cases for event in case["events"]]
    types = Counter(event["type"] for event in events)
    assert 0.40 <= types["LICENCE"] / len(events) <= 0.50
    assert 0.35 <= types["COMMUNITY_ORDER"] / len(events) <= 0.45
    assert 0.11 <= types["SUSPENDED_SENTENCE_ORDER"] / len(events) <= 0.19
    orders = [event for event in events if event["type"] != "LICENCE"]
    with_rar = [event for event in orders if any(r["type"] == "RAR" for r in event["requirements"])]
    assert 0.64 <= len(with_rar) / len(orders) <= 0.76
    assert any(all(r["type"] == "UPW" for r in event["requirements"]) for event in orders)
    licences = [event for event in events if event["type"] == "LICENCE"]
    assert 0.10 <= sum(1 for e in licences if e["pss_end_date"]) / len(licences) <= 0.20
    assert any(event["end_date"] is None for event in licences)
    for event in orders:
        months = (_day(event["end_date"]) - _day(event["start_date"])).days / 30.44
        assert 5.9 <= months <= 36.1
    reporting = sum(
        1 for e in licences if any(c["type"] == "REPORTING" for c in e["licence_conditions"])
    )
    assert reporting / len(licences) >= 0.93

    people_with = Counter(
        kind for case in cases for kind in {flag["type"] for flag in case["registrations"]}
    )
    assert 0.05 <= people_with["MAPPA"] / len(cases) <= 0.11
    assert 0.02 <= people_with["CHILD_PROTECTION"] / len(cases) <= 0.06
    assert 0.03 <= people_with["NO_FIXED_ABODE"] / len(cases) <= 0.07
    first_rosh = Counter(
        next(flag["level"] for flag in case["registrations"] if flag["type"] == "ROSH")
        for case in cases
        if any(flag["type"] == "ROSH" for flag in case["registrations"])
    )
    total_rosh = sum(first_rosh.values())
    assert 0.25 <= first_rosh["LOW"] / total_rosh <= 0.35
    assert 0.40 <= first_rosh["MEDIUM"] / total_rosh <= 0.50
    assert 0.16 <= first_rosh["HIGH"] / total_rosh <= 0.24
    assert 0.03 <= first_rosh["VERY_HIGH"] / total_rosh <= 0.07
    mappa_levels = {
        (f["level"], f["category"])
        for c in cases
        for f in c["registrations"]
        if f["type"] == "MAPPA"
    }
    assert {level for level, _ in mappa_levels} >= {1, 2}
    assert {category for _, category in mappa_levels} >= {1, 2}


def test_phases_and_statuses_spread_on_as_of(caseload_2000: list[dict[str, Any]]) -> None:
    phases = Counter(
        _phase(event, SAMPLE_AS_OF) for case in caseload_2000 for event in case["events"]
    )
    assert set(phases) == {
        "NOT_STARTED", "ENDED", "NO_RESET", "NO_FINAL_THIRD", "BEFORE_FINAL_THIRD",
        "FINAL_THIRD", "PSS",
    }  # fmt: skip
    assert phases["BEFORE_FINAL_THIRD"] > phases["FINAL_THIRD"] > phases["PSS"] > 0
    assert 0 < phases["NOT_STARTED"] < 0.06 * sum(phases.values())
    statuses = Counter(_status_on(case, SAMPLE_AS_OF)[0] for case in caseload_2000)
    assert set(statuses) == {"ACTIVE", "EXEMPT", "SUSPENDED", "NOT_APPLICABLE", "ENDED"}
    assert statuses["ACTIVE"] > statuses["SUSPENDED"] > statuses["EXEMPT"]


def test_contacts_look_like_ndelius_records(caseload_2000: list[dict[str, Any]]) -> None:
    contacts = [contact for case in caseload_2000 for contact in case["contacts"]]
    types = Counter(contact["type"] for contact in contacts)
    assert types.keys() >= {
        "INDUCTION", "APPOINTMENT", "HOME_VISIT", "CHECK_IN", "RMP_REVIEW",
        "LICENCE_CONDITIONS_REVIEW", "EM_CURFEW_REVIEW", "SAFETY_PLAN",
    }  # fmt: skip
    outcomes = Counter(contact["outcome"] for contact in contacts)
    held = [c for c in contacts if c["outcome"] is not None]
    assert outcomes["ATTENDED"] / len(held) > 0.8
    assert outcomes["FAILED_TO_ATTEND"] > 0 and outcomes["ACCEPTABLE_ABSENCE"] > 0
    assert outcomes[None] > 0
    assert any("T" in contact["date"] for contact in contacts)
    assert any("recorded_on" not in contact for contact in held)
    modes = Counter(contact.get("mode") for contact in contacts)
    assert modes.keys() >= {"FACE_TO_FACE", "VIDEO", "TELEPHONE"}
    for case in caseload_2000:
        days = [_contact_day(contact["date"]) for contact in case["contacts"]]
        assert days == sorted(days)
        assert all(day.weekday() < 5 for day in days)


def test_showcase_people_cover_every_status_and_exemption() -> None:
    expected = {
        "S000001": ("ACTIVE", []),
        "S000002": ("SUSPENDED", []),
        "S000003": ("NOT_APPLICABLE", []),
        "S000004": ("ENDED", []),
        "S000005": ("EXEMPT", ["EXEMPT_MAPPA"]),
        "S000006": ("ACTIVE", ["EXEMPT_MAPPA"]),
        "S000007": ("EXEMPT", ["EXEMPT_NSD"]),
        "S000008": ("EXEMPT", ["EXEMPT_VERY_HIGH_ROSH"]),
        "S000009": ("ACTIVE", []),
        "S000010": ("EXEMPT", ["EXEMPT_CHILD_PROTECTION_PLAN"]),
        "S000011": ("EXEMPT", ["EXEMPT_ISC"]),
        "S000012": ("EXEMPT", ["EXEMPT_YOUTH_SENTENCE"]),
        "S000013": ("SUSPENDED", []),
        "S000014": ("SUSPENDED", []),
        "S000015": ("ACTIVE", ["EXEMPT_MAPPA"]),
        "S000016": ("ENDED", []),
        "S000017": ("SUSPENDED", []),
        "S000018": ("ENDED", []),
        "S000019": ("ACTIVE", []),
        "S000020": ("SUSPENDED", []),
    }
    for as_of in (SAMPLE_AS_OF, date(2025, 4, 1), date(2027, 2, 14)):
        cases = showcase_cases(as_of)
        assert _all_problems(cases, as_of) == []
        assert {case["crn"]: _status_on(case, as_of) for case in cases} == expected


def test_showcase_situations() -> None:
    cases: dict[str, dict[str, Any]] = {
        str(case["crn"]): case for case in showcase_cases(SAMPLE_AS_OF)
    }
    day = SAMPLE_AS_OF
    # Reinstatement: suspended when its final third began, exempt once MAPPA started.
    reinstated = cases["S000005"]
    assert _status_on(reinstated, day - timedelta(days=11)) == ("SUSPENDED", [])
    assert _status_on(reinstated, day - timedelta(days=10)) == ("EXEMPT", ["EXEMPT_MAPPA"])
    # The PSS case is in PSS, the PR1 case in its final third by key date.
    assert _phase(cases["S000013"]["events"][0], day) == "PSS"
    assert _phase(cases["S000017"]["events"][0], day) == "FINAL_THIRD"
    assert _phase(cases["S000015"]["events"][0], day) == "NO_FINAL_THIRD"
    assert _phase(cases["S000016"]["events"][0], day) == "NOT_STARTED"
    # The suspended licence has exactly one appointment in its final third (from day - 28).
    licence = cases["S000002"]
    in_final_third = [
        c for c in licence["contacts"] if _contact_day(c["date"]) >= day - timedelta(days=28)
    ]
    assert [(c["type"], c["outcome"]) for c in in_final_third] == [("APPOINTMENT", "ATTENDED")]
    # MAPPA level 2 from day - 120 with a home visit within 15 working days.
    levels = [
        (f["level"], f["start_date"])
        for f in cases["S000006"]["registrations"]
        if f["type"] == "MAPPA"
    ]
    assert [level for level, _ in levels] == [1, 2]
    visits = [c for c in cases["S000006"]["contacts"] if c["type"] == "HOME_VISIT"]
    assert [_contact_day(c["date"]) - _day(levels[1][1]) for c in visits] == [timedelta(days=10)]
    # High RoSH: a face-to-face contact held in every whole ISO week of the order by `as_of`.
    high = cases["S000009"]
    weeks = {
        _contact_day(c["date"]).isocalendar()[:2]
        for c in high["contacts"]
        if c.get("mode") == "FACE_TO_FACE" and c["outcome"] == "ATTENDED"
    }
    start = _day(high["events"][0]["start_date"])
    last_sunday = day - timedelta(days=day.weekday() + 1)
    expected_weeks = {
        (start + timedelta(days=offset)).isocalendar()[:2]
        for offset in range(0, (last_sunday - start).days + 1)
    }
    assert len(expected_weeks) >= 20
    assert expected_weeks <= weeks
    # No fixed abode in the final third: check-ins at most 28 days apart.
    check_ins = [
        _contact_day(c["date"]) for c in cases["S000014"]["contacts"] if c["type"] == "CHECK_IN"
    ]
    assert len(check_ins) >= 2
    assert all((b - a).days <= 28 for a, b in pairwise(check_ins))


def test_bundled_file_is_current(tmp_path: Path) -> None:
    written = tmp_path / SAMPLE_FILE_NAME
    showcase = showcase_cases(SAMPLE_AS_OF)
    generated = list(generate_caseload(SAMPLE_PEOPLE, SAMPLE_SEED, SAMPLE_AS_OF))
    assert write_jsonl(bundled_caseload(), written) == len(showcase) + SAMPLE_PEOPLE
    bundled = Path(__file__).parents[1] / "src/probation_reset/sample" / SAMPLE_FILE_NAME
    assert bundled.read_bytes() == written.read_bytes()
    cases = read_bundled_caseload()
    # The showcase people, each given one of the generated practitioners, then the generated.
    assert [{k: v for k, v in case.items() if k != "manager"} for case in cases[:20]] == showcase
    assert cases[len(showcase) :] == generated
    assert len(cases) == len(showcase) + 240
    assert _all_problems(cases, SAMPLE_AS_OF) == []


def test_bundled_sample_has_realistic_managers() -> None:
    cases = read_bundled_caseload()
    assert all(list(case)[:2] == ["crn", "manager"] for case in cases)
    managers = [case["manager"] for case in cases]
    caseloads = Counter(manager["staff_code"] for manager in managers)
    assert len(caseloads) == 6
    assert all(30 <= size <= 50 for size in caseloads.values()), caseloads
    # One name, team, PDU and region per staff code.
    assert len({tuple(manager.values()) for manager in managers}) == len(caseloads)
    assert {manager["region"] for manager in managers} == {
        "North East", "East Midlands", "London", "Wales"
    }  # fmt: skip
    assert len({manager["pdu"] for manager in managers}) == 5
    assert len({manager["team"] for manager in managers}) == 5


@pytest.mark.parametrize("people", [1, 39, 1000, 12_345])
def test_caseloads_stay_between_30_and_50_at_any_size(people: int) -> None:
    allocation = Allocation(people, 3)
    sizes = Counter(allocation.manager(position)["staff_code"] for position in range(people))
    assert sum(sizes.values()) == people
    if people >= 30:
        assert all(30 <= size <= 50 for size in sizes.values()), sizes
    codes = [practitioner.staff_code for practitioner in allocation.practitioners]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"N\d{2}[A-Z]\d{3}", code) for code in codes)


def test_a_national_caseload_spans_every_region() -> None:
    allocation = Allocation(250_000, 1)
    practitioners = allocation.practitioners
    assert len(practitioners) == 6250
    assert len({p.region for p in practitioners}) == 12
    teams = Counter(p.team for p in practitioners)
    assert max(teams.values()) <= 8
    assert len({p.pdu for p in practitioners}) >= 80


def test_managers_do_not_change_the_rest_of_a_case() -> None:
    managed = list(generate_caseload(50, 21, SAMPLE_AS_OF))
    rng = random.Random(21)
    rng.randrange(MAX_PEOPLE)
    rng.randrange(100_001, MAX_PEOPLE, 2)
    plain = synthetic_case(rng, str(managed[0]["crn"]), SAMPLE_AS_OF.toordinal())
    assert "manager" not in plain
    assert {k: v for k, v in managed[0].items() if k != "manager"} == plain


def test_every_distribution_is_described_and_checked() -> None:
    text = resources.files(generator_distributions.__package__).joinpath(
        generator_distributions.DISTRIBUTIONS_FILE
    )
    raw = yaml.safe_load(text.read_text(encoding="utf-8"))
    assert set(raw) == set(Distributions.model_fields)
    assert all(len(entry["description"]) > 20 for entry in raw.values())
    assert parse_distributions(text.read_text(encoding="utf-8")) == DISTRIBUTIONS
    assert DISTRIBUTIONS.sentence_type_weights == {
        "LICENCE": 45, "COMMUNITY_ORDER": 40, "SUSPENDED_SENTENCE_ORDER": 15
    }  # fmt: skip
    assert DISTRIBUTIONS.adult_age_years == (18.0, 70.0, 28.0)
    missing = text.read_text(encoding="utf-8").replace("rar_share:", "rar_proportion:")
    with pytest.raises(ValueError, match="rar_share"):
        parse_distributions(missing)
    doubled = text.read_text(encoding="utf-8") + "rar_days:\n  description: twice over here\n"
    with pytest.raises(yaml.YAMLError, match="duplicate key"):
        parse_distributions(doubled)
    undescribed = "rar_share:\n  value: 0.7\n"
    with pytest.raises(ValueError, match="description"):
        parse_distributions(undescribed)


def test_write_jsonl_writes_one_case_a_line(tmp_path: Path) -> None:
    cases = list(generate_caseload(3, 8, SAMPLE_AS_OF))
    path = tmp_path / "three.jsonl"
    assert write_jsonl(iter(cases), path) == 3
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and text.count("\n") == 3
    assert [json.loads(line) for line in text.splitlines()] == cases
