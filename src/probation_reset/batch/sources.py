"""Where a batch reads its cases from, a chunk at a time.

A file is read as CONTRACT.md section 1 says, but streamed when it is JSON Lines: its first two
non-blank lines decide. When the first is a JSON object and a second non-blank line follows, the
file is JSON Lines and is read line by line (a line that does not parse stops the batch with
`UnreadableCasesError` naming it). Otherwise (one JSON document, an array, a single line) the
whole text is read with `parse_bounded`, exactly as ``evaluate`` does. A directory is the
Parquet tables of a caseload (`columnar.tables`).

A chunk holds the index of its first case and its cases, as raw JSON lines (parsed by the
worker, with their line numbers), as parsed values, or as the rows of the Parquet tables for its
people (made into cases by the worker).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from probation_reset.intake.limits import parse_bounded
from probation_reset.intake.reader import BYTE_ORDER_MARK, UnreadableCasesError

if TYPE_CHECKING:
    from probation_reset.columnar.table_reader import TableChunk


@dataclass(frozen=True, slots=True)
class Chunk:
    """Cases `first`, `first + 1`, ... : JSON lines (with line numbers), parsed values, or the
    rows of Parquet tables (made into cases by the worker)."""

    first: int
    lines: tuple[tuple[int, str], ...] = ()
    values: tuple[Any, ...] = ()
    tables: TableChunk | None = None

    def __len__(self) -> int:
        if self.tables is not None:
            return self.tables.people
        return len(self.lines) or len(self.values)

    def cases(self) -> list[Any]:
        """The chunk's cases as parsed JSON values (raises `UnreadableCasesError` for a line
        that does not parse, `CaseTablesError` for rows that make no case)."""
        if self.lines:
            return [parse_line(number, line) for number, line in self.lines]
        if self.tables is not None:
            from probation_reset.columnar.table_reader import cases_of

            return cases_of(self.tables)
        return list(self.values)


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
    """The cases of the Parquet tables under `directory`, `size` at a time: the rows cut here,
    the cases made from them where the chunk is evaluated."""
    from probation_reset.columnar.table_reader import read_table_chunks

    first = 0
    for tables in read_table_chunks(directory, size):
        yield Chunk(first, tables=tables)
        first += tables.people


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


#: Digits enough to pass a 64-bit integer: such a line is read by ``json`` (see `parse_line`).
_LONG_DIGITS = b"0" * 19
#: Every ASCII digit as ``0``, anything else as a space: a run of 19 digits is then found by a
#: plain search, a tenth of the time a regular expression takes over a line full of dates.
_DIGITS_AS_ZERO = bytes(48 if 48 <= code <= 57 else 32 for code in range(256))


def _long_digits(text: str | bytes) -> bool:
    """Whether the text holds a run of 19 digits (JSON numbers are written in ASCII digits)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    return _LONG_DIGITS in data.translate(_DIGITS_AS_ZERO)


def read_json(text: str | bytes) -> Any:
    """JSON read as ``json.loads`` reads it: by orjson where it reads the same (four times as
    fast), else by ``json`` (``NaN``, lone surrogate escapes, whole numbers of 19 digits or
    more, which orjson may make floats). Raises ``json``'s errors."""
    if not _long_digits(text):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def parse_line(number: int, line: str) -> Any:
    """One JSON Lines case; a line that does not parse makes the whole input unreadable.

    Read by orjson (twice as fast), and by ``json`` when orjson refuses the line or may read it
    otherwise: ``json`` takes what orjson does not (``NaN``, lone surrogate escapes) and reads a
    whole number of 19 digits or more as the integer written (orjson may make it a float); the
    intake's limits then refuse such values per case. ``json`` names the column of a syntax
    error.
    """
    try:
        return read_json(line)
    except json.JSONDecodeError as error:
        raise UnreadableCasesError(
            f"line {number}, column {error.colno} is not JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise UnreadableCasesError(f"line {number} is nested too deeply to read") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise UnreadableCasesError(f"line {number} cannot be read: {error}") from None
