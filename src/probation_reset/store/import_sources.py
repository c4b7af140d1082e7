"""Where an import reads its records from.

- A CASES text (a file or standard input) is streamed when it is JSON Lines: a batch of lines at
  a time, each line parsed where its record is checked (``batch.sources.text_chunks`` decides, as
  ``batch`` does: a first line that is a JSON object and a second non-blank line make JSON
  Lines). One JSON document (an object with ``cases``, an array, one line) is read whole.
- A directory of Parquet tables as ``probation-reset generate`` writes them is read a batch of
  people at a time (``columnar.table_reader``).
- A CSV bundle is read whole (``csv_bundle``): its rows join to their case by CRN in any order.

Reading may fail part-way (a line that is not JSON, a file that stops being readable): the
reader raises ``ValueError`` or ``OSError`` then, and the importer stops there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from probation_reset.batch.sources import Chunk, Text, table_chunks, text_chunks
from probation_reset.intake.limits import parse_bounded
from probation_reset.store.csv_bundle import read_csv_bundle
from probation_reset.store.import_check import (
    CASES_DOCUMENT,
    CSV_BUNDLE,
    PARQUET_TABLES,
    ImportSource,
)
from probation_reset.store.ndelius import NDeliusCodes

#: Opens a CASES text for reading (and closes it afterwards).
TextOpener = Callable[[], AbstractContextManager[Text]]


def document_source(name: str, text: str) -> ImportSource:
    """A CASES text already read whole (JSON or JSON Lines); ``UnreadableCasesError`` if it is
    not one."""
    return ImportSource(name, CASES_DOCUMENT, parse_bounded(text))


def text_source(name: str, opener: TextOpener) -> ImportSource:
    """A CASES text read as the import goes: JSON Lines streamed, a JSON document whole."""

    def read(size: int) -> Iterator[Chunk]:
        with opener() as text:
            yield from text_chunks(text, size)

    return ImportSource(name, CASES_DOCUMENT, read=read)


def table_source(directory: str) -> ImportSource:
    """The Parquet tables of a caseload (``columnar.tables``), read a batch of people at a time;
    ``CaseTablesError`` as they are read if they are not a caseload."""
    return ImportSource(
        directory, PARQUET_TABLES, read=lambda size: table_chunks(Path(directory), size)
    )


def csv_source(directory: str, codes: NDeliusCodes) -> ImportSource:
    """A CSV bundle directory, read whole; ``CsvBundleError`` if it cannot be read."""
    bundle = read_csv_bundle(Path(directory), key_date_codes=tuple(codes.key_dates))
    return ImportSource(directory, CSV_BUNDLE, bundle.records, bundle.rejections, bundle.locate)
