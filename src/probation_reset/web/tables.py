"""A table as both pages and CSV downloads show it: a name, headings and rows of plain values.

Every table on a page is built once as a ``Table``; the page renders it and ``<page>/<name>.csv``
writes the same rows. Cells that a spreadsheet would read as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headings)
    writer.writerows([_text(c) for c in row] for row in table.rows)
    return out.getvalue()


def pick(tables: Sequence[Table], name: str) -> Table | None:
    return next((t for t in tables if t.name == name), None)
