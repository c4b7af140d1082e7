"""Charts as accessible SVG files (drawn by pygal), each with its table beside it as CSV, and an
HTML page showing every chart above its data table.

Each SVG is an image with a text alternative: ``role="img"``, a ``<title>`` and a ``<desc>``
(the chart's description) named by ``aria-labelledby``. No script (pygal's tooltip script is
dropped) and no outside resource is referenced, and the output is the same bytes for the same
figures (pygal's random chart id is replaced by the chart's id, its dated comments dropped).
Text from the data (team names) is escaped, never read as markup.
"""

from __future__ import annotations

import csv
import html
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from probation_reset.figures.charts import Chart, ChartKind, charts
from probation_reset.figures.model import Figures

SVG = "{http://www.w3.org/2000/svg}"
#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
STYLE = Style(
    colors=PALETTE,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#595959",
    font_family="Arial, Helvetica, sans-serif",
)


def _accessible(chart: Chart) -> Any:
    def make_accessible(root: Any) -> Any:
        for node in list(root):
            if not isinstance(node.tag, str):  # comments: pygal's carry the day of drawing
                root.remove(node)
        for parent in root.iter():
            for node in list(parent):
                if isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] == "script":
                    parent.remove(node)  # pygal's tooltip configuration: no script in an image
        title = root.find("title")
        if title is None:
            title = root.find(f"{SVG}title")
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart.id}-title {chart.id}-desc")
        if title is not None:
            title.set("id", f"{chart.id}-title")
            position = list(root).index(title) + 1
        else:
            position = 0
        desc = ElementTree.Element("desc", {"id": f"{chart.id}-desc"})
        desc.text = chart.description
        root.insert(position, desc)
        return root

    return make_accessible


@lru_cache(maxsize=64)
def render_svg(chart: Chart) -> str:
    """``chart`` as an SVG document (text). The same chart always gives the same text, so the
    latest few are kept: a dashboard shown again draws nothing."""
    config: dict[str, Any] = {
        "title": chart.title,
        "x_title": chart.x_label,
        "y_title": chart.y_label,
        "style": STYLE,
        "js": [],
        "x_label_rotation": 45,
        "show_minor_x_labels": len(chart.categories) <= 13,
        "x_labels_major_every": max(1, len(chart.categories) // 13),
        "truncate_legend": -1,
        "legend_at_bottom": True,
        "print_values": False,
        "no_data_text": "No data",
    }
    drawn = pygal.Line(**config) if chart.kind is ChartKind.LINE else pygal.Bar(**config)
    drawn.x_labels = list(chart.categories)
    for series in chart.series:
        drawn.add(series.name, list(series.values))
    drawn.add_xml_filter(_accessible(chart))
    text: str = drawn.render(is_unicode=True)
    return text.replace(drawn.uuid, chart.id)


def write_table(chart: Chart, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(chart.columns)
        writer.writerows(chart.rows())


def _html_table(chart: Chart) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in chart.columns)
    rows = "".join(
        "<tr>"
        + f'<th scope="row">{html.escape(str(row[0]))}</th>'
        + "".join(f"<td>{value}</td>" for value in row[1:])
        + "</tr>"
        for row in chart.rows()
    )
    caption = html.escape(chart.title)
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>{rows}</table>"


def write_charts(figures: Figures, directory: Path) -> list[Path]:
    """Every chart of ``figures`` as ``<id>.svg`` and ``<id>.csv`` in ``directory``, and an
    ``index.html`` with each chart above its data table. Returns the SVG paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    sections = []
    for chart in charts(figures):
        svg = directory / f"{chart.id}.svg"
        svg.write_text(render_svg(chart), encoding="utf-8")
        write_table(chart, directory / f"{chart.id}.csv")
        written.append(svg)
        sections.append(
            "<section>"
            f"<h2>{html.escape(chart.title)}</h2>"
            f'<figure><img src="{chart.id}.svg" alt="{html.escape(chart.description)}">'
            f"<figcaption>{html.escape(chart.description)} "
            f'<a href="{chart.id}.csv">CSV</a></figcaption></figure>'
            f"{_html_table(chart)}</section>"
        )
    title = html.escape(f"Probation Reset figures: {figures.scope.describe()}, {figures.on}")
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        + "".join(sections)
        + "</main></body></html>\n"
    )
    (directory / "index.html").write_text(page, encoding="utf-8")
    return written
