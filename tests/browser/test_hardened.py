"""What only a real server and browser show: where the server listens, the queue's place in line, and a
hostile run name that stays text in the page."""

from pathlib import Path

from tests.browser.harness import free_port, server, start_server, stop_server, wait_idle
from tests.browser.test_e2e import assert_clean, go


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_a_self_learners_lab_listens_on_this_computer_only():
    port = free_port()
    process, _ = start_server(port, address=None)  # the repository's config decides
    try:
        addresses = listening_addresses(port)
    finally:
        stop_server(process)
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1
    assert addresses and addresses <= loopback, addresses


def test_a_learner_waits_in_line_when_the_trainers_are_busy(chromium):
    with server(env={"PENGUIN_TRAINING_SLOTS": "1"}) as (_, url):
        busy = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        waiting = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        for page in (busy, waiting):
            page.goto(url + "/architecture")
            wait_idle(page)
        for label, value in (("Layer 1 units", 256), ("Epochs", 5000)):  # about 10 s of the only trainer
            box = busy.get_by_label(label, exact=True)
            box.fill(str(value))
            box.press("Enter")
            wait_idle(busy)
        go(busy, "train")
        go(waiting, "train")
        busy.get_by_role("button", name="Train", exact=True).click()
        busy.get_by_text("Training run 1").wait_for(timeout=30_000)
        waiting.get_by_role("button", name="Train", exact=True).click()
        waiting.get_by_text("number 1 in line").wait_for(timeout=30_000)
        busy.get_by_role("button", name="Stop", exact=True).click()
        waiting.get_by_text("Weights fingerprint").wait_for(timeout=60_000)
        assert_clean(waiting)
        busy.context.close()
        waiting.context.close()


def test_a_hostile_run_name_in_an_uploaded_file_stays_text(page, tmp_path):
    from penguin_core.training import train
    from penguin_core.model import ModelSpec
    from penguin_core.preparation import DataSpec, prepare
    from penguin_core.sharing import model_bytes
    from tests.test_uploads import archive, members

    run = train(prepare(DataSpec()), ModelSpec(epochs=3))
    run.name = "![x](http://e.vl/a.png) [log in](http://e.vl)"[:40]
    parts = members(model_bytes(run))
    path = tmp_path / "shared.keras"
    path.write_bytes(archive(parts))
    go(page, "predict")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("Loaded shared.keras").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator('img[src*="e.vl"]').count() == 0 and page.locator('a[href*="e.vl"]').count() == 0
    main = page.locator(".stMainBlockContainer")  # the sidebar names the current model too ("Current model: …")
    shown = main.get_by_test_id("stCaptionContainer").filter(has_text="Model:").inner_text()
    assert f"Model: {run.name[:29].strip()} (uploaded)" in shown.replace("\u200b", "")  # exactly as written
    sidebar = page.get_by_test_id("stSidebar").inner_text().replace("\u200b", "")
    assert f"Current model: {run.name[:29].strip()} (uploaded)" in sidebar  # at once, without another run
    assert_clean(page)
