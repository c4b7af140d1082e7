"""Chunks worked in worker processes come back in input order, and the workers start with the
allocator setting (``worker_pool``)."""

from __future__ import annotations

import os

import pytest

from probation_reset.worker_pool import WORKER_ALLOCATOR, results_in_order


def _nothing() -> None:
    """A worker's set-up with nothing to set."""


def _seen(item: int) -> tuple[int, int, str | None]:
    """The item squared, the process that worked it and the allocator setting it started with."""
    return item * item, os.getpid(), os.environ.get(WORKER_ALLOCATOR[0])


def test_workers_return_results_in_input_order_with_the_allocator_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(WORKER_ALLOCATOR[0], raising=False)
    results = list(
        results_in_order(range(20), 2, lambda: _seen, remote=_seen, initializer=_nothing)
    )
    assert [square for square, _, _ in results] == [n * n for n in range(20)]
    assert {pid for _, pid, _ in results} - {os.getpid()}  # worked elsewhere
    assert {setting for _, _, setting in results} == {WORKER_ALLOCATOR[1]}


def test_a_setting_in_the_environment_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKER_ALLOCATOR[0], "dirty_decay_ms:0")
    results = list(results_in_order(range(4), 2, lambda: _seen, _seen, _nothing))
    assert {setting for _, _, setting in results} == {"dirty_decay_ms:0"}


def test_one_worker_works_here() -> None:
    results = list(results_in_order(range(4), 1, lambda: _seen, _seen, _nothing))
    assert {pid for _, pid, _ in results} == {os.getpid()}
