"""The caseload answered from the store agrees with the engine, case by case and day by day."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from probation_reset.domain.vocabulary import Phase
from probation_reset.evaluation.engine import Engine
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.digest import stale_crns, sync_digests
from probation_reset.store.digest_tables import CaseDigestRow
from probation_reset.store.models import CaseRecord
from probation_reset.store.refresh import stored_case
from probation_reset.web.caseload import CaseloadQuery, caseload
from probation_reset.web.scope import Role, Scope
from web.conftest import WebDatabase


@pytest.mark.parametrize("day", [date(2023, 1, 1), date(2024, 11, 30), date(2025, 11, 3)])
def test_status_exemptions_phases_and_obligation_counts_agree_with_the_engine(
    day: date, web_database: WebDatabase, engine: Engine
) -> None:
    database = open_database(web_database.url)
    sessions = session_factory(database)
    sync_digests(sessions, engine)
    with sessions() as session:
        documents = dict(session.execute(select(CaseRecord.crn, CaseRecord.document)).all())
        page = caseload(session, Scope(Role.ADMIN), CaseloadQuery(day), everything=True)
    database.dispose()
    assert len(page.rows) == len(documents)
    quiet = {Phase.NOT_STARTED.value, Phase.ENDED.value}
    for row in page.rows:
        result = engine.evaluate(stored_case(row.crn, documents[row.crn]), day)
        counts = Counter(o.status.value for o in result.obligations)
        assert (row.status, row.exemptions) == (result.status.value, result.exemptions), row.crn
        assert sorted(row.phases) == sorted({e.phase.value for e in result.events} - quiet)
        assert (row.due, row.missed) == (counts["DUE"], counts["MISSED"]), row.crn


def test_a_changed_case_is_derived_again(web_database: WebDatabase, engine: Engine) -> None:
    database = open_database(web_database.url)
    sessions = session_factory(database)
    sync_digests(sessions, engine)
    with sessions.begin() as session:
        assert stale_crns(session, engine.parameters.version) == []
        digest = session.get(CaseDigestRow, "S000017")
        assert digest is not None
        digest.content_hash = "stale"
    with sessions() as session:
        assert stale_crns(session, engine.parameters.version) == ["S000017"]
    assert sync_digests(sessions, engine) == 1
    database.dispose()


def test_two_processes_deriving_the_same_digests_take_turns(
    web_database: WebDatabase, engine: Engine
) -> None:
    import threading

    from sqlalchemy import update

    database = open_database(web_database.url)
    sessions = session_factory(database)
    with sessions.begin() as session:
        session.execute(update(CaseDigestRow).values(content_hash="stale"))
    failures: list[BaseException] = []

    def derive() -> None:
        try:
            sync_digests(session_factory(database), engine)
        except BaseException as error:  # the test reports any failure of either thread
            failures.append(error)

    workers = [threading.Thread(target=derive) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with sessions() as session:
        assert stale_crns(session, engine.parameters.version) == []
    database.dispose()
    assert failures == []
