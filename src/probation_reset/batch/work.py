"""The work of one chunk: validate and evaluate each case, and write its result as JSON text.

This runs in worker processes (or in the command's own process for one worker). A worker pauses
its garbage collector: it keeps nothing from one chunk to the next and makes no reference
cycles, and collecting would cost about a third of its time.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import orjson

from probation_reset.batch.sources import Chunk
from probation_reset.domain.case import Case
from probation_reset.evaluation.document import case_result_bytes
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import CaseError, crn_of, validate_case
from probation_reset.policy import load_parameters
from probation_reset.rules.history import CaseHistory

if TYPE_CHECKING:
    from probation_reset.batch.handover import HandedChunk
    from probation_reset.columnar.obligations import Judged


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

            built = direct_cases(chunk.tables, with_contacts=False)
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
        """The cases of Parquet rows, made straight from them without their contacts
        (`columnar.case_builder`), their obligations judged together from the contacts' columns
        (`columnar.obligations`); a person the builder or the columnar judge leaves goes
        through the intake, as its JSON, and the per-case engine."""
        from probation_reset.columnar.obligations import Person, judge_chunk

        tables = chunk.tables
        if tables is None:  # a chunk of tables only is built
            raise ValueError("a chunk built from tables holds tables")
        engine, on = self.engine, self.on
        indices = tables.table("people").column("case_index").to_pylist()
        people: dict[int, Person] = {}
        for offset, case in enumerate(built):
            if case is not None:
                history = engine.history(case)
                duties, spans = engine.duties_and_spans(history, on)
                people[offset] = Person(indices[offset], history, duties, spans)
        judged = judge_chunk(tables.table("contacts"), list(people.values()), on, engine)
        outcomes = []
        raws: list[Any] | None = None
        for offset, case in enumerate(built):
            index = chunk.first + offset
            result = None
            if case is not None:
                person = people[offset]
                result = self._judged(person.history, judged.get(person.case_index))
            if case is None or result is None:
                raws = chunk.cases() if raws is None else raws
                outcomes.append(self._read(index, raws[offset]))
                continue
            outcomes.append(Outcome(index, case.crn, result, ()))
        return outcomes

    def _judged(self, history: CaseHistory, judged: Judged | None) -> bytes | None:
        if judged is None:
            return None
        result = self.engine.result(history, self.on, (), judged.pending)
        try:
            return case_result_bytes(result, judged.text)
        except orjson.JSONEncodeError:  # text orjson cannot write: the per-case engine's way
            return None


_evaluator: ChunkEvaluator | None = None
_handover: str | None = None


def start_worker(policy: str | None, on: date, handover: str | None = None) -> None:
    """A worker process's set-up: its engine, and its collector paused. Its polars works in
    one thread (unless ``POLARS_MAX_THREADS`` says otherwise): the workers are the parallelism,
    and polars' threads contending with the other workers' took a tenth of a batch's time.
    With ``handover``, a directory, the worker hands each chunk's results over through a file
    there (`batch.handover`)."""
    global _evaluator, _handover
    os.environ.setdefault("POLARS_MAX_THREADS", "1")
    _handover = handover
    _evaluator = ChunkEvaluator(Engine(load_parameters(policy)), on)
    gc.freeze()
    gc.disable()


def evaluate_in_worker(chunk: Chunk) -> list[Outcome] | HandedChunk:
    if _evaluator is None:
        raise RuntimeError("start_worker was not called in this process")
    outcomes = _evaluator(chunk)
    if _handover is None:
        return outcomes
    from probation_reset.batch.handover import hand_over

    return hand_over(_handover, chunk.first, outcomes)
