"""Experiments in a real browser: a sweep runs, draws its chart with the spread, and says what it found."""

from tests.browser.harness import wait_idle
from tests.browser.test_e2e import assert_clean, go

POINTS = """() => { const plot = [...document.querySelectorAll('.js-plotly-plot')].find(
    p => p.data && p.data.some(t => t.name === 'test accuracy of each seed'));
  return plot ? plot.data.find(t => t.name === 'test accuracy of each seed').y.length : 0; }"""


def test_a_sweep_runs_and_its_plot_shows_every_seed(page):
    go(page, "sweep")
    page.get_by_label("Setting", exact=True).click()
    page.get_by_role("option", name="standardization").click()
    wait_idle(page, quiet=0.5)
    page.get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Best: standardization on").wait_for(timeout=60_000)
    wait_idle(page)
    page.screenshot(path="tests/screenshots/sweep.png")
    assert page.evaluate(POINTS) == 2 * 3  # two values, three seeds: one dot a run
    assert page.get_by_text("runs, 600 of 600 epochs").count() == 1
    assert_clean(page)
