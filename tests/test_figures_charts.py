"""Chart-ready series and their SVG: numbers, tables, text alternatives, escaping."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from probation_reset.figures.charts import charts
from probation_reset.figures.document import csv_rows, figures_json
from probation_reset.figures.model import (
    Figures,
    MissedObligations,
    Scope,
    ScopeLevel,
    WeekFigures,
    Workload,
)
from probation_reset.figures.relief import Relief, month_of
from probation_reset.figures.svg import render_svg, write_charts

ON = date(2025, 11, 12)
ODD_TEAM = '<script>alert("x")</script> & Co'


def week(start: date, last: date, suspended: int, reinstated: int) -> WeekFigures:
    return WeekFigures(
        start,
        last,
        {"ACTIVE": 5, "EXEMPT": 1, "SUSPENDED": suspended, "NOT_APPLICABLE": 0, "ENDED": 2},
        suspended=1,
        reinstated=reinstated,
        re_suspended=0,
        hub_received=reinstated + 1,
        hub_triaged={"REINSTATE": reinstated},
    )


FIGURES = Figures(
    on=ON,
    scope=Scope(ScopeLevel.REGION, "East Midlands"),
    people=11,
    policy_versions=("2024-11",),
    by_status={"ACTIVE": 5, "EXEMPT": 1, "SUSPENDED": 3, "NOT_APPLICABLE": 0, "ENDED": 2},
    by_team={ODD_TEAM: {"SUSPENDED": 3}},
    weeks=(
        week(date(2025, 11, 3), date(2025, 11, 9), 4, 0),
        week(date(2025, 11, 10), ON, 3, 1),
    ),
    workload=Workload(month_of(ON), Relief(2, 4), {ODD_TEAM: Relief(2, 4)}),
    missed=MissedObligations(date(2025, 11, 3), ON, {ODD_TEAM: {"NS_MONTHLY_F2F": 2}}),
)


def test_charts_carry_the_numbers_of_the_figures() -> None:
    found = {c.id: c for c in charts(FIGURES)}
    assert list(found) == [
        "people-by-status",
        "in-reset-measures",
        "status-changes",
        "hub-items",
        "workload-removed",
        "missed-by-team",
    ]
    measures = found["in-reset-measures"]
    assert measures.categories == ("2025-11-03", "2025-11-10")
    assert measures.rows() == [("2025-11-03", 4), ("2025-11-10", 3)]
    assert found["status-changes"].rows() == [("2025-11-03", 1, 0, 0), ("2025-11-10", 1, 1, 0)]
    assert found["hub-items"].columns == ("week", "received", "REINSTATE")
    assert found["hub-items"].rows() == [("2025-11-03", 1, 0), ("2025-11-10", 2, 1)]
    assert found["workload-removed"].columns == ("team", "monthly", "weekly")
    assert found["workload-removed"].rows() == [(ODD_TEAM, 2, 4)]
    assert found["missed-by-team"].rows() == [(ODD_TEAM, 2)]
    document = figures_json(FIGURES)
    assert document["in_reset_measures"] == 3
    assert [c["id"] for c in document["charts"]] == list(found)
    assert ("in-reset-measures", "week", "2025-11-10", "SUSPENDED", 3) in list(csv_rows(FIGURES))


def test_svg_is_an_image_with_a_text_alternative_and_no_script() -> None:
    chart = next(c for c in charts(FIGURES) if c.id == "workload-removed")
    text = render_svg(chart)
    assert text == render_svg(chart)  # the same bytes every time
    root = ElementTree.fromstring(text.split("\n", 1)[1])
    svg = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "workload-removed-title workload-removed-desc"
    assert root.find(f"{svg}title").text == chart.title  # type: ignore[union-attr]
    assert root.find(f"{svg}desc").text == chart.description  # type: ignore[union-attr]
    assert root.find(f".//{svg}script") is None
    assert "http://" not in text.replace("http://www.w3.org", "")
    assert "<script>alert" not in text  # the team name is text, escaped


def test_write_charts_puts_each_table_beside_its_chart(tmp_path: Path) -> None:
    written = write_charts(FIGURES, tmp_path / "out")
    assert [p.name for p in written] == [f"{c.id}.svg" for c in charts(FIGURES)]
    table = (tmp_path / "out" / "in-reset-measures.csv").read_text().splitlines()
    assert table == ["week,SUSPENDED", "2025-11-03,4", "2025-11-10,3"]
    page = (tmp_path / "out" / "index.html").read_text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    assert page.count("<table>") == 6 and page.count('<img src="') == 6
