"""Who put each fact on the case page: the import (or hub reinstatement) behind each change to
the record and each status change, and for each registration whether NDelius holds it or the
regional hub recorded it and NDelius does not carry it yet (``store.hub_registrations``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation_reset.domain.case import Registration
from probation_reset.hub.service import HUB_REINSTATEMENT
from probation_reset.store.hub_registrations import (
    HubRegistration,
    hub_registrations,
    registration_key,
)
from probation_reset.store.models import Import

NDELIUS = "NDelius"


def describe_import(source_kind: str, source: str, imported_by: str) -> str:
    if source_kind == HUB_REINSTATEMENT:
        return f"regional hub: {source} (entered by {imported_by})"
    return f"import of {source} by {imported_by}"


@dataclass(frozen=True, slots=True)
class Origins:
    """What made the case's changes (by import id) and the hub's registrations on it."""

    imports: Mapping[int, str]
    hub: Sequence[HubRegistration]

    def of_import(self, import_id: int | None) -> str:
        return "" if import_id is None else self.imports.get(import_id, f"import {import_id}")

    def of_registration(self, registration: Registration) -> str:
        key = registration_key(
            {
                "type": registration.type.value,
                "start_date": registration.start_date.isoformat(),
                "level": registration.level,
            }
        )
        recorded = next((h for h in self.hub if h.key == key), None)
        if recorded is None:
            return NDELIUS
        if recorded.held_by_hub:
            return f"{recorded.describe()}; not yet in NDelius"
        return f"{NDELIUS} (first recorded by the {recorded.describe()})"


def case_origins(session: Session, crn: str, import_ids: Collection[int | None]) -> Origins:
    wanted = sorted({i for i in import_ids if i is not None})
    imports = {
        row.id: describe_import(row.source_kind, row.source, row.imported_by)
        for row in session.execute(
            select(Import.id, Import.source_kind, Import.source, Import.imported_by).where(
                Import.id.in_(wanted)
            )
        )
    }
    return Origins(imports, hub_registrations(session, [crn]).get(crn, []))
