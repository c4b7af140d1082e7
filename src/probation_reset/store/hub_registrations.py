"""Registrations the regional hub recorded, kept on the case across imports until NDelius
carries them.

A hub reinstatement records the registration that now exempts (``hub.reinstatement``) on the
stored case. An import from NDelius then brings the case's document as NDelius holds it, which
lacks that registration until someone records it there too. So before a case is stored, the
import adds back every registration the hub recorded on it that the imported data does not yet
carry (``keep_hub_registrations``); once the imported data carries it, the imported copy is the
one kept, and the hub's is **handed over** (a ``hub_registration_handovers`` row, once): from
then on NDelius alone says whether the person has it, even if a later import lacks it.

**The same registration** is one of the same ``type`` starting on the same ``start_date``, and
for ``ROSH`` of the same ``level`` (NDelius records each RoSH level as a registration type of
its own); a MAPPA level or category, or a deregistration, may differ: NDelius's copy wins. The
hub refuses a registration that matches one the case already holds (``hub.reinstatement``), so
a match is always NDelius's copy of the hub's.

The hub's registrations come after the imported ones, in the order they were recorded, as the
reinstatement placed them; so a case whose NDelius data is unchanged gets the same document and
content hash again, and re-importing the same file changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation_reset.evaluation.json_text import json_line
from probation_reset.intake.reader import validate_case
from probation_reset.store.bulk import insert_rows
from probation_reset.store.case_document import content_hash
from probation_reset.store.hub_tables import HubItemRow, HubRegistrationHandoverRow, HubTriageRow
from probation_reset.store.import_prepare import PreparedCase

#: What makes two registrations the same one: type, start date, and a RoSH level.
RegistrationKey = tuple[str, str, str | None]


def registration_key(registration: Mapping[str, Any]) -> RegistrationKey:
    """The registration's type and start date, and its level for ``ROSH`` (upper case)."""
    kind = str(registration.get("type"))
    level = registration.get("level") if kind == "ROSH" else None
    return kind, str(registration.get("start_date")), None if level is None else str(level).upper()


@dataclass(frozen=True, slots=True)
class HubRegistration:
    """A registration recorded by a hub reinstatement, and its handover to NDelius if any."""

    triage_id: int
    item_id: int
    crn: str
    #: In the contract's input format, as the triage recorded it.
    registration: Mapping[str, Any]
    practitioner: str
    triaged_on: date
    #: The ``imports`` row of the reinstatement's change to the case.
    recorded_by_import: int
    #: The first import that carried it (``None``: the hub's copy is still the one kept).
    handed_over_by_import: int | None

    @property
    def key(self) -> RegistrationKey:
        return registration_key(self.registration)

    @property
    def held_by_hub(self) -> bool:
        return self.handed_over_by_import is None

    def describe(self) -> str:
        """Who recorded it, for people: the item, the day and the named practitioner."""
        return (
            f"regional hub: item {self.item_id}, reinstated on {self.triaged_on.isoformat()} "
            f"by {self.practitioner}"
        )


def hub_registrations(
    session: Session, crns: Collection[str], *, held_only: bool = False
) -> dict[str, list[HubRegistration]]:
    """The registrations the hub recorded on these cases, oldest first, by CRN (``held_only``:
    only those not yet handed over)."""
    if not crns:
        return {}
    query = (
        select(HubItemRow.crn, HubTriageRow, HubRegistrationHandoverRow.import_id)
        .join(HubTriageRow, HubTriageRow.item_id == HubItemRow.id)
        .outerjoin(
            HubRegistrationHandoverRow,
            HubRegistrationHandoverRow.triage_id == HubTriageRow.id,
        )
        .where(HubItemRow.crn.in_(list(crns)), HubTriageRow.case_import_id.is_not(None))
        .order_by(HubTriageRow.id)
    )
    if held_only:
        query = query.where(HubRegistrationHandoverRow.id.is_(None))
    found: dict[str, list[HubRegistration]] = {}
    for crn, triage, handed_over in session.execute(query):
        if triage.registration is None or triage.case_import_id is None:
            continue
        found.setdefault(crn, []).append(
            HubRegistration(
                triage.id,
                triage.item_id,
                crn,
                triage.registration,
                triage.practitioner,
                triage.triaged_on,
                triage.case_import_id,
                handed_over,
            )
        )
    return found


def with_hub_registrations(
    document: Mapping[str, Any], held: Sequence[HubRegistration]
) -> tuple[dict[str, Any], list[HubRegistration]]:
    """The imported ``document`` with the hub's ``held`` registrations it does not carry added
    after its own, and those it carries (to hand over). Pure."""
    carried_keys = {registration_key(r) for r in document.get("registrations") or ()}
    carried = [h for h in held if h.key in carried_keys]
    added = [dict(h.registration) for h in held if h.key not in carried_keys]
    if not added:
        return dict(document), carried
    registrations = [*(document.get("registrations") or ()), *added]
    return {**document, "registrations": registrations}, carried


def keep_hub_registrations(
    session: Session, import_id: int, at: datetime, cases: Sequence[PreparedCase]
) -> list[PreparedCase]:
    """An import's batch as it is to be stored: each case with the hub's registrations it does
    not carry added back (its document and hash made again, and what was derived from the
    imported document dropped, to be derived again from the kept one), and the hand-over of
    those it carries recorded. Runs in the batch's transaction after its cases are locked, so a
    reinstatement is either seen whole or comes after."""
    held = hub_registrations(session, [prepared.crn for prepared in cases], held_only=True)
    if not held:
        return list(cases)
    kept: list[PreparedCase] = []
    handed_over: list[HubRegistration] = []
    for prepared in cases:
        if prepared.crn not in held:
            kept.append(prepared)
            continue
        document = json.loads(prepared.document)
        merged, carried = with_hub_registrations(document, held[prepared.crn])
        handed_over += carried
        if merged == document:
            kept.append(prepared)
            continue
        result = validate_case(merged, prepared.index)
        if isinstance(result, list):  # each part was valid on its own: never expected
            problems = "; ".join(f"{e.field}: {e.message}" for e in result)
            raise ValueError(
                f"{prepared.crn} with the hub's registrations is not valid: {problems}"
            )
        kept.append(
            PreparedCase(
                prepared.index,
                prepared.crn,
                content_hash(merged),
                json_line(merged),
                prepared.manager,
            )
        )
    record_handovers(session, import_id, at, handed_over)
    return kept


def record_handovers(
    session: Session, import_id: int, at: datetime, carried: Sequence[HubRegistration]
) -> None:
    """Record that this import carries these registrations of the hub's (each only once: a
    handed-over registration is no longer held, so it is never carried again)."""
    insert_rows(
        session,
        HubRegistrationHandoverRow,
        [
            {"triage_id": h.triage_id, "crn": h.crn, "import_id": import_id, "recorded_at": at}
            for h in carried
        ],
    )
