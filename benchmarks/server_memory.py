"""The server's memory as one learner opens every page: bare, after each page, and the Keras worker beside it.

    python benchmarks/server_memory.py

A fresh ``streamlit run app.py``; one Chromium session opens the start page,
then every page of the navigation in order (training the lesson's model on
the Train page), waiting for each to finish. Prints the server's resident
memory after each step beside the target (under 200 MB after all pages), and
the Keras worker's.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.harness import child_pids, launch_chromium, resident_mb, start_server, stop_server, wait_idle  # noqa: E402

TARGET_MB = 200.0
PAGES = ["A neuron", "1–2 · Explore the data", "3 · Prepare", "4–5 · Architecture", "6, 8, 9 · Train & evaluate",
         "7 · Predict", "10 · Share", "Environment"]


def main() -> None:
    server, url = start_server()
    try:
        time.sleep(2)
        print(f"server bare (no session yet):        {resident_mb(server.pid):7.1f} MB")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(url)
            wait_idle(page, timeout=120)
            print(f"after the start page:                {resident_mb(server.pid):7.1f} MB")
            for name in PAGES:
                page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
                wait_idle(page, timeout=120)
                if name.startswith("6"):
                    page.get_by_role("button", name="Train", exact=True).click()
                    page.get_by_text("Weights fingerprint").wait_for(timeout=120_000)
                    wait_idle(page, timeout=120)
                time.sleep(1.0)  # images and figures arrive after the script run
                print(f"after {name + ':':31s}{resident_mb(server.pid):7.1f} MB")
            browser.close()
        after = resident_mb(server.pid)
        workers = [resident_mb(pid) for pid in child_pids(server.pid)]
        print(f"server after every page: {after:.1f} MB (target under {TARGET_MB:.0f} MB): "
              f"{'met' if after < TARGET_MB else 'NOT met'}")
        print(f"Keras worker process: {sum(workers):.1f} MB ({len(workers)} process)")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
