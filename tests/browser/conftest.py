"""Fixtures for the browser tests: one Streamlit server and one Chromium for the whole session."""

from pathlib import Path

import pytest

from tests.browser.harness import launch_chromium, server, wait_idle

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture(scope="session")
def app_server():
    with server() as (process, url):
        yield process, url


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, app_server, request):
    """A new learner: a fresh browser context (so a new Streamlit session) on the start page.

    After the test, a screenshot of where it ended goes to tests/screenshots/.
    """
    context = chromium.new_context(viewport={"width": 1400, "height": 3000}, accept_downloads=True)
    page = context.new_page()
    page.goto(app_server[1])
    wait_idle(page)
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
