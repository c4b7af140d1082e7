"""The hub's queue as pages show it: its tables, and the forms read into the hub's requests.

A form is read field by field; what cannot be used is kept as an error for that field (the
GOV.UK error summary links to it) and nothing is asked of the hub until every field can be.
Fields that belong to another outcome than the one chosen are ignored: without JavaScript the
triage form shows every outcome's fields at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple
from urllib.parse import quote

from probation_reset.domain.vocabulary import RegistrationType
from probation_reset.hub.queue import QueueEntry, TriageView
from probation_reset.hub.reinstatement import RegistrationFact
from probation_reset.hub.requests import Decision, InformationReceived
from probation_reset.hub.vocabulary import REINSTATING_REGISTRATIONS, Enforcement, Outcome, Source
from probation_reset.web.tables import Table
from probation_reset.web.templating import STATUS_TAG, words

#: A hub error's field, as the form element the error summary links to.
FIELD_IDS = {
    "crn": "crn",
    "source": "source",
    "received_on": "received_on",
    "summary": "summary",
    "outcome": "outcome",
    "practitioner": "practitioner",
    "registration": "registration_type",
    "registration_start": "registration_start",
    "level": "level",
    "category": "category",
    "enforcement": "enforcement",
    "shared_with": "shared_with",
    "note": "note",
    "item": "outcome",
}
REGISTRATION_CHOICES = tuple(t.value for t in REINSTATING_REGISTRATIONS)


#: A reference that ``quote(ref, safe="")`` changes only by writing ``:`` as ``%3A`` (the
#: engine's references, ``KIND:DATE:EVENT:CRN``, nearly always): quoted by one replace, as a
#: region's queue links thousands.
_PLAIN_REF = re.compile(r"[A-Za-z0-9_.~:-]*")


def item_href(ref: str, day: date) -> str:
    """The address of an item's page on a day."""
    path = ref.replace(":", "%3A") if _PLAIN_REF.fullmatch(ref) else quote(ref, safe="")
    return f"/hub/items/{path}?on={day.isoformat()}"


class QueueRow(NamedTuple):
    """An entry as a row of the queue's page, its words made here: a region's queue has
    thousands of rows, and every call and filter from the template costs more than the words."""

    href: str
    kind: str
    crn: str
    case_href: str
    #: Where the information came from, in words (``None``: the engine raised the item).
    source: str | None
    status: str
    status_tag: str
    team: str | None
    #: ``1 day``, ``12 days``.
    waiting: str
    since: str
    overdue: bool
    band: int
    risk: str
    summary: str
    action: str | None
    #: The latest triage's outcome in words, and its practitioner (``None``: waiting).
    outcome: str | None
    practitioner: str | None


def queue_rows(entries: Iterable[QueueEntry], day: date) -> list[QueueRow]:
    rows = []
    for e in entries:
        latest = e.triages[-1] if e.triages else None
        rows.append(
            QueueRow(
                item_href(e.ref, day),
                words(e.kind.value),
                e.crn,
                f"/cases/{e.crn}?on={day.isoformat()}",
                words(e.source.value) if e.source else None,
                words(e.status.value),
                STATUS_TAG[e.status.value],
                e.team,
                f"{e.waiting_days} {'day' if e.waiting_days == 1 else 'days'}",
                e.since.isoformat(),
                e.overdue,
                e.risk.band,
                e.risk.describe(),
                e.summary,
                e.action,
                words(latest.outcome.value) if latest else None,
                latest.practitioner if latest else None,
            )
        )
    return rows


def field_id(name: str) -> str:
    return FIELD_IDS.get(name, "outcome")


def queue_table(entries: Iterable[QueueEntry]) -> Table:
    return Table(
        "queue",
        "Hub queue",
        (
            "item",
            "CRN",
            "kind",
            "source",
            "waiting since",
            "days waiting",
            "risk band",
            "risk",
            "status",
            "team",
            "summary",
            "action",
            "due by",
            "outcome",
            "practitioner",
        ),
        tuple(
            (
                e.ref,
                e.crn,
                e.kind.value,
                e.source.value if e.source else None,
                e.since,
                e.waiting_days,
                e.risk.band,
                e.risk.describe(),
                e.status.value,
                e.team,
                e.summary,
                e.action,
                e.due_by,
                e.triages[-1].outcome.value if e.triages else None,
                e.triages[-1].practitioner if e.triages else None,
            )
            for e in entries
        ),
    )


def _registration(view: TriageView) -> str | None:
    if not view.registration:
        return None
    parts = [str(view.registration.get("type", ""))]
    for key in ("level", "category"):
        if view.registration.get(key) is not None:
            parts.append(f"{key} {view.registration[key]}")
    parts.append(f"from {view.registration.get('start_date', '')}")
    return " ".join(parts)


def triage_table(entry: QueueEntry) -> Table:
    return Table(
        "triages",
        f"Triages of item {entry.ref}",
        (
            "triage",
            "triaged on",
            "outcome",
            "practitioner",
            "triaged by",
            "at (UTC)",
            "registration",
            "enforcement",
            "shared with",
            "note",
            "case change (import)",
        ),
        tuple(
            (
                t.triage_id,
                t.triaged_on,
                t.outcome.value,
                t.practitioner,
                t.triaged_by,
                t.triaged_at,
                _registration(t),
                t.enforcement.value if t.enforcement else None,
                t.shared_with,
                t.note,
                t.case_import_id,
            )
            for t in entry.triages
        ),
    )


@dataclass
class FormReading:
    """The values as typed (to show again) and an error per field that cannot be used."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(field_id(name), message)


def _day(reading: FormReading, name: str, label: str) -> date | None:
    text = reading.values.get(name, "").strip()
    if not text:
        reading.fail(name, f"Enter the {label}")
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        reading.fail(name, f"The {label} must be a real date written YYYY-MM-DD")
        return None


def _text(form: Mapping[str, str], name: str) -> str:
    return form.get(name, "")


def read_information(
    form: Mapping[str, str], recorded_by: str
) -> tuple[InformationReceived | None, FormReading]:
    names = ("crn", "source", "received_on", "summary")
    reading = FormReading({n: _text(form, n) for n in names})
    crn = reading.values["crn"].strip().upper()
    if not crn:
        reading.fail("crn", "Enter the CRN of the case")
    elif "\x00" in crn:
        reading.fail("crn", "A CRN cannot hold a NUL character")
    source = reading.values["source"]
    if source not in Source.__members__:
        reading.fail("source", "Choose who the information came from")
    received = _day(reading, "received_on", "date the information was received")
    if not reading.values["summary"].strip():
        reading.fail("summary", "Enter a summary of the information received")
    if reading.errors or received is None:
        return None, reading
    info = InformationReceived(
        crn, Source(source), received, reading.values["summary"], recorded_by
    )
    return info, reading


def _whole(reading: FormReading, name: str, label: str, low: int, high: int) -> int | None:
    text = reading.values.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        reading.fail(name, f"The {label} must be a whole number from {low} to {high}")
        return None
    return int(text)


def _registration_fact(reading: FormReading, day: date) -> RegistrationFact | None:
    kind = reading.values["registration_type"]
    if kind not in REGISTRATION_CHOICES:
        reading.fail("registration", "Choose the registration that now exempts the person")
        return None
    start_text = reading.values["registration_start"].strip()
    start = _day(reading, "registration_start", "registration's start date") if start_text else day
    level: str | int | None = None
    category = None
    if kind == RegistrationType.MAPPA.value:
        level = _whole(reading, "level", "MAPPA level", 1, 3)
        category = _whole(reading, "category", "MAPPA category", 1, 4)
    elif kind == RegistrationType.ROSH.value:
        level = "VERY_HIGH"
    if start is None:
        return None
    return RegistrationFact(RegistrationType(kind), start, level, category)


def read_decision(
    form: Mapping[str, str], triaged_by: str, day: date
) -> tuple[Decision | None, FormReading]:
    names = (
        "outcome",
        "practitioner",
        "registration_type",
        "registration_start",
        "level",
        "category",
        "enforcement",
        "shared_with",
        "note",
    )
    reading = FormReading({n: _text(form, n) for n in names})
    outcome_text = reading.values["outcome"]
    if outcome_text not in Outcome.__members__:
        reading.fail("outcome", "Choose an outcome")
        return None, reading
    outcome = Outcome(outcome_text)
    practitioner = reading.values["practitioner"]
    if not practitioner.strip():
        reading.fail("practitioner", "Enter the named practitioner responsible for the case")
    registration = None
    enforcement = None
    shared_with = None
    if outcome is Outcome.REINSTATE:
        registration = _registration_fact(reading, day)
    elif outcome is Outcome.ENFORCEMENT_CONSIDERED:
        chosen = reading.values["enforcement"]
        if chosen not in Enforcement.__members__:
            reading.fail("enforcement", "Choose breach or recall")
        else:
            enforcement = Enforcement(chosen)
    elif outcome is Outcome.INFORMATION_SHARED:
        shared_with = reading.values["shared_with"]
        if not shared_with.strip():
            reading.fail("shared_with", "Enter who the information was shared with")
    if reading.errors:
        return None, reading
    note = reading.values["note"] if reading.values["note"].strip() else None
    decision = Decision(
        outcome, practitioner, triaged_by, registration, enforcement, shared_with, note
    )
    return decision, reading
