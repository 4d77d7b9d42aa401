"""The Playground in a real browser (pages/ui/components/playground.js): the browser's forward pass agrees with
the engine; Play animates every view at 30 frames a second or more with no Streamlit script run; Step, the replay
slider, a click on a penguin and the keyboard answer in the browser; axe-core finds nothing serious; a setting
changed in the left column starts a new training in the component."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from penguin_core.data import FEATURES
from penguin_core.model import HiddenLayer, ModelSpec
from penguin_core.preparation import DataSpec, prepare
from penguin_core.training import Training
from penguin_core.views import browser
from tests.browser.harness import wait_idle
from tests.browser.test_accessibility import violations
from tests.browser.test_e2e import assert_clean, go, type_number

VIEW = ".pg"
STATUS = ".pg [role=status]"

# Counts what the page says to the server (every script run starts with a message from the browser) and what it
# hears back, with their times; installed before the page's own scripts.
WEBSOCKET_LOG = """(() => {
  const Native = window.WebSocket;
  window.__ws = { sent: [], received: [] };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => window.__ws.received.push(performance.now()));
    }
    send(data) { window.__ws.sent.push(performance.now()); return super.send(data); }
  };
})();"""

# Watches a Play from the page itself, one requestAnimationFrame at a time: how many frames the view drew while
# playing once the browser had every epoch (`have` snapshots), the epochs it showed, Streamlit's script state and
# the websocket's messages meanwhile. The result lands in window.__playProbe when the play stops.
PLAY_PROBE = """(root, have) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const probe = { ticks: 0, drawn: 0, epochs: [], states: [], start: null, allAt: null, end: null, done: false,
                  lastPlaying: null };
  window.__playProbe = probe;
  const observer = new MutationObserver(() =>
    probe.states.push([performance.now(), app.getAttribute("data-test-script-state")]));
  observer.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
  let lastFrame = root.dataset.frame;
  const tick = (now) => {
    const playing = root.dataset.playing === "true";
    if (playing && probe.start === null) probe.start = now;
    if (probe.start !== null) {
      if (probe.allAt === null && Number(root.dataset.have) >= have) probe.allAt = now;
      if (probe.allAt !== null && playing) {
        probe.lastPlaying = now;
        probe.ticks += 1;
        if (root.dataset.frame !== lastFrame) probe.drawn += 1;
        if (!probe.epochs.includes(root.dataset.epoch)) probe.epochs.push(root.dataset.epoch);
      }
      if (!playing) {
        probe.end = now;
        observer.disconnect();
        // what happened while the view played with every epoch at hand (the frame that ends the play sends
        // `shown` and `ended`: not counted)
        const until = probe.lastPlaying === null ? probe.allAt : probe.lastPlaying;
        const between = (times) => times.filter((t) => t > probe.allAt && t < until).length;
        probe.sent = between(window.__ws ? window.__ws.sent : []);
        const settled = probe.states.find(([t, s]) => t >= probe.allAt && s === "notRunning");
        probe.runs = probe.states.filter(([t, s]) => s === "running" && t > (settled ? settled[0] : probe.allAt)
                                         && t < until).length;
        probe.done = true;
        return;
      }
    }
    lastFrame = root.dataset.frame;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

# Every view's state in one look, to tell that each one was drawn again
VIEWS = """(root) => ({
  status: root.querySelector('[role=status]').textContent,
  canvas: root.querySelector('canvas').toDataURL(),
  paints: Number(root.dataset.paints),
  edges: [...root.querySelectorAll('.pg-edges line')].map((l) => l.getAttribute('stroke-width')).join(' '),
  marker: root.querySelector('.pg-marker').getAttribute('x1'),
  matrix: [...root.querySelectorAll('.pg-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')]
    .map((td) => Number(td.textContent))),
  accuracy: root.querySelector('.pg-accuracy').textContent,
  who: root.querySelector('.pg-who').textContent,
})"""

# The element that has the keyboard's focus, through shadow roots
FOCUSED = """() => { let e = document.activeElement; while (e && e.shadowRoot && e.shadowRoot.activeElement)
  e = e.shadowRoot.activeElement; return e ? (e.textContent || e.tagName).trim() : null; }"""


def open_playground(page, query: str = "") -> None:
    """The Playground of a fresh lab (``query``: settings in the address), its views drawn."""
    base = page.url.split("?")[0].rsplit("/", 1)[0]
    page.goto(f"{base}/playground{'?' + query if query else ''}")
    wait_idle(page)
    page.locator(STATUS).first.wait_for(timeout=30_000)


def status(page) -> str:
    return page.locator(STATUS).first.inner_text()


def epoch(page) -> int:
    return int(re.match(r"epoch (\d+)/", status(page)).group(1))


def wait_status(page, pattern: str, timeout: float = 30_000) -> None:
    page.locator(STATUS).filter(has_text=re.compile(pattern)).first.wait_for(timeout=timeout)


def views(page) -> dict:
    return page.locator(VIEW).first.evaluate(VIEWS)


def said(history: list[dict], n: int, total: int = 100) -> str:
    """The status the server would write for epoch ``n`` (Python's formatting)."""
    if n == 0:
        return f"epoch 0/{total} · not trained yet"
    record = history[n - 1]
    return f"epoch {n}/{total} · training loss {record['loss']:.3g} · training accuracy {record['accuracy']:.0%}"


def lesson(standardize: bool = False, epochs: int = 100) -> tuple:
    """The lesson's run trained here, as the server trains it: (data, training)."""
    data = prepare(DataSpec(standardize=standardize))
    training = Training(data, ModelSpec(epochs=epochs))
    for _ in training:
        pass
    return data, training


@pytest.mark.parametrize("spec", [
    (DataSpec(standardize=True), ModelSpec(epochs=40)),
    (DataSpec(standardize=False), ModelSpec(hidden=(HiddenLayer(8, "tanh"), HiddenLayer(6, "elu")), epochs=30)),
    (DataSpec(standardize=True, features=("bill_length_mm", "flipper_length_mm"), categorical=("island", "sex")),
     ModelSpec(hidden=(HiddenLayer(5, "sigmoid"), HiddenLayer(4, "selu"), HiddenLayer(3, "softplus")), epochs=10)),
], ids=["lesson-standardized", "unscaled-tanh-elu", "islands-sigmoid-selu-softplus"])
def test_the_browsers_forward_pass_is_the_engines(page, spec):
    data_spec, model_spec = spec
    data = prepare(data_spec)
    training = Training(data, model_spec)
    for _ in training:
        pass
    network = training.network_now()
    layout, weights = browser.layout(network), browser.weights(network.kernels, network.biases)
    ranges = browser.plane(data)["ranges"]  # a grid over every measurement's range, one-hot inputs 0 and 1
    measured = [f for f in network.features if f in FEATURES]
    per_axis = int(np.ceil((1000 / 2 ** (len(network.features) - len(measured))) ** (1 / len(measured))))
    axes = [np.linspace(*ranges[f], per_axis) if f in FEATURES else np.array([0.0, 1.0]) for f in network.features]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(axes))
    penguins = data.frame.loc[data.X_test.index[:10], list(network.features)].to_numpy(np.float64)
    open_playground(page)
    found = page.evaluate("([layout, weights, grid, penguins]) => ["
                          "window.penguinLabForward(layout, weights, grid).map((layers) => layers[layers.length - 1]),"
                          "window.penguinLabForward(layout, weights, penguins)]",
                          [layout, weights, grid.tolist(), penguins.tolist()])
    assert len(grid) >= 1000
    expected = network.layer_values(grid, dtype=np.float64)[-1]
    np.testing.assert_allclose(np.array(found[0]), expected, rtol=0, atol=1e-9)
    for layer, values in enumerate(network.layer_values(penguins, dtype=np.float64)):
        np.testing.assert_allclose(np.array([row[layer] for row in found[1]]), values, rtol=0, atol=1e-9)


def test_play_animates_every_view_in_the_browser_at_30_frames_a_second_then_keeps_the_run(page):
    page.context.add_init_script(WEBSOCKET_LOG)
    open_playground(page, "std=1")
    assert status(page) == "epoch 0/100 · not trained yet"
    before = views(page)
    root = page.locator(VIEW).first
    root.evaluate(PLAY_PROBE, 101)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => window.__playProbe && window.__playProbe.done", timeout=60_000)
    probe = page.evaluate("() => window.__playProbe")
    seconds = (probe["end"] - probe["allAt"]) / 1000
    fps = probe["drawn"] / seconds
    assert 3 < seconds < 8, probe  # the rest of the 5-second play, after the server's one answer
    assert fps >= 30, f"{probe['drawn']} frames drawn in {seconds:.2f} s: {fps:.1f} a second"
    assert len(probe["epochs"]) >= 80, f"only {len(probe['epochs'])} different epochs shown while playing"
    assert probe["sent"] == 0 and probe["runs"] == 0, \
        f"the page asked the server {probe['sent']} times, {probe['runs']} script runs, while playing"
    wait_status(page, r"^epoch 100/100 · training loss [\d.]+ · training accuracy \d+%$")
    after = views(page)
    assert after["canvas"] != before["canvas"] and after["edges"] != before["edges"]
    assert after["paints"] - before["paints"] >= 80 and after["marker"] != before["marker"]
    assert after["accuracy"].startswith("test accuracy ") and after["accuracy"] != before["accuracy"]
    page.get_by_text(re.compile(r"^Played to its last epoch: run 1 \(playground\) joined your run history\.$")) \
        .wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Play", exact=True).is_disabled()
    go(page, "train")  # the Train page lists it
    page.get_by_role("heading", name=re.compile(r"^Run history \(1 run\)")).wait_for(timeout=30_000)
    page.get_by_text("Results of run 1 (playground)").wait_for(timeout=30_000)
    assert_clean(page)


def test_step_adds_exactly_one_epoch_every_view_follows_and_the_slider_replays(page):
    data, training = lesson(standardize=True)  # unscaled, the early regions are one species everywhere: no change
    open_playground(page, "std=1")
    X_test = data.X_test.to_numpy(np.float64)
    truth = data.y_test.to_numpy().argmax(axis=1)

    def engine_confusion(n):
        predicted = training.network_at(n)[0].layer_values(X_test, dtype=np.float64)[-1].argmax(axis=1)
        matrix = np.zeros((3, 3), int)
        np.add.at(matrix, (truth, predicted), 1)
        return matrix.tolist()

    seen = {0: views(page)}
    assert seen[0]["status"] == said(training.history, 0)
    for n in (1, 2, 3):
        page.get_by_role("button", name="Step", exact=True).click()
        page.locator(STATUS).filter(has_text=said(training.history, n)).wait_for(timeout=30_000)
        page.wait_for_function("([root, n]) => Number(root.dataset.epoch) === n",
                               arg=[page.locator(VIEW).first.element_handle(), n])
        seen[n] = views(page)
        previous = seen[n - 1]
        assert seen[n]["status"] == said(training.history, n)  # exactly one epoch more
        assert seen[n]["paints"] > previous["paints"] and seen[n]["canvas"] != previous["canvas"], "regions"
        assert seen[n]["edges"] != previous["edges"], "the network's weights"
        assert float(seen[n]["marker"]) > float(previous["marker"]), "the curves' marker"
        assert seen[n]["matrix"] == engine_confusion(n), "the confusion matrix"
        assert f"at epoch {n}" in seen[n]["who"]
    slider = page.get_by_role("slider", name="Replay epoch")
    slider.focus()
    slider.press("ArrowLeft")
    page.locator(STATUS).filter(has_text=said(training.history, 2)).wait_for(timeout=10_000)
    replayed = views(page)
    for part in ("status", "canvas", "edges", "marker", "matrix", "accuracy"):
        assert replayed[part] == seen[2][part], f"the {part} replayed at epoch 2 is not the one shown at epoch 2"
    slider.press("Home")
    page.locator(STATUS).filter(has_text=said(training.history, 0)).wait_for(timeout=10_000)
    assert views(page)["canvas"] == seen[0]["canvas"]
    assert_clean(page)


def test_a_click_on_a_penguin_follows_it_through_the_network_and_below(page):
    open_playground(page, "std=1")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_status(page, r"^epoch 1/100 ")
    wait_idle(page)
    marks = page.locator(VIEW).first.evaluate("(root) => root.penguinLabMarks()")
    followed = re.search(r"penguin (\d+)", views(page)["who"]).group(1)

    def alone(m):  # no other penguin within 9 px, so the click cannot land on a neighbour
        return all((o["x"] - m["x"]) ** 2 + (o["y"] - m["y"]) ** 2 > 81 for o in marks if o is not m)

    mark = next(m for m in marks if alone(m) and str(m["row"]) != followed and 10 < m["x"] and 10 < m["y"])
    box = page.locator(".pg canvas").first.bounding_box()
    page.mouse.move(box["x"] + mark["x"], box["y"] + mark["y"])
    page.locator(".pg-tooltip").filter(has_text=f"Penguin {mark['row']} ·").wait_for(timeout=5_000)
    page.locator(".pg-who").filter(has_text=f"penguin {mark['row']} (under the pointer)").wait_for(timeout=5_000)
    page.mouse.click(box["x"] + mark["x"], box["y"] + mark["y"])
    page.mouse.move(box["x"] - 30, box["y"] - 30)  # the pointer leaves: the view follows the clicked penguin
    page.locator(".pg-who").filter(has_text=re.compile(rf"^Values for penguin {mark['row']} at epoch 1")) \
        .wait_for(timeout=5_000)
    page.get_by_text(f"for penguin {mark['row']} (click another penguin").wait_for(timeout=30_000)  # Shapley, below
    assert page.get_by_text(re.compile(r"Shapley values")).count() >= 1
    assert_clean(page)


def test_the_keyboard_plays_pauses_and_steps(page):
    open_playground(page, "std=1")
    for _ in range(120):  # Tab through the page to Play
        if page.evaluate(FOCUSED) == "Play":
            break
        page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Play", "Play is not reachable with Tab"
    page.keyboard.press("Space")
    page.wait_for_function("(root) => root.dataset.playing === 'true' && Number(root.dataset.epoch) >= 3",
                           arg=page.locator(VIEW).first.element_handle(), timeout=30_000)
    assert page.evaluate(FOCUSED) == "Pause"  # Play is disabled while playing: the focus moved to Pause
    page.keyboard.press("Space")
    page.wait_for_function("(root) => root.dataset.playing === 'false'", arg=page.locator(VIEW).first.element_handle())
    paused = epoch(page)
    assert 3 <= paused < 100
    time.sleep(0.3)
    assert epoch(page) == paused, "Pause did not stop at once"
    page.keyboard.press("ArrowRight")
    wait_status(page, rf"^epoch {paused + 1}/100 ")
    for name in ("Play", "Step", "Reset"):  # every button is a button, reachable and named
        assert page.get_by_role("button", name=name, exact=True).count() == 1
    assert_clean(page)


def test_the_playground_passes_axe_after_a_play(page):
    open_playground(page, "std=1")
    page.get_by_role("button", name="Play", exact=True).click()
    wait_status(page, r"^epoch 100/100 ")
    wait_idle(page)
    page.locator(".pg canvas").first.hover(position={"x": 5, "y": 5})
    assert violations(page) == []


def test_a_setting_changed_in_the_left_column_starts_a_new_training(page):
    open_playground(page)
    for n in (1, 2):
        page.get_by_role("button", name="Step", exact=True).click()
        wait_status(page, rf"^epoch {n}/100 ")
    stepped = status(page)
    type_number(page, "Seed", 3)
    wait_status(page, r"^epoch 0/100 · not trained yet$")
    assert page.get_by_role("slider", name="Replay epoch").is_disabled()
    page.get_by_role("button", name="Step", exact=True).click()
    wait_status(page, r"^epoch 1/100 ")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_status(page, r"^epoch 2/100 ")
    assert status(page) != stepped  # another seed, other initial weights, another loss
    assert_clean(page)


def test_a_run_over_the_servers_budget_is_refused_with_why_and_play_stops(page):
    open_playground(page, "hidden=256-relu,256-relu,256-relu,256-relu&batch=1&epochs=5000")
    page.locator(VIEW).get_by_role("button", name="Play", exact=True).click()
    page.get_by_text(re.compile("too big for a shared server")).wait_for(timeout=30_000)
    wait_idle(page)
    assert status(page).startswith("epoch 0/5000")
    assert page.locator(VIEW).get_by_role("button", name="Pause", exact=True).is_disabled()  # not waiting on
    assert page.get_by_text(re.compile("Lower the epochs")).count() == 1


def test_a_reload_mid_run_finds_the_playgrounds_training_and_pause_stops_at_once(page):
    """The issue: reloading the Playground mid-run returned to "epoch 0/100, not trained yet"; Pause at epoch
    31 stopped at 56."""
    open_playground(page, "std=1&epochs=300")
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("(root) => Number(root.dataset.epoch) >= 30",
                           arg=page.locator(VIEW).first.element_handle(), timeout=30_000)
    page.get_by_role("button", name="Pause", exact=True).click()
    page.wait_for_function("(root) => root.dataset.playing === 'false'", arg=page.locator(VIEW).first.element_handle())
    paused = epoch(page)
    time.sleep(0.5)
    assert epoch(page) == paused and paused < 300
    wait_idle(page)
    page.reload()
    wait_idle(page)
    page.locator(STATUS).first.wait_for(timeout=30_000)
    page.wait_for_function("(root) => Number(root.dataset.have) > 1", arg=page.locator(VIEW).first.element_handle(),
                           timeout=30_000)
    assert "not trained yet" not in status(page)
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("(root) => Number(root.dataset.epoch) >= 1", arg=page.locator(VIEW).first.element_handle(),
                           timeout=30_000)
    assert_clean(page)
