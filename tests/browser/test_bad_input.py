"""What a careless or hostile learner can do that only a browser can: big files, double clicks, leaving mid-run."""

import re

from tests.browser.harness import wait_idle
from tests.browser.test_e2e import assert_clean, click, go, metric, set_pace, train


def history_size(page):
    """How many runs the Train page says this session's history holds."""
    heading = page.get_by_role("heading", name=re.compile(r"Run history \(\d+ runs?\)")).inner_text()
    return int(re.search(r"\((\d+) run", heading).group(1))


def test_a_file_over_the_upload_limit_is_refused_and_the_model_kept(page, tmp_path):
    train(page)
    wait_idle(page)
    go(page, "predict")
    big = tmp_path / "big.keras"
    big.write_bytes(b"0" * (6 * 1024 * 1024))
    page.get_by_text("Use a model from a .keras file instead").click()
    uploader = page.get_by_role("region", name=re.compile("Upload a .keras model"))
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(big))
    wait_idle(page)
    assert page.get_by_text(re.compile(r"must be 5(\.0)? ?MB or smaller", re.I)).is_visible()
    assert metric(page, "Predicted species") in ("Adelie", "Chinstrap", "Gentoo")
    assert "run 1" in page.get_by_test_id("stSidebar").inner_text()
    assert_clean(page)


def test_clicking_train_twice_quickly_keeps_every_run(page):
    train(page)
    wait_idle(page)
    set_pace(page, "Slow motion (about 5 s)")
    button = page.get_by_role("button", name="Train", exact=True)
    button.click()
    page.get_by_text(re.compile(r"Training run 2: epoch")).wait_for(timeout=30_000)
    button.click()
    wait_idle(page, timeout=90)
    assert_clean(page)
    assert page.get_by_text("Weights fingerprint").is_visible()
    assert history_size(page) == 3  # run 1, run 2 cut short by the second click, run 3


def test_leaving_the_train_page_mid_run_lets_the_training_finish(page):
    """Training runs in the server's queue: another page can be opened meanwhile, and the run is kept whole."""
    train(page)
    wait_idle(page)
    set_pace(page, "Slow motion (about 15 s)")
    click(page, "Train")
    page.get_by_text(re.compile(r"Training run 2: epoch [1-9]")).wait_for(timeout=30_000)
    go(page, "predict")
    assert_clean(page)
    assert metric(page, "Predicted species") in ("Adelie", "Chinstrap", "Gentoo")  # with run 1 meanwhile
    assert "run 2 is training" in page.get_by_test_id("stSidebar").inner_text()
    go(page, "train")
    page.get_by_text("Results of run 2").wait_for(timeout=60_000)
    wait_idle(page)
    assert metric(page, "Epochs") == "100/100" and history_size(page) == 2
