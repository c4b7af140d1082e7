"""Running a batch: chunks to the workers, outcomes back in input order, written as they come.

At most a few chunks per worker are in flight (``worker_pool``), so memory holds a bounded
number of chunks whatever the caseload's size. The command's process keeps the CRNs seen (a CRN
seen before rejects the later case, CONTRACT.md 4.3) and writes; the workers validate and
evaluate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

from probation_reset.batch.handover import Handed, HandedChunk, handover_directory, take_over
from probation_reset.batch.sources import Chunk
from probation_reset.batch.work import ChunkEvaluator, Outcome, evaluate_in_worker, start_worker
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import CaseError, field_sort_key
from probation_reset.policy import load_parameters
from probation_reset.worker_pool import results_in_order


def evaluated_chunks(
    chunks: Iterable[Chunk], on: date, policy: str | None, workers: int
) -> Iterator[Handed]:
    """The outcomes of each chunk, in order; `workers` processes (1: this process), which hand
    their results over through files (`batch.handover`).

    An input of one chunk is evaluated here: starting workers would take longer than the work.
    """
    with handover_directory() as directory:
        for evaluated in results_in_order(
            chunks,
            workers,
            local=lambda: ChunkEvaluator(Engine(load_parameters(policy)), on),
            remote=evaluate_in_worker,
            initializer=start_worker,
            initargs=(policy, on, directory),
        ):
            yield take_over(evaluated) if isinstance(evaluated, HandedChunk) else Handed(evaluated)


class Deduplicated:
    """Applies the CRN rule across chunks: the first case with a CRN is kept, later ones refused."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, outcome: Outcome) -> Outcome:
        crn = outcome.crn
        if crn is None:
            return outcome
        if crn not in self._seen:
            self._seen.add(crn)
            return outcome
        repeated = CaseError(crn, outcome.index, "crn", f"crn {crn!r} was already seen")
        errors = sorted((*outcome.errors, repeated), key=lambda e: field_sort_key(e.field))
        return Outcome(outcome.index, crn, None, tuple(errors))


def outcome_chunks(
    chunks: Iterable[Chunk], on: date, policy: str | None, workers: int
) -> Iterator[Handed]:
    """Each chunk's outcomes in input order, CRNs seen before refused."""
    deduplicate = Deduplicated()
    for handed in evaluated_chunks(chunks, on, policy, workers):
        yield replace(handed, outcomes=[deduplicate(outcome) for outcome in handed.outcomes])
