"""The hub's flow in Chromium: a hub user records a MARAC notification on a suspended case, a
reinstatement the rules refuse shows the error summary with the reason, then the reinstatement
with a new MAPPA registration makes the case EXEMPT with a reinstatement in its timeline; the
reconciliation and the dashboard's count in Reset measures change and the audit log shows
each step; the what-if form showed it beforehand. axe-core finds nothing on any page;
each page is kept as a screenshot in ``artifacts/screenshots``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from web.browser import LiveServer, launch, require_chromium
from web.conftest import SAMPLE_DAY, _prepare, manager_of, managers_in_documents, settings_for
from web.test_web_browser import check_page, sign_in
from web.test_web_hub import suspended_cases

ON = SAMPLE_DAY.isoformat()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    path = tmp_path_factory.mktemp("browser-hub") / "web.sqlite"
    database = _prepare(f"sqlite:///{path}", "sqlite")
    managers_in_documents(database.url)
    with LiveServer(settings_for(database.url)) as server:
        yield server


@pytest.fixture(scope="module")
def browser(live: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield from launch(playwright)


def finding_row(page: Any, crn: str) -> str:
    rows = page.locator("table tbody tr").filter(has_text=crn)
    return " | ".join(rows.all_inner_texts())


def test_hub_flow(browser: Any, live: LiveServer) -> None:
    crn = suspended_cases(str(live.app.state.web.settings.database_url), manager_of(0)["region"])[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live, "hub")

    page.goto(f"{live.url}/reconciliation?on={ON}")
    before = finding_row(page, crn)
    check_page(page, "20-reconciliation")
    page.goto(f"{live.url}/dashboard?on={ON}")
    measures = int(page.locator("#in-reset-measures").inner_text())
    check_page(page, "30-dashboard")

    page.goto(f"{live.url}/cases/{crn}?on={ON}")
    form = page.locator("#what-if")
    form.get_by_label("Registration type").select_option("MAPPA")
    form.get_by_label("Level (added MAPPA").fill("2")
    form.get_by_role("button", name="Show what would change").click()
    page.wait_for_url(f"**/cases/{crn}/what-if?**")
    assert "contact would be reinstated" in page.inner_text("main")
    check_page(page, "31-what-if")

    page.get_by_role("link", name="Hub queue").click()
    page.wait_for_url(f"**/hub?on={ON}")
    assert page.get_by_role("heading", name="Hub queue").is_visible()
    check_page(page, "21-hub-queue")

    page.get_by_label("CRN", exact=True).fill(crn)
    page.get_by_label("Who the information came from").select_option("MARAC")
    page.get_by_label("Date received").fill(ON)
    page.get_by_label("Summary").fill("MARAC 3 November: now MAPPA level 2, category 1")
    page.get_by_role("button", name="Record information").click()
    page.wait_for_url("**/hub/items/*")
    assert "The information is recorded" in page.inner_text("body")
    check_page(page, "22-hub-item")

    later = (SAMPLE_DAY + timedelta(days=7)).isoformat()
    page.get_by_label("Reinstate contact").check()
    page.get_by_label("Registration that now exempts").select_option("MAPPA")
    page.get_by_label("Registration start date").fill(later)
    page.get_by_label("MAPPA level (MAPPA only)").fill("2")
    page.get_by_label("MAPPA category (MAPPA only)").fill("1")
    page.get_by_role("button", name="Save triage").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and later in summary.inner_text()
    check_page(page, "23-hub-refused")

    page.get_by_label("Named practitioner").fill("Alex Morgan")
    page.get_by_label("Reinstate contact").check()
    page.get_by_label("Registration that now exempts").select_option("MAPPA")
    page.get_by_label("Registration start date").fill(ON)
    page.get_by_role("button", name="Save triage").click()
    page.wait_for_url("**triaged=1")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Reinstate" in banner and "exempt" in banner
    check_page(page, "24-hub-triaged")

    page.get_by_role("link", name=f"Open case {crn}").click()
    page.wait_for_url(f"**/cases/{crn}?on={ON}")
    assert page.locator(".app-status-line .govuk-tag").first.inner_text() == "Exempt"
    assert "Reinstated on" in page.locator("#timeline").inner_text()
    check_page(page, "25-case-reinstated-by-hub")

    page.goto(f"{live.url}/reconciliation?on={ON}")
    assert finding_row(page, crn) != before
    page.goto(f"{live.url}/dashboard?on={ON}")
    assert int(page.locator("#in-reset-measures").inner_text()) == measures - 1
    page.goto(f"{live.url}/upcoming?on={ON}&weeks=8")
    assert page.get_by_role("heading", name="Entering the final third soon").is_visible()
    check_page(page, "26-upcoming")

    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(admin, live, "admin")
    admin.goto(f"{live.url}/audit?on={ON}&crn={crn}")
    log = admin.locator("table").inner_text()
    for action in ("HUB_RECORD", "READ_HUB_ITEM", "HUB_REFUSED", "HUB_TRIAGE"):
        assert action in log, action
    check_page(admin, "27-audit-hub")


def test_hub_pages_on_a_phone(browser: Any, live: LiveServer) -> None:
    page = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
    sign_in(page, live, "hub")
    for path, name in (
        ("/hub", "28-hub-phone"),
        ("/reconciliation", "29-reconciliation-phone"),
        ("/dashboard", "32-dashboard-phone"),
    ):
        page.goto(f"{live.url}{path}?on={ON}")
        check_page(page, name)
