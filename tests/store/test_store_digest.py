"""A case's caseload digest answers, from its obligations' dates alone, what the engine says is
due and missed on any day; the recordings it leaves out are never open."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from caseloads import generated  # type: ignore[import-not-found]

from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import read_cases
from probation_reset.rules.national_standards import RECORD_1WD
from probation_reset.store.bulk_rows import Row
from probation_reset.store.digest import derive_digest

FIXED_DAYS = (date(2024, 6, 3), date(2025, 3, 14), date(2025, 11, 3))


def _counted(rows: tuple[Row, ...], day: date) -> Counter[str]:
    """The rows DUE and MISSED on ``day``, as the caseload's filters judge them."""
    on = day.isoformat()
    counts: Counter[str] = Counter()
    for row in rows:
        start, due_by, met_on = row[4], row[5], row[7]
        if start > on or (met_on is not None and met_on <= on):
            continue
        counts["DUE" if due_by >= on else "MISSED"] += 1
    return counts


def test_the_digest_counts_what_the_engine_counts_and_leaves_out_only_recordings_never_open(
    engine: Engine,
) -> None:
    intake = read_cases(generated(60, seed=91))
    assert not intake.errors
    left_out = kept_recordings = 0
    for _, case in intake.cases:
        history = engine.history(case)
        digest = derive_digest(engine, case, history)
        judged = engine.obligations(history, digest.horizon)
        kept = {row[1] for row in digest.obligations}
        recorded = {c.contact_id: c.recorded_on for c in case.contacts}
        days = set(FIXED_DAYS)
        for n, obligation in enumerate(judged):
            if n in kept:
                kept_recordings += obligation.rule == RECORD_1WD.id
                continue
            # Only a recording met by its contact's day is left out.
            assert obligation.rule == RECORD_1WD.id, (case.crn, obligation)
            assert obligation.met_by is not None
            recorded_on = recorded[obligation.met_by]
            assert recorded_on is not None and recorded_on <= obligation.window_start
            left_out += 1
            if len(days) < 9:  # the days around a few left out: the first, the next, the due date
                start = obligation.window_start
                days |= {start, start + timedelta(days=1), obligation.due_by}
        for day in sorted(days):
            statuses = Counter(o.status.value for o in engine.evaluate(case, day).obligations)
            counted = _counted(digest.obligations, day)
            assert (counted["DUE"], counted["MISSED"]) == (statuses["DUE"], statuses["MISSED"]), (
                case.crn,
                day,
            )
    # Both kinds are in the generated cases: most of what is left out is a recording.
    assert left_out > 500 and kept_recordings > 500, (left_out, kept_recordings)
