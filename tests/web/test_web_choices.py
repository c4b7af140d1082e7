"""What a scope may choose from: the dashboard's figures found in one pass equal the figures each
role is allowed, the caseload filter lists a region's many practitioners by team, and what is
kept is found again when the store's mark moves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from probation_reset.store.database import open_database, session_factory
from probation_reset.store.digest import store_mark
from probation_reset.store.models import CaseRecord
from probation_reset.web.caseload import CaseloadQuery, FilterChoices, filter_choices
from probation_reset.web.choices import ChoicesCache
from probation_reset.web.routes.caseload import PRACTITIONERS_LISTED, filter_groups
from probation_reset.web.scope import FIGURE_COLUMNS, Role, Scope, figure_choices, figures_allowed
from web.conftest import USERS, WebDatabase


@pytest.mark.parametrize("user", sorted(USERS))
def test_figure_choices_are_every_name_the_scope_is_allowed(
    user: str, web_database: WebDatabase
) -> None:
    role, staff_code, team, region = USERS[user]
    scope = Scope(role, staff_code, team, region)
    database = open_database(web_database.url)
    with session_factory(database, reading=True)() as session:
        expected = [("all", None)] if role in (Role.HEAD, Role.ADMIN) else []
        if role is not Role.PRACTITIONER:
            for level, column in FIGURE_COLUMNS.items():
                names = session.scalars(
                    select(column).where(scope.clause, column.is_not(None)).distinct()
                )
                expected += [
                    (level, n) for n in sorted(names) if figures_allowed(session, scope, level, n)
                ]
        found = figure_choices(session, scope)
        choices = filter_choices(session, scope)
        teams = sorted(
            t for t in session.scalars(select(CaseRecord.team).where(scope.clause).distinct()) if t
        )
    database.dispose()
    assert found == expected
    assert list(choices.teams) == teams
    if role is Role.HUB:
        assert ("region", region) in found and len(choices.practitioners) > 1


def test_a_region_of_many_practitioners_lists_those_of_the_teams_chosen() -> None:
    many = PRACTITIONERS_LISTED + 40
    practitioners = tuple((f"S{n:03d}", f"Practitioner {n:03d}") for n in range(many))
    pairs = frozenset((f"S{n:03d}", f"Team {n % 4}") for n in range(many))
    choices = FilterChoices(tuple(f"Team {t}" for t in range(4)), practitioners, pairs)
    day = date(2025, 11, 3)

    def groups(query: CaseloadQuery) -> dict[str, dict[str, object]]:
        return {str(g["name"]): g for g in filter_groups(query, choices)}

    none_chosen = groups(CaseloadQuery(day))
    assert "practitioner" not in none_chosen
    assert f"{many} practitioners" in str(none_chosen["team"]["hint"])
    chosen = groups(CaseloadQuery(day, teams=("Team 1",), practitioners=("S000",)))
    listed = [i["value"] for i in chosen["practitioner"]["items"]]  # type: ignore[attr-defined]
    assert listed == ["S000", *(f"S{n:03d}" for n in range(1, many) if n % 4 == 1)]
    few = FilterChoices(("Team 0", "Team 1"), practitioners[:5], pairs)
    every = {str(g["name"]): g for g in filter_groups(CaseloadQuery(day), few)}
    assert len(every["practitioner"]["items"]) == 5  # type: ignore[arg-type]
    assert every["team"]["hint"] is None


def test_what_is_kept_is_found_again_when_the_mark_moves() -> None:
    kept = ChoicesCache()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [kept.get("k", 1, compute), kept.get("k", 1, compute)] == [1, 1]
    assert kept.get("k", 2, compute) == 2
    assert [kept.get("k", None, compute), kept.get("k", None, compute)] == [3, 4]
    assert kept.get("other", 2, compute) == 5 and kept.get("k", 2, compute) == 2


def test_the_store_mark_counts_import_batches(web_database: WebDatabase) -> None:
    database = open_database(web_database.url)
    with session_factory(database, reading=True)() as session:
        assert store_mark(session) >= 1
    database.dispose()
