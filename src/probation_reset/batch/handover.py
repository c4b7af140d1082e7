"""How a worker hands a chunk's results to the command's process: through a file, not a pipe.

A chunk's results are megabytes of JSON text (about 10 KB a person). Pickled into the pipe
between the processes they were copied four times (pickled, written, read, unpickled, as
thousands of objects), and the command's process shares the cores with the workers: at 50k it
spent 3.6 CPU s of a batch's 18.6, 2.1 with this hand-over. Instead a worker writes the
chunk's results as JSON Lines text, one result a line, to a file of its own in a directory the
command's process owns and removes at the end (`handover_directory`), and sends only the
outcomes without their results and the length of each. The command's process reads the file
once, deletes it, and writes the text on as it is when every case of the chunk has a result
(`Handed.lines`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from probation_reset.batch.work import Outcome


@dataclass(frozen=True, slots=True)
class HandedChunk:
    """A chunk's outcomes without their results, and where the results are: the file ``path``
    holds each result followed by a newline, in order; ``lengths`` is each result's length
    (without its newline; 0 for an outcome with errors)."""

    path: str
    outcomes: list[Outcome]
    lengths: list[int]


@dataclass(frozen=True, slots=True)
class Handed:
    """A chunk's outcomes with their results, and ``lines``: the JSON Lines text of the results
    as the worker wrote it, when every outcome has one (else `None`)."""

    outcomes: list[Outcome]
    lines: bytes | None


def hand_over(directory: str, first: int, outcomes: list[Outcome]) -> HandedChunk:
    """Writes the outcomes' results to a file in ``directory`` (the worker's side)."""
    path = os.path.join(directory, f"chunk-{first}-{os.getpid()}.jsonl")
    lengths = [0 if outcome.result is None else len(outcome.result) for outcome in outcomes]
    results = [outcome.result for outcome in outcomes if outcome.result is not None]
    with open(path, "wb") as file:
        if results:
            file.write(b"\n".join(results))
            file.write(b"\n")
    bare = [
        outcome if outcome.result is None else replace(outcome, result=None) for outcome in outcomes
    ]
    return HandedChunk(path, bare, lengths)


def take_over(chunk: HandedChunk) -> Handed:
    """The outcomes with their results read back from the worker's file, which is then deleted
    (the command's side)."""
    path = Path(chunk.path)
    try:
        lines = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    outcomes = []
    at = 0
    for outcome, length in zip(chunk.outcomes, chunk.lengths, strict=True):
        if not length:  # refused: its errors, no result
            outcomes.append(outcome)
            continue
        outcomes.append(replace(outcome, result=lines[at : at + length]))
        at += length + 1
    every = all(chunk.lengths)
    return Handed(outcomes, lines if every and lines else None)


@contextmanager
def handover_directory() -> Iterator[str]:
    """A private directory for the workers' files, removed with whatever is left in it."""
    with tempfile.TemporaryDirectory(prefix="probation-reset-batch-") as directory:
        yield directory
