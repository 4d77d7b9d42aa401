"""What a projector and a laptop show, at 1400×1000 and 1280×720 with the sidebar open and folded, and on a
390×844 phone: nothing slides under Streamlit's top bar, no text is cut, every chosen input shows, a learner's
list of pages has no Instructor's board."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.harness import wait_idle

SIZES = [(1400, 1000), (1280, 720)]

# Text the page cuts: an input whose value is wider than its box, a chip of a multiselect outside its box or
# shortened, any element with hidden overflow whose text is wider than it.
CUT = """() => {
  const cut = [];
  const main = document.querySelector('[data-testid=stMain]');
  for (const input of main.querySelectorAll('input')) {
    if (input.type !== 'checkbox' && input.type !== 'radio' && input.clientWidth > 0
        && input.scrollWidth > input.clientWidth + 1) cut.push('input: ' + input.value);
  }
  for (const select of main.querySelectorAll('[data-testid=stMultiSelect]')) {
    const box = select.querySelector('[data-testid=stMultiSelectTagsContainer]').parentElement.getBoundingClientRect();
    for (const chip of select.querySelectorAll('[data-testid=stMultiSelectTagsContainer] span[title]')) {
      const r = chip.getBoundingClientRect();
      if (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.width === 0) cut.push('chip: ' + chip.title);
    }
    for (const text of select.querySelectorAll('[data-testid=stMultiSelectTagsContainer] span span'))
      if (text.scrollWidth > text.clientWidth + 1) cut.push('chip text: ' + text.textContent);
  }
  for (const el of main.querySelectorAll('p, span, label, button, div')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el);
    if ((style.overflowX === 'hidden' || style.textOverflow === 'ellipsis') && el.scrollWidth > el.clientWidth + 1)
      cut.push('text: ' + el.textContent.trim().slice(0, 50));
  }
  return cut;
}"""


def fold_sidebar(page):
    button = page.locator('[data-testid="stSidebarCollapseButton"] button')
    if button.count() and button.get_attribute("aria-expanded") == "true":
        page.get_by_test_id("stSidebar").hover()
        button.click(force=True)
    page.get_by_test_id("stExpandSidebarButton").wait_for(timeout=10000)
    time.sleep(0.5)


def open_at(chromium, url, size, path):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{url}/{path}")
    wait_idle(page)
    return context, page


def below_the_top_bar(page, locator) -> None:
    """``locator`` starts below Streamlit's top bar, and a click at its centre reaches it, not the bar."""
    bar = page.get_by_test_id("stHeader").bounding_box()
    box = locator.bounding_box()
    assert box["y"] >= bar["y"] + bar["height"] - 1, (box, bar)
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('[data-testid=stHeader]') !== null",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert not hit


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_with_the_sidebar_folded_nothing_slides_under_the_top_bar(chromium, app_server, size):
    """The issue: the Playground's title and Play/Pause/Step/Reset slid under the top bar with the sidebar
    folded (the first thing an instructor does on a projector), and a click on Play hit the bar; projector
    mode cut the Train page's title."""
    context, page = open_at(chromium, app_server[1], size, "playground")
    try:
        fold_sidebar(page)
        page.locator(".pg").get_by_role("button", name="Play").wait_for(timeout=30000)
        below_the_top_bar(page, page.get_by_role("heading", name="Playground"))
        below_the_top_bar(page, page.locator(".pg").get_by_role("button", name="Play"))
        page.screenshot(path=str(SCREENSHOTS / f"playground-folded-{size[0]}x{size[1]}.png"))
        page.goto(f"{app_server[1]}/train?projector=1")
        wait_idle(page)
        below_the_top_bar(page, page.get_by_role("heading", name="Train, evaluate, tune"))
        page.screenshot(path=str(SCREENSHOTS / f"train-projector-folded-{size[0]}x{size[1]}.png"))
    finally:
        context.close()


@pytest.mark.parametrize("folded", [False, True], ids=["sidebar-open", "sidebar-folded"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_is_cut_and_every_chosen_input_shows(chromium, app_server, size, folded):
    """The issue: three chips of four and "Body mass (g)" hidden, "re" for relu, "As fast as possi", "Run the
    sw...", the sweep's setting cut, at 1280×720."""
    context, page = open_at(chromium, app_server[1], size, "")
    try:
        if folded:
            fold_sidebar(page)
        for path in ("prepare", "architecture", "train", "train?projector=1", "playground", "sweep"):
            page.goto(f"{app_server[1]}/{path}")
            wait_idle(page)
            page.locator("[data-testid=stMain] input").first.wait_for()  # the settings drawn
            time.sleep(0.5)
            assert page.evaluate(CUT) == [], path
        page.screenshot(path=str(SCREENSHOTS / f"sweep-{size[0]}x{size[1]}-{'folded' if folded else 'open'}.png"))
    finally:
        context.close()


def test_on_a_phone_no_chart_toolbar_covers_a_title(chromium, app_server):
    context, page = open_at(chromium, app_server[1], (390, 844), "train")
    try:
        page.get_by_role("button", name="Train", exact=True).click()
        page.locator(".js-plotly-plot").last.wait_for(timeout=30000)
        wait_idle(page)
        chart = page.locator(".js-plotly-plot").last
        chart.hover()  # a touch on a phone is a hover: it brought the toolbar up over the chart's title
        time.sleep(0.5)
        covered = page.evaluate("""(chart) => {
          const bar = chart.querySelector('.modebar'), title = chart.querySelector('.xtitle');
          if (!bar || !title) return false;
          const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
          const shown = getComputedStyle(bar).opacity !== '0' && getComputedStyle(bar.parentElement).display !== 'none'
                        && a.width > 0;
          return shown && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        }""", chart.element_handle())
        assert not covered, "the chart's toolbar covers its title"
        page.screenshot(path=str(SCREENSHOTS / "train-phone-390x844.png"), full_page=True)
    finally:
        context.close()


def test_a_learners_list_of_pages_has_no_instructors_board(page, app_server):
    nav = page.get_by_test_id("stSidebarNav")
    assert nav.get_by_role("link", name="Classroom").is_visible()
    assert not nav.get_by_role("link", name="Instructor's board").is_visible()
