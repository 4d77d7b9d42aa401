"""What only a real server and browser show about a learner's lab: every address works on a fresh
server, a reload or a restart gives the lab back, a phone shows the page after navigating, and nothing
is fetched from outside the server."""

import time
from urllib.parse import urlparse

import pytest

from penguin_core import workflow
from tests.browser.harness import server, start_server, stop_server, wait_idle
from tests.browser.test_e2e import NAV, assert_clean, go, metric

TITLES = [entry.title for entry in workflow.PAGES]


def nav_titles(page) -> list[str]:
    return [link.inner_text().split("\n")[-1].strip()
            for link in page.get_by_test_id("stSidebarNav").get_by_role("link").all()]


@pytest.mark.parametrize("url", ["" if entry is workflow.PAGES[0] else entry.url for entry in workflow.PAGES])
def test_a_cold_deep_link_opens_inside_the_apps_navigation(chromium, url):
    """The very first request to a fresh server goes straight to the page (a bookmark, a link in a chat)."""
    with server() as (_, address):
        page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(f"{address}/{url}")
        wait_idle(page)
        listed = [t for t in TITLES if t != "Instructor's board" or url == "instructor"]  # a learner's list
        assert nav_titles(page) == listed  # the app's own titles, not file names
        assert page.get_by_role("dialog").count() == 0  # no "page not found"
        assert page.locator(".stApp [data-testid='stAppViewContainer'] .stMainBlockContainer").count() == 1
        assert page.get_by_test_id("stSidebar").get_by_text("Your progress").count() == 1  # app.py drew it
        if url == "prepare":
            assert page.get_by_role("spinbutton", name="Test fraction").input_value() == "0.20"
        assert_clean(page)
        page.context.close()


def test_a_reload_after_training_brings_back_the_lab(page):
    go(page, "architecture")
    box = page.get_by_label("Epochs", exact=True)
    box.fill("40")
    box.press("Enter")
    wait_idle(page)
    go(page, "train")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("Weights fingerprint").wait_for(timeout=60_000)
    wait_idle(page)
    fingerprint = page.get_by_text("Weights fingerprint").inner_text().split()[2]
    page.reload()
    wait_idle(page)
    assert "epochs=40" in page.url and "lab=" in page.url
    assert page.get_by_text("Weights fingerprint").inner_text().split()[2] == fingerprint
    assert metric(page, "Epochs") == "40/40"


def test_a_server_restart_keeps_every_lab(chromium, tmp_path):
    """What a click changed inside a fragment (a Train click, a Predict slider) is saved too, though app.py
    does not run around a fragment's rerun."""
    database = {"PENGUIN_DATABASE_URL": f"sqlite:///{tmp_path / 'lab.sqlite3'}"}
    process, address = start_server(None, env=database)
    port = urlparse(address).port
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        page.goto(f"{address}/train")
        wait_idle(page)
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Weights fingerprint").wait_for(timeout=60_000)
        wait_idle(page)
        go(page, "predict")
        slider = page.get_by_role("slider", name="Body mass (g)")
        slider.focus()
        for _ in range(4):
            slider.press("ArrowRight")
        wait_idle(page)
        moved = slider.get_attribute("aria-valuenow")
        link = page.url
    finally:
        stop_server(process)
    process, _ = start_server(port, env=database)
    try:
        page.goto(link)
        wait_idle(page)
        assert "Current model: run 1" in page.get_by_test_id("stSidebar").inner_text()
        assert page.get_by_role("slider", name="Body mass (g)").get_attribute("aria-valuenow") == moved
        go(page, "train")
        assert page.get_by_text("Results of run 1").count() == 1
    finally:
        page.context.close()
        stop_server(process)


def test_on_a_phone_the_page_shows_after_navigating(chromium, app_server):
    page = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(app_server[1])
    wait_idle(page)
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="3 · Prepare", exact=True).click()
    wait_idle(page)
    time.sleep(0.5)
    assert page.get_by_test_id("stExpandSidebarButton").is_visible()  # the sidebar has folded away
    assert page.get_by_role("heading", name="Prepare the data").is_visible()
    page.context.close()


def test_nothing_is_fetched_from_outside_the_server(page, app_server):
    host = urlparse(app_server[1]).netloc
    elsewhere = []
    page.on("request", lambda request: urlparse(request.url).netloc not in (host, "")
            and not request.url.startswith("data:") and elsewhere.append(request.url))
    for name in NAV:
        go(page, name)
    assert elsewhere == []
