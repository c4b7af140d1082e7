"""``probation-reset hub --help`` starts fast: the hub's commands import the store only when
they run (as ``tests/test_cli_startup.py`` checks for the other commands)."""

from __future__ import annotations

from test_cli_startup import loaded_after, slow_modules  # type: ignore[import-not-found]


def test_hub_help_loads_no_database_layer() -> None:
    assert slow_modules(loaded_after(["hub", "--help"])) == set()
    assert slow_modules(loaded_after(["hub", "queue", "--help"])) == set()
