"""A registration the hub recorded is kept across imports until NDelius carries it, on SQLite
and PostgreSQL: the case stays EXEMPT, NDelius's copy then replaces the hub's (one copy, handed
over once), and importing the same file again records nothing."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hub_cases import HUB_CASES, NOW, ON, licence_case, registration  # type: ignore[import-not-found]
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.hub.reinstatement import RegistrationFact, ReinstatementRefusedError
from probation_reset.hub.requests import Decision, InformationReceived
from probation_reset.hub.service import HubService, TriageResult
from probation_reset.hub.vocabulary import Outcome, Source
from probation_reset.policy import load_parameters
from probation_reset.store.hub_registrations import hub_registrations, with_hub_registrations
from probation_reset.store.hub_tables import HubRegistrationHandoverRow
from probation_reset.store.import_prepare import Preparer
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportReport, ImportSource
from probation_reset.store.models import CaseChange, CaseRecord, StatusSpanRow, StatusTransitionRow
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import stored_case

PARAMETERS = load_parameters()
ENGINE = Engine(PARAMETERS)
MAPPA_2 = RegistrationFact(RegistrationType.MAPPA, date(2025, 10, 14), 2, 1)
CRN = "A100001"


def import_cases(sessions: sessionmaker[Session], cases: list[dict[str, Any]]) -> ImportReport:
    """An import from NDelius of these cases (the hub's cases unless changed)."""
    source = ImportSource("ndelius", CASES_DOCUMENT, copy.deepcopy(cases))
    return Importer(sessions, PARAMETERS, ndelius_codes(), 100).run(source, "nightly")


def ndelius(crn: str, **changes: Any) -> list[dict[str, Any]]:
    """The hub's cases as NDelius holds them, with ``crn``'s fields changed."""
    return [{**case, **changes} if case["crn"] == crn else case for case in HUB_CASES]


@pytest.fixture
def hub(sessions: sessionmaker[Session]) -> HubService:
    import_cases(sessions, HUB_CASES)
    return HubService(ENGINE, clock=lambda: NOW)


def reinstate(
    hub: HubService, session: Session, fact: RegistrationFact = MAPPA_2, crn: str = CRN
) -> TriageResult:
    item = hub.record(
        session,
        InformationReceived(crn, Source.MARAC, date(2025, 10, 14), "Now MAPPA", "hub.officer"),
    )
    decision = Decision(Outcome.REINSTATE, "Alex Morgan", "hub.officer", registration=fact)
    result = hub.triage(session, str(item.id), decision, ON)
    session.commit()
    return result


def document(session: Session, crn: str = CRN) -> dict[str, Any]:
    record = session.get(CaseRecord, crn)
    assert record is not None
    session.refresh(record)
    return dict(record.document)


def status_on(session: Session, day: date, crn: str = CRN) -> Status:
    return ENGINE.evaluate(stored_case(crn, document(session, crn)), day).status


def count(session: Session, table: type[Any], *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


def spans(session: Session, crn: str = CRN) -> list[tuple[date, str]]:
    rows = session.scalars(
        select(StatusSpanRow).where(StatusSpanRow.crn == crn).order_by(StatusSpanRow.position)
    )
    return [(s.start_date, s.status) for s in rows]


def in_force(session: Session, crn: str = CRN) -> list[tuple[date, str, int | None]]:
    rows = session.scalars(
        select(StatusTransitionRow)
        .where(StatusTransitionRow.crn == crn, StatusTransitionRow.superseded_at.is_(None))
        .order_by(StatusTransitionRow.day, StatusTransitionRow.id)
    )
    return [(t.day, t.kind, t.import_id) for t in rows]


def test_an_import_after_a_reinstatement_keeps_the_case_exempt(
    hub: HubService, sessions: sessionmaker[Session], session: Session
) -> None:
    result = reinstate(hub, session)
    assert result.edit is not None
    reinstated = document(session)
    transitions = in_force(session)
    changes = count(session, CaseChange)

    report = import_cases(sessions, HUB_CASES)

    assert (report.created, report.changed, report.unchanged) == (0, 0, len(HUB_CASES))
    assert (report.changes, report.transitions_added, report.transitions_superseded) == (0, 0, 0)
    assert document(session) == reinstated
    assert reinstated["registrations"] == [MAPPA_2.as_document()]
    assert status_on(session, ON) is Status.EXEMPT
    assert spans(session)[-1] == (date(2025, 10, 14), "EXEMPT")
    assert (date(2025, 10, 14), "REINSTATED", result.edit.import_id) in transitions
    assert in_force(session) == transitions
    assert count(session, CaseChange) == changes
    assert count(session, HubRegistrationHandoverRow) == 0
    [held] = hub_registrations(session, [CRN])[CRN]
    assert held.held_by_hub and held.recorded_by_import == result.edit.import_id


def test_an_import_that_changes_the_case_keeps_the_registration_after_its_own(
    hub: HubService, sessions: sessionmaker[Session], session: Session
) -> None:
    reinstate(hub, session)
    letter = {"contact_id": "L9", "date": "2025-10-20", "type": "SUSPENSION_LETTER"}
    nfa = registration("NO_FIXED_ABODE", "2025-10-01")
    report = import_cases(sessions, ndelius(CRN, contacts=[letter], registrations=[nfa]))

    assert report.changed == 1
    kept = document(session)
    assert [(r["type"], r["start_date"]) for r in kept["registrations"]] == [
        ("NO_FIXED_ABODE", "2025-10-01"),
        ("MAPPA", "2025-10-14"),
    ]
    assert [c["contact_id"] for c in kept["contacts"]] == ["L9"]
    assert status_on(session, ON) is Status.EXEMPT
    assert [k for _, k, _ in in_force(session)].count("REINSTATED") == 1
    assert spans(session)[-1] == (date(2025, 10, 14), "EXEMPT")


def test_once_ndelius_carries_it_there_is_one_copy_and_ndelius_keeps_it(
    hub: HubService, sessions: sessionmaker[Session], session: Session
) -> None:
    result = reinstate(hub, session)
    carried = registration("MAPPA", "2025-10-14", level=2, category=3)
    with_mappa = ndelius(CRN, registrations=[carried])

    first = import_cases(sessions, with_mappa)
    registrations = document(session)["registrations"]
    assert registrations == [{**MAPPA_2.as_document(), "category": 3}]
    assert first.changed == 1 and first.changes == 1  # the category: NDelius's copy is kept
    assert status_on(session, ON) is Status.EXEMPT
    handover = session.scalars(select(HubRegistrationHandoverRow)).one()
    assert (handover.crn, handover.triage_id, handover.import_id) == (
        CRN,
        result.triage.id,
        first.import_id,
    )
    [held] = hub_registrations(session, [CRN])[CRN]
    assert held.handed_over_by_import == first.import_id and not held.held_by_hub

    # The same file again: nothing recorded.
    transitions, changes = in_force(session), count(session, CaseChange)
    again = import_cases(sessions, with_mappa)
    assert (again.changed, again.changes, again.transitions_added) == (0, 0, 0)
    assert in_force(session) == transitions and count(session, CaseChange) == changes
    assert count(session, HubRegistrationHandoverRow) == 1

    # NDelius now lacks it (deleted there): NDelius decides; the hub's copy does not return.
    import_cases(sessions, HUB_CASES)
    assert document(session)["registrations"] == []
    assert status_on(session, ON) is Status.SUSPENDED
    assert spans(session)[-1] == (date(2025, 9, 1), "SUSPENDED")


def test_ndelius_ending_the_registration_ends_it(
    hub: HubService, sessions: sessionmaker[Session], session: Session
) -> None:
    reinstate(hub, session)
    ended = registration("MAPPA", "2025-10-14", level=2, category=1, deregistered_on="2025-11-01")
    import_cases(sessions, ndelius(CRN, registrations=[ended]))
    assert document(session)["registrations"] == [{**MAPPA_2.as_document(), **ended}]
    assert status_on(session, ON) is Status.EXEMPT
    assert status_on(session, date(2025, 11, 1)) is Status.SUSPENDED
    moves = [(day, kind) for day, kind, _ in in_force(session)]
    assert (date(2025, 10, 14), "REINSTATED") in moves
    assert (date(2025, 11, 1), "RE_SUSPENDED") in moves


def test_a_rosh_registration_is_the_same_only_at_the_same_level(
    hub: HubService, sessions: sessionmaker[Session], session: Session
) -> None:
    crn = "B100002"
    very_high = RegistrationFact(RegistrationType.ROSH, date(2025, 10, 14), "VERY_HIGH")
    reinstate(hub, session, very_high, crn)
    own = next(r for r in HUB_CASES if r["crn"] == crn)["registrations"]

    high = registration("ROSH", "2025-10-14", level="HIGH")
    import_cases(sessions, ndelius(crn, registrations=[*own, high]))
    kept = document(session, crn)["registrations"]
    assert [(r["type"], r["start_date"], r["level"]) for r in kept[-2:]] == [
        ("ROSH", "2025-10-14", "HIGH"),
        ("ROSH", "2025-10-14", "VERY_HIGH"),
    ]
    assert status_on(session, ON, crn) is Status.EXEMPT  # the later of a tie is in force
    assert count(session, HubRegistrationHandoverRow) == 0

    carried = registration("ROSH", "2025-10-14", level="VERY_HIGH")
    import_cases(sessions, ndelius(crn, registrations=[*own, carried]))
    kept = document(session, crn)["registrations"]
    assert [r for r in kept if r["start_date"] == "2025-10-14"] == [
        {**very_high.as_document(), "level": "VERY_HIGH"}
    ]
    assert status_on(session, ON, crn) is Status.EXEMPT
    assert count(session, HubRegistrationHandoverRow) == 1


def test_a_registration_the_case_already_holds_is_refused(
    sessions: sessionmaker[Session], session: Session
) -> None:
    ended = registration("MAPPA", "2025-10-01", level=1, deregistered_on="2025-10-05")
    import_cases(sessions, [licence_case("F100006", [ended])])
    hub = HubService(ENGINE, clock=lambda: NOW)
    same = RegistrationFact(RegistrationType.MAPPA, date(2025, 10, 1), 2)
    with pytest.raises(ReinstatementRefusedError, match="already holds a MAPPA registration"):
        reinstate(hub, session, same, "F100006")
    later = RegistrationFact(RegistrationType.MAPPA, date(2025, 10, 10), 2)
    assert reinstate(hub, session, later, "F100006").status is Status.EXEMPT


def test_a_reinstatement_made_while_an_import_prepares_is_kept(
    hub: HubService,
    sessions: sessionmaker[Session],
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The import reads the store and derives histories before its batch's transaction; a
    reinstatement committed meanwhile is seen once the batch has locked its cases."""
    prepare = Preparer.__call__

    def reinstated_meanwhile(preparer: Preparer, chunk: Any) -> Any:
        prepared = prepare(preparer, chunk)
        reinstate(hub, session)
        return prepared

    monkeypatch.setattr(Preparer, "__call__", reinstated_meanwhile)
    letter = {"contact_id": "L9", "date": "2025-10-20", "type": "SUSPENSION_LETTER"}
    import_cases(sessions, ndelius(CRN, contacts=[letter]))
    kept = document(session)
    assert kept["registrations"] == [MAPPA_2.as_document()] and kept["contacts"]
    assert status_on(session, ON) is Status.EXEMPT
    assert spans(session)[-1] == (date(2025, 10, 14), "EXEMPT")


def test_handovers_are_append_only(
    hub: HubService, sessions: sessionmaker[Session], session: Session
) -> None:
    reinstate(hub, session)
    import_cases(sessions, ndelius(CRN, registrations=[MAPPA_2.as_document()]))
    assert count(session, HubRegistrationHandoverRow) == 1
    for statement in (
        update(HubRegistrationHandoverRow).values(import_id=1),
        delete(HubRegistrationHandoverRow),
    ):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(statement)
    assert count(session, HubRegistrationHandoverRow) == 1


def test_merging_is_pure_and_keeps_the_imported_order() -> None:
    held = [
        reg := _held(1, registration("NSD", "2025-10-02")),
        _held(2, registration("ROSH", "2025-10-03", level="very_high")),
    ]
    imported = {"crn": CRN, "registrations": [registration("ROSH", "2025-10-03", level="HIGH")]}
    merged, carried = with_hub_registrations(imported, held)
    assert carried == []
    assert [r["type"] for r in merged["registrations"]] == ["ROSH", "NSD", "ROSH"]
    assert imported["registrations"] == [registration("ROSH", "2025-10-03", level="HIGH")]
    carrying = {"crn": CRN, "registrations": [registration("NSD", "2025-10-02", level=None)]}
    merged, carried = with_hub_registrations(carrying, held)
    assert carried == [reg]
    assert [r["type"] for r in merged["registrations"]] == ["NSD", "ROSH"]


def _held(triage_id: int, given: dict[str, Any]) -> Any:
    from probation_reset.store.hub_registrations import HubRegistration

    return HubRegistration(triage_id, triage_id, CRN, given, "P", ON, 1, None)
