"""The regional figures' API document (published in the OpenAPI document): what
``figures --format json`` gives (``figures.document.figures_json``, defined in
``docs/figures.md``), the dashboard page's tables, and the scopes the caller may ask for."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FigureScopeOut(BaseModel):
    level: Literal["all", "region", "pdu", "team"]
    name: str | None = Field(description="The region, PDU or team (null: every stored case).")


class WeekOut(BaseModel):
    """A Monday-to-Sunday week: statuses on its last day, changes and hub items in it."""

    start: str
    last: str
    by_status: dict[str, int]
    in_reset_measures: int
    suspended: int
    reinstated: int
    re_suspended: int
    hub_received: int
    hub_triaged: dict[str, int]


class ReliefOut(BaseModel):
    monthly: int
    weekly: int


class WorkloadOut(BaseModel):
    """Appointments the Reset removed in the month holding the day."""

    month: str = Field(description="YYYY-MM")
    monthly: int
    weekly: int
    by_team: dict[str, ReliefOut]


class MissedOut(BaseModel):
    """Obligations due in the weeks and missed on the day, by team and rule."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    total: int
    by_team: dict[str, dict[str, int]]


class HubFiguresOut(BaseModel):
    """The regional hub's items received in the weeks, by source or kind and by outcome."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    received: int
    by_source: dict[str, int]
    by_outcome: dict[str, int]


class SeriesOut(BaseModel):
    name: str
    values: list[int]


class ChartOut(BaseModel):
    """A chart's numbers, ready for any renderer."""

    id: str
    title: str
    description: str
    kind: Literal["line", "bar"]
    x_label: str
    y_label: str
    categories: list[str]
    series: list[SeriesOut]


class TableOut(BaseModel):
    """One of the dashboard page's tables, as its CSV download holds it."""

    id: str
    title: str
    columns: list[str]
    rows: list[list[str | int | None]]


class FiguresOut(BaseModel):
    on: str
    scope: FigureScopeOut
    people: int
    policy_versions: list[str] = Field(
        description="The policy versions the stored histories in scope were derived under."
    )
    by_status: dict[str, int]
    in_reset_measures: int = Field(description="People SUSPENDED on the day.")
    by_team: dict[str, dict[str, int]]
    weeks: list[WeekOut]
    workload_removed: WorkloadOut
    missed_obligations: MissedOut | None = Field(
        description="Only with obligations=include (each case in scope is evaluated)."
    )
    hub: HubFiguresOut | None
    charts: list[ChartOut]
    tables: list[TableOut] = Field(description="The dashboard page's tables, in its order.")
    choices: list[FigureScopeOut] = Field(description="Every scope the caller may ask for.")
