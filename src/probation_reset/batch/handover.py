"""How a worker hands a chunk's results to the command's process: through a file, not a pipe.

A chunk's results are megabytes of JSON text (about 10 KB a person). Pickled into the pipe
between the processes they were copied four times (pickled, written, read, unpickled, as
thousands of objects), and the command's process shares the cores with the workers: at 50k it
spent 3.6 CPU s of a batch's 18.6, 2.1 with this hand-over. Instead a worker writes the
chunk's results as JSON Lines text, one result a line, to a file of its own in a directory the
command's process owns and removes at the end (`handover_directory`), and sends only the
outcomes without their results and the length of each. When every case of the chunk has a
result and the output is JSON Lines, the command's process has the kernel copy the file on to
the output as it is (`Handed.copy_lines`: at 250k it spent 7 CPU s reading, slicing and writing
the 2.6 GB again); otherwise it reads the results back (`Handed.with_results`). Either way the
file is deleted once used.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

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
    """A chunk's outcomes in input order. Those a worker handed over (``handed``) carry no
    result: it is still in the worker's file, until `with_results` reads it back or `copy_lines`
    copies the file on as it is. An outcome with errors is refused, with or without a file."""

    outcomes: list[Outcome]
    handed: HandedChunk | None = None

    def refused(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.errors)

    def copy_lines(self, stream: IO[bytes]) -> bool:
        """Appends the results' JSON Lines text, as the worker wrote it, to ``stream`` when
        every outcome has a result (the kernel copies it, file to file); else `False`."""
        chunk = self.handed
        if chunk is None or not all(chunk.lengths) or self.refused():
            return False
        try:
            target = stream.fileno()
        except (OSError, io.UnsupportedOperation):
            return False
        stream.flush()
        with _taken(chunk) as source:
            size = os.fstat(source.fileno()).st_size
            sent = 0
            while sent < size:
                copied = os.sendfile(target, source.fileno(), sent, size - sent)
                if not copied:
                    raise OSError(f"{chunk.path}: ended after {sent} of {size} bytes")
                sent += copied
        stream.seek(0, os.SEEK_END)  # the buffer learns where the file now ends
        return True

    def with_results(self) -> list[Outcome]:
        """The outcomes with their results read back from the worker's file."""
        chunk = self.handed
        if chunk is None:
            return self.outcomes
        with _taken(chunk) as source:
            lines = source.read()
        outcomes = []
        at = 0
        for outcome, length in zip(self.outcomes, chunk.lengths, strict=True):
            if outcome.errors:  # refused by the worker, or later (a CRN seen before)
                outcomes.append(outcome)
            else:
                outcomes.append(replace(outcome, result=lines[at : at + length]))
            if length:
                at += length + 1
        return outcomes


@contextmanager
def _taken(chunk: HandedChunk) -> Iterator[IO[bytes]]:
    """The worker's file, open for reading, deleted once read."""
    try:
        with open(chunk.path, "rb") as source:
            yield source
    finally:
        Path(chunk.path).unlink(missing_ok=True)


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
    """The command's side: the outcomes, their results left in the worker's file until wanted."""
    return Handed(chunk.outcomes, chunk)


@contextmanager
def handover_directory() -> Iterator[str]:
    """A private directory for the workers' files, removed with whatever is left in it."""
    with tempfile.TemporaryDirectory(prefix="probation-reset-batch-") as directory:
        yield directory
