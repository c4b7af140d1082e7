"""The work of one chunk: validate and evaluate each case, and write its result as JSON text.

This runs in worker processes (or in the command's own process for one worker). A worker pauses
its garbage collector: it keeps nothing from one chunk to the next and makes no reference
cycles, and collecting would cost about a third of its time.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import date
from typing import Any

from probation_reset.batch.sources import Chunk
from probation_reset.domain.case import Case
from probation_reset.evaluation.document import case_result_bytes
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import CaseError, crn_of, validate_case
from probation_reset.policy import load_parameters


@dataclass(frozen=True, slots=True)
class Outcome:
    """One case: its result as the JSON text of a CaseResult (UTF-8), or its errors (never
    both)."""

    index: int
    crn: str | None
    result: bytes | None
    errors: tuple[CaseError, ...]


class ChunkEvaluator:
    """Evaluates chunks on one day with one engine."""

    def __init__(self, engine: Engine, on: date) -> None:
        self.engine = engine
        self.on = on

    def __call__(self, chunk: Chunk) -> list[Outcome]:
        if chunk.tables is not None:
            from probation_reset.columnar.case_builder import direct_cases

            built = direct_cases(chunk.tables)
            if built is not None:
                return self._built(chunk, built)
        return [self._read(index, raw) for index, raw in enumerate(chunk.cases(), chunk.first)]

    def _read(self, index: int, raw: Any) -> Outcome:
        """One case as its JSON has it: through the intake, as any input."""
        case = validate_case(raw, index)
        crn = crn_of(raw)
        if isinstance(case, list):
            return Outcome(index, crn, None, tuple(case))
        return Outcome(index, crn, case_result_bytes(self.engine.evaluate(case, self.on)), ())

    def _built(self, chunk: Chunk, built: list[Case | None]) -> list[Outcome]:
        """The cases of Parquet rows, made straight from them (`columnar.case_builder`); a
        person the builder leaves to the intake goes through it, as its JSON."""
        outcomes = []
        raws: list[Any] | None = None
        for offset, case in enumerate(built):
            index = chunk.first + offset
            if case is None:
                raws = chunk.cases() if raws is None else raws
                outcomes.append(self._read(index, raws[offset]))
                continue
            result = case_result_bytes(self.engine.evaluate(case, self.on))
            outcomes.append(Outcome(index, case.crn, result, ()))
        return outcomes


_evaluator: ChunkEvaluator | None = None


def start_worker(policy: str | None, on: date) -> None:
    """A worker process's set-up: its engine, and its collector paused."""
    global _evaluator
    _evaluator = ChunkEvaluator(Engine(load_parameters(policy)), on)
    gc.freeze()
    gc.disable()


def evaluate_in_worker(chunk: Chunk) -> list[Outcome]:
    if _evaluator is None:
        raise RuntimeError("start_worker was not called in this process")
    return _evaluator(chunk)
