"""A killed import leaves only whole batches, and importing again completes the work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from caseloads import generated  # type: ignore[import-not-found]
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.policy import load_parameters
from probation_reset.store import repository
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.importer import (
    CASES_DOCUMENT,
    Importer,
    ImportSource,
    ImportStoppedError,
)
from probation_reset.store.models import (
    CaseChange,
    CaseRecord,
    EventRow,
    Import,
    ImportBatch,
    StatusTransitionRow,
)
from probation_reset.store.ndelius import ndelius_codes

PEOPLE = 800
BATCH = 50
COMMAND = [sys.executable, "-c", "from probation_reset.cli.main import main; main()"]


def crns_of(session: Session, table: type[CaseRecord | EventRow | CaseChange]) -> set[str]:
    return set(session.scalars(select(table.crn).distinct()))


def test_a_killed_import_leaves_whole_batches_and_importing_again_completes(
    empty_database: str, tmp_path: Path
) -> None:
    people = generated(PEOPLE, seed=8)
    crns = [case["crn"] for case in people]
    source = tmp_path / "caseload.jsonl"
    source.write_text("".join(json.dumps(case) + "\n" for case in people))
    engine = open_database(empty_database)
    sessions = session_factory(engine)
    # Watched by a reader, which on SQLite never waits for the writer: a session that takes the
    # write lock to look could lose every race with an import that commits batch after batch,
    # and first see the import when it has finished.
    watching = session_factory(engine, reading=True)
    command = [*COMMAND, "import", str(source), "--database", empty_database]
    process = subprocess.Popen(
        [*command, "--batch-size", str(BATCH)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "DATABASE_URL": ""},
    )
    try:
        deadline = time.monotonic() + 120
        committed = 0
        while committed == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
            with watching() as session:
                committed = session.scalar(select(func.count()).select_from(ImportBatch)) or 0
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with sessions() as session:
        batches = session.scalars(select(ImportBatch).order_by(ImportBatch.number)).all()
        assert 1 <= len(batches) < PEOPLE // BATCH, "the import was not killed mid-way"
        assert [b.number for b in batches] == list(range(len(batches)))
        whole = set(crns[: batches[-1].last_record + 1])
        assert crns_of(session, CaseRecord) == whole
        assert crns_of(session, EventRow) <= whole
        assert crns_of(session, CaseChange) == whole
        assert set(session.scalars(select(StatusTransitionRow.crn).distinct())) <= whole
        imported = session.scalars(select(Import)).one()
        assert imported.outcome == "RUNNING"
        assert imported.created == len(whole) == sum(b.created for b in batches)

    again = subprocess.run(
        [*command, "--batch-size", str(BATCH * 3), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["unchanged"], report["created"]) == (len(whole), PEOPLE - len(whole))
    with sessions() as session:
        assert crns_of(session, CaseRecord) == set(crns)
        outcomes = session.scalars(select(Import.outcome).order_by(Import.id)).all()
        assert outcomes == ["RUNNING", "COMPLETE"]
    engine.dispose()


def test_an_import_the_store_fails_mid_way_keeps_its_batches_and_is_marked_failed(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = generated(30, seed=9)
    real = repository.write_histories
    calls: list[int] = []

    def failing_on_the_third(*arguments: Any, **options: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("INSERT INTO status_spans", {}, Exception("disk I/O error"))
        return real(*arguments, **options)

    monkeypatch.setattr(repository, "write_histories", failing_on_the_third)
    importer = Importer(sessions, load_parameters(), ndelius_codes(), batch_size=10)
    with pytest.raises(ImportStoppedError) as stopped:
        importer.run(ImportSource("test", CASES_DOCUMENT, people), "tester")
    assert str(stopped.value).startswith("import ")
    assert "stopped at batch 2 (records from 20): the database refused: disk I/O error" in str(
        stopped.value
    )
    assert "the 2 batch(es) before it are stored and the import is marked FAILED" in str(
        stopped.value
    )
    with sessions() as session:
        assert set(session.scalars(select(CaseRecord.crn))) == {p["crn"] for p in people[:20]}
        imported = session.scalars(select(Import)).one()
        assert (imported.outcome, imported.created) == ("FAILED", 20)
        assert imported.finished_at is not None
