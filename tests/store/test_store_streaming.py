"""An import read and stored a batch at a time: memory bounded by the batch, the same store as
reading the whole file, the CRN rule across batches, and one bad record costing no other."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from probation_reset.cli.cases_file import CasesFileError, CheckedText
from probation_reset.cli.main import app
from probation_reset.columnar.tables import CaseTableWriter
from probation_reset.evaluation.engine import Engine as CoreEngine
from probation_reset.intake.reader import read_cases
from probation_reset.policy import load_parameters
from probation_reset.store import repository
from probation_reset.store.case_document import canonical_document, content_hash
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.digest import derive_digest
from probation_reset.store.history import status_history
from probation_reset.store.importer import (
    CASES_DOCUMENT,
    Importer,
    ImportReport,
    ImportSource,
    document_source,
    text_source,
)
from probation_reset.store.models import Base, CaseRecord, Import, ImportBatch
from probation_reset.store.ndelius import ndelius_codes

PARAMETERS = load_parameters()
RUNNER = CliRunner()
#: Columns that differ between two imports of the same cases: keys, moments, which import.
VARYING = {"id", "import_id", "created_by_import", "updated_by_import", "created_at", "updated_at",
           "changed_at", "recorded_at", "derived_at", "committed_at"}  # fmt: skip
#: Tables holding what was imported (not who imported it, nor the web's).
IMPORTED = (
    "cases", "case_changes", "events", "requirements", "licence_conditions", "registrations",
    "contacts", "status_spans", "status_transitions", "case_digests", "event_phase_spans",
    "exemption_spans", "case_obligations",
)  # fmt: skip


def importer(sessions: sessionmaker[Session], batch_size: int, workers: int = 1) -> Importer:
    return Importer(sessions, PARAMETERS, ndelius_codes(), batch_size, workers=workers)


class CountedLines:
    """A JSON Lines text read a line at a time, counting the lines read."""

    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))
        self.read_so_far = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.read_so_far += 1
        return line

    def read(self) -> str:
        rest = "".join(self._lines)
        self.read_so_far += rest.count("\n")
        return rest


def jsonl(cases: list[Any]) -> str:
    return "".join(json.dumps(case) + "\n" for case in cases)


@contextmanager
def databases(*urls: str) -> Iterator[list[Engine]]:
    """The databases of ``urls``, migrated; closed afterwards."""
    engines = [open_database(url) for url in urls]
    try:
        yield engines
    finally:
        for engine in engines:
            engine.dispose()


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every imported row, less what differs between two imports of the same cases, sorted."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for name in IMPORTED:
            table = Base.metadata.tables[name]
            columns = [c for c in table.columns if c.name not in VARYING]
            rows = connection.execute(select(*columns)).all()
            found[name] = sorted((tuple(map(_comparable, row)) for row in rows), key=repr)
    return found


def _comparable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def test_a_streamed_import_holds_no_more_than_a_few_batches(
    sessions: sessionmaker[Session],
) -> None:
    """Memory does not grow with the file: the lines read but not yet stored never exceed
    three batches (the batch being stored, and at most two read ahead), on 2,000 records."""
    people = generated(400, seed=51)
    records = [dict(p, crn=f"{p['crn']}-{n}") for n in range(5) for p in people]
    batch = 50
    text = CountedLines(jsonl(records))
    stored = [0]
    largest = [0]

    @contextmanager
    def opened() -> Iterator[CountedLines]:
        yield text

    def progress(_phase: str, done: int, _total: int | None) -> None:
        largest[0] = max(largest[0], text.read_so_far - stored[0])
        stored[0] = done

    report = importer(sessions, batch).run(text_source("counted", opened), "tester", progress)
    assert (report.records, report.created, report.batches) == (2000, 2000, 40)
    assert text.read_so_far == 2000
    assert 0 < largest[0] <= 3 * batch


def test_records_from_any_iterable_are_taken_a_batch_at_a_time(
    sessions: sessionmaker[Session],
) -> None:
    people = generated(300, seed=52)
    taken = [0]
    stored = [0]
    ahead = [0]

    def records() -> Iterator[dict[str, Any]]:
        for person in people:
            taken[0] += 1
            ahead[0] = max(ahead[0], taken[0] - stored[0])
            yield person

    def progress(_phase: str, done: int, _total: int | None) -> None:
        stored[0] = done

    report = importer(sessions, 20).run(
        ImportSource("generator", CASES_DOCUMENT, records()), "tester", progress
    )
    assert (report.created, report.batches) == (300, 15)
    assert ahead[0] <= 3 * 20


def test_a_crn_seen_in_an_earlier_batch_rejects_the_later_record(
    sessions: sessionmaker[Session],
) -> None:
    people = generated(300, seed=53)
    invalid_first = dict(people[40], events=[{"type": "PAROLE"}])
    records: list[Any] = [*people[:40], invalid_first, *people[41:]]
    records.append(dict(people[7], date_of_birth="1990-01-01"))  # batch 0's CRN, in batch 3
    records.append(dict(people[40]))  # first seen (invalid) in batch 0
    report = importer(sessions, 100).run(ImportSource("t", CASES_DOCUMENT, records), "tester")
    rejected = {(r.record, r.crn, r.field) for r in report.rejections}
    assert (300, people[7]["crn"], "crn") in rejected
    assert (301, people[40]["crn"], "crn") in rejected
    assert {r.record for r in report.rejections} == {40, 300, 301}
    assert [r.message for r in report.rejections if r.record == 300] == [
        f"crn {people[7]['crn']!r} was already seen"
    ]
    with sessions() as session:
        stored = repository.case_documents(session)
        assert set(stored) == {p["crn"] for n, p in enumerate(people) if n != 40}
        assert stored[people[7]["crn"]]["date_of_birth"] == people[7].get("date_of_birth")
        counts = session.execute(
            select(ImportBatch.number, ImportBatch.created, ImportBatch.rejected).order_by(
                ImportBatch.number
            )
        ).all()
    assert [tuple(row) for row in counts] == [(0, 99, 1), (1, 100, 0), (2, 100, 0), (3, 0, 2)]


def test_a_bad_record_in_the_third_batch_is_rejected_alone(
    sessions: sessionmaker[Session],
) -> None:
    people = generated(500, seed=54)
    bad = 317
    records: list[Any] = list(people)
    records[bad] = dict(people[bad], events=[dict(people[bad]["events"][0], end_date="1/2/24")])
    report = importer(sessions, 100).run(ImportSource("t", CASES_DOCUMENT, records), "tester")
    assert [(r.record, r.crn, r.field) for r in report.rejections] == [
        (bad, people[bad]["crn"], "events[0].end_date")
    ]
    assert (report.created, report.rejected, report.batches) == (499, 1, 5)
    with sessions() as session:
        assert set(repository.crns_in_store(session)) == {
            p["crn"] for n, p in enumerate(people) if n != bad
        }
        third = session.scalars(select(ImportBatch).where(ImportBatch.number == 3)).one()
        assert (third.first_record, third.last_record, third.created, third.rejected) == (
            300,
            399,
            99,
            1,
        )


def _reference(people: list[dict[str, Any]]) -> dict[str, Any]:
    """What the store must hold, worked out by the core alone (as the whole-file import did)."""
    engine = CoreEngine(PARAMETERS)
    intake = read_cases(people)
    assert not intake.errors
    documents = {case.crn: canonical_document(people[i]) for i, case in intake.cases}
    histories = {case.crn: status_history(engine, case) for _, case in intake.cases}
    digests = {case.crn: derive_digest(engine, case) for _, case in intake.cases}
    return {"documents": documents, "histories": histories, "digests": digests}


def test_streamed_and_whole_file_imports_store_the_same(new_database: Any, tmp_path: Path) -> None:
    """A generated caseload imported whole (one JSON document, in this process) and streamed
    (JSON Lines, other batches, two worker processes) gives the same rows in every imported
    table, and they are what the core derives from each case."""
    people = generated(700, seed=55)
    with databases(new_database(), new_database()) as engines:
        first = importer(session_factory(engines[0]), 1000).run(
            document_source("whole", json.dumps({"cases": people})), "tester"
        )
        path = tmp_path / "caseload.jsonl"
        path.write_text(jsonl(people))

        @contextmanager
        def opened() -> Iterator[CheckedText]:
            with path.open("rb") as stream:
                yield CheckedText(stream)

        second = importer(session_factory(engines[1]), 64, workers=2).run(
            text_source(str(path), opened), "tester"
        )
        assert (first.created, second.created, second.batches) == (700, 700, 11)
        assert first.transitions_added == second.transitions_added
        rows = snapshot(engines[0])
        assert rows == snapshot(engines[1])
        assert all(rows[name] for name in IMPORTED if name != "licence_conditions")

        expected = _reference(people)
        with session_factory(engines[1])() as session:
            assert repository.case_documents(session) == expected["documents"]
            hashes = dict(session.execute(select(CaseRecord.crn, CaseRecord.content_hash)).all())
        assert hashes == {crn: content_hash(d) for crn, d in expected["documents"].items()}
        with session_factory(engines[1])() as session:
            stored = repository.transitions_between(session, date(1900, 1, 1), date(2400, 1, 1))
        transitions = sorted(
            (t.crn, t.day.isoformat(), t.kind, json.dumps(list(t.reasons), sort_keys=True))
            for t in stored
        )
        assert transitions == sorted(
            (crn, t.day.isoformat(), t.kind.value, json.dumps(list(t.reasons), sort_keys=True))
            for crn, history in expected["histories"].items()
            for t in history.transitions
        )
        obligations = len(rows["case_obligations"])
        assert obligations == sum(len(d.obligations) for d in expected["digests"].values())


def test_importing_parquet_tables_stores_what_importing_their_jsonl_does(
    new_database: Any, tmp_path: Path
) -> None:
    people = generated(150, seed=56)
    tables = tmp_path / "tables"
    writer = CaseTableWriter(tables, row_group_people=33)
    for person in people:
        writer.add(person)
    writer.close()
    (tmp_path / "cases.jsonl").write_text(jsonl(people))
    urls = [new_database(), new_database()]
    for source, url in zip((tables, tmp_path / "cases.jsonl"), urls, strict=True):
        result = RUNNER.invoke(
            app, ["import", str(source), "--database", url, "--batch-size", "40", "--format",
                  "json"]
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["created"] == 150
    with databases(*urls) as engines:
        assert snapshot(engines[0]) == snapshot(engines[1])
        with session_factory(engines[0])() as session:
            assert session.scalars(select(Import.source_kind)).one() == "parquet tables"


def test_a_line_that_is_not_json_stops_the_import_keeping_the_batches_before(
    empty_database: str, tmp_path: Path
) -> None:
    people = generated(120, seed=57)
    lines = jsonl(people).splitlines(keepends=True)
    lines.insert(95, '{"crn": "BROKEN", \n')
    path = tmp_path / "caseload.jsonl"
    path.write_text("".join(lines))
    result = RUNNER.invoke(
        app, ["import", str(path), "--database", empty_database, "--batch-size", "30"]
    )
    assert result.exit_code == 2, result.output
    assert "line 96, column" in result.stderr and "is not JSON" in result.stderr
    assert "the 3 batch(es) before it are stored" in result.stderr
    with databases(empty_database) as (engine,), session_factory(engine)() as session:
        assert len(repository.crns_in_store(session)) == 90
        assert session.scalars(select(Import.outcome)).one() == "FAILED"
    path.write_text(jsonl(people))
    again = RUNNER.invoke(app, ["import", str(path), "--database", empty_database, "--format",
                                "json"])  # fmt: skip
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert (report["unchanged"], report["created"]) == (90, 30)


def test_reimporting_a_streamed_file_records_nothing(empty_database: str, tmp_path: Path) -> None:
    path = tmp_path / "caseload.jsonl"
    path.write_text(jsonl(generated(200, seed=58)))
    command = ["import", str(path), "--database", empty_database, "--batch-size", "25",
               "--format", "json"]  # fmt: skip
    first = RUNNER.invoke(app, command)
    assert first.exit_code == 0, first.output
    with databases(empty_database) as (engine,):
        before = snapshot(engine)
        again = RUNNER.invoke(app, command)
        assert again.exit_code == 0, again.output
        report = json.loads(again.stdout)
        assert (report["created"], report["changed"], report["unchanged"]) == (0, 0, 200)
        assert report["transitions_added"] == report["transitions_superseded"] == 0
        assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"crn": "A"}\n{"crn": "B\x00"}\n', "byte 23 is NUL"),
        (b'{"crn": "A"}\n{"crn": "\xff"}\n', "byte 22 is not UTF-8 (0xff)"),
        (b'{"crn": "A"}\n' + b"x" * 100 + b"\n", "the line from byte 13 is longer than"),
    ],
)
def test_a_streamed_text_keeps_the_limits_of_a_text_read_whole(data: bytes, message: str) -> None:
    text = CheckedText(io.BytesIO(data), limit=64)
    with pytest.raises(CasesFileError, match=re.escape(message)):
        list(text)


def test_the_import_report_counts_every_record(sessions: sessionmaker[Session]) -> None:
    report: ImportReport = importer(sessions, 7).run(
        ImportSource("t", CASES_DOCUMENT, generated(30, seed=59)), "tester"
    )
    assert (report.records, report.batches, report.created) == (30, 5, 30)
