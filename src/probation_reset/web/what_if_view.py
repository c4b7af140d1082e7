"""What if a registration were added to a case, or ended, on a day: the case page's form read
into a change, and the answer (``caseload.what_if``) as side-by-side tables.

The "after" is the engine's evaluation of the changed case (``what_if`` evaluates both sides
with the same engine); nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from probation_reset.caseload.what_if import (
    AddRegistration,
    Change,
    EndRegistration,
    WhatIf,
    timeline_side_by_side,
)
from probation_reset.domain.vocabulary import RegistrationType
from probation_reset.rules.history import TimelineSpan
from probation_reset.web.tables import Table

#: The registrations the form offers (``PRC`` and ``OTHER`` change no status).
TYPES = tuple(
    t.value
    for t in RegistrationType
    if t not in (RegistrationType.CONTACT_SUSPENDED, RegistrationType.OTHER)
)
FIELDS = ("action", "type", "date", "level", "category")


@dataclass
class WhatIfForm:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def asked(self) -> bool:
        return any(self.values.get(n) for n in FIELDS)


def read_change(params: Mapping[str, str], day: date) -> tuple[Change | None, WhatIfForm]:
    """The change asked for, or the errors per field (ids of the form's elements)."""
    form = WhatIfForm({n: params.get(n, "")[:40] for n in FIELDS})
    values = form.values
    if not form.asked:
        return None, form
    action = values["action"]
    if action not in ("add", "end"):
        form.errors["what-if-action"] = "Choose whether the registration is added or ended"
    kind = values["type"]
    if kind not in TYPES:
        form.errors["what-if-type"] = "Choose a registration type"
    text = values["date"].strip() or day.isoformat()
    try:
        if len(text) != 10:
            raise ValueError(text)
        when = date.fromisoformat(text)
    except ValueError:
        form.errors["what-if-date"] = "The date must be a real date written YYYY-MM-DD"
        when = day
    category = values["category"].strip()
    if category and (not category.isdigit() or not 1 <= int(category) <= 4):
        form.errors["what-if-category"] = "The MAPPA category must be a whole number from 1 to 4"
    if form.errors:
        return None, form
    if action == "end":
        return EndRegistration(RegistrationType(kind), when), form
    level = values["level"].strip() or None
    return (
        AddRegistration(RegistrationType(kind), when, level, int(category) if category else None),
        form,
    )


def status_table(answer: WhatIf) -> Table:
    before, after = answer.before, answer.after
    return Table(
        "status",
        f"Status on {answer.on.isoformat()}, as it is and with the change",
        ("what", "as it is", "with the change"),
        (
            ("status", before.status.value, after.status.value),
            ("exemptions", ", ".join(before.exemptions), ", ".join(after.exemptions)),
            (
                "why",
                "; ".join(r.text for r in before.reasons),
                "; ".join(r.text for r in after.reasons),
            ),
        ),
    )


def _span(span: TimelineSpan | None) -> str | None:
    if span is None:
        return None
    status = span.status.value
    exemptions = span.exemptions
    return f"{status} ({', '.join(exemptions)})" if exemptions else status


def timeline_table(answer: WhatIf) -> Table:
    rows = timeline_side_by_side(answer.before.timeline, answer.after.timeline)
    return Table(
        "timeline",
        "Timeline, as it is and with the change",
        ("from", "as it is", "with the change", "differs"),
        tuple(
            (day, _span(was), _span(now), "yes" if _span(was) != _span(now) else "")
            for day, was, now in rows
        ),
    )


def obligations_table(answer: WhatIf) -> Table:
    return Table(
        "obligations",
        "Obligations that differ (not owed: none on that side)",
        ("rule", "event", "window from", "due by", "as it is", "with the change"),
        tuple(
            (
                c.rule,
                c.event_id,
                c.window_start,
                c.due_by,
                c.before.value if c.before else "not owed",
                c.after.value if c.after else "not owed",
            )
            for c in answer.obligation_changes()
        ),
    )


def tables(answer: WhatIf) -> tuple[Table, ...]:
    return (status_table(answer), timeline_table(answer), obligations_table(answer))
