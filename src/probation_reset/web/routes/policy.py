"""The policy page: every rule, its meaning, and the text of the paragraph it cites."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from probation_reset.rules.catalogue import family_title
from probation_reset.rules.registry import Family, all_rules
from probation_reset.web.deps import PageDayDep, PageUserDep, StateDep
from probation_reset.web.pages import csv_response, render
from probation_reset.web.state import WebState
from probation_reset.web.tables import Table

router = APIRouter(include_in_schema=False)


def rules_table(state: WebState) -> Table:
    return Table(
        "rules",
        "Rules",
        ("rule", "family", "meaning", "source", "document", "passage"),
        tuple(
            (
                r.id,
                r.family.value,
                r.meaning,
                r.source,
                state.passages[r.id].document if r.id in state.passages else "",
                state.passages[r.id].text if r.id in state.passages else "",
            )
            for r in all_rules()
        ),
    )


@router.get("/policy")
def policy_page(
    request: Request, state: StateDep, signed_in: PageUserDep, day: PageDayDep
) -> Response:
    families = [
        (family_title(family), [r for r in all_rules() if r.family is family]) for family in Family
    ]
    context = {
        "families": families,
        "passages": state.passages,
        "policy_version": state.engine.parameters.version,
    }
    return render(request, state, "policy.html", context, signed_in=signed_in, day=day)


@router.get("/policy.csv")
def policy_csv(state: StateDep, signed_in: PageUserDep) -> Response:
    return csv_response(rules_table(state), "rules.csv")
