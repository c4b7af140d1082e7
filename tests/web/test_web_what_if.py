"""The what-if form on the case page: the answer's "with the change" is the evaluation of the
changed case; a change that cannot be made names its field; out of scope is not found."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from probation_reset.caseload.what_if import AddRegistration, changed_case
from probation_reset.domain.vocabulary import RegistrationType, Status
from probation_reset.evaluation.engine import Engine
from probation_reset.policy.parameters import load_parameters
from probation_reset.store.refresh import stored_case
from web.conftest import SAMPLE_DAY, WebDatabase, csv_rows, stored_record
from web.test_web_hub import REGION, suspended_cases

ON = SAMPLE_DAY.isoformat()


def test_adding_mappa_to_a_suspended_case_shows_it_exempt_as_the_engine_would(
    web_database: WebDatabase, clients: dict[str, TestClient]
) -> None:
    crn = suspended_cases(web_database.url, REGION)[0]
    hub = clients["hub"]
    case_page = hub.get(f"/cases/{crn}?on={ON}").text
    assert f'action="/cases/{crn}/what-if"' in case_page
    asked = f"on={ON}&action=add&type=MAPPA&date={ON}&level=2&category=1"
    page = hub.get(f"/cases/{crn}/what-if?{asked}")
    assert page.status_code == 200
    assert "contact would be reinstated" in page.text
    record = stored_record(web_database.url, crn)
    engine = Engine(load_parameters())
    case = stored_case(crn, record.document)
    change = AddRegistration(RegistrationType.MAPPA, SAMPLE_DAY, "2", 1)
    after = engine.evaluate(changed_case(case, change), SAMPLE_DAY)
    before = engine.evaluate(case, SAMPLE_DAY)
    assert before.status is Status.SUSPENDED and after.status is Status.EXEMPT
    status = {r["what"]: r for r in csv_rows(hub, f"/cases/{crn}/what-if/status.csv?{asked}")}
    assert status["status"]["as it is"] == "SUSPENDED"
    assert status["status"]["with the change"] == "EXEMPT"
    assert status["exemptions"]["with the change"] == ", ".join(after.exemptions)
    timeline = csv_rows(hub, f"/cases/{crn}/what-if/timeline.csv?{asked}")
    assert timeline[-1]["with the change"].startswith("EXEMPT")
    assert [r["from"] for r in timeline] == sorted(
        {s.span.start.isoformat() for s in (*before.timeline, *after.timeline)}
    )
    obligations = csv_rows(hub, f"/cases/{crn}/what-if/obligations.csv?{asked}")
    owed_after = {(o.rule, o.window_start.isoformat()) for o in after.obligations}
    for row in obligations:
        assert (row["with the change"] == "not owed") != (
            (row["rule"], row["window from"]) in owed_after
        )


def test_a_change_that_cannot_be_made_names_its_field(
    web_database: WebDatabase, clients: dict[str, TestClient]
) -> None:
    crn = suspended_cases(web_database.url, REGION)[0]
    hub = clients["hub"]
    bad = hub.get(f"/cases/{crn}/what-if?on={ON}&action=add&type=ROSH&date=2025-13-01")
    assert bad.status_code == 400 and 'href="#what-if-date"' in bad.text
    level = hub.get(f"/cases/{crn}/what-if?on={ON}&action=add&type=ROSH&date={ON}&level=HUGE")
    assert level.status_code == 400 and 'href="#what-if-level"' in level.text
    nothing = hub.get(f"/cases/{crn}/what-if?on={ON}&action=end&type=NSD&date={ON}")
    assert nothing.status_code == 400 and "no NSD registration in force" in nothing.text
    assert hub.get(f"/cases/{crn}/what-if?on={ON}").status_code == 200


def test_what_if_of_a_case_out_of_scope_is_not_found(
    web_app: FastAPI, web_database: WebDatabase, clients: dict[str, TestClient]
) -> None:
    other = next(r for r in ("North West", "Wales") if r != REGION)
    crn = suspended_cases(web_database.url, other)[0]
    asked = f"on={ON}&action=add&type=MAPPA&date={ON}"
    for path in (f"/cases/{crn}/what-if?{asked}", f"/cases/{crn}/what-if/status.csv?{asked}"):
        assert clients["hub"].get(path).status_code == 404
        assert clients["head"].get(path).status_code == 200
