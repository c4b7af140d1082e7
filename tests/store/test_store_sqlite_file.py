"""A new SQLite store is made with larger pages, in WAL mode; an existing file keeps its pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from probation_reset.store.concurrency import SQLITE_PAGE_BYTES
from probation_reset.store.database import open_database


def _page_size_and_journal(path: Path) -> tuple[int, str]:
    with sqlite3.connect(path) as connection:
        (size,) = connection.execute("PRAGMA page_size").fetchone()
        (journal,) = connection.execute("PRAGMA journal_mode").fetchone()
    return size, journal


def test_a_new_file_gets_larger_pages_and_an_existing_one_keeps_its_own(tmp_path: Path) -> None:
    new = tmp_path / "new.sqlite"
    open_database(f"sqlite:///{new}").dispose()
    assert SQLITE_PAGE_BYTES == 16384
    assert _page_size_and_journal(new) == (SQLITE_PAGE_BYTES, "wal")

    existing = tmp_path / "existing.sqlite"
    with sqlite3.connect(existing) as connection:  # made with SQLite's default pages
        connection.execute("CREATE TABLE kept (n INTEGER)")
    default = _page_size_and_journal(existing)[0]
    assert default != SQLITE_PAGE_BYTES
    open_database(f"sqlite:///{existing}").dispose()
    assert _page_size_and_journal(existing) == (default, "wal")
