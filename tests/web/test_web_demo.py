"""Demo users: one per role, their scope derived from the stored cases at every start."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select, update

from probation_reset.store.access_tables import ApiTokenRow, UserRow
from probation_reset.store.database import open_database, session_factory
from probation_reset.store.models import CaseRecord
from probation_reset.web import accounts
from probation_reset.web.demo import NO_SCOPE, ensure_demo_users
from web.conftest import _prepare

AT = datetime(2025, 11, 3, 9, 0)


def test_demo_users_follow_the_managers_in_the_store(tmp_path: Path) -> None:
    database = _prepare(f"sqlite:///{tmp_path / 'demo.sqlite'}", "sqlite")
    engine = open_database(database.url)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        session.execute(delete(ApiTokenRow))
        session.execute(delete(UserRow))
        session.execute(update(CaseRecord).values(staff_code=None, team=None, region=None))
        first = ensure_demo_users(session, AT)
    assert [u.username for u in first] == ["practitioner", "spo", "hub", "head", "admin"]
    assert all(u.password for u in first)
    assert NO_SCOPE in first[0].scope
    with sessions.begin() as session:
        busiest = (
            session.execute(select(CaseRecord.crn).order_by(CaseRecord.crn).limit(30))
            .scalars()
            .all()
        )
        session.execute(
            update(CaseRecord)
            .where(CaseRecord.crn.in_(busiest))
            .values(staff_code="W01", staff_name="Rhian Evans", team="Cardiff 2", region="Wales")
        )
        again = ensure_demo_users(session, AT)
    assert all(u.password is None for u in again)
    with sessions() as session:
        practitioner = accounts.find_user(session, "practitioner")
        spo = accounts.find_user(session, "spo")
        hub = accounts.find_user(session, "hub")
        assert practitioner is not None and spo is not None and hub is not None
        assert (practitioner.staff_code, practitioner.display_name) == ("W01", "Rhian Evans")
        assert (spo.team, hub.region) == ("Cardiff 2", "Wales")
        seen = session.scalar(
            select(func.count()).select_from(CaseRecord).where(CaseRecord.staff_code == "W01")
        )
    assert seen == 30
    engine.dispose()
