"""The building blocks of the hand-crafted showcase people: events, registrations and a diary
of contacts, all held and recorded on the day, with dates as `datetime.date`."""

from __future__ import annotations

from datetime import date, timedelta

from probation_reset.sample.generator.days import add_months, weekday_on_or_after
from probation_reset.sample.generator.registrations import Flag


def text(day: date) -> str:
    return day.isoformat()


def months_after(day: date, months: int) -> date:
    return date.fromordinal(add_months(day.toordinal(), months))


def on_weekday(day: date) -> date:
    return date.fromordinal(weekday_on_or_after(day.toordinal()))


def event(
    event_id: str,
    kind: str,
    start: date,
    end: date | None,
    *,
    entries: list[dict[str, object]],
    pss_end: date | None = None,
    youth: bool = False,
    terminated_on: date | None = None,
    probation_reset_date: date | None = None,
) -> dict[str, object]:
    """An Event of the contract; `entries` are requirements, or conditions of a licence."""
    record: dict[str, object] = {
        "event_id": event_id,
        "type": kind,
        "start_date": text(start),
        "end_date": None if end is None else text(end),
    }
    if kind == "LICENCE":
        record["pss_end_date"] = None if pss_end is None else text(pss_end)
    record["youth"] = youth
    if terminated_on is not None:
        record["terminated_on"] = text(terminated_on)
    record["licence_conditions" if kind == "LICENCE" else "requirements"] = entries
    if probation_reset_date is not None:
        record["key_dates"] = {"probation_reset_date": text(probation_reset_date)}
    return record


def registration(
    kind: str,
    start: date,
    *,
    deregistered_on: date | None = None,
    level: str | int | None = None,
    category: int | None = None,
) -> dict[str, object]:
    flag = Flag(kind, start.toordinal(), level=level, category=category)
    if deregistered_on is not None:
        flag.deregistered = deregistered_on.toordinal()
    return flag.as_record()


class ShowcaseDiary:
    """The contacts of one hand-crafted person: all held and recorded on the day."""

    def __init__(self, crn: str, as_of: date) -> None:
        self.crn = crn
        self.as_of = as_of
        self.planned: list[tuple[date, str, str | None, str]] = []

    def contact(
        self,
        day: date,
        kind: str = "APPOINTMENT",
        *,
        mode: str | None = "FACE_TO_FACE",
        event_id: str = "1",
    ) -> None:
        """One contact on `day` (the Monday after when it falls at a weekend)."""
        self.planned.append((on_weekday(day), kind, mode, event_id))

    def every(
        self,
        first: date,
        last: date,
        days: int,
        kind: str = "APPOINTMENT",
        *,
        mode: str | None = "FACE_TO_FACE",
        event_id: str = "1",
    ) -> None:
        """Contacts every `days` days from `first` to `last` inclusive."""
        day = first
        while day <= last:
            self.contact(day, kind, mode=mode, event_id=event_id)
            day += timedelta(days=days)

    def records(self) -> list[dict[str, object]]:
        records: list[dict[str, object]] = []
        for number, (day, kind, mode, event_id) in enumerate(sorted(self.planned), start=1):
            record: dict[str, object] = {
                "contact_id": f"{self.crn}-{number:04d}",
                "event_id": event_id,
                "date": text(day),
                "type": kind,
            }
            if mode is not None:
                record["mode"] = mode
            if day > self.as_of:
                record["outcome"] = None
            else:
                record["outcome"] = "ATTENDED"
                record["recorded_on"] = text(day)
            records.append(record)
        return records


def showcase_case(
    diary: ShowcaseDiary,
    events: list[dict[str, object]],
    registrations: list[dict[str, object]],
    date_of_birth: date | None = None,
) -> dict[str, object]:
    case: dict[str, object] = {"crn": diary.crn}
    if date_of_birth is not None:
        case["date_of_birth"] = text(date_of_birth)
    case["events"] = events
    case["registrations"] = registrations
    case["contacts"] = diary.records()
    return case


def rosh(level: str, start: date) -> dict[str, object]:
    return registration("ROSH", start, level=level)
