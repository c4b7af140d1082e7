"""Checking the records of a source before an import stores them: every problem found, the good
records kept with their canonical documents.

Every record is first held against what the store can keep (``intake.limits``), then mapped from
NDelius codes (``ndelius``) and validated by the core (``validate_case_model``: the contract's
errors). A record over a limit is not read any further. Each record is checked on its own
(``check_record``, in a worker process during an import); the rule that a CRN seen earlier in
the source rejects the later record is applied afterwards, in source order (``Repeats``), by the
one process that sees every record. ``check_records`` does both for a whole source at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from probation_reset.batch.sources import Chunk, parse_line
from probation_reset.domain.case import Case
from probation_reset.intake.limits import store_problems
from probation_reset.intake.reader import crn_of, field_sort_key, to_domain, validate_case_model
from probation_reset.intake.schema import CaseIn
from probation_reset.store.ndelius import NDeliusCodes
from probation_reset.store.rejection import Rejection

CASES_DOCUMENT = "cases document"
CSV_BUNDLE = "csv bundle"
PARQUET_TABLES = "parquet tables"

#: Called as records are checked and stored: ``(phase, done, total)``, phase ``check``/``store``;
#: the total is ``None`` while it is not known (a file still being read).
Progress = Callable[[str, int, int | None], None]


def no_progress(_phase: str, _done: int, _total: int | None) -> None:
    return None


def _nowhere(_record: int, _field: str) -> str | None:
    return None


@dataclass(frozen=True)
class ImportSource:
    """Raw case records to import, with the problems found before validation (a CSV bundle's
    joins) and how to say where a record's field came from.

    ``records`` is read once, in order: a list, or any iterable (nothing is held beyond the
    batch being stored). A source read from a file instead gives ``read``, which yields its
    chunks (JSON Lines lines are then parsed where the records are checked)."""

    name: str
    kind: str
    records: Iterable[Any] = ()
    rejections: Sequence[Rejection] = ()
    locate: Callable[[int, str], str | None] = _nowhere
    read: Callable[[int], Iterator[Chunk]] | None = None
    #: How many records there are, when known before reading them.
    total: int | None = None

    def chunks(self, size: int) -> Iterator[Chunk]:
        """The records, ``size`` at a time."""
        if self.read is not None:
            yield from self.read(size)
            return
        records = iter(self.records)
        first = 0
        while values := tuple(islice(records, size)):
            yield Chunk(first, values=values)
            first += len(values)

    def known_total(self) -> int | None:
        if self.total is not None:
            return self.total
        return len(self.records) if isinstance(self.records, Sequence) else None


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """One record checked on its own: the CRN that counts for repeats (``None`` when it has no
    usable one), the contract model when the record is valid, and the problems found (those of
    a repeated CRN aside), in the order they are reported."""

    index: int
    crn: str | None
    model: CaseIn | None
    rejections: tuple[Rejection, ...]


def check_record(index: int, raw: Any, codes: NDeliusCodes, owned: bool = False) -> RecordCheck:
    """Hold one raw record against the store's limits, map its NDelius codes and validate it.

    ``owned``: the record was parsed for this check alone, so codes may be mapped in place."""
    problems = store_problems(raw)
    if problems:
        # Kept out before anything reads it; only a clean CRN stays, for finding repeats.
        crn = crn_of(raw)
        safe = crn is not None and not any(name == "crn" for name, _ in problems)
        rejections = [Rejection(index, crn, name, message) for name, message in problems]
        if safe:
            # A bare CRN is not a case: only what its validation says of the CRN is worth saying.
            checked = validate_case_model({"crn": crn}, index)
            errors = checked if isinstance(checked, list) else []
            rejections += [
                Rejection(index, e.crn, e.field, e.message) for e in errors if e.field == "crn"
            ]
        return RecordCheck(index, crn if safe else None, None, tuple(rejections))
    mapped, mapping_problems = codes.to_contract(raw, copy=not owned)
    crn = crn_of(mapped)
    rejections = [Rejection(index, crn, name, message) for name, message in mapping_problems]
    checked = validate_case_model(mapped, index)
    if not isinstance(checked, list):
        return RecordCheck(index, crn, None if rejections else checked, tuple(rejections))
    mapped_fields = {name for name, _ in mapping_problems}
    rejections += [
        Rejection(error.index, error.crn, error.field, error.message)
        for error in checked
        # The code's own problem says it better than "not one of ...".
        if error.field not in mapped_fields
    ]
    return RecordCheck(index, crn, None, tuple(rejections))


def check_chunk(chunk: Chunk, codes: NDeliusCodes) -> Iterator[RecordCheck]:
    """Each record of a chunk checked; JSON Lines are parsed first (``UnreadableCasesError``
    when one does not parse)."""
    if chunk.lines:
        for index, (number, line) in enumerate(chunk.lines, start=chunk.first):
            yield check_record(index, parse_line(number, line), codes, owned=True)
        return
    owned = chunk.tables is not None  # cases made from Parquet rows for this chunk alone
    for index, raw in enumerate(chunk.cases(), start=chunk.first):
        yield check_record(index, raw, codes, owned=owned)


def rejection_order(rejection: Rejection) -> tuple[int, tuple[tuple[str, int], ...], str]:
    record = -1 if rejection.record is None else rejection.record
    return (record, field_sort_key(rejection.field), rejection.location or "")


@dataclass
class Repeats:
    """The CRN rule across a whole source: the first record with a CRN keeps it, a later one is
    rejected; the source's own problems of a record (a CSV bundle's) reject it too. Holds the
    CRNs seen (the only thing that grows with the source) and the source's problems by record."""

    source: ImportSource
    seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._given: dict[int, list[Rejection]] = {}
        for rejection in self.source.rejections:
            if rejection.record is not None:
                self._given.setdefault(rejection.record, []).append(rejection)

    def settle(
        self, index: int, crn: str | None, valid: bool, found: Sequence[Rejection]
    ) -> tuple[bool, list[Rejection]]:
        """Whether the record checked (``check_record``: its CRN, whether it is valid, the
        problems found) may be stored, and all its problems, located and in report order."""
        rejections = [*self._given.pop(index, ()), *found]
        if crn is not None:
            if crn in self.seen:
                rejections.append(Rejection(index, crn, "crn", f"crn {crn!r} was already seen"))
            else:
                self.seen.add(crn)
        locate = self.source.locate
        located = [
            r
            if r.location is not None
            else Rejection(r.record, r.crn, r.field, r.message, locate(index, r.field))
            for r in rejections
        ]
        located.sort(key=rejection_order)
        return valid and not located, located

    def unplaced(self) -> list[Rejection]:
        """The source's problems that belong to no record."""
        return [r for r in self.source.rejections if r.record is None]


@dataclass
class CheckedRecords:
    """The records that may be stored (index, domain case, canonical document) and every
    problem of the others."""

    total: int
    valid: list[tuple[int, Case, dict[str, Any]]]
    rejections: list[Rejection]

    @property
    def rejected_records(self) -> int:
        return len({r.record for r in self.rejections if r.record is not None})


def check_records(
    source: ImportSource, codes: NDeliusCodes, progress: Progress = no_progress
) -> CheckedRecords:
    """Map every record from NDelius codes and validate it; keep the good, report the rest
    (the whole source at once: ``Importer`` checks a batch at a time)."""
    total = source.known_total()
    repeats = Repeats(source)
    valid: list[tuple[int, Case, dict[str, Any]]] = []
    rejections = repeats.unplaced()
    count = 0
    for chunk in source.chunks(1000):
        for check in check_chunk(chunk, codes):
            storable, problems = repeats.settle(
                check.index, check.crn, check.model is not None, check.rejections
            )
            rejections += problems
            if storable and check.model is not None:
                valid.append(
                    (check.index, to_domain(check.model), check.model.model_dump(mode="json"))
                )
            count += 1
            progress("check", count, total)
    rejections.sort(key=rejection_order)
    return CheckedRecords(count, valid, rejections)
