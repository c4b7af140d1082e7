"""The hub's service: record, triage, queue and show, inside the caller's transaction.

A web route or a command calls these with an open ``Session`` and commits (or rolls back) itself;
nothing here commits. ``region`` is the caller's scope (hub staff see their region: the case's
``cases.region``; ``None``: every case); an item or case outside it is not found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from probation_reset.domain.case import Case
from probation_reset.domain.vocabulary import Status
from probation_reset.evaluation.engine import Engine
from probation_reset.hub.queue import (
    CaseOnDay,
    QueueEntry,
    QueueFilter,
    Risk,
    TriageView,
    ordered,
)
from probation_reset.hub.raised import (
    DEFAULT_RECENT_DAYS,
    RaisedItem,
    hub_evaluation,
    items_raised,
    parse_raised_ref,
    raised_items,
)
from probation_reset.hub.raised_query import stored_queue
from probation_reset.hub.reinstatement import check_reinstatement
from probation_reset.hub.requests import (
    NAME_LENGTH,
    TEXT_LENGTH,
    Decision,
    HubError,
    InformationReceived,
    ItemNotFoundError,
    check_decision,
    checked_text,
)
from probation_reset.hub.vocabulary import Enforcement, ItemKind, Outcome, Source
from probation_reset.rules.history import CaseHistory
from probation_reset.store import hub_repository, repository
from probation_reset.store.case_edit import CaseEdit, edit_case
from probation_reset.store.hub_tables import HubItemRow, HubTriageRow
from probation_reset.store.importer import utc_now
from probation_reset.store.models import CaseRecord
from probation_reset.store.refresh import stored_case

HUB_REINSTATEMENT = "HUB_REINSTATEMENT"


@dataclass(frozen=True, slots=True)
class TriageResult:
    item: HubItemRow
    triage: HubTriageRow
    #: The change a reinstatement made to the case (``None`` for other outcomes).
    edit: CaseEdit | None
    status: Status
    exemptions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemView:
    """One item, its case's status and risk on the day, and every triage, oldest first."""

    entry: QueueEntry
    still_raised: bool


def _triage_view(row: HubTriageRow) -> TriageView:
    return TriageView(
        row.id,
        Outcome(row.outcome),
        row.practitioner,
        row.triaged_by,
        row.triaged_on,
        row.triaged_at,
        Enforcement(row.enforcement) if row.enforcement else None,
        row.shared_with,
        row.registration,
        row.case_import_id,
        row.note,
    )


@dataclass
class HubService:
    """The hub's operations under one policy version; ``clock`` gives naive UTC moments."""

    engine: Engine
    clock: Callable[[], datetime] = utc_now
    recent_days: int = DEFAULT_RECENT_DAYS
    #: Cases read from stored documents, with their histories, by content hash (a document's
    #: hash changes with it).
    _cases: dict[str, tuple[Case, CaseHistory]] = field(default_factory=dict, repr=False)

    # --- cases and scope ---------------------------------------------------------------------

    def _record(self, session: Session, crn: str, region: str | None) -> CaseRecord:
        record = hub_repository.case_scope(session, crn)
        if record is None or (region is not None and record.region != region):
            where = f" in region {region}" if region is not None else ""
            raise ItemNotFoundError("crn", f"no case {crn}{where}")
        return record

    def _judged(self, record: CaseRecord) -> tuple[Case, CaseHistory]:
        judged = self._cases.get(record.content_hash)
        if judged is None:
            case = stored_case(record.crn, record.document)
            judged = (case, self.engine.history(case))
            self._cases[record.content_hash] = judged
        return judged

    def _case(self, record: CaseRecord) -> Case:
        return self._judged(record)[0]

    def _lookback(self, on: date) -> int:
        return self.engine.parameters.pre_suspension_window_days.at(on)

    def _raised(self, record: CaseRecord, on: date) -> list[RaisedItem]:
        case, history = self._judged(record)
        result = hub_evaluation(self.engine, history, on)
        return raised_items(case, result, self._lookback(on), self.recent_days)

    def _on_day(self, record: CaseRecord, on: date) -> CaseOnDay:
        """The person's status, risk and manager on ``on``, from the case's history."""
        case, history = self._judged(record)
        today = history.at(on)
        risk = Risk(today.rosh, "EXEMPT_MAPPA" in today.exemptions, today.mappa_level)
        return CaseOnDay(today.status, risk, case.manager)

    def _entry(
        self,
        person: CaseOnDay,
        on: date,
        *,
        raised: RaisedItem | None = None,
        row: HubItemRow | None = None,
        triages: list[HubTriageRow] | None = None,
    ) -> QueueEntry:
        done = tuple(_triage_view(t) for t in triages or () if t.triaged_on <= on)
        if row is not None:
            return QueueEntry(
                ref=str(row.id),
                item_id=row.id,
                crn=row.crn,
                kind=ItemKind(row.kind),
                source=Source(row.source) if row.source else None,
                since=row.received_on,
                waiting_days=(on - row.received_on).days,
                summary=row.summary,
                action=raised.action if raised else None,
                event_id=row.event_id,
                due_by=raised.due_by if raised else None,
                overdue=raised.overdue if raised else False,
                status=person.status,
                risk=person.risk,
                manager=person.manager,
                recorded_by=row.recorded_by,
                recorded_at=row.recorded_at,
                triages=done,
            )
        assert raised is not None
        return QueueEntry(
            ref=raised.ref,
            item_id=None,
            crn=raised.crn,
            kind=raised.kind,
            source=None,
            since=raised.since,
            waiting_days=(on - raised.since).days,
            summary=raised.detail,
            action=raised.action,
            event_id=raised.event_id,
            due_by=raised.due_by,
            overdue=raised.overdue,
            status=person.status,
            risk=person.risk,
            manager=person.manager,
        )

    # --- record ------------------------------------------------------------------------------

    def record(
        self, session: Session, info: InformationReceived, region: str | None = None
    ) -> HubItemRow:
        """Record information received on a case; the new item waits for triage."""
        at = self.clock()
        summary = checked_text("summary", info.summary, TEXT_LENGTH)
        by = checked_text("recorded_by", info.recorded_by, NAME_LENGTH)
        if info.received_on > at.date():
            raise HubError("received_on", f"{info.received_on.isoformat()} is in the future")
        self._record(session, info.crn, region)
        assert summary is not None and by is not None
        return hub_repository.add_item(
            session,
            HubItemRow(
                crn=info.crn,
                kind=ItemKind.INFORMATION_RECEIVED.value,
                source=info.source.value,
                received_on=info.received_on,
                summary=summary,
                raised_ref=None,
                event_id=None,
                recorded_by=by,
                recorded_at=at,
            ),
        )

    # --- find an item ------------------------------------------------------------------------

    def _find(
        self, session: Session, ref: str, on: date, region: str | None
    ) -> tuple[CaseRecord, HubItemRow | None, RaisedItem | None]:
        """The item ``ref`` names: a stored item's number, or a raised item's reference (stored
        once triaged, else derived on ``on``)."""
        text = ref.strip()
        if text.isascii() and text.isdigit():
            # Item numbers are 32-bit: a larger number names no item (and no query is sent).
            row = hub_repository.item(session, int(text)) if len(text) < 10 else None
            if row is None:
                raise ItemNotFoundError("item", f"no hub item {text}")
            try:
                record = self._record(session, row.crn, region)
            except ItemNotFoundError:
                raise ItemNotFoundError("item", f"no hub item {text} in region {region}") from None
            return record, row, None
        try:
            parsed = parse_raised_ref(text)
        except ValueError as error:
            raise HubError("item", str(error)) from None
        record = self._record(session, parsed.crn, region)
        raised = next((r for r in self._raised(record, on) if r.ref == text), None)
        row = hub_repository.raised_item(session, parsed.crn, text)
        if row is None and raised is None:
            raise ItemNotFoundError("item", f"the engine raises no item {text} on {on.isoformat()}")
        return record, row, raised

    def show(self, session: Session, ref: str, on: date, region: str | None = None) -> ItemView:
        record, row, raised = self._find(session, ref, on, region)
        if row is not None and raised is None and row.raised_ref is not None:
            raised = next((r for r in self._raised(record, on) if r.ref == row.raised_ref), None)
        triages = hub_repository.triages(session, [row.id])[row.id] if row else []
        entry = self._entry(self._on_day(record, on), on, raised=raised, row=row, triages=triages)
        return ItemView(entry, raised is not None)

    # --- triage ------------------------------------------------------------------------------

    def triage(
        self,
        session: Session,
        ref: str,
        decision: Decision,
        on: date,
        region: str | None = None,
    ) -> TriageResult:
        """Triage an item on ``on``. A reinstatement records its registration on the case
        through the store's change path, or is refused (``ReinstatementRefusedError``) with the
        reason, writing nothing."""
        check_decision(decision)
        record, row, raised = self._find(session, ref, on, region)
        at = self.clock()
        reinstatement = None
        if decision.outcome is Outcome.REINSTATE:
            # The document judged is the one changed: read again with the case's row locked.
            session.refresh(record, with_for_update=True)
            reinstatement = check_reinstatement(
                self.engine, record.document, decision.registration, on
            )
        if row is None:
            assert raised is not None
            row = hub_repository.add_item(
                session,
                HubItemRow(
                    crn=raised.crn,
                    kind=raised.kind.value,
                    source=None,
                    received_on=raised.since,
                    summary=raised.detail,
                    raised_ref=raised.ref,
                    event_id=raised.event_id,
                    recorded_by=decision.triaged_by,
                    recorded_at=at,
                ),
            )
        edit = None
        registration: dict[str, Any] | None = None
        if reinstatement is not None and decision.registration is not None:
            registration = decision.registration.as_document()
            edit = edit_case(
                session,
                self.engine,
                reinstatement.case,
                reinstatement.document,
                f"hub item {row.id}: REINSTATE ({decision.registration.describe()}) by "
                f"{decision.practitioner}",
                HUB_REINSTATEMENT,
                decision.triaged_by,
                at,
            )
        triage = hub_repository.add_triage(
            session,
            HubTriageRow(
                item_id=row.id,
                outcome=decision.outcome.value,
                practitioner=decision.practitioner,
                triaged_by=decision.triaged_by,
                triaged_on=on,
                triaged_at=at,
                enforcement=decision.enforcement.value if decision.enforcement else None,
                shared_with=decision.shared_with,
                registration=registration,
                case_import_id=edit.import_id if edit else None,
                note=decision.note,
            ),
        )
        case = reinstatement.case if reinstatement else self._case(record)
        today = self.engine.history(case).at(on)
        return TriageResult(row, triage, edit, today.status, today.exemptions)

    # --- the queue ---------------------------------------------------------------------------

    def queue(
        self,
        session: Session,
        on: date,
        keep: QueueFilter | None = None,
        region: str | None = None,
    ) -> list[QueueEntry]:
        """The queue on ``on`` for the region: stored items received by then, and the items
        the engine raises on the day that nobody has triaged, filtered and ordered.

        Answered from the store (``hub.raised_query``) for every person whose digests are
        current; any other is evaluated here, case by case."""
        keep = keep or QueueFilter()
        self._cases.clear()
        rows = [
            r
            for r in hub_repository.stored_items(session, region, keep.team)
            if r.received_on <= on
        ]
        triages = hub_repository.triages(session, [r.id for r in rows])
        stored_refs = {(r.crn, r.raised_ref) for r in rows if r.raised_ref}
        wanted_kinds = keep.kinds or set(ItemKind)
        raising = any(k.raised_by_engine for k in wanted_kinds) and not keep.sources
        store = stored_queue(
            session,
            on,
            self.engine.parameters.version,
            self.recent_days,
            (region, keep.team),
            {r.crn for r in rows},
            raising,
        )
        candidates = store.candidates
        crns = {*candidates, *(r.crn for r in rows)}
        records = repository.cases_by_crn(session, crns - store.people.keys())
        people = {crn: person.on_day(on) for crn, person in store.people.items()}
        people |= {crn: self._on_day(record, on) for crn, record in records.items()}
        raised_now: dict[tuple[str, str], RaisedItem] = {}
        lookback = self._lookback(on)
        for crn in candidates:
            facts = store.facts.get(crn)
            raised = (
                self._raised(records[crn], on)
                if facts is None
                else items_raised(facts, lookback, self.recent_days)
            )
            for item in raised:
                raised_now[(crn, item.ref)] = item
        entries: list[QueueEntry] = []
        for row in rows:
            now = raised_now.get((row.crn, row.raised_ref or ""))
            entries.append(
                self._entry(people[row.crn], on, raised=now, row=row, triages=triages[row.id])
            )
        for key, item in raised_now.items():
            if key not in stored_refs:
                entries.append(self._entry(people[item.crn], on, raised=item))
        return ordered(entries, keep)
