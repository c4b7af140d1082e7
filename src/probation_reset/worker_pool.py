"""Work on a stream of chunks in worker processes, the results coming back in input order.

At most ``AHEAD_PER_WORKER`` chunks per worker are in flight, so memory holds a bounded number of
chunks and results whatever the size of the input. Workers are started with ``spawn`` (nothing
of the parent's state, such as open database connections, is inherited) and set up once by an
initializer. An input of fewer than two chunks, or ``workers <= 1``, is worked in this process:
starting workers would take longer than the work.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any, TypeVar

#: Chunks in flight per worker.
AHEAD_PER_WORKER = 3

#: What workers' allocators start with: memory a worker no longer uses is kept for the next
#: chunk rather than handed back to the system, which zeroes every page taken again (a worker
#: frees and takes again much the same memory for every chunk: at 250k, `batch` took 2.2
#: million fresh pages, the kernel a sixth of its CPU). Memory stays bounded by the chunk.
#:
#: - Polars' jemalloc (``_RJEM_MALLOC_CONF``) never purges. Polars writes its own setting (half
#:   a second) into the environment when it is imported, followed by any the environment had;
#:   ours goes after both in each worker, and jemalloc takes the last of a repeated option.
#: - glibc's malloc (``GLIBC_TUNABLES``, unless the environment gives it) neither maps large
#:   blocks of its own (up to 32 MiB) nor trims the top of its heap (up to 1 GiB).
JEMALLOC = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1")
GLIBC_MALLOC = (
    "GLIBC_TUNABLES",
    "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824",
)


@contextmanager
def worker_allocators() -> Iterator[None]:
    """The environment workers start with set (``JEMALLOC``, ``GLIBC_MALLOC``) while they are
    started, and this process's own restored after."""
    saved = {name: os.environ.get(name) for name, _ in (JEMALLOC, GLIBC_MALLOC)}
    name, setting = JEMALLOC
    given = saved[name]
    os.environ[name] = f"{given},{setting}" if given else setting
    name, setting = GLIBC_MALLOC
    os.environ.setdefault(name, setting)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


Item = TypeVar("Item")
Result = TypeVar("Result")


def results_in_order(
    items: Iterable[Item],
    workers: int,
    local: Callable[[], Callable[[Item], Result]],
    remote: Callable[[Item], Result],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
) -> Iterator[Result]:
    """``remote(item)`` for each item in worker processes set up by ``initializer(*initargs)``,
    or ``local()(item)`` here when the input is small or ``workers <= 1``; in input order."""
    remaining = iter(items)
    head = list(islice(remaining, 2))
    if workers <= 1 or len(head) < 2:
        work = local()
        for item in chain(head, remaining):
            yield work(item)
        return
    context = multiprocessing.get_context("spawn")
    with (
        worker_allocators(),
        ProcessPoolExecutor(
            workers, mp_context=context, initializer=initializer, initargs=initargs
        ) as pool,
    ):
        in_flight: deque[Future[Result]] = deque()
        try:
            for item in chain(head, remaining):
                in_flight.append(pool.submit(remote, item))
                if len(in_flight) >= AHEAD_PER_WORKER * workers:
                    yield in_flight.popleft().result()
            while in_flight:
                yield in_flight.popleft().result()
        finally:
            for future in in_flight:
                future.cancel()
