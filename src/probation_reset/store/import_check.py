"""Checking the records of a source before an import stores any: every problem found, the good
records kept with their canonical documents.

Every record is first held against what the store can keep (``intake.limits``), then mapped from
NDelius codes (``ndelius``) and validated by the core (``read_cases``: the contract's errors, a
later duplicate CRN rejected). A record over a limit is not read any further.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from probation_reset.domain.case import Case
from probation_reset.intake.limits import parse_bounded, store_problems
from probation_reset.intake.reader import crn_of, field_sort_key, read_cases
from probation_reset.store.case_document import canonical_document
from probation_reset.store.csv_bundle import read_csv_bundle
from probation_reset.store.ndelius import NDeliusCodes
from probation_reset.store.rejection import Rejection

CASES_DOCUMENT = "cases document"
CSV_BUNDLE = "csv bundle"

#: Called as records are checked and stored: ``(phase, done, total)``, phase ``check``/``store``.
Progress = Callable[[str, int, int], None]


def no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


def _nowhere(_record: int, _field: str) -> str | None:
    return None


@dataclass(frozen=True)
class ImportSource:
    """Raw case records to import, with the problems found before validation (a CSV bundle's
    joins) and how to say where a record's field came from."""

    name: str
    kind: str
    records: Sequence[Any]
    rejections: Sequence[Rejection] = ()
    locate: Callable[[int, str], str | None] = _nowhere


def document_source(name: str, text: str) -> ImportSource:
    """A contract CASES document (JSON or JSON Lines); ``UnreadableCasesError`` if it is not."""
    return ImportSource(name, CASES_DOCUMENT, parse_bounded(text))


def csv_source(directory: str, codes: NDeliusCodes) -> ImportSource:
    """A CSV bundle directory; ``CsvBundleError`` if it cannot be read."""
    bundle = read_csv_bundle(Path(directory), key_date_codes=tuple(codes.key_dates))
    return ImportSource(directory, CSV_BUNDLE, bundle.records, bundle.rejections, bundle.locate)


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


def rejection_order(rejection: Rejection) -> tuple[int, tuple[tuple[str, int], ...], str]:
    record = -1 if rejection.record is None else rejection.record
    return (record, field_sort_key(rejection.field), rejection.location or "")


def check_records(
    source: ImportSource, codes: NDeliusCodes, progress: Progress = no_progress
) -> CheckedRecords:
    """Map every record from NDelius codes and validate it; keep the good, report the rest."""
    total = len(source.records)
    mapped: list[Any] = []
    mapping_problems: dict[int, list[tuple[str, str]]] = {}
    unstorable: dict[int, list[tuple[str, str]]] = {}
    for index, raw in enumerate(source.records):
        problems = store_problems(raw)
        if problems:
            # Kept out before anything reads it; only a clean CRN stays, for finding repeats.
            unstorable[index] = problems
            crn = crn_of(raw)
            safe = crn is not None and not any(field == "crn" for field, _ in problems)
            mapped.append({"crn": crn} if safe else None)
            continue
        record, problems = codes.to_contract(raw)
        mapped.append(record)
        if problems:
            mapping_problems[index] = problems

    def counted() -> Iterator[Any]:
        for index, record in enumerate(mapped):
            yield record
            progress("check", index + 1, total)

    intake = read_cases(counted())
    rejections = list(source.rejections)
    for index, problems in mapping_problems.items():
        crn = crn_of(mapped[index])
        rejections.extend(Rejection(index, crn, f, message) for f, message in problems)
    for index, problems in unstorable.items():
        crn = crn_of(source.records[index])
        rejections.extend(Rejection(index, crn, f, message) for f, message in problems)
    for error in intake.errors:
        if error.index in unstorable and error.field != "crn":
            continue  # the record was never read; only a repeated CRN is still worth saying
        if any(error.field == f for f, _ in mapping_problems.get(error.index, ())):
            continue  # the code's own problem says it better than "not one of ..."
        rejections.append(Rejection(error.index, error.crn, error.field, error.message))
    rejections = [
        r
        if r.record is None or r.location is not None
        else Rejection(r.record, r.crn, r.field, r.message, source.locate(r.record, r.field))
        for r in rejections
    ]
    rejections.sort(key=rejection_order)
    refused = {r.record for r in rejections}
    valid = [
        (index, case, canonical_document(mapped[index]))
        for index, case in intake.cases
        if index not in refused
    ]
    return CheckedRecords(total, valid, rejections)
