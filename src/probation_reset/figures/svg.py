"""Charts as SVG files (placeholder until a chart library is wired)."""

from __future__ import annotations

from pathlib import Path

from probation_reset.figures.model import Figures


def write_charts(figures: Figures, directory: Path) -> list[Path]:
    raise OSError("SVG output is not available yet")
