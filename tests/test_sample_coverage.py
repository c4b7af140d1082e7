"""The bundled sample, evaluated by the engine, shows every status, exemption and rule."""

from __future__ import annotations

from probation_reset.domain.vocabulary import ObligationStatus, Phase, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.intake.reader import read_cases
from probation_reset.rules.registry import all_rules, obligation_rule_order
from probation_reset.sample.generator import SAMPLE_AS_OF, read_bundled_caseload


def test_the_bundled_sample_covers_every_status_exemption_phase_and_rule(engine: Engine) -> None:
    intake = read_cases(read_bundled_caseload())
    assert intake.errors == ()
    assert len(intake.cases) >= 200
    results = [engine.evaluate(case, SAMPLE_AS_OF) for _, case in intake.cases]
    assert {r.status for r in results} == set(Status)
    assert {p.phase for r in results for p in r.events} == set(Phase)
    exemptions = {e for r in results for e in r.exemptions}
    assert exemptions == {r.id for r in all_rules() if r.id.startswith("EXEMPT_")}
    judged = {o.rule for r in results for o in r.obligations}
    assert judged == set(obligation_rule_order())
    assert {o.status for r in results for o in r.obligations} == set(ObligationStatus)
    reinstated = [
        r
        for r in results
        if any(
            before.status is Status.SUSPENDED and after.status is Status.EXEMPT
            for before, after in zip(r.timeline, r.timeline[1:], strict=False)
        )
    ]
    assert reinstated, "the sample shows a reinstatement"
