"""The main flow in Chromium: sign in, filter the caseload, open a suspended and a reinstated
case, read the timeline and next actions, download a CSV, sign out; the same by keyboard only.
axe-core runs on every page (0 violations) and each page is kept as a screenshot in
``artifacts/screenshots``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from probation_reset.store.database import open_database, session_factory
from probation_reset.store.models import StatusTransitionRow
from web.browser import SCREENSHOTS, LiveServer, axe_violations, describe, launch, require_chromium
from web.conftest import PASSWORD, SAMPLE_DAY, _prepare, settings_for

ON = SAMPLE_DAY.isoformat()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    path = tmp_path_factory.mktemp("browser") / "web.sqlite"
    database = _prepare(f"sqlite:///{path}", "sqlite")
    with LiveServer(settings_for(database.url)) as server:
        yield server


@pytest.fixture(scope="module")
def browser(live: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield from launch(playwright)


def crn_with(live: LiveServer, kind: str) -> str:
    engine = open_database(str(live.app.state.web.settings.database_url))
    try:
        with session_factory(engine)() as session:
            crn = session.scalar(
                select(StatusTransitionRow.crn)
                .where(StatusTransitionRow.kind == kind, StatusTransitionRow.day <= SAMPLE_DAY)
                .order_by(StatusTransitionRow.day.desc(), StatusTransitionRow.crn)
                .limit(1)
            )
    finally:
        engine.dispose()
    assert crn is not None, f"the sample has no {kind} transition"
    return crn


def check_page(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-first-screen.png"))
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + describe(violations)


def sign_in(page: Any, live: LiveServer, username: str) -> None:
    page.goto(f"{live.url}/caseload?on={ON}")
    assert "/sign-in" in page.url
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/caseload?on={ON}")


def test_main_flow(browser: Any, live: LiveServer) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live.url}/sign-in")
    check_page(page, "01-sign-in")
    sign_in(page, live, "head")
    assert page.get_by_role("heading", name="Every case").is_visible()
    check_page(page, "02-caseload")

    page.get_by_label("Suspended").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.wait_for_load_state()
    assert "status=SUSPENDED" in page.url
    statuses = page.locator("tbody .govuk-tag").all_inner_texts()
    assert statuses and set(statuses) == {"Suspended"}
    check_page(page, "03-caseload-suspended")

    with page.expect_download() as download:
        page.get_by_role("link", name="as CSV").click()
    csv_text = download.value.path().read_text(encoding="utf-8")
    header, *rows = csv_text.splitlines()
    assert header.startswith("CRN,status")
    assert rows and all(",SUSPENDED," in row for row in rows)

    suspended = crn_with(live, "SUSPENDED")
    page.get_by_label("Find a case by CRN").fill(suspended)
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(f"**/cases/{suspended}?on={ON}")
    next_actions = page.locator("#next")
    assert next_actions.get_by_role("heading", name="What to do next").is_visible()
    assert (page.locator("#timeline svg title").text_content() or "").startswith("Status from")
    assert "Suspended on" in page.locator("#timeline").inner_text()
    check_page(page, "04-case-suspended")

    reinstated = crn_with(live, "REINSTATED")
    page.goto(f"{live.url}/cases/{reinstated}?on={ON}")
    assert "Reinstated on" in page.locator("#timeline").inner_text()
    check_page(page, "05-case-reinstated")
    with page.expect_download() as download:
        page.locator("#obligations").get_by_role("link", name="as CSV").click()
    assert download.value.path().read_text().startswith("rule,event,window from,due by,status")

    page.get_by_role("link", name="Policy", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("#EXEMPT_MAPPA").is_visible()
    check_page(page, "06-policy")

    page.goto(f"{live.url}/cases/NOPE999?on={ON}")
    check_page(page, "07-not-found")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in?signed_out=1")
    assert page.get_by_text("You have signed out").is_visible()
    page.goto(f"{live.url}/caseload")
    assert "/sign-in" in page.url
    context.close()


def test_admin_pages(browser: Any, live: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live, "admin")
    page.goto(f"{live.url}/audit?on={ON}")
    assert page.get_by_role("heading", name="Audit log").is_visible()
    check_page(page, "08-audit")
    context.close()


def test_practitioner_on_a_phone(browser: Any, live: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live, "practitioner")
    assert page.get_by_role("heading", name="Your cases").is_visible()
    check_page(page, "09-caseload-practitioner-narrow")
    context.close()


def tab_to(page: Any, test: str, limit: int = 80) -> None:
    """Press Tab until ``test`` (a JavaScript expression on ``el``) holds for the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({test}); }})()"):
            return
    raise AssertionError(f"never reached an element where {test}")


def test_keyboard_only(browser: Any, live: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live.url}/sign-in?next=/caseload%3Fon%3D{ON}")
    tab_to(page, "el.id === 'username'")
    page.keyboard.type("spo")
    tab_to(page, "el.id === 'password'")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/caseload?on={ON}")
    tab_to(page, "el.name === 'status' && el.value === 'SUSPENDED'")
    page.keyboard.press("Space")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Apply filters')")
    page.keyboard.press("Enter")
    page.wait_for_url("**status=SUSPENDED**")
    tab_to(page, "el.tagName === 'A' && el.getAttribute('href').startsWith('/cases/')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/**")
    assert page.locator("#next-heading").is_visible()
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Sign out')", limit=40)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in?signed_out=1")
    context.close()


def test_core_tasks_without_javascript(browser: Any, live: LiveServer) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    sign_in(page, live, "hub")
    page.get_by_label("Missed").check()
    page.get_by_role("button", name="Apply filters").first.click()
    page.wait_for_url("**obligations=missed**")
    assert page.get_by_role("link", name="Remove this filter Missed").is_visible()
    page.locator("tbody a").first.click()
    page.wait_for_url("**/cases/**")
    assert page.locator("#next-heading").is_visible()
    page.get_by_label("Missed").check()
    page.get_by_role("button", name="Show", exact=True).click()
    assert {t for t in page.locator("#obligations tbody .govuk-tag").all_inner_texts()} == {
        "Missed"
    }
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in?signed_out=1")
    context.close()
