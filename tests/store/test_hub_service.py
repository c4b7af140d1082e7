"""The hub's service on SQLite and PostgreSQL: record, triage, reinstate, the raised items, the
queue's order and filters, and the append-only audit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hub_cases import (  # type: ignore[import-not-found]
    EAST_MIDLANDS,
    HOSTILE,
    HUB_CASES,
    NOW,
    ON,
)
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.hub.queue import QueueEntry, QueueFilter
from probation_reset.hub.reinstatement import RegistrationFact, ReinstatementRefusedError
from probation_reset.hub.requests import Decision, HubError, InformationReceived, ItemNotFoundError
from probation_reset.hub.service import HUB_REINSTATEMENT, HubService
from probation_reset.hub.vocabulary import Enforcement, ItemKind, Outcome, Source
from probation_reset.policy import load_parameters
from probation_reset.store import repository
from probation_reset.store.hub_tables import HubItemRow, HubTriageRow
from probation_reset.store.importer import CASES_DOCUMENT, Importer, ImportSource
from probation_reset.store.models import (
    CaseChange,
    CaseRecord,
    Import,
    StatusSpanRow,
    StatusTransitionRow,
)
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import stored_case

PARAMETERS = load_parameters()
MAPPA_2 = RegistrationFact(RegistrationType.MAPPA, date(2025, 10, 14), 2, 1)


@pytest.fixture
def hub(sessions: sessionmaker[Session]) -> HubService:
    Importer(sessions, PARAMETERS, ndelius_codes(), 100).run(
        ImportSource("hub cases", CASES_DOCUMENT, HUB_CASES), "tester"
    )
    return HubService(Engine(PARAMETERS), clock=lambda: NOW)


def marac(crn: str = "A100001", summary: str = "New MAPPA level 2 from 14 October") -> Any:
    return InformationReceived(crn, Source.MARAC, date(2025, 10, 14), summary, "hub.officer")


def decide(outcome: Outcome, **fields: Any) -> Decision:
    return Decision(outcome, "Alex Morgan", "hub.officer", **fields)


def count(session: Session, table: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def kinds(entries: list[QueueEntry]) -> list[tuple[str, str, str]]:
    return [(e.crn, e.kind.value, e.since.isoformat()) for e in entries]


def test_a_marac_notification_with_a_new_mappa_registration_reinstates_contact(
    hub: HubService, session: Session
) -> None:
    item = hub.record(session, marac())
    result = hub.triage(session, str(item.id), decide(Outcome.REINSTATE, registration=MAPPA_2), ON)

    assert (result.status, result.exemptions) == (Status.EXEMPT, ("EXEMPT_MAPPA",))
    assert result.edit is not None and result.edit.changes == 1
    record = session.get(CaseRecord, "A100001")
    assert record is not None
    assert record.document["registrations"] == [
        {
            "type": "MAPPA",
            "start_date": "2025-10-14",
            "deregistered_on": None,
            "level": 2,
            "category": 1,
        }
    ]
    change = session.scalars(
        select(CaseChange).where(CaseChange.import_id == result.edit.import_id)
    ).one()
    assert (change.crn, change.kind, change.field) == ("A100001", "ITEM_ADDED", "registrations[0]")
    made = session.get(Import, result.edit.import_id)
    assert made is not None
    assert (made.source_kind, made.imported_by, made.outcome) == (
        HUB_REINSTATEMENT,
        "hub.officer",
        "COMPLETE",
    )
    transitions = session.scalars(
        select(StatusTransitionRow).where(
            StatusTransitionRow.crn == "A100001", StatusTransitionRow.superseded_at.is_(None)
        )
    ).all()
    assert [(t.day, t.kind, t.import_id) for t in transitions if t.kind == "REINSTATED"] == [
        (date(2025, 10, 14), "REINSTATED", result.edit.import_id)
    ]
    spans = session.scalars(
        select(StatusSpanRow).where(StatusSpanRow.crn == "A100001").order_by(StatusSpanRow.position)
    ).all()
    assert [(s.start_date, s.status) for s in spans] == [
        (date(2025, 1, 1), "ACTIVE"),
        (date(2025, 9, 1), "SUSPENDED"),
        (date(2025, 10, 14), "EXEMPT"),
    ]
    evaluated = Engine(PARAMETERS).evaluate(stored_case("A100001", record.document), ON)
    assert evaluated.status is Status.EXEMPT
    assert [t.status for t in evaluated.timeline] == [
        Status.ACTIVE,
        Status.SUSPENDED,
        Status.EXEMPT,
    ]
    triage = session.get(HubTriageRow, result.triage.id)
    assert triage is not None
    assert (triage.outcome, triage.practitioner, triage.triaged_by, triage.triaged_at) == (
        "REINSTATE",
        "Alex Morgan",
        "hub.officer",
        NOW,
    )
    assert triage.registration == MAPPA_2.as_document()
    assert triage.case_import_id == result.edit.import_id


@pytest.mark.parametrize(
    ("crn", "fact", "reason"),
    [
        ("A100001", None, "must record the registration that now exempts"),
        (
            "A100001",
            RegistrationFact(RegistrationType.CHILD_CONCERNS, date(2025, 10, 1)),
            "CHILD_CONCERNS registration is not an exemption",
        ),
        (
            "A100001",
            RegistrationFact(RegistrationType.ROSH, date(2025, 10, 1), "HIGH"),
            "RoSH HIGH does not exempt",
        ),
        (
            "A100001",
            RegistrationFact(RegistrationType.MAPPA, date(2025, 10, 16), 1),
            "starts on 2025-10-16, after 2025-10-15",
        ),
        ("C100003", MAPPA_2, "the person is ACTIVE"),
        ("D100004", MAPPA_2, "the person is EXEMPT (EXEMPT_MAPPA)"),
        (
            "B100002",
            RegistrationFact(RegistrationType.ROSH, date(2025, 1, 15), "VERY_HIGH"),
            "the RoSH in force would be HIGH",
        ),
        (
            "A100001",
            RegistrationFact(RegistrationType.MAPPA, date(2025, 10, 1), 7),
            "registrations[0].level",
        ),
    ],
)
def test_a_reinstatement_that_the_rules_do_not_support_is_refused_and_writes_nothing(
    hub: HubService,
    session: Session,
    crn: str,
    fact: RegistrationFact | None,
    reason: str,
) -> None:
    item = hub.record(session, marac(crn))
    before = session.get(CaseRecord, crn)
    assert before is not None
    document, imports = dict(before.document), count(session, Import)
    with pytest.raises(ReinstatementRefusedError, match=None) as refused:
        hub.triage(session, str(item.id), decide(Outcome.REINSTATE, registration=fact), ON)
    assert reason in str(refused.value)
    assert count(session, HubTriageRow) == 0
    assert count(session, Import) == imports
    after = session.get(CaseRecord, crn)
    assert after is not None and after.document == document


def test_each_outcome_asks_for_what_it_needs(hub: HubService, session: Session) -> None:
    item = str(hub.record(session, marac()).id)
    with pytest.raises(HubError, match="enforcement: ENFORCEMENT_CONSIDERED needs"):
        hub.triage(session, item, decide(Outcome.ENFORCEMENT_CONSIDERED), ON)
    with pytest.raises(HubError, match="shared_with: is required"):
        hub.triage(session, item, decide(Outcome.INFORMATION_SHARED, shared_with="  "), ON)
    with pytest.raises(HubError, match="registration: is for REINSTATE, not NO_ACTION"):
        hub.triage(session, item, decide(Outcome.NO_ACTION, registration=MAPPA_2), ON)
    with pytest.raises(HubError, match="practitioner: is required"):
        hub.triage(session, item, Decision(Outcome.NO_ACTION, "", "hub.officer"), ON)
    with pytest.raises(ItemNotFoundError, match="no hub item 999"):
        hub.triage(session, "999", decide(Outcome.NO_ACTION), ON)
    assert count(session, HubTriageRow) == 0


def test_triage_history_is_kept_and_the_tables_refuse_updates_and_deletes(
    hub: HubService, session: Session
) -> None:
    item = str(hub.record(session, marac()).id)
    hub.triage(session, item, decide(Outcome.NO_ACTION), ON)
    hub.triage(
        session,
        item,
        decide(Outcome.ENFORCEMENT_CONSIDERED, enforcement=Enforcement.RECALL, note="escalating"),
        ON,
    )
    hub.triage(session, item, decide(Outcome.INFORMATION_SHARED, shared_with="Police"), ON)
    view = hub.show(session, item, ON)
    assert [t.outcome for t in view.entry.triages] == [
        Outcome.NO_ACTION,
        Outcome.ENFORCEMENT_CONSIDERED,
        Outcome.INFORMATION_SHARED,
    ]
    assert view.entry.triages[1].enforcement is Enforcement.RECALL
    assert view.entry.triages[2].shared_with == "Police"
    for statement in (
        update(HubTriageRow).values(outcome="NO_ACTION"),
        delete(HubTriageRow),
        update(HubItemRow).values(summary="rewritten"),
        delete(HubItemRow),
    ):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(statement)
    assert count(session, HubTriageRow) == 3
    stored = session.get(HubItemRow, int(item))
    assert stored is not None
    session.refresh(stored)
    assert stored.summary == "New MAPPA level 2 from 14 October"


def test_the_engine_raises_items_for_hand_made_cases(hub: HubService, session: Session) -> None:
    entries = hub.queue(session, ON, region=EAST_MIDLANDS)
    assert sorted(kinds(entries)) == [
        ("A100001", "FINAL_THIRD_CONTACT_DUE", "2025-09-01"),
        ("A100001", "SUSPENSION_LETTER_DUE", "2025-09-01"),
        ("B100002", "NFA_CHECK_IN_DUE", "2025-09-01"),
        ("B100002", "NFA_CHECK_IN_DUE", "2025-09-29"),
        ("C100003", "PRC_DISAGREES", "2025-09-20"),
        ("D100004", "NEWLY_REINSTATED", "2025-10-01"),
    ]
    by_ref = {e.ref: e for e in entries}
    missed = by_ref["NFA_CHECK_IN_DUE:2025-09-01:1:B100002"]
    assert (missed.overdue, missed.due_by, missed.waiting_days) == (True, date(2025, 9, 28), 44)
    due = by_ref["NFA_CHECK_IN_DUE:2025-09-29:1:B100002"]
    assert (due.overdue, due.due_by) == (False, date(2025, 10, 26))
    prc = by_ref["PRC_DISAGREES:2025-09-20::C100003"]
    assert prc.summary.startswith("PRC_BUT_CONTACT_CONTINUES: PRC (contact suspended)")
    assert prc.status is Status.ACTIVE
    everywhere = hub.queue(session, ON)
    assert {e.crn for e in everywhere} - {e.crn for e in entries} == {"E100005"}


def test_the_queue_puts_the_highest_risk_first_then_the_longest_wait(
    hub: HubService, session: Session
) -> None:
    hub.record(session, InformationReceived("A100001", Source.POLICE, date(2025, 10, 1), "x", "me"))
    entries = hub.queue(session, ON, region=EAST_MIDLANDS)
    assert [(e.crn, e.kind.value, e.risk.band, e.waiting_days) for e in entries] == [
        ("D100004", "NEWLY_REINSTATED", 3, 14),
        ("B100002", "NFA_CHECK_IN_DUE", 2, 44),
        ("B100002", "NFA_CHECK_IN_DUE", 2, 16),
        ("A100001", "FINAL_THIRD_CONTACT_DUE", 0, 44),
        ("A100001", "SUSPENSION_LETTER_DUE", 0, 44),
        ("C100003", "PRC_DISAGREES", 0, 25),
        ("A100001", "INFORMATION_RECEIVED", 0, 14),
    ]


def test_the_queue_filters_by_kind_source_team_waiting_and_age(
    hub: HubService, session: Session
) -> None:
    police = hub.record(
        session, InformationReceived("A100001", Source.POLICE, date(2025, 10, 1), "x", "me")
    )
    hub.record(session, marac("B100002"))

    def queue(**keep: Any) -> list[tuple[str, str, str]]:
        return kinds(hub.queue(session, ON, QueueFilter(**keep), EAST_MIDLANDS))

    assert queue(sources=[Source.MARAC]) == [("B100002", "INFORMATION_RECEIVED", "2025-10-14")]
    assert queue(kinds=[ItemKind.PRC_DISAGREES]) == [("C100003", "PRC_DISAGREES", "2025-09-20")]
    assert {crn for crn, _, _ in queue(team="Leicester 2")} == {"B100002"}
    assert queue(min_waiting_days=30) == [
        ("B100002", "NFA_CHECK_IN_DUE", "2025-09-01"),
        ("A100001", "FINAL_THIRD_CONTACT_DUE", "2025-09-01"),
        ("A100001", "SUSPENSION_LETTER_DUE", "2025-09-01"),
    ]
    hub.triage(session, str(police.id), decide(Outcome.NO_ACTION), ON)
    assert ("A100001", "INFORMATION_RECEIVED", "2025-10-01") not in queue()
    triaged = [e for e in hub.queue(session, ON, QueueFilter(include_triaged=True)) if e.item_id]
    assert [(e.item_id, e.waiting, e.triages[-1].outcome) for e in triaged if not e.waiting] == [
        (police.id, False, Outcome.NO_ACTION)
    ]
    # Seen on the day before it was triaged, the item still waited.
    assert ("A100001", "INFORMATION_RECEIVED", "2025-10-01") in kinds(
        hub.queue(session, date(2025, 10, 14), region=EAST_MIDLANDS)
    )


def test_a_raised_item_is_stored_once_when_triaged_and_leaves_the_queue(
    hub: HubService, session: Session
) -> None:
    ref = "SUSPENSION_LETTER_DUE:2025-09-01::A100001"
    first = hub.triage(session, ref, decide(Outcome.NO_ACTION, note="letter sent by post"), ON)
    again = hub.triage(session, ref, decide(Outcome.NO_ACTION), ON)
    assert first.item.id == again.item.id
    assert count(session, HubItemRow) == 1
    assert ref not in {e.ref for e in hub.queue(session, ON)}
    triaged = hub.queue(session, ON, QueueFilter(include_triaged=True))
    assert [(e.ref, e.kind) for e in triaged if not e.waiting] == [
        (str(first.item.id), ItemKind.SUSPENSION_LETTER_DUE)
    ]
    with pytest.raises(ItemNotFoundError, match="raises no item"):
        hub.triage(
            session, "SUSPENSION_LETTER_DUE:2025-09-02::A100001", decide(Outcome.NO_ACTION), ON
        )
    with pytest.raises(HubError, match="not an item number"):
        hub.triage(session, "A100001", decide(Outcome.NO_ACTION), ON)


def test_a_reinstated_raised_item_takes_the_case_out_of_the_suspension_items(
    hub: HubService, session: Session
) -> None:
    hub.triage(
        session,
        "SUSPENSION_LETTER_DUE:2025-09-01::A100001",
        decide(Outcome.REINSTATE, registration=MAPPA_2),
        ON,
    )
    a_items = [e for e in hub.queue(session, ON) if e.crn == "A100001"]
    assert kinds(a_items) == [("A100001", "NEWLY_REINSTATED", "2025-10-14")]


def test_hub_staff_see_only_their_region(hub: HubService, session: Session) -> None:
    with pytest.raises(ItemNotFoundError, match="no case E100005 in region East Midlands"):
        hub.record(session, marac("E100005"), region=EAST_MIDLANDS)
    item = hub.record(session, marac("E100005"))
    with pytest.raises(ItemNotFoundError, match="in region East Midlands"):
        hub.show(session, str(item.id), ON, region=EAST_MIDLANDS)
    assert {e.crn for e in hub.queue(session, ON, region="Wales")} == {"E100005"}


def test_hostile_text_is_stored_exactly_as_written(hub: HubService, session: Session) -> None:
    item = hub.record(session, marac(summary=HOSTILE))
    session.expire_all()
    stored = session.get(HubItemRow, item.id)
    assert stored is not None and stored.summary == HOSTILE
    assert hub.show(session, str(item.id), ON).entry.summary == HOSTILE


@pytest.mark.parametrize(
    ("info", "message"),
    [
        (marac(summary="   "), "summary: is required"),
        (marac(summary="a\x00b"), "summary: contains a NUL character"),
        (marac(summary="x" * 20_001), "summary: is 20001 characters long"),
        (
            InformationReceived("A100001", Source.POLICE, date(2025, 10, 16), "x", "me"),
            "received_on: 2025-10-16 is in the future",
        ),
        (marac("NOBODY"), "crn: no case NOBODY"),
    ],
)
def test_information_that_cannot_be_recorded_is_refused_naming_the_field(
    hub: HubService, session: Session, info: InformationReceived, message: str
) -> None:
    with pytest.raises(HubError) as refused:
        hub.record(session, info)
    assert str(refused.value).startswith(message)
    assert count(session, HubItemRow) == 0
    assert repository.crns_in_store(session)


@pytest.mark.parametrize("ref", ["²", "٣", "99999999999", "2147483648"])
def test_a_reference_that_is_no_item_number_is_refused_not_a_crash(
    hub: HubService, session: Session, ref: str
) -> None:
    # Found by schemathesis: '²' passed str.isdigit() and then failed int(); a number past
    # 32 bits would overflow PostgreSQL's integer.
    with pytest.raises((HubError, ItemNotFoundError)):
        hub.show(session, ref, ON)
