"""What a scope may choose from, kept until the stored cases change.

The caseload filter's teams and practitioners and the dashboard's regions, PDUs and teams depend
only on the manager columns of the cases in a scope, which change only when cases do. Finding
them reads every case of the scope (for a region of 50,000, a fifth of a second on SQLite, whose
``cases`` rows hold the whole document), so each answer is kept per scope and reused until the
store's mark (``store.digest.store_mark``: every import and change commits a batch) moves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Answers kept at most (every scope's caseload filter and dashboard choices).
LIMIT = 512


class ChoicesCache:
    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[Any, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, mark: Any, compute: Callable[[], T]) -> T:
        """The answer for ``key`` at ``mark``, computed when none is kept for that mark (a
        ``None`` mark, the store not yet looked at, is never kept)."""
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and mark is not None and kept[0] == mark:
            found: T = kept[1]
            return found
        answer = compute()
        if mark is not None:
            with self._lock:
                if len(self._kept) >= LIMIT:
                    self._kept.clear()
                self._kept[key] = (mark, answer)
        return answer
