"""A learner's clicks in a real Chromium against `streamlit run app.py`."""

import re
import time

from penguin_core import workflow
from tests.browser.harness import wait_idle

NAV = {entry.url: entry.title for entry in workflow.PAGES}


def go(page, name):
    """Open a page from the sidebar's list; the Instructor's board, which a learner's list leaves out, from
    the Classroom page's link to it."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=NAV[name], exact=True)
    if name == "instructor" and not link.is_visible():
        go(page, "classroom")
        page.get_by_text("Start a class (for an instructor)").click()
        link = page.get_by_role("link", name=re.compile("open its board"))
    link.click()
    wait_idle(page)


def assert_clean(page):
    assert page.locator('[data-testid="stException"]').count() == 0, "a traceback is shown"


def metric(page, label):
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def type_number(page, label, value):
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    wait_idle(page)


def click(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def set_pace(page, pace):
    page.get_by_test_id("stSelectbox").last.click()
    page.get_by_role("option", name=pace).click()
    wait_idle(page)


def train(page, pace=None):
    go(page, "train")
    if pace:
        set_pace(page, pace)
    click(page, "Train")


def loss_points(page):
    """Epochs drawn so far in the live loss curve (0 when there is no chart yet)."""
    return page.evaluate("""() => {
        const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p => p._fullData && p._fullData.some(
            t => (t.name || '').endsWith('training') && t.yaxis === 'y'));
        return plot ? plot._fullData.find(t => t.yaxis === 'y')._length || 0 : 0; }""")


def test_start_page_opens_with_the_problem_and_the_ten_steps(page):
    assert page.get_by_role("heading", name="Penguin Lab").is_visible()
    assert page.get_by_role("link", name="6. Train the model").is_visible()
    assert_clean(page)


def test_every_page_opens_from_the_navigation_without_an_error(page):
    for name in NAV:
        go(page, name)
        assert_clean(page)
        assert page.get_by_test_id("stAlert").filter(has_text="Traceback").count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0, f"error box on {name}"


def test_neuron_page_gives_the_lessons_answer(page):
    go(page, "neuron")
    click(page, "Show me: put the lesson's neuron in the calculator")
    wait_idle(page)
    assert metric(page, "Output") == "1.25"
    page.get_by_label("Your answer").fill("1.25")
    page.get_by_label("Your answer").press("Enter")
    wait_idle(page)
    assert page.get_by_text("Correct!").is_visible()


def test_explore_page_shows_the_pairplot_and_the_scatter_matrix(page):
    go(page, "explore")
    image = page.get_by_role("img", name=re.compile("Pairplot"))
    image.wait_for(state="visible", timeout=30_000)  # the PNG arrives after the page's script has finished
    page.wait_for_function("img => img.complete && img.naturalWidth > 500", arg=image.element_handle(),
                           timeout=30_000)
    page.get_by_role("tab", name="Scatter matrix (interactive)").click()
    page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].some(
        plot => plot.data && plot.data[0].type === 'splom' && plot.querySelector('canvas'))""", timeout=30_000)
    assert_clean(page)


def test_changing_hidden_units_changes_the_parameter_count(page):
    go(page, "architecture")
    assert metric(page, "Trainable parameters") == "?"  # the exercise comes first
    click(page, "Show the count and the summary")
    wait_idle(page)
    assert metric(page, "Trainable parameters") == "83"
    type_number(page, "Layer 1 units", 12)
    assert metric(page, "Trainable parameters") == "99"
    assert page.get_by_test_id("stCode").filter(has_text="Trainable params: 99").count() == 1


def test_training_draws_the_loss_curve_live_then_the_confusion_matrix(page):
    train(page, pace="Slow motion (about 15 s)")
    seen = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not page.get_by_text("Weights fingerprint").count():
        seen.add(loss_points(page))
        time.sleep(0.05)
    wait_idle(page)
    intermediate = {n for n in seen if 0 < n < 100}
    assert len(intermediate) >= 3, f"saw the curve at epochs {sorted(seen)}"
    assert loss_points(page) == 100
    assert "Current model: run 1" in page.get_by_test_id("stSidebar").inner_text()  # progress is up to date
    assert page.get_by_text("Confusion matrix").is_visible()
    assert page.locator(".js-plotly-plot .heatmaplayer").count() == 1
    assert_clean(page)


def test_stop_keeps_a_usable_model(page):
    train(page, pace="Slow motion (about 15 s)")
    page.get_by_text(re.compile(r"Training run 1: epoch [1-9]\d*/100")).wait_for(timeout=30_000)
    time.sleep(1.5)
    click(page, "Stop")
    wait_idle(page)
    stopped = page.get_by_text(re.compile(r"run 1 stopped after (\d+) of 100 epochs"))
    assert stopped.is_visible()
    go(page, "predict")
    assert metric(page, "Predicted species") in ("Adelie", "Chinstrap", "Gentoo")
    assert_clean(page)


def test_moving_a_slider_changes_the_probabilities(page):
    train(page)
    wait_idle(page)
    go(page, "predict")
    bar_texts = page.locator(".js-plotly-plot .bars text")
    bar_texts.first.wait_for()
    before = bar_texts.evaluate_all("texts => texts.map(t => t.textContent)")
    thumb = page.get_by_test_id("stSlider").filter(has_text="Flipper length").get_by_role("slider")
    thumb.focus()
    for _ in range(30):
        thumb.press("ArrowRight")
    wait_idle(page)
    after = bar_texts.evaluate_all("texts => texts.map(t => t.textContent)")
    assert len(after) == 3 and all(t.endswith("%") for t in after) and after != before
    assert_clean(page)


def test_download_the_model_and_upload_it_again(page, tmp_path):
    train(page)
    wait_idle(page)
    fingerprint = re.search(r"[0-9a-f]{8}", page.get_by_text("Weights fingerprint").inner_text()).group()
    go(page, "share")
    with page.expect_download() as download:
        click(page, "Download the model (.keras)")
    path = tmp_path / "mine.keras"
    download.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"

    learner = page.context.browser.new_context(viewport={"width": 1400, "height": 3000}).new_page()
    learner.goto(page.url.split("/share")[0])
    wait_idle(learner)
    go(learner, "predict")
    learner.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    wait_idle(learner)
    assert learner.get_by_text("Loaded mine.keras").is_visible()
    assert metric(learner, "Predicted species") in ("Adelie", "Chinstrap", "Gentoo")
    go(learner, "train")
    assert fingerprint in learner.get_by_text("Weights fingerprint").inner_text()
    learner.context.close()


def test_bad_values_in_the_predictor_get_a_clear_message(page):
    train(page)
    wait_idle(page)
    go(page, "predict")
    page.get_by_text("Type exact values instead of sliders").click()
    wait_idle(page)
    box = page.get_by_label("Body mass (g)")
    for typed, message in [("heavy", "must be a number, got 'heavy'"), ("-3", "must be above 0"),
                           ("1e12", "at most 100000 g"), ("nan", "finite number")]:
        box.fill(typed)
        box.press("Enter")
        wait_idle(page)
        assert page.get_by_text(message).is_visible(), typed
        assert_clean(page)
    assert "run 1" in page.get_by_test_id("stSidebar").inner_text()
