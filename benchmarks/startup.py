"""Cold start of the app in a real browser: the start page, then the first page that needs TensorFlow.

    python benchmarks/startup.py [--repeats 3]

For a cold ``streamlit run app.py`` (the clock starts right before the server
is started), measures (a) the seconds until the start page's title "Penguin
Lab" is visible in Chromium and (b) the seconds until the Architecture page,
opened from the start page's sidebar, shows Keras' ``model.summary()``. For
comparison, a fresh Python process measures ``import tensorflow`` alone.
Medians over ``--repeats`` runs, a fresh server each time.

Targets: the start page never waits for TensorFlow (Keras loads in the app's
worker process, started by app.py), so it must be visible, counted from the
moment the server answers, before ``import tensorflow`` alone would have finished.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.harness import launch_chromium, start_server, stop_server  # noqa: E402

TIMEOUT_MS = 180_000
IMPORT_TF = "import time; t = time.perf_counter(); import tensorflow; print(time.perf_counter() - t)"


def import_tensorflow_seconds() -> float:
    """``import tensorflow`` in a fresh interpreter, interpreter start-up not counted."""
    result = subprocess.run([sys.executable, "-c", IMPORT_TF], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def cold_start(browser) -> tuple[float, float, float]:
    """Seconds from starting the server until: it answers, the title shows, the model summary shows."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    server = None
    try:
        start = time.perf_counter()
        server, url = start_server()
        answered = time.perf_counter() - start
        page.goto(url, timeout=TIMEOUT_MS)
        page.locator("h1", has_text="Penguin Lab").wait_for(state="visible", timeout=TIMEOUT_MS)
        title = time.perf_counter() - start
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name="4–5 · Architecture").click(
            timeout=TIMEOUT_MS)
        page.get_by_role("button", name="Show the count and the summary").click(timeout=TIMEOUT_MS)
        page.locator('[data-testid="stCode"]', has_text="Trainable params: 83").wait_for(
            state="visible", timeout=TIMEOUT_MS)
        summary = time.perf_counter() - start
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError("the app showed an exception")
        return answered, title, summary
    finally:
        context.close()
        if server is not None:
            stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    imports, answers, titles, summaries = [], [], [], []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for _ in range(repeats):  # interleaved, so both see the same machine load
                imports.append(import_tensorflow_seconds())
                answered, title, summary = cold_start(browser)
                answers.append(answered)
                titles.append(title)
                summaries.append(summary)
        finally:
            browser.close()
    tf, answered = statistics.median(imports), statistics.median(answers)
    title, summary = statistics.median(titles), statistics.median(summaries)
    print(f"cold start of streamlit run app.py (median of {repeats}, seconds from starting the server)")
    print(f"  server answers /_stcore/health:                     {answered:7.2f} s")
    print(f"  (a) start page title 'Penguin Lab' visible:         {title:7.2f} s")
    print(f"  (b) Architecture page shows model.summary():        {summary:7.2f} s")
    print(f"  import tensorflow alone, in a fresh process:        {tf:7.2f} s")
    before = sum(t - a < i for t, a, i in zip(titles, answers, imports))
    print(f"start page up {title - answered:.2f} s after the server answered, before import tensorflow "
          f"({tf:.2f} s) would have finished: {'yes' if title - answered < tf else 'NO'} "
          f"({before} of {repeats} runs)")


if __name__ == "__main__":
    main()
