"""A class on one server: many learners training at once, then one learner training for a long time.

    python benchmarks/classroom.py [--learners 30] [--runs 200]

Phase A: ``--learners`` browser sessions (one Chromium, one context each) open
the Train page, all click Train in quick succession, then open Predict.
Measures the time from the first click until every session has its result,
the slowest and median wait (click -> result), and the server's resident
memory before the class arrived and at its peak. Every session's weights
fingerprint, test accuracy and predicted species must equal those of the same
training done alone in this process. Targets: 0 errors, every session matches.

Phase B: one session on a fresh server clicks Train 5 times (warm-up), then
``--runs`` more times. Target: the server's resident memory grows < 150 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.prediction import measurement_ranges, predict_one  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from penguin_core.training import train  # noqa: E402
from tests.browser.harness import (  # noqa: E402
    child_pids, cpu_seconds, launch_chromium, resident_mb, start_server, stop_server, wait_idle)

STEP_TIMEOUT = 180.0  # seconds, for every step of every session
FINGERPRINT = re.compile(r"Weights fingerprint\s*([0-9a-f]{8})")


def expected() -> dict:
    """The lesson's run trained alone in this process, and the Predict page's first prediction."""
    data = prepare(DataSpec())
    run = train(data, ModelSpec())
    start = {f: r[2] for f, r in measurement_ranges(data.training_frame).items()}
    return {"fingerprint": run.network.fingerprint(), "accuracy": f"{run.test_metrics['accuracy']:.1%}",
            "species": predict_one(run.network, start).species}


def sidebar_link(page, name: str):
    return page.locator('[data-testid="stSidebar"]').get_by_role("link", name=name)


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]', has_text=label).locator('[data-testid="stMetricValue"]')


def has_error(page) -> bool:
    return page.locator('[data-testid="stException"]').count() > 0


def predicted_species(page) -> str | None:
    try:
        return metric(page, "Predicted species").first.inner_text(timeout=500).strip()
    except PlaywrightTimeout:
        return None


def fingerprint_caption(page):
    return page.locator('[data-testid="stCaptionContainer"]', has_text="Weights fingerprint")


def read(page) -> dict | None:
    """The session's result (fingerprint, test accuracy) once it is on the page, else None."""
    try:
        caption = fingerprint_caption(page).first.inner_text(timeout=500)
        accuracy = metric(page, "Test accuracy").first.inner_text(timeout=500).strip()
    except PlaywrightTimeout:
        return None
    found = FINGERPRINT.search(caption)
    return found and {"fingerprint": found.group(1), "accuracy": accuracy}


def wait_all(pages, started: dict, ready, timeout: float) -> tuple[dict, set, dict]:
    """Poll the pages in ``started`` in turn until ``ready(page)`` gives a value; returns {index: seconds
    since started[index]}, the indexes that showed an exception or timed out, and {index: value}."""
    waits, failed, pending, values = {}, set(), set(started), {}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for i in sorted(pending):
            value = ready(pages[i])
            if value:
                waits[i] = time.monotonic() - started[i]
                values[i] = value
                pending.discard(i)
            elif has_error(pages[i]):
                failed.add(i)
                pending.discard(i)
        time.sleep(0.02)
    return waits, failed | pending, values


def phase_a(playwright, learners: int, want: dict) -> None:
    server, url = start_server()
    browser = launch_chromium(playwright)
    try:
        idle_mb = resident_mb(server.pid)
        pages = []
        for _ in range(learners):
            page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            page.goto(url, timeout=STEP_TIMEOUT * 1000)
            wait_idle(page, timeout=STEP_TIMEOUT)
            sidebar_link(page, "6, 8, 9 · Train & evaluate").click(timeout=STEP_TIMEOUT * 1000)
            wait_idle(page, timeout=STEP_TIMEOUT)
            page.get_by_role("button", name="Train", exact=True).wait_for(timeout=STEP_TIMEOUT * 1000)
            pages.append(page)
        ready_mb = resident_mb(server.pid)

        cpu_before = cpu_seconds(server.pid)
        clicked = {}
        for i, page in enumerate(pages):  # as nearly simultaneously as one driver can
            page.get_by_role("button", name="Train", exact=True).click(timeout=STEP_TIMEOUT * 1000)
            clicked[i] = time.monotonic()
        waits, failed, results = wait_all(pages, clicked, read, STEP_TIMEOUT)
        everyone = max(clicked[i] + w for i, w in waits.items()) - clicked[0] if waits else float("nan")
        server_cpu = cpu_seconds(server.pid) - cpu_before
        after_train_mb = resident_mb(server.pid)

        opened = {}
        for i in waits:
            sidebar_link(pages[i], "7 · Predict").click(timeout=STEP_TIMEOUT * 1000)
            opened[i] = time.monotonic()
        predicted, predict_failed, species = wait_all(pages, opened, predicted_species, STEP_TIMEOUT)
        for i, name in species.items():
            results[i]["species"] = name
        failed |= predict_failed
        failed |= {i for i, page in enumerate(pages) if has_error(page)}
        peak_mb = resident_mb(server.pid, "VmHWM")
        worker_mb = sum(resident_mb(child, "VmHWM") for child in child_pids(server.pid))
    finally:
        browser.close()
        stop_server(server)

    matches = sum(results.get(i) == want for i in range(learners))
    wait_values = list(waits.values()) or [float("nan")]
    print(f"Phase A: {learners} learners click Train at once on one server "
          f"(clicks spread over {max(clicked.values()) - clicked[0]:.2f} s)")
    print(f"  first click until every session has its result:   {everyone:7.2f} s")
    print(f"  slowest session's wait (click -> result):          {max(wait_values):7.2f} s")
    print(f"  median wait:                                       {statistics.median(wait_values):7.2f} s")
    print(f"  server CPU time for all {learners} trainings and pages: {server_cpu:7.2f} s "
          f"({server_cpu / learners:.2f} s a learner; the rest of the wait is {learners} Chromium tabs "
          f"rendering on the same {os.cpu_count()} cores)")
    print(f"  Predict page, slowest wait (click -> species):     "
          f"{max(predicted.values(), default=float('nan')):7.2f} s")
    print(f"  server resident memory before the class arrived:   {idle_mb:7.1f} MB")
    print(f"  ... with {learners} sessions on the Train page:          {ready_mb:7.1f} MB, "
          f"after training: {after_train_mb:.1f} MB")
    print(f"  server peak resident memory (VmHWM):               {peak_mb:7.1f} MB")
    print(f"  its Keras worker process, peak (not used here):    {worker_mb:7.1f} MB")
    print(f"  errors (exception shown or timed out):             {len(failed):7d}   (target 0)")
    print(f"  sessions matching the run trained alone:           {matches:4d}/{learners}   (target all; "
          f"expected {want['fingerprint']}, {want['accuracy']}, {want['species']})")
    for i in sorted(set(range(learners)) - {i for i in results if results[i] == want}):
        print(f"    session {i}: {results.get(i, 'no result')}")


def phase_b(playwright, runs: int) -> None:
    server, url = start_server()
    browser = launch_chromium(playwright)
    try:
        page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        page.goto(url, timeout=STEP_TIMEOUT * 1000)
        wait_idle(page, timeout=STEP_TIMEOUT)
        sidebar_link(page, "6, 8, 9 · Train & evaluate").click(timeout=STEP_TIMEOUT * 1000)
        wait_idle(page, timeout=STEP_TIMEOUT)
        button = page.get_by_role("button", name="Train", exact=True)
        sidebar = page.locator('[data-testid="stSidebar"]')

        def train_once(n: int) -> None:
            button.click(timeout=STEP_TIMEOUT * 1000)
            sidebar.get_by_text(f"Current model: run {n},").wait_for(timeout=STEP_TIMEOUT * 1000)
            wait_idle(page, timeout=STEP_TIMEOUT, quiet=0.3)

        for n in range(1, 6):
            train_once(n)
        before = resident_mb(server.pid)
        start = time.monotonic()
        deadline = start + max(600.0, 10.0 * runs)
        done = 0
        for n in range(6, 6 + runs):
            if time.monotonic() > deadline:
                print(f"  stopped after {done} runs: over the time budget")
                break
            train_once(n)
            done += 1
        seconds = time.monotonic() - start
        after = resident_mb(server.pid)
        errors = page.locator('[data-testid="stException"]').count()
    finally:
        browser.close()
        stop_server(server)
    print(f"Phase B: one session trains {done} more times after 5 warm-up runs, in {seconds:.0f} s "
          f"({seconds / max(done, 1):.2f} s a run, click -> page idle)")
    print(f"  server resident memory before: {before:7.1f} MB, after: {after:7.1f} MB, "
          f"growth: {after - before:+.1f} MB (target < 150 MB); errors shown: {errors}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    want = expected()
    with sync_playwright() as playwright:
        phase_a(playwright, args.learners, want)
        phase_b(playwright, args.runs)


if __name__ == "__main__":
    main()
