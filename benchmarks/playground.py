"""The Playground's speed: each figure beside its target, medians over repeats.

    python benchmarks/playground.py [--repeats 20] [--steps 15]

Server side, in this process, for the lesson's standardized model after 100 epochs:
- the decision-region grid of 200 × 200 points (target ≤ 20 ms);
- one live frame: regions, the drawn network and the curves, built and serialized to JSON as
  Streamlit sends them (target ≤ 50 ms);
- one replay step: the network at an earlier epoch, and every view of it (regions, network, curves
  with their marker, confusion matrix), built and serialized (target ≤ 100 ms).
In a real browser against ``streamlit run app.py``:
- Step click until every view shows the new epoch (target ≤ 300 ms median, on an idle machine);
- a Play of the lesson's 100 epochs: how many different frames of the regions were drawn (target ≥ 10).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from plotly.io import to_json  # noqa: E402

from penguin_core.training import Training  # noqa: E402
from penguin_core.evaluation import evaluate  # noqa: E402
from penguin_core.figures import confusion_heatmap, training_curves  # noqa: E402
from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from penguin_core.views.drawing import draw_network, network_figure  # noqa: E402
from penguin_core.views.regions import decision_regions, regions_figure, split_penguins  # noqa: E402

AXES = ("flipper_length_mm", "bill_length_mm")


def median_ms(work, repeats: int) -> float:
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def server_side(repeats: int) -> None:
    data = prepare(DataSpec(standardize=True))
    training = Training(data, ModelSpec())
    for _ in training:
        pass
    network, frame = training.network_now(), data.training_frame
    x = data.frame.loc[data.X_test.index[0], list(data.features)].to_numpy(float)

    def views(net, marker=None):
        regions = decision_regions(net, frame, *AXES)
        figures = [regions_figure(regions, split_penguins(data, net), height=290), network_figure(draw_network(net, x)),
                   training_curves([("run", training.history)], 100, marker=marker, height=230, legend=False)]
        if marker is not None:
            figures.append(confusion_heatmap(evaluate(net, data.X_test, data.y_test).confusion, height=230))
        for figure in figures:
            to_json(figure.to_dict(), validate=False)

    grid = median_ms(lambda: decision_regions(network, frame, *AXES, resolution=200), repeats)
    live = median_ms(lambda: views(network), repeats)
    replay = median_ms(lambda: views(training.network_at(40)[0], marker=40), repeats)
    print(f"server side, median of {repeats} (lesson model, standardized, 100 epochs)")
    print(f"  decision-region grid, 200 x 200 points:          {grid:7.1f} ms   (target <= 20 ms)")
    print(f"  one live frame (regions + network + curves):     {live:7.1f} ms   (target <= 50 ms)")
    print(f"  one replay step (network at epoch 40, all views): {replay:6.1f} ms   (target <= 100 ms)")


def in_the_browser(steps: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import launch_chromium, server, wait_idle

    image = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.layout && "
             "p.layout.images && p.layout.images.length); return p ? p.layout.images[0].source : null; }")
    curve = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')].find(p => p._fullData && "
             "p._fullData.some(t => t.yaxis === 'y2')); return p ? p._fullData[0]._length || 0 : 0; }")
    with server() as (_, url), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(url + "/playground?std=1")
        wait_idle(page)
        times = []
        for n in range(1, steps + 1):
            before = page.evaluate(image)
            start = time.perf_counter()
            page.get_by_role("button", name="Step", exact=True).click()
            page.get_by_text(re.compile(rf"^epoch {n}/100")).first.wait_for(timeout=30_000)
            page.wait_for_function(f"() => ({curve})() === {n} && ({image})() !== {json.dumps(before)}", timeout=30_000)
            times.append(time.perf_counter() - start)
            wait_idle(page, quiet=0.3)
        page.get_by_role("button", name="Reset", exact=True).click()
        wait_idle(page)
        frames, start = set(), time.monotonic()
        page.get_by_role("button", name="Play", exact=True).click()
        while time.monotonic() - start < 30 and not page.get_by_text(re.compile(r"^epoch 100/100")).count():
            frames.add(page.evaluate(image))
            time.sleep(0.05)
        wait_idle(page)
        browser.close()
    print(f"in Chromium ({steps} Steps, then a Play of 100 epochs)")
    print(f"  Step click until every view shows the new epoch: {statistics.median(times) * 1000:5.0f} ms median, "
          f"{max(times) * 1000:.0f} ms slowest   (target <= 300 ms median)")
    print(f"  frames of the regions drawn during the Play:     {len(frames - {None}) - 1:5d}        (target >= 10)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--steps", type=int, default=15)
    args = parser.parse_args()
    server_side(args.repeats)
    in_the_browser(args.steps)


if __name__ == "__main__":
    main()
