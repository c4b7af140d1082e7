"""Several writers at once, as real processes on SQLite and PostgreSQL: nothing is lost, nobody
crashes, and a writer that cannot wait any longer says so and exits 2."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic.runtime.migration import MigrationContext
from caseloads import AS_OF, generated  # type: ignore[import-not-found]
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.intake.reader import read_cases
from probation_reset.policy import load_parameters
from probation_reset.store import repository
from probation_reset.store.case_document import canonical_document
from probation_reset.store.concurrency import (
    ATTEMPTS,
    ConcurrentCreationError,
    StoreBusyError,
    write,
)
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.importer import DEFAULT_BATCH_SIZE, Importer, document_source
from probation_reset.store.models import CaseChange, Import, ImportBatch
from probation_reset.store.ndelius import ndelius_codes
from probation_reset.store.refresh import refresh_histories

COMMAND = [sys.executable, "-c", "from probation_reset.cli.main import main; main()"]
#: The command line, started once the file named by its first argument exists: processes
#: loaded one by one then begin within milliseconds of each other, so they really collide.
AT_SIGNAL = [
    sys.executable,
    "-c",
    "import os, sys, time\n"
    "from probation_reset.cli.main import main\n"
    "signal = sys.argv.pop(1)\n"
    "while not os.path.exists(signal):\n"
    "    time.sleep(0.002)\n"
    "main()",
]
TIMEOUT = 300


def start(arguments: Sequence[str], **environment: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COMMAND, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DATABASE_URL": "", **environment},
    )


def start_together(commands: Sequence[Sequence[str]], signal: Path) -> list[tuple[int, str, str]]:
    """Run the command lines at the same moment; their exit codes, stdout and stderr."""
    processes = [
        subprocess.Popen(
            [*AT_SIGNAL, str(signal), *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DATABASE_URL": ""},
        )
        for arguments in commands
    ]
    time.sleep(3)  # long enough for each to load
    signal.touch()
    return [finish(process) for process in processes]


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, out, err


def write_cases(path: Path, cases: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(case) + "\n" for case in cases))
    return str(path)


def canonical(cases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    intake = read_cases(cases)
    assert not intake.errors
    return {case.crn: canonical_document(cases[index]) for index, case in intake.cases}


def with_mappa(case: dict[str, Any]) -> dict[str, Any]:
    """The case with a MAPPA registration from the start of its first event (a new history)."""
    changed = copy.deepcopy(case)
    start_date = changed["events"][0]["start_date"]
    changed["registrations"] = [
        *(changed.get("registrations") or []),
        {"type": "MAPPA", "level": 2, "category": 1, "start_date": start_date},
    ]
    return changed


def test_two_imports_sharing_crns_both_complete_and_lose_nothing(
    empty_database: str, tmp_path: Path
) -> None:
    people = generated(300, seed=31)
    shared, only_first, only_second = people[:120], people[120:210], people[210:]
    # Both files begin with the same new cases: both imports try to create them at once.
    first = write_cases(tmp_path / "first.jsonl", shared + only_first)
    second = write_cases(tmp_path / "second.jsonl", shared + only_second)
    database = ["--database", empty_database, "--batch-size", "15", "--format", "json"]
    open_database(empty_database).dispose()  # the schema exists: this test is about imports
    results = start_together(
        [["import", path, *database] for path in (first, second)], tmp_path / "go"
    )
    for code, _, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    reports = [json.loads(out) for _, out, _ in results]
    assert sum(r["created"] for r in reports) == 300
    assert sum(r["unchanged"] for r in reports) == 120
    assert all(r["rejected"] == 0 for r in reports)

    engine = open_database(empty_database)
    sessions = session_factory(engine)
    with sessions() as session:
        assert repository.case_documents(session) == canonical(people)
        created = session.scalar(
            select(func.count()).select_from(CaseChange).where(CaseChange.kind == "CASE_CREATED")
        )
        assert created == 300
        assert session.scalars(select(Import.outcome)).all() == ["COMPLETE", "COMPLETE"]
    again = refresh_histories(sessions, load_parameters())
    assert (again.cases, again.changed) == (300, 0), "every stored history follows its case"
    engine.dispose()


def test_an_import_during_a_refresh_both_complete_and_histories_follow_the_cases(
    empty_database: str, tmp_path: Path
) -> None:
    people = generated(300, seed=32)
    engine = open_database(empty_database)
    sessions = session_factory(engine)
    Importer(sessions, load_parameters(), ndelius_codes(), DEFAULT_BATCH_SIZE).run(
        document_source("setup", "\n".join(json.dumps(p) for p in people)), "setup"
    )
    changed = sorted((with_mappa(p) for p in people), key=lambda case: case["crn"])
    # The refresh takes the cases in CRN order, the import in the opposite order, each all in
    # one batch: each would lock what the other wants next.
    source = write_cases(tmp_path / "changed.jsonl", list(reversed(changed)))
    database = ["--database", empty_database, "--batch-size", "300"]
    results = start_together(
        [["refresh", "--on", AS_OF.isoformat(), *database], ["import", source, *database]],
        tmp_path / "go",
    )
    for code, _, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    with sessions() as session:
        assert repository.case_documents(session) == canonical(changed)
    again = refresh_histories(sessions, load_parameters())
    assert (again.cases, again.changed) == (300, 0), "every stored history follows its case"
    engine.dispose()


def test_first_uses_of_a_new_database_at_once_all_succeed(
    empty_database: str, tmp_path: Path
) -> None:
    arguments = ["changes", "--from", "2025-01-01", "--to", "2025-01-31"]
    results = start_together([[*arguments, "--database", empty_database]] * 3, tmp_path / "go")
    for code, _, err in results:
        assert code == 0, err
    engine = open_database(empty_database)
    with engine.connect() as connection:
        assert len(MigrationContext.configure(connection).get_current_heads()) == 1
    engine.dispose()


def test_a_writer_kept_waiting_too_long_says_so_exits_2_and_marks_the_import_failed(
    backend: str, empty_database: str, tmp_path: Path
) -> None:
    people = generated(40, seed=33)
    engine = open_database(empty_database)
    sessions = session_factory(engine)
    Importer(sessions, load_parameters(), ndelius_codes(), DEFAULT_BATCH_SIZE).run(
        document_source("setup", "\n".join(json.dumps(p) for p in people)), "setup"
    )
    source = write_cases(tmp_path / "changed.jsonl", [with_mappa(p) for p in people])
    arguments = ["import", source, "--database", empty_database, "--batch-size", "10"]
    held = people[25]["crn"]  # in the third batch
    if backend == "postgresql":
        with psycopg.connect(empty_database) as holder:
            holder.execute("SELECT crn FROM cases WHERE crn = %s FOR UPDATE", (held,))
            code, _, err = finish(start(arguments, PROBATION_RESET_LOCK_WAIT_SECONDS="2"))
    else:
        holder = sqlite3.connect(empty_database.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        code, _, err = finish(start(arguments, PROBATION_RESET_LOCK_WAIT_SECONDS="2"))
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2, err
    assert "Traceback" not in err
    assert "more than 2 seconds" in err
    with sessions() as session:
        outcomes = session.scalars(select(Import.outcome).order_by(Import.id)).all()
        batches = session.scalars(
            select(ImportBatch.number).join(Import).where(Import.source == source)
        ).all()
    if backend == "postgresql":
        assert "batch 2" in err and "2 batch(es) before it are stored" in err
        assert outcomes == ["COMPLETE", "FAILED"]
        assert sorted(batches) == [0, 1]
    else:  # the whole file is locked: the import could not even begin
        assert "nothing was stored" in err
        assert outcomes == ["COMPLETE"]
    engine.dispose()


def count_imports(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Import)) or 0


class _DeadlockError(Exception):
    sqlstate = "40P01"


def test_a_transaction_that_meets_another_writer_is_tried_again_after_growing_pauses(
    sessions: sessionmaker[Session],
) -> None:
    failures: list[BaseException] = [
        ConcurrentCreationError("created meanwhile"),
        OperationalError("UPDATE cases", {}, _DeadlockError("deadlock detected")),
    ]
    pauses: list[float] = []

    def work(session: Session) -> int:
        if failures:
            raise failures.pop(0)
        return count_imports(session)

    assert write(sessions, work, "testing", pause=pauses.append) == 0
    assert len(pauses) == 2 and 0 < pauses[0] < pauses[1]

    def always(_session: Session) -> int:
        raise ConcurrentCreationError("again")

    pauses.clear()
    with pytest.raises(StoreBusyError, match=f"{ATTEMPTS} attempts"):
        write(sessions, always, "testing", pause=pauses.append)
    assert len(pauses) == ATTEMPTS - 1
