"""The work of one chunk: validate and evaluate each case, and write its result as JSON text.

This runs in worker processes (or in the command's own process for one worker). A worker pauses
its garbage collector: it keeps nothing from one chunk to the next and makes no reference
cycles, and collecting would cost about a third of its time.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import date

from probation_reset.batch.sources import Chunk
from probation_reset.evaluation.document import case_result_text
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import CaseError, crn_of, validate_case
from probation_reset.policy import load_parameters


@dataclass(frozen=True, slots=True)
class Outcome:
    """One case: its result as the JSON text of a CaseResult, or its errors (never both)."""

    index: int
    crn: str | None
    result: str | None
    errors: tuple[CaseError, ...]


class ChunkEvaluator:
    """Evaluates chunks on one day with one engine."""

    def __init__(self, engine: Engine, on: date) -> None:
        self.engine = engine
        self.on = on

    def __call__(self, chunk: Chunk) -> list[Outcome]:
        outcomes = []
        for index, raw in enumerate(chunk.cases(), start=chunk.first):
            case = validate_case(raw, index)
            crn = crn_of(raw)
            if isinstance(case, list):
                outcomes.append(Outcome(index, crn, None, tuple(case)))
                continue
            result = case_result_text(self.engine.evaluate(case, self.on))
            outcomes.append(Outcome(index, crn, result, ()))
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
