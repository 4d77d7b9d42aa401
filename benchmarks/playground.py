"""The Playground's speed, now that its views live in the browser: each figure beside its target, medians over
repeats. Against ``streamlit run app.py`` in Debian's Chromium, the lesson's model standardized:

    python benchmarks/playground.py [--repeats 5]

- Step click until every view shows the next epoch (target <= 0.1 s median);
- a replay-slider step until every view shows that epoch (target <= 0.1 s);
- a click on a penguin until the network shows its values (target <= 0.1 s), and until the Shapley values
  below name it (the server's part: no target);
- Play: frames drawn a second while playing (target >= 30), and the epochs shown;
- the server's CPU seconds for one Play of the 100 epochs, training included (what a class of 30 costs it).

Times are taken in the page, from the input event's own timestamp: to the end of the animation frame that drew
the views (the component stamps it), and to the next paint (the Event Timing API's duration of that input; under
16 ms it reports nothing, counted as 16). A click on a penguin comes after the pointer moved onto it, which
already showed its values in the network: the click makes it the penguin followed (the star, the values kept).
Server side, in this process: what the browser is handed for the lesson's run.
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

from penguin_core.model import ModelSpec  # noqa: E402
from penguin_core.preparation import DataSpec, prepare  # noqa: E402
from penguin_core.training import Training  # noqa: E402
from penguin_core.views import browser  # noqa: E402

# In the page: from the last input event (pointerdown or keydown; its own timeStamp) to the end of the animation
# frame that drew what `done(root)` asks for (the component stamps data-drawn-at), and the Event Timing API's
# duration of that input: from the input to the next paint after its handlers, the frame the view was drawn in
# (reported from 16 ms up, in steps of 8: null means under 16 ms).
TIMED = """(root, done) => new Promise((resolve, reject) => {
  const check = new Function('root', 'return (' + done + ')(root)');
  const started = window.__inputAt;
  const deadline = performance.now() + 30000;
  const painted = () => {
    const entries = window.__events.filter((e) => Math.abs(e.startTime - started) < 1
                                                  && ['click', 'keydown', 'pointerdown'].includes(e.name));
    return entries.length ? Math.max(...entries.map((e) => e.duration)) : null;
  };
  const tick = () => {
    if (check(root)) {
      const drawn = Number(root.dataset.drawnAt) - started;
      setTimeout(() => resolve([drawn, painted()]), 300);  // Event Timing reports after the paint
      return;
    }
    if (performance.now() > deadline) { reject(new Error('not drawn within 30 s: ' + done)); return; }
    requestAnimationFrame(tick);
  };
  tick();
})"""
INPUT_CLOCK = """() => { for (const type of ['pointerdown', 'keydown'])
  window.addEventListener(type, (event) => { window.__inputAt = event.timeStamp; }, true);
  window.__events = [];
  new PerformanceObserver((list) => window.__events.push(...list.getEntries()))
    .observe({ type: 'event', durationThreshold: 16, buffered: true }); }"""


def server_side(repeats: int) -> None:
    data = prepare(DataSpec(standardize=True))
    training = Training(data, ModelSpec())
    for _ in training:
        pass
    kept = dict(training.snapshots.kept)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        payload = {"layout": browser.layout(training.network_now()), "snapshots": browser.snapshots(kept),
                   "penguins": browser.penguins(data), "plane": browser.plane(data)}
        text = json.dumps(payload)
        times.append(time.perf_counter() - start)
    print(f"server side, median of {repeats} (lesson model, standardized, 100 epochs)")
    print(f"  everything the browser is handed for the run:    {len(text) / 1024:6.1f} KB, "
          f"{statistics.median(times) * 1000:5.1f} ms to build and serialize")


def in_the_browser(repeats: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import cpu_seconds, launch_chromium, server, wait_idle
    from tests.browser.test_playground import PLAY_PROBE, STATUS, VIEW, WEBSOCKET_LOG

    def open_page(browser_, url):
        context = browser_.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(WEBSOCKET_LOG)
        page = context.new_page()
        page.goto(url + "/playground?std=1")
        wait_idle(page)
        page.locator(STATUS).first.wait_for(timeout=30_000)
        page.evaluate(INPUT_CLOCK)
        return page

    def timed(page, done: str) -> tuple[float, float]:
        """(drawn, on the screen) in seconds; under 16 ms on the screen is counted as 16"""
        drawn, shown = page.locator(VIEW).first.evaluate(TIMED, done)
        return drawn / 1000, (shown or 16) / 1000

    def epoch_drawn(n: int, paints: int) -> str:  # every view drawn for epoch n (they are drawn in one frame)
        return (f"(root) => Number(root.dataset.epoch) === {n} && Number(root.dataset.paints) > {paints} && "
                f"root.querySelector('[role=status]').textContent.startsWith('epoch {n}/')")

    def paints(page) -> int:
        return int(page.locator(VIEW).first.get_attribute("data-paints"))

    with server() as (process, url), sync_playwright() as playwright:
        browser_ = launch_chromium(playwright)

        # One Play of a new training: the server's CPU, the frames drawn
        page = open_page(browser_, url)
        time.sleep(1.0)
        cpu_before = cpu_seconds(process.pid)
        sent_before = page.evaluate("() => window.__ws.sent.length")
        page.locator(VIEW).first.evaluate(PLAY_PROBE, 101)
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function("() => window.__playProbe && window.__playProbe.done", timeout=60_000)
        first_play = page.evaluate("() => window.__playProbe")
        page.get_by_text("joined your run history").first.wait_for(timeout=30_000)
        wait_idle(page)
        cpu_play = cpu_seconds(process.pid) - cpu_before
        asks = page.evaluate("() => window.__ws.sent.length") - sent_before
        first_play["slowest"] = page.locator(VIEW).first.get_attribute("data-play-slowest-ms")

        # The same run played again, everything already in the browser
        page.get_by_role("button", name="Reset", exact=True).click()
        page.locator(STATUS).filter(has_text=re.compile(r"^epoch 0/100")).wait_for()
        wait_idle(page)
        page.locator(VIEW).first.evaluate(PLAY_PROBE, 101)
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function("() => window.__playProbe && window.__playProbe.done", timeout=60_000)
        replay = page.evaluate("() => window.__playProbe")
        replay["slowest"] = page.locator(VIEW).first.get_attribute("data-play-slowest-ms")
        wait_idle(page)

        # Step, from epoch 0
        page.get_by_role("button", name="Reset", exact=True).click()
        page.locator(STATUS).filter(has_text=re.compile(r"^epoch 0/100")).wait_for()
        wait_idle(page)
        steps = []
        for n in range(1, repeats + 1):
            before = paints(page)
            page.get_by_role("button", name="Step", exact=True).click()
            steps.append(timed(page, epoch_drawn(n, before)))
            wait_idle(page, quiet=0.3)

        # The replay slider, back one epoch at a time
        slider = page.get_by_role("slider", name="Replay epoch")
        slider.focus()
        slides = []
        for n in range(repeats - 1, -1, -1):
            before = paints(page)
            slider.press("ArrowLeft")
            slides.append(timed(page, epoch_drawn(n, before)))
            wait_idle(page, quiet=0.3)

        # A click on a penguin: the network's values, then the Shapley values below
        marks = page.locator(VIEW).first.evaluate("(root) => root.penguinLabMarks()")
        box = page.locator(".pg canvas").first.bounding_box()
        alone = [m for m in marks if m["x"] > 10 and m["y"] > 10
                 and all((o["x"] - m["x"]) ** 2 + (o["y"] - m["y"]) ** 2 > 81 for o in marks if o is not m)]
        clicks, shapley = [], []
        for mark in alone[1:repeats + 1]:
            page.mouse.click(box["x"] + mark["x"], box["y"] + mark["y"])
            start = time.perf_counter()
            clicks.append(timed(page, f"(root) => root.dataset.chosen === '{mark['row']}' && "
                                      f"root.querySelector('.pg-who').textContent.includes('penguin {mark['row']} ')"))
            page.get_by_text(f"for penguin {mark['row']} (click another penguin").wait_for(timeout=30_000)
            shapley.append(time.perf_counter() - start + clicks[-1][0])
            page.mouse.move(box["x"] - 30, box["y"] - 30)
            wait_idle(page, quiet=0.3)

        # A new training's first Step: the server trains the run
        fresh = open_page(browser_, url)
        before = paints(fresh)
        fresh.get_by_role("button", name="Step", exact=True).click()
        first_step = timed(fresh, epoch_drawn(1, before))
        browser_.close()

    def fps(probe):
        seconds = (probe["end"] - probe["allAt"]) / 1000
        return probe["drawn"] / seconds, seconds, len(probe["epochs"])

    def ms(times, which):
        values = [t[which] * 1000 for t in times]
        return f"{statistics.median(values):4.0f} ms"

    print(f"in Chromium (lesson model, standardized; medians of {repeats}: drawn, and input to the next paint)")
    for name, times in (("Step click until every view shows the next epoch:", steps),
                        ("replay-slider step until every view shows it:", slides),
                        ("click on a penguin until the network shows it:", clicks)):
        slowest = max(t[1] for t in times) * 1000
        print(f"  {name:50s} {ms(times, 0)} drawn, {ms(times, 1)} on screen (slowest {slowest:.0f})   "
              "(target <= 100 ms)")
    print(f"  ... until the Shapley values below name it:        {statistics.median(shapley) * 1000:6.0f} ms "
          f"(the server's part; no target)")
    for name, probe in (("Play of a new training", first_play), ("Play again, all in the browser", replay)):
        rate, seconds, shown = fps(probe)
        print(f"  {name + ', frames drawn a second:':50s} {rate:6.1f}       (target >= 30); {shown} epochs "
              f"in {seconds:.1f} s, slowest frame {probe['slowest']} ms, {probe['sent']} messages to the server")
    print(f"  server CPU for one Play of the 100 epochs:         {cpu_play:6.2f} s     "
          f"(training included; the page sent {asks} messages: train, then shown and ended)")
    print(f"  first Step of a new training (the server trains):  {first_step[0] * 1000:4.0f} ms drawn")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    server_side(args.repeats)
    in_the_browser(args.repeats)


if __name__ == "__main__":
    main()
