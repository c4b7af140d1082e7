"""The garbage collector paused while a command works through a whole caseload.

Reading and evaluating a caseload makes millions of small objects and almost no reference
cycles, yet the cyclic collector would keep walking them all (about a third of the time of a
large `evaluate`). The core never touches the collector; a command that evaluates many cases
wraps that work in `collector_paused()`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Freeze what exists, pause cyclic collection, and restore both afterwards."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
