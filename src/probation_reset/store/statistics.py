"""PostgreSQL's planner statistics kept current while bulk writes grow the tables.

PostgreSQL chooses how to read a table from statistics that only ``ANALYZE`` (or autovacuum,
which a server may not run) gathers. A table filled in bulk since its last ``ANALYZE`` is, to the
planner, a table of unknown content: it reads a batch's CRNs by scanning the whole table rather
than its CRN index, so each batch of an import or refresh costs more than the one before and a
national caseload costs the square of its size. So an import analyses the database after its
1st, 2nd, 4th, 8th... batch (the statistics scale with the table, so a doubling keeps them
fair) and at its end, and a refresh before it starts. ``ANALYZE`` reads a sample of each table
and blocks no reader or writer. SQLite plans from its indexes without statistics: nothing is done
there.

The analyses during an import take a tenth of the sample (``BATCH_STATISTICS_TARGET``): they
only have to tell the planner how large the tables have grown and that a CRN is rare, and the
full sample read most pages of the largest tables (1.6 s at 50,000 people, 0.2 s with a tenth,
in the writer's turn while the workers wait). The analysis at its end takes the full sample,
which the web service's queries plan from.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from probation_reset.store.bulk_rows import POSTGRESQL

#: The statistics target of the analyses during an import (PostgreSQL's default is 100: a
#: sample of 300 rows per unit, 30,000 rows).
BATCH_STATISTICS_TARGET = 10


def analyse(sessions: sessionmaker[Session], target: int | None = None) -> None:
    """Gather the planner's statistics of every table (PostgreSQL only), with the statistics
    ``target`` given (the server's own when ``None``)."""
    with sessions() as session:
        if session.get_bind().dialect.name != POSTGRESQL:
            return
        if target is not None:
            session.execute(text(f"SET LOCAL default_statistics_target = {int(target)}"))
        session.execute(text("ANALYZE"))
        session.commit()


def analyse_after_batch(sessions: sessionmaker[Session], number: int) -> None:
    """Analyse after batch ``number`` (from 0) when it is due (`analysed_after`), with a tenth of
    the sample (``BATCH_STATISTICS_TARGET``)."""
    if analysed_after(number):
        analyse(sessions, BATCH_STATISTICS_TARGET)


def analysed_after(number: int) -> bool:
    """Whether the statistics are gathered after batch ``number`` (from 0): when the batches
    written are a power of two (1, 2, 4, 8, ...)."""
    written = number + 1
    return written & (written - 1) == 0
