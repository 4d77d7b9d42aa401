"""The Playground in a real browser: Play animates the regions, Step adds one epoch, the slider replays."""

import re
import time

from tests.browser.harness import wait_idle
from tests.browser.test_e2e import assert_clean, go

REGIONS_IMAGE = """() => { const plot = [...document.querySelectorAll('.js-plotly-plot')].find(
    p => p.layout && p.layout.images && p.layout.images.length);
  return plot ? plot.layout.images[0].source.length + ':' + plot.layout.images[0].source.slice(-40) : null; }"""


def epoch(page) -> int:
    text = page.get_by_text(re.compile(r"^epoch \d+/\d+")).first.inner_text()
    return int(re.match(r"epoch (\d+)", text).group(1))


def test_play_repaints_the_regions_as_the_network_learns(page):
    page.goto(page.url.split("?")[0].rsplit("/", 1)[0] + "/playground?std=1")
    wait_idle(page)
    before = page.evaluate(REGIONS_IMAGE)
    page.get_by_role("button", name="Play").click()
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and epoch(page) < 100:
        seen.add(page.evaluate(REGIONS_IMAGE))
        time.sleep(0.1)
    seen.discard(before)
    seen.discard(None)
    assert len(seen) >= 3, f"the regions were drawn {len(seen)} times while playing"
    wait_idle(page)
    assert epoch(page) == 100 and page.get_by_text("joined your run history").count() <= 1
    assert_clean(page)


def test_step_adds_exactly_one_epoch_and_the_slider_replays(page):
    go(page, "playground")
    for expected in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        wait_idle(page, quiet=0.5)
        assert epoch(page) == expected
    slider = page.get_by_role("slider").last
    slider.focus()
    slider.press("ArrowLeft")
    wait_idle(page, quiet=0.5)
    assert epoch(page) == 2  # the network, curves and regions as they were one epoch ago
    assert_clean(page)
