"""``probation-reset batch``: a whole caseload on a day, streamed, on every core."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from probation_reset.cli.collector import collector_paused
from probation_reset.cli.console import err
from probation_reset.cli.options import PolicyOpt, day_option, engine_for, misuse
from probation_reset.policy import PolicyParameters

#: Cases per chunk handed to a worker.
CHUNK_CASES = 2000
#: Bytes of standard output held in memory before it spills to a temporary file.
SPOOL_BYTES = 8 << 20


class BatchFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    parquet = "parquet"


def batch(
    cases: Annotated[
        str,
        typer.Argument(
            help="Cases: JSON Lines (streamed), JSON, a directory of Parquet tables "
            "(probation-reset generate), or - for stdin."
        ),
    ],
    on: Annotated[str, typer.Option("--on", help="The day to evaluate, YYYY-MM-DD.")],
    out: Annotated[
        str, typer.Option("--out", help="File to write, or - for stdout (not for parquet).")
    ] = "-",
    output: Annotated[
        BatchFormat,
        typer.Option(
            "--format",
            help="jsonl (a CaseResult or the errors of each case, a line each), json (the "
            "contract's document, as evaluate --format json) or parquet (a row per case).",
        ),
    ] = BatchFormat.jsonl,
    policy: PolicyOpt = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Processes evaluating (default: one per core).")
    ] = 0,
    status_only: Annotated[
        bool,
        typer.Option(
            "--status-only",
            help="Only each person's status and exemptions, from a directory of Parquet "
            'tables in one columnar query: JSON Lines {"crn", "status", "exemptions"}.',
        ),
    ] = False,
) -> None:
    """Evaluate a whole caseload on a day, streaming: memory stays flat, every core works.

    Each case's result is exactly what `evaluate` gives for it. Exit 1 when a case was refused.
    """
    from probation_reset.batch.outputs import (
        DocumentOutput,
        JsonLinesOutput,
        Output,
        ParquetOutput,
    )
    from probation_reset.batch.run import outcome_chunks
    from probation_reset.batch.sources import source_chunks
    from probation_reset.columnar.tables import CaseTablesError
    from probation_reset.intake.reader import UnreadableCasesError

    day = day_option(on)
    engine = engine_for(policy)
    if status_only:
        if output is not BatchFormat.jsonl:
            misuse("--status-only: writes JSON Lines only (--format jsonl)")
        write_statuses(cases, day, engine.parameters, out)
        return
    version = engine.parameters.version
    if output is BatchFormat.parquet and out == "-":
        misuse("--out: parquet needs a file")
    count = workers or os.cpu_count() or 1
    target = None if out == "-" else Path(out)
    if target is not None and target.is_dir():
        misuse(f"--out: {out} is a directory")
    directory = str(target.parent) if target is not None else None
    spool: IO[bytes]
    if target is None:
        spool = tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+b")  # noqa: SIM115
    else:
        try:
            spool = tempfile.NamedTemporaryFile(  # noqa: SIM115 (renamed onto --out at the end)
                "wb", dir=directory, prefix=".batch-", delete=False
            )
        except OSError as error:
            misuse(f"--out: cannot write {out}: {error}")
    written: Output
    if output is BatchFormat.parquet:
        written = ParquetOutput(Path(spool.name))
    elif output is BatchFormat.json:
        written = DocumentOutput(spool, day.isoformat(), version)
    else:
        written = JsonLinesOutput(spool)
    refused = 0
    done = False
    try:
        with (
            collector_paused(),
            Progress(
                TextColumn("Evaluating"),
                BarColumn(),
                TextColumn("{task.completed:,} cases"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
                disable=not err.is_terminal,
            ) as progress,
        ):
            task = progress.add_task("batch", total=None)
            chunks = source_chunks(cases, CHUNK_CASES)
            for handed in outcome_chunks(chunks, day, policy, count):
                written.write(handed)
                refused += handed.refused()
                progress.advance(task, len(handed.outcomes))
            written.close()
        done = True
    except (UnreadableCasesError, CaseTablesError) as error:
        misuse(f"{cases}: {error}")
    except (OSError, UnicodeDecodeError) as error:
        misuse(f"cannot read {cases}: {error}")
    finally:
        if not done:
            spool.close()
            if target is not None:
                Path(spool.name).unlink(missing_ok=True)
    if target is None:
        spool.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        spool.close()
    else:
        spool.close()
        os.replace(spool.name, target)
    if refused:
        raise typer.Exit(1)


def write_statuses(cases: str, day: date, parameters: PolicyParameters, out: str) -> None:
    """``--status-only``: the columnar status of every person (columnar/status.py)."""
    from probation_reset.columnar.status import statuses
    from probation_reset.columnar.tables import CaseTablesError

    directory = Path(cases)
    if cases == "-" or not directory.is_dir():
        misuse(
            f"{cases}: --status-only reads a directory of Parquet tables (probation-reset generate)"
        )
    try:
        frame = statuses(directory, day, parameters)
    except CaseTablesError as error:
        misuse(str(error))
    if out == "-":
        sys.stdout.write(frame.write_ndjson())
        sys.stdout.flush()
        return
    target = Path(out)
    if target.is_dir():
        misuse(f"--out: {out} is a directory")
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=target.parent, prefix=".batch-", delete=False
        ) as spool:
            frame.write_ndjson(spool)
        os.replace(spool.name, target)
    except OSError as error:
        misuse(f"--out: cannot write {out}: {error}")
