"""Chunks worked in worker processes come back in input order, and the workers start with the
allocator settings (``worker_pool``), which take effect after polars' own."""

from __future__ import annotations

import os

import pytest

from probation_reset.worker_pool import GLIBC_MALLOC, JEMALLOC, results_in_order

#: As polars writes it into the environment when imported (``polars/__init__.py``).
POLARS_OWN = "dirty_decay_ms:500,muzzy_decay_ms:1000"


def _nothing() -> None:
    """A worker's set-up with nothing to set."""


def _seen(item: int) -> tuple[int, int, dict[str, str], str | None]:
    """The item squared, the process that worked it, the jemalloc options in force after
    polars is imported here (the last of each repeated option), and glibc's tunables."""
    import polars  # noqa: F401  (its import writes its own setting before ours is read)

    options = dict(
        option.split(":", 1) for option in os.environ.get(JEMALLOC[0], "").split(",") if option
    )
    return item * item, os.getpid(), options, os.environ.get(GLIBC_MALLOC[0])


def test_workers_return_results_in_input_order_with_the_allocator_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # This process imported polars, as `batch` and `import` have when they start workers.
    monkeypatch.setenv(JEMALLOC[0], POLARS_OWN)
    monkeypatch.delenv(GLIBC_MALLOC[0], raising=False)
    results = list(
        results_in_order(range(20), 2, lambda: _seen, remote=_seen, initializer=_nothing)
    )
    assert [square for square, _, _, _ in results] == [n * n for n in range(20)]
    assert {pid for _, pid, _, _ in results} - {os.getpid()}  # worked elsewhere
    for _, _, jemalloc, glibc in results:
        assert (jemalloc["dirty_decay_ms"], jemalloc["muzzy_decay_ms"]) == ("-1", "-1")
        assert glibc == GLIBC_MALLOC[1]
    # This process's own environment is as it was.
    assert os.environ[JEMALLOC[0]] == POLARS_OWN
    assert GLIBC_MALLOC[0] not in os.environ


def test_glibc_tunables_in_the_environment_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(GLIBC_MALLOC[0], "glibc.malloc.arena_max=2")
    results = list(results_in_order(range(4), 2, lambda: _seen, _seen, _nothing))
    assert {glibc for _, _, _, glibc in results} == {"glibc.malloc.arena_max=2"}
    assert os.environ[GLIBC_MALLOC[0]] == "glibc.malloc.arena_max=2"


def test_one_worker_works_here() -> None:
    results = list(results_in_order(range(4), 1, lambda: _seen, _seen, _nothing))
    assert {pid for _, pid, _, _ in results} == {os.getpid()}
