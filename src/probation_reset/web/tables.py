"""A table as both pages and CSV downloads show it: a name, headings and rows of plain values.

Every table on a page is built once as a ``Table``; the page renders it and ``<page>/<name>.csv``
writes the same rows. Cells that a spreadsheet would read as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

Cell = str | int | date | datetime | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="seconds")
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell)
    return "'" + text if isinstance(cell, str) and text.startswith(FORMULA_STARTS) else text


def csv_text(table: Table) -> str:
    return "".join(csv_chunks(table.headings, table.rows))


def csv_chunks(
    headings: Sequence[str], rows: Iterable[Sequence[Cell]], rows_per_chunk: int = 500
) -> Iterator[str]:
    """The CSV text of a table whose rows come one by one, a few hundred rows at a time: a
    download of every row of a region starts at once and never holds the whole file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    for n, row in enumerate(rows, start=1):
        writer.writerow([_text(c) for c in row])
        if n % rows_per_chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def pick(tables: Sequence[Table], name: str) -> Table | None:
    return next((t for t in tables if t.name == name), None)
