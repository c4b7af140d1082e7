"""Where a batch reads its cases from, a chunk at a time.

A file is read as CONTRACT.md section 1 says, but streamed when it is JSON Lines: its first two
non-blank lines decide. When the first is a JSON object and a second non-blank line follows, the
file is JSON Lines and is read line by line (a line that does not parse stops the batch with
`UnreadableCasesError` naming it). Otherwise (one JSON document, an array, a single line) the
whole text is read with `parse_bounded`, exactly as ``evaluate`` does. A directory is the
Parquet tables of a caseload (`columnar.tables`).

A chunk holds the index of its first case and its cases, either as raw JSON lines (parsed by the
worker, with their line numbers) or as parsed values.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from probation_reset.intake.limits import parse_bounded
from probation_reset.intake.reader import BYTE_ORDER_MARK, UnreadableCasesError


@dataclass(frozen=True, slots=True)
class Chunk:
    """Cases `first`, `first + 1`, ... : JSON lines (with line numbers) or parsed values."""

    first: int
    lines: tuple[tuple[int, str], ...] = ()
    values: tuple[Any, ...] = ()

    def __len__(self) -> int:
        return len(self.lines) or len(self.values)


def _chunks_of_values(values: list[Any], size: int) -> Iterator[Chunk]:
    for first in range(0, len(values), size):
        yield Chunk(first, values=tuple(values[first : first + size]))


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # not JSON, or JSON the parser cannot hold
        return False


class Text(Protocol):
    """Text read a line at a time, then the rest at once (a text file, or ``CheckedText``)."""

    def __iter__(self) -> Iterator[str]: ...

    def read(self) -> str: ...


def text_chunks(stream: Text, size: int) -> Iterator[Chunk]:
    """The cases of a text stream (see the module's text), `size` at a time."""
    read: list[str] = []  # every line read until the format is known
    head: list[tuple[int, str]] = []
    for number, line in enumerate(stream, start=1):
        read.append(line)
        if line.strip():
            head.append((number, line.removeprefix(BYTE_ORDER_MARK) if number == 1 else line))
            if len(head) == 2:
                break
    if len(head) < 2 or not _is_object(head[0][1]):
        yield from _chunks_of_values(parse_bounded("".join(read) + stream.read()), size)
        return
    first = 0
    pending: list[tuple[int, str]] = head
    for number, line in enumerate(stream, start=head[1][0] + 1):
        if not line.strip():
            continue
        pending.append((number, line))
        if len(pending) >= size:
            yield Chunk(first, lines=tuple(pending))
            first += len(pending)
            pending = []
    if pending:
        yield Chunk(first, lines=tuple(pending))


def table_chunks(directory: Path, size: int) -> Iterator[Chunk]:
    """The cases of the Parquet tables under `directory`, `size` at a time."""
    from probation_reset.columnar.table_reader import read_case_tables

    first = 0
    for cases in read_case_tables(directory, size):
        yield Chunk(first, values=tuple(cases))
        first += len(cases)


def source_chunks(source: str, size: int) -> Iterator[Chunk]:
    """The chunks of a path (file or Parquet directory) or ``-`` for standard input.

    Raises OSError when the file cannot be read, `UnreadableCasesError` when it is not cases,
    and `CaseTablesError` for unreadable tables; both may come while iterating.
    """
    if source == "-":
        yield from text_chunks(sys.stdin, size)
        return
    path = Path(source)
    if path.is_dir():
        yield from table_chunks(path, size)
        return
    with open(path, encoding="utf-8") as stream:
        yield from text_chunks(stream, size)


def parse_line(number: int, line: str) -> Any:
    """One JSON Lines case; a line that does not parse makes the whole input unreadable."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise UnreadableCasesError(
            f"line {number}, column {error.colno} is not JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise UnreadableCasesError(f"line {number} is nested too deeply to read") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise UnreadableCasesError(f"line {number} cannot be read: {error}") from None
