"""What a learner feels in Chromium: a Train click, a Predict slider step, a page switch, and each page's
first visit on a fresh server, each beside its target.

    python benchmarks/interaction.py [--repeats 5]

Every time is measured inside the page: from the click or key press (a capturing listener notes its
moment) to the moment the expected text is on the page (a MutationObserver), so Playwright's own polling
is not counted. Medians of ``--repeats``. Targets (issue "Immediate"): Train click -> result 0.3 s;
Predict slider -> probability 0.1 s; page switch 0.5 s; a page's first visit on a fresh server 3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from playwright.sync_api import sync_playwright  # noqa: E402

from penguin_core import workflow  # noqa: E402
from tests.browser.harness import launch_chromium, start_server, stop_server, wait_idle  # noqa: E402

WATCH = """() => {
  window.__started = null;
  const note = () => { if (window.__started === null) window.__started = performance.now(); };
  document.addEventListener("pointerdown", note, true);
  document.addEventListener("keydown", note, true);
  window.__waitFor = (selector, text, previous, idle) => new Promise((resolve) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const done = () => {
      const found = [...document.querySelectorAll(selector)].map((e) => e.innerText).find(
        (t) => t.includes(text) && t !== previous);
      const quiet = !idle || app.getAttribute("data-test-script-state") === "notRunning";
      if (found !== undefined && quiet && window.__started !== null) {
        observer.disconnect();
        resolve(performance.now() - window.__started);
      }
    };
    const observer = new MutationObserver(done);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    done();
  });
}"""


def measure(page, action, selector: str, text: str, previous: str | None = None, idle: bool = False) -> float:
    """Seconds from ``action``'s click or key press to ``text`` in an element matching ``selector`` (and,
    when ``idle``, the page's script run over: the whole page drawn)."""
    page.evaluate("([s, t, p, i]) => { window.__started = null; window.__pending = window.__waitFor(s, t, p, i); }",
                  [selector, text, previous, idle])
    action()
    return page.evaluate("() => window.__pending") / 1000


TITLES = {"start": "Penguin Lab", "neuron": "One neuron", "explore": "Explore the data", "prepare": "Prepare the data",
          "architecture": "Choose an architecture", "train": "Train, evaluate, tune", "playground": "Playground",
          "predict": "Predict a penguin", "sweep": "Sweep a setting", "compare": "Compare runs",
          "share": "Share the model", "classroom": "Classroom", "instructor": "Instructor's board",
          "environment": "Test your environment"}


def entry_title(entry) -> str:
    """The start of the page's own title (its h1)."""
    return TITLES[entry.url]


def metric_text(page, label: str) -> str:
    return page.locator('[data-testid="stMetric"]', has_text=label).first.inner_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    server, url = start_server()
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(url)
            wait_idle(page)
            page.evaluate(WATCH)
            firsts = []
            for entry in workflow.PAGES[1:]:  # every page's first visit on this fresh server
                link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=entry.title)
                firsts.append((entry.title, measure(page, link.click, "h1", entry_title(entry), idle=True)))
                wait_idle(page)
            worst = max(firsts, key=lambda pair: pair[1])
            rows.append((f"first visit of a page, fresh server, drawn whole (slowest: {worst[0]})", worst[1], 3.0))
            switches = []
            for _ in range(args.repeats):
                for name, title in (("Start", "Penguin Lab"), ("3 · Prepare", "Prepare the data")):
                    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=name)
                    switches.append(measure(page, link.click, "h1", title, idle=True))
                    wait_idle(page)
            rows.append(("page switch, drawn whole (Start, Prepare)", statistics.median(switches), 0.5))
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="6, 8, 9 · Train & evaluate").click()
            wait_idle(page)
            clicks = []
            for number in range(1, args.repeats + 2):
                button = page.get_by_role("button", name="Train", exact=True)
                took = measure(page, button.click, '[data-testid="stMetric"]', f"Test accuracy of run {number}")
                wait_idle(page)
                if number > 1:  # the first click also loads the results' elements' code in the browser
                    clicks.append(took)
            rows.append(("Train click -> result", statistics.median(clicks), 0.3))
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="7 · Predict").click()
            wait_idle(page)
            slider = page.get_by_role("slider", name="Body mass (g)")
            steps = []
            for _ in range(args.repeats):
                before = metric_text(page, "Predicted species")
                slider.focus()
                steps.append(measure(page, lambda: page.keyboard.press("ArrowRight"), '[data-testid="stMetric"]',
                                     "sure", before))
                wait_idle(page, quiet=0.3)
            rows.append(("Predict slider step -> probability", statistics.median(steps), 0.1))
            browser.close()
    finally:
        stop_server(server)
    print(f"{'action':62} {'measured':>9} {'target':>8}")
    for name, seconds, target in rows:
        print(f"{name:62} {seconds:8.3f}s {target:7.2f}s  {'met' if seconds <= target else 'MISSED'}")


if __name__ == "__main__":
    main()
