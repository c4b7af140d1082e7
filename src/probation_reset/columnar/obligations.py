"""Every obligation of a chunk's people judged at once, in columns: `batch`'s obligation engine.

The per-case engine (`Engine.obligations`) judges a case's duties one at a time against its
contacts, then each contact's recording (``NS_RECORD_1WD``, two thirds of all obligations), and
sorts them. Here the same duties (`Engine.duties`, the same rules) of a chunk's people, and their
contacts read straight from the Parquet columns, are judged together in polars, as CONTRACT.md
section 5 says:

- a duty is MET by the first contact, in date, time then input order, dated in its window and not
  after the day judged (nor after its due date), of the kind it asks for (`Qualifying`, judged once
  for each type, mode and outcome a chunk's contacts have) and counting toward its event;
  otherwise NOT_YET_DUE before its window, DUE up to its due date, MISSED after;
- each contact dated by the day judged is to be recorded within the working days allowed on its
  date (`RecordingDeadlines`): MET when recorded by then and by the day judged, else DUE up to
  its due date, MISSED after;
- they are sorted as the per-case engine sorts them (window start, the contract's rule order,
  the event's input position, then the order they were made in) and written as the JSON text
  orjson writes for them, a person's obligations as one array.

Only the obligations still to meet come back as Python objects, for the next actions. A person
whose contact or event ids hold a character JSON escapes (a quote, a backslash, a control
character), or with a duty of no event, is left to the intake and the per-case engine. A
differential test (`tests/test_columnar_obligations.py`) holds the text equal, byte for byte, to
the per-case engine's. The periodic duties are cut in `columnar.periods`; the order, the JSON
text and the obligations still to meet are made in `columnar.obligation_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl
import pyarrow as pa

from probation_reset.columnar.obligation_text import (
    DAY_SHIFT,
    DUE,
    MET,
    MISSED,
    NOT_YET_DUE,
    DayTexts,
    in_order,
    largest,
    pending_by_person,
    texts_by_person,
    written,
)
from probation_reset.columnar.periods import periodic_duties
from probation_reset.domain.case import Contact
from probation_reset.domain.vocabulary import (
    CONTACT_MODE_BY_WORD,
    CONTACT_OUTCOME_BY_WORD,
    CONTACT_TYPE_BY_WORD,
)
from probation_reset.evaluation.engine import Engine, rule_position
from probation_reset.rules.history import CaseHistory
from probation_reset.rules.national_standards import (
    HELD_FACE_TO_FACE,
    MONTHLY_F2F,
    RECORD_1WD,
    PeriodicSpan,
)
from probation_reset.rules.obligation import Duty, Obligation, Qualifying

#: A character orjson writes escaped: such an id is left to the per-case engine.
_ESCAPED = r'["\\\x00-\x1f]'


@dataclass(frozen=True, slots=True)
class Person:
    """A built case of a chunk: its ``case_index`` in the tables, its history and its duties
    (`Engine.duties`, or `Engine.duties_and_spans` with the periodic rules' spans)."""

    case_index: int
    history: CaseHistory
    duties: list[Duty]
    #: The periodic rules' spans (`Engine.duties_and_spans`): their duties are cut here.
    spans: list[PeriodicSpan] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Judged:
    """A person's obligations: the JSON array as text, and those still to meet, in its order."""

    text: str
    pending: list[Obligation]


def judge_chunk(
    contacts: pa.Table, people: list[Person], on: date, engine: Engine
) -> dict[int, Judged]:
    """Each person's obligations by ``case_index``; a person left to the per-case engine is
    not in the answer."""
    if not people:
        return {}
    kinds: dict[Qualifying, int] = {}
    duties, events = _duty_frames(people, on, kinds)
    sorted_contacts = _sorted_contacts(contacts, [person.case_index for person in people], events)
    left = set(
        pl.concat(
            [
                sorted_contacts.filter(
                    pl.col("contact_id").str.contains(_ESCAPED)
                    | pl.col("event_id").str.contains(_ESCAPED)
                ).select("person"),
                events.filter(pl.col("event_id").str.contains(_ESCAPED)).select("person"),
                duties.filter(pl.col("event_id").is_null()).select("person"),
            ]
        )
        .get_column("person")
        .to_list()
    )
    judged = _judged_duties(duties, sorted_contacts, events, kinds, on)
    if judged is None:
        return {}
    recorded = _recordings(sorted_contacts, events, people, on, engine)
    obligations = in_order(pl.concat([judged, recorded], how="vertical"))
    texts = texts_by_person(obligations)
    horizon = on + timedelta(days=engine.parameters.next_actions_horizon_days.at(on))
    pending = pending_by_person(obligations, horizon)
    return {
        person.case_index: Judged("[" + texts.get(at, "") + "]", pending.get(at, []))
        for at, person in enumerate(people)
        if at not in left
    }


_DUTY_SCHEMA = {
    "person": pl.Int64, "rule": pl.String, "rule_order": pl.Int32, "event_id": pl.String,
    "position": pl.Int32, "window_start": pl.Date, "due_by": pl.Date, "kind": pl.Int32,
}  # fmt: skip


def _duty_frames(
    people: list[Person], on: date, kinds: dict[Qualifying, int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The duties of every person as rows (``seq`` the order they were made in, ``kind`` a
    number for each `Qualifying`, added to ``kinds``), and each person's events with their
    input positions."""
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    events: list[tuple[int, str, int]] = []
    orders: dict[str, int] = {}
    spans: list[tuple[Any, ...]] = []
    for at, person in enumerate(people):
        for periodic in person.spans:
            dates = periodic.dates
            spans.append(
                (at, periodic.rule.id, rule_position(periodic.rule.id), dates.event.event_id,
                 dates.index, periodic.span.start, periodic.span.end, dates.last_active_day,
                 periodic.rule is MONTHLY_F2F)
            )  # fmt: skip
        history_events = person.history.events
        no_event = len(history_events)
        events.extend((at, dates.event.event_id, dates.index) for dates in history_events)
        for duty in person.duties:
            rule_id = duty.rule.id
            order = orders.get(rule_id)
            if order is None:
                order = orders[rule_id] = rule_position(rule_id)
            kind = kinds.get(duty.qualifying)
            if kind is None:
                kind = kinds[duty.qualifying] = len(kinds)
            event = duty.event
            append(
                (at, rule_id, order, None, no_event, duty.window_start, duty.due_by, kind)
                if event is None
                else (at, rule_id, order, event.event.event_id, event.index, duty.window_start,
                      duty.due_by, kind)
            )  # fmt: skip
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in _DUTY_SCHEMA]
    duties = pl.DataFrame(dict(zip(_DUTY_SCHEMA, columns, strict=True)), schema=_DUTY_SCHEMA)
    if spans:
        kind = kinds.get(HELD_FACE_TO_FACE)
        if kind is None:
            kind = kinds[HELD_FACE_TO_FACE] = len(kinds)
        duties = pl.concat([duties, periodic_duties(spans, on, kind, list(_DUTY_SCHEMA))])
    event_columns = list(zip(*events, strict=True)) if events else [(), (), ()]
    event_frame = pl.DataFrame(
        dict(zip(("person", "event_id", "position"), event_columns, strict=True)),
        schema={"person": pl.Int64, "event_id": pl.String, "position": pl.Int32},
    )
    return (
        duties.with_row_index("seq").with_columns(
            pl.col("seq").cast(pl.Int64), last_day=pl.min_horizontal("due_by", pl.lit(on))
        ),
        event_frame,
    )


def _sorted_contacts(
    contacts: pa.Table, case_indices: list[int], events: pl.DataFrame
) -> pl.DataFrame:
    """The people's contacts in the order duties are judged in: date, time, then input order
    (``k``, their row number in that order), each with its ``person`` (the position in
    ``case_indices``) and its event's input position. The first two make one integer, and a
    contact's row in the table (its input order within its person) breaks ties."""
    frame = pl.DataFrame(pl.from_arrow(contacts))
    hours, minutes, seconds = (
        pl.col("time").str.slice(start, 2).cast(pl.Int64, strict=False) for start in (0, 3, 6)
    )
    moment = (hours * 3600 + minutes * 60 + seconds.fill_null(0)).fill_null(0)
    person = pl.col("case_index").replace_strict(
        case_indices, range(len(case_indices)), default=None, return_dtype=pl.Int64
    )
    key = (pl.col("person") * (1 << 19) + pl.col("date").cast(pl.Int64) + DAY_SHIFT) * (
        1 << 17
    ) + moment
    return (
        frame.with_row_index("row")
        .with_columns(person=person)
        .filter(pl.col("person").is_not_null())
        .join(events, on=["person", "event_id"], how="left")
        .with_columns(contact_key=key, code=_TYPE_MODE_OUTCOME)
        .sort(["contact_key", "row"])
        .drop("contact_key", "row")
        .with_row_index("k")
    )


_TYPES = tuple(CONTACT_TYPE_BY_WORD)
_MODES = tuple(CONTACT_MODE_BY_WORD)
_OUTCOMES = tuple(CONTACT_OUTCOME_BY_WORD)
#: A contact's type, mode and outcome as one number: each word's place in its vocabulary (a
#: mode or outcome not given: one past the last), as the digits of a number in base `_BASE`.
_BASE = 1 + max(len(_MODES), len(_OUTCOMES))


def _place(column: str, words: tuple[str, ...]) -> pl.Expr:
    return pl.col(column).cast(pl.Enum(words), strict=False).to_physical().cast(pl.Int32)


_TYPE_MODE_OUTCOME = (
    _place("type", _TYPES) * _BASE * _BASE
    + _place("mode", _MODES).fill_null(len(_MODES)) * _BASE
    + _place("outcome", _OUTCOMES).fill_null(len(_OUTCOMES))
)


def _admitted(contacts: pl.DataFrame, kinds: dict[Qualifying, int]) -> pl.DataFrame:
    """Each type, mode and outcome the contacts have (``code``, `_TYPE_MODE_OUTCOME`), with
    every kind of duty it meets (asked of the kind itself, on a contact of that type, mode and
    outcome)."""
    rows: dict[str, list[int]] = {"code": [], "kind": []}
    for code in contacts.get_column("code").drop_nulls().unique().to_list():
        kind_place, mode, outcome = code // (_BASE * _BASE), code // _BASE % _BASE, code % _BASE
        contact = Contact(
            "",
            date.min,
            CONTACT_TYPE_BY_WORD[_TYPES[kind_place]],
            mode=CONTACT_MODE_BY_WORD[_MODES[mode]] if mode < len(_MODES) else None,
            outcome=CONTACT_OUTCOME_BY_WORD[_OUTCOMES[outcome]]
            if outcome < len(_OUTCOMES)
            else None,
        )
        for kind, number in kinds.items():
            if kind.admits(contact):
                rows["code"].append(code)
                rows["kind"].append(number)
    return pl.DataFrame(rows, schema={"code": pl.Int32, "kind": pl.Int32})


def _judged_duties(
    duties: pl.DataFrame,
    contacts: pl.DataFrame,
    events: pl.DataFrame,
    kinds: dict[Qualifying, int],
    on: date,
) -> pl.DataFrame | None:
    """Each duty with the contact meeting it (``met_by``) and its status; `None` when the
    chunk's keys would not fit in 64 bits.

    A contact with no event counts toward each of its person's events: it is listed once for
    each. The qualifying contacts are sorted by one integer key (person, kind, event position,
    day) then ``k``; a duty's window is the range of keys from its first day to its last day
    judged, and the first contact in that range, found by a binary search, meets it."""
    qualifying = contacts.join(_admitted(contacts, kinds), on="code")
    listed = pl.concat(
        [
            qualifying.filter(pl.col("event_id").is_not_null()).select(
                "person", "kind", "position", "date", "k"
            ),
            qualifying.filter(pl.col("event_id").is_null())
            .drop("position")
            .join(events.select("person", "position"), on="person")
            .select("person", "kind", "position", "date", "k"),
        ]
    )
    keys = _Keys.fitting(listed, duties, len(kinds))
    if keys is None:
        return None
    ordered = listed.select(key=keys.of("date"), met_k="k").sort("key", "met_k")
    sentinel = pl.DataFrame({"key": [_NO_KEY], "met_k": [None]}, schema=ordered.schema)
    ordered = pl.concat([ordered, sentinel])
    found = ordered.get_column("key").search_sorted(
        duties.select(keys.of("window_start")).to_series(), side="left"
    )
    candidates = ordered[found]
    met_k = (
        pl.DataFrame({"key": candidates.get_column("key"), "met_k": candidates.get_column("met_k")})
        .with_columns(last=duties.select(keys.of("last_day")).to_series())
        .select(met_k=pl.when(pl.col("key") <= pl.col("last")).then(pl.col("met_k")))
    )
    met_by = met_k.join(
        contacts.select(pl.col("k").alias("met_k"), "contact_id"),
        on="met_k",
        how="left",
        maintain_order="left",
    ).get_column("contact_id")
    status = (
        pl.when(pl.col("met_by").is_not_null())
        .then(pl.lit(MET))
        .when(pl.lit(on) < pl.col("window_start"))
        .then(pl.lit(NOT_YET_DUE))
        .when(pl.lit(on) <= pl.col("due_by"))
        .then(pl.lit(DUE))
        .otherwise(pl.lit(MISSED))
    )
    days = DayTexts(duties.get_column("window_start"), duties.get_column("due_by"))
    return written(
        duties.with_columns(met_by=met_by).with_columns(
            status=status, contact_id=pl.lit(None, pl.String)
        ),
        days,
    )


#: Above every key (`_Keys.fitting` keeps them under 2**62): no contact.
_NO_KEY = 2**63 - 1


@dataclass(frozen=True, slots=True)
class _Keys:
    """One integer for a person, kind, event position and day, sorting as the four do."""

    kinds: int
    positions: int
    first_day: int
    days: int

    @classmethod
    def fitting(cls, contacts: pl.DataFrame, duties: pl.DataFrame, kinds: int) -> _Keys | None:
        """The keys of these contacts and duties, or `None` when they would pass 64 bits."""
        days = [
            frame.get_column(column).cast(pl.Int64)
            for frame, column in (
                (contacts, "date"),
                (duties, "window_start"),
                (duties, "last_day"),
            )
        ]
        first_day = min((int(d.min()) for d in days if len(d)), default=0)  # type: ignore[arg-type]
        last_day = max((int(d.max()) for d in days if len(d)), default=0)  # type: ignore[arg-type]
        positions = max(largest(frame, "position") for frame in (contacts, duties))
        people = 1 + max(largest(frame, "person") for frame in (contacts, duties))
        keys = cls(max(kinds, 1), 1 + positions, first_day, last_day - first_day + 1)
        if people * keys.kinds * keys.positions * keys.days >= 2**62:
            return None
        return keys

    def of(self, day: str) -> pl.Expr:
        offset = pl.col(day).cast(pl.Int64) - self.first_day
        person, kind, position = (pl.col(c).cast(pl.Int64) for c in ("person", "kind", "position"))
        return (
            ((person * self.kinds + kind) * self.positions + position) * self.days + offset
        ).alias("key")


def _recordings(
    contacts: pl.DataFrame, events: pl.DataFrame, people: list[Person], on: date, engine: Engine
) -> pl.DataFrame:
    """Each contact dated by the day judged, to be recorded within the working days allowed."""
    dated = contacts.filter(pl.col("date") <= on)
    days = dated.get_column("date").unique().to_list()
    due_by = pl.DataFrame(
        {"date": days, "due_by": [engine.recording_deadlines(day) for day in days]},
        schema={"date": pl.Date, "due_by": pl.Date},
    )
    no_event = pl.DataFrame(
        {"person": range(len(people)), "no_event": [len(p.history.events) for p in people]},
        schema={"person": pl.Int64, "no_event": pl.Int32},
    )
    met = (
        pl.col("recorded_on").is_not_null()
        & (pl.col("recorded_on") <= pl.col("due_by"))
        & (pl.col("recorded_on") <= pl.lit(on))
    )
    status = (
        pl.when(met)
        .then(pl.lit(MET))
        .when(pl.lit(on) <= pl.col("due_by"))
        .then(pl.lit(DUE))
        .otherwise(pl.lit(MISSED))
    )
    recordings = (
        dated.join(due_by, on="date", how="left")
        .join(no_event, on="person", how="left")
        .select(
            "person",
            seq=pl.col("k").cast(pl.Int64),
            rule=pl.lit(RECORD_1WD.id),
            rule_order=pl.lit(rule_position(RECORD_1WD.id), pl.Int32),
            event_id="event_id",
            position=pl.coalesce("position", "no_event"),
            window_start="date",
            due_by="due_by",
            status=status,
            met_by=pl.when(met).then(pl.col("contact_id")).otherwise(pl.lit(None, pl.String)),
            contact_id="contact_id",
        )
    )
    return written(recordings, DayTexts(due_by.get_column("date"), due_by.get_column("due_by")))
