// The Playground in the browser: every view drawn here from the weights the server hands over, at the
// browser's own pace. Data (penguin_core/lab/playground.py's browser_data, pages/ui/components/playground.py):
//   layout     the network's inputs, sizes, activations and scaling (penguin_core/views/browser.py: layout)
//   training   {number, epochs, step, trained, running, kept, snapshots: {from, epochs, weights},
//               history: {from, records}}: the part of training `number` this browser has not had yet
//   penguins   {rows, part, species, inputs}; plane {ranges, held}; chosen (a row, "predict" or null);
//   predict    the Predict page's penguin as inputs, or null; auto (play at once on a new training); projector
// Triggers back to the server (each reruns only the views' fragment):
//   train   the browser needs epochs not trained yet     resend  it lost what it had of this training
//   ended   played to the last epoch (the run is kept)   chosen  a penguin clicked (its row)
//   shown   the epoch it stopped at (play paused or ended, Step, Reset, the slider let go)
//
// How it is built. The module stays loaded while the page lives; Streamlit calls the default export again with
// every new `data`. What this browser has of a training (`memory`, the protocol above) and each mounted view
// (`views`: its DOM, the plane's axes, the penguin followed) are kept in Maps by the component's key, so a new
// call updates the same DOM (focus and the animation carry on) instead of building it again. One
// requestAnimationFrame loop draws whatever changed: a new epoch repaints the decision regions (a grid of
// GRID x GRID points through the network), the penguins, the network's weights and values, the curves' marker
// and the confusion matrix. Nothing here asks the server anything during a frame, except `train` when Play
// runs past the epochs the browser has (at most every POLL_MS while the server trains). Text that comes from
// the server (names, labels) is always set with textContent.

const memory = new Map();  // per component key: what this browser has of each training, and where it is
const views = new Map();   // per component key: the view drawn (DOM, axes, held values, penguin followed)
const numbersSeen = new Set();  // trainings this page has met (Auto-train plays only a new one)

const GRID = 150;        // the decision regions' grid: GRID x GRID points, every frame the weights change
const MAX_EDGES = 600;   // beyond this many weights, the strongest are drawn
const POLL_MS = 300;     // while the server trains, ask for what arrived at most this often
const FRAME_BUDGET_MS = 12;  // a larger network's regions are painted over several frames within this
const SPECIES_RGB = { Adelie: [255, 140, 0], Chinstrap: [160, 52, 240], Gentoo: [21, 144, 144] };
const POSITIVE = [33, 102, 172], NEGATIVE = [178, 24, 43];
const TRAINING_COLOR = "#1f5fa8", VALIDATION_COLOR = "#c0392b";
const MEASUREMENTS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
const SVG = "http://www.w3.org/2000/svg";

function remember(key, data) {
  let seen = memory.get(key);
  const t = data.training;
  if (!seen || seen.number !== t.number) {
    seen = { number: t.number, epochs: [], weights: [], history: [], epoch: 0, playing: Boolean(data.auto),
             nets: [], fresh: !numbersSeen.has(t.number), steps: 0, waiting: null, endedSent: false, shownSent: 0 };
    if (!seen.fresh) seen.playing = false;  // met before (the view was mounted again): no Auto-train replay
    numbersSeen.add(t.number);
    memory.set(key, seen);
  }
  const s = t.snapshots, h = t.history;
  if (s.from === seen.epochs.length && h.from === seen.history.length) {
    seen.epochs.push(...s.epochs);
    seen.weights.push(...s.weights);
    seen.history.push(...h.records);
  } else if (!(s.from + s.epochs.length === seen.epochs.length && h.from + h.records.length === seen.history.length
               && (s.epochs.length === 0 || seen.epochs[s.from] === s.epochs[0]))) {
    return null;  // not the same part again (a call with the data it had already had): it lost something
  }
  Object.assign(seen, { total: t.epochs, step: t.step, trained: t.trained, running: t.running, kept: t.kept,
                       refused: Boolean(t.refused), serverShown: t.shown });
  return seen;
}

export default function (component) {
  const { data, parentElement, setTriggerValue, key } = component;
  let view = views.get(key);
  if (view) view.calls += 1;
  const seen = remember(key, data);
  if (seen === null) {  // it lost what it had (a new tab of the same session, say): ask for everything again
    memory.delete(key);
    setTriggerValue("resend", true);
    return view ? () => release(view) : undefined;
  }
  if (!view) {
    view = createView(key);
    views.set(key, view);
  }
  if (view.root.parentNode !== parentElement) parentElement.appendChild(view.root);
  view.send = setTriggerValue;
  update(view, data, seen);
  return () => release(view);
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgEl(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function clamp(v, low, high) { return Math.min(high, Math.max(low, v)); }

// Python's format(v, ".3g") (the server's wording of a loss), so the browser and the server read alike.
function formatG(v, precision = 3) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  if (v === 0) return "0";
  const [mantissa, exponentText] = v.toExponential(precision - 1).split("e");
  const exponent = parseInt(exponentText, 10);
  const trim = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exponent < -4 || exponent >= precision) {
    return `${trim(mantissa)}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return trim(v.toFixed(Math.max(0, precision - 1 - exponent)));
}

function percent(v) {  // Python's format(v, ".0%"): halves to even
  const x = v * 100;
  let r = Math.round(x);
  if (x - Math.floor(x) === 0.5 && r % 2 !== 0) r -= 1;
  return `${r}%`;
}

function short(v) {  // a node's value in a few characters
  return Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(0);
}

function niceTicks(low, high, count = 5) {
  const span = high - low;
  if (!(span > 0)) return [low];
  const raw = span / count, power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => span / s <= count) || 10 * power;
  const ticks = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + 1e-9 * step; v += step) ticks.push(+v.toFixed(10));
  return ticks;
}

function tickText(v) { return formatG(v, 6); }

function mix(rgb, strength) {  // a colour at this strength over white
  return rgb.map((c) => Math.round(255 - strength * (255 - c)));
}

function luminance(rgb) {  // WCAG's relative luminance
  const [r, g, b] = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrasts(rgb) {  // [against white text, against near-black text]
  const l = luminance(rgb);
  return [1.05 / (l + 0.05), (l + 0.05) / (luminance([14, 17, 23]) + 0.05)];
}

function inkOn(rgb) {  // white or near-black text, whichever contrasts more with this background
  const [white, dark] = contrasts(rgb);
  return white > dark ? "#ffffff" : "#0e1117";
}

function readable(rgb, strength) {  // the colour at this strength, darker if no text would read on it (4.5:1)
  let s = strength;
  while (s < 1 && Math.max(...contrasts(mix(rgb, s))) < 4.6) s = Math.min(1, s + 0.02);
  return mix(rgb, s);
}

function rgbText(rgb) { return `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`; }

function percentile(sorted, q) {  // numpy's linear percentile of a sorted array
  if (!sorted.length) return 0;
  const at = (sorted.length - 1) * q, low = Math.floor(at), high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

function speciesRgb(name) { return SPECIES_RGB[name] || [128, 128, 128]; }

// ---------------------------------------------------------------------------------------------------------
// The view: built once per mounted component, updated with every new data

function createView(key) {
  const root = el("div", "pg");  // no ids anywhere: the component may be mounted more than once
  const view = {
    key, root, calls: 0, send: () => {}, seen: null, data: null, raf: 0, timers: new Set(), layoutText: "",
    ui: { xf: null, yf: null, held: {}, hover: null, chosen: null, dataChosen: undefined },
    dirty: new Set(), width: 0, painter: null, stats: null, paints: 0, frames: 0,
    outbox: [],  // triggers to send once the frame showing their cause is drawn
  };

  // 1. the header: Play, Pause, Step, Reset, the replay slider, the status
  const bar = el("div", "pg-bar");
  const buttons = el("div", "pg-buttons");
  const button = (label, title, primary) => {
    const b = el("button", primary ? "pg-button pg-primary" : "pg-button", label);
    b.type = "button";
    b.title = title;
    buttons.appendChild(b);
    return b;
  };
  view.playButton = button("Play", "Play the training (Space)", true);
  view.pauseButton = button("Pause", "Pause at the epoch shown (Space)");
  view.stepButton = button("Step", "The next epoch (Right arrow)");
  view.resetButton = button("Reset", "Back to epoch 0: the initial weights the seed gives");
  const replay = el("label", "pg-replay");
  replay.appendChild(el("span", "pg-replay-label", "Replay epoch"));
  view.slider = el("input");
  view.slider.type = "range";
  view.slider.min = "0";
  view.slider.step = "1";
  replay.appendChild(view.slider);
  view.status = el("div", "pg-status");
  view.status.setAttribute("role", "status");
  view.status.setAttribute("aria-live", "polite");
  bar.append(buttons, replay, view.status);
  view.kept = el("p", "pg-kept");
  view.wait = el("p", "pg-wait");
  root.append(bar, view.kept, view.wait);

  // 2. decision regions, 3. the network
  const top = el("div", "pg-top");
  const regions = el("section", "pg-regions");
  regions.setAttribute("aria-label", "Decision regions");
  const axes = el("div", "pg-axes");
  const select = (text) => {
    const label = el("label", "pg-select");
    label.appendChild(el("span", "", text));
    const s = el("select");
    label.appendChild(s);
    axes.appendChild(label);
    return s;
  };
  view.xSelect = select("Horizontal");
  view.ySelect = select("Vertical");
  view.plane = el("div", "pg-plane");
  view.canvas = el("canvas", "pg-canvas");
  view.canvas.setAttribute("role", "img");
  view.tooltip = el("div", "pg-tooltip");
  view.tooltip.setAttribute("aria-hidden", "true");
  view.tooltip.hidden = true;
  view.plane.append(view.canvas, view.tooltip);
  view.heldBox = el("div", "pg-held");
  view.regionsNote = el("p", "pg-note");
  view.marksKey = el("p", "pg-note pg-marks");
  view.noPlane = el("p", "pg-note", "Choose at least two measurements to see the decision regions.");
  regions.append(axes, view.plane, view.heldBox, view.regionsNote, view.marksKey, view.noPlane);
  view.axes = axes;

  const network = el("section", "pg-network");
  network.setAttribute("aria-label", "The network");
  view.who = el("p", "pg-who");
  view.svg = svgEl("svg", { class: "pg-net", role: "img" });
  view.edgesGroup = svgEl("g", { class: "pg-edges" });
  view.nodesGroup = svgEl("g", { class: "pg-nodes" });
  view.labelsGroup = svgEl("g", { class: "pg-labels" });
  view.svg.append(view.edgesGroup, view.nodesGroup, view.labelsGroup);
  view.netNote = el("p", "pg-note");
  network.append(view.who, view.svg, view.netNote);
  top.append(regions, network);

  // 4. training curves, 5. confusion matrix
  const bottom = el("div", "pg-bottom");
  const curves = el("section", "pg-curves");
  curves.setAttribute("aria-label", "Training curves");
  view.curves = svgEl("svg", { class: "pg-curves-svg", role: "img" });
  view.curvesNote = el("p", "pg-note pg-legend");
  curves.append(view.curves, view.curvesNote);
  const matrix = el("section", "pg-matrix");
  matrix.setAttribute("aria-label", "Confusion matrix");
  view.table = el("table", "pg-table");
  view.accuracy = el("p", "pg-accuracy");
  matrix.append(view.table, view.accuracy);
  bottom.append(curves, matrix);
  root.append(top, bottom);

  // What the learner does, all answered here
  view.playButton.addEventListener("click", () => play(view));
  view.pauseButton.addEventListener("click", () => pause(view));
  view.stepButton.addEventListener("click", () => step(view));
  view.resetButton.addEventListener("click", () => reset(view));
  view.slider.addEventListener("input", () => scrub(view));
  view.slider.addEventListener("change", () => rest(view));
  view.xSelect.addEventListener("change", () => chooseAxis(view, "x"));
  view.ySelect.addEventListener("change", () => chooseAxis(view, "y"));
  view.canvas.addEventListener("mousemove", (event) => hover(view, event));
  view.canvas.addEventListener("mouseleave", () => hover(view, null));
  view.canvas.addEventListener("click", (event) => click(view, event));
  root.addEventListener("keydown", (event) => keys(view, event));
  view.curvesSection = curves;
  view.resize = new ResizeObserver(() => {  // a new width: every view laid out again
    const width = Math.round(root.clientWidth), curvesWidth = Math.round(curves.clientWidth);
    if (width && (width !== view.width || curvesWidth !== view.curvesWidth)) {
      view.width = width;
      layoutSizes(view);
      invalidate(view, "all");
    }
  });
  view.resize.observe(root);
  view.resize.observe(curves);
  // For the browser tests and a curious learner's console: where each penguin sits on the canvas (CSS pixels)
  root.penguinLabMarks = () => (view.marks || []).map((m) => ({ row: view.data.penguins.rows[m.p], x: m.x, y: m.y }));
  return view;
}

function release(view) {
  // Streamlit may run this before calling the module again with new data: the view stays unless its host left
  // the page (a new mount is a new key).
  const calls = view.calls;
  later(view, () => {
    if (view.calls === calls && !view.root.isConnected) dispose(view);
  }, 1500);
}

function dispose(view) {
  cancelAnimationFrame(view.raf);
  for (const timer of view.timers) clearTimeout(timer);
  view.timers.clear();
  view.resize.disconnect();
  view.root.remove();
  views.delete(view.key);
  memory.delete(view.key);
}

function later(view, work, ms) {
  const timer = setTimeout(() => { view.timers.delete(timer); work(); }, ms);
  view.timers.add(timer);
  return timer;
}

// A new data: the training (maybe a new one), the layout, the penguins, the penguin chosen
function update(view, data, seen) {
  const newTraining = view.seen !== seen;
  view.data = data;
  view.seen = seen;
  view.root.classList.toggle("pg-projector", Boolean(data.projector));
  const layoutText = JSON.stringify([data.layout, data.plane]);
  if (layoutText !== view.layoutText) {
    view.layoutText = layoutText;
    buildLayout(view);
    if (view.width) layoutSizes(view);  // the network's height follows its number of inputs
  }
  if (data.chosen !== view.ui.dataChosen) {  // the server's choice (the Predict page's penguin, say)
    view.ui.dataChosen = data.chosen;
    view.ui.chosen = data.chosen;
  }
  if (newTraining) {
    view.ui.hover = null;  // the penguins may be others
    view.tooltip.hidden = true;
    view.painter = null;
    view.curvesBuilt = null;
    if (!seen.fresh && seen.epochs.length) {  // mounted again (another page and back): where it stood
      seen.epoch = seen.shownSent = seen.epochs[indexOf(seen, seen.serverShown || 0)];
    }
    if (seen.playing) startClock(view);
  }
  if (seen.kept) seen.endedSent = true;
  answered(view);
  if (view.width === 0) {
    view.width = Math.round(view.root.clientWidth) || 600;
    layoutSizes(view);
  }
  invalidate(view, "all");
}

// ---------------------------------------------------------------------------------------------------------
// Playing, stepping, replaying: all in the browser

function playSeconds(seen) { return Math.min(12, Math.max(4, 0.05 * seen.total)); }
function last(seen) { return seen.epochs[seen.epochs.length - 1]; }
function indexOf(seen, epoch) {  // the index of the kept epoch at or before `epoch`
  let low = 0, high = seen.epochs.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (seen.epochs[mid] <= epoch) low = mid; else high = mid - 1;
  }
  return low;
}
function atEnd(seen) { return seen.epoch >= seen.total; }

function startClock(view) {
  const seen = view.seen;
  seen.clock = { start: performance.now(), from: seen.epoch };
  view.stats = { start: performance.now(), frames: 0, epochs: new Set(), slowest: 0 };
  if (last(seen) < seen.total) askTrain(view, seen.total);  // the rest of the run, before the clock needs it
}

function play(view) {
  const seen = view.seen;
  if (!seen || seen.playing || atEnd(seen) || (seen.refused && last(seen) <= seen.epoch)) return;
  seen.playing = true;
  seen.steps = 0;
  startClock(view);
  invalidate(view, "controls");
}

function pause(view) {
  const seen = view.seen;
  if (!seen || !seen.playing) return;
  stopPlaying(view);
  rest(view);
}

function stopPlaying(view) {
  const seen = view.seen;
  seen.playing = false;
  if (view.stats) {
    const seconds = (performance.now() - view.stats.start) / 1000;
    Object.assign(view.root.dataset, {
      playFps: (view.stats.frames / Math.max(seconds, 1e-3)).toFixed(1), playFrames: view.stats.frames,
      playEpochs: view.stats.epochs.size, playSlowestMs: view.stats.slowest.toFixed(1),
    });
    view.stats = null;
  }
  invalidate(view, "grid");  // a large network's regions were painted coarser while playing
  invalidate(view, "controls");
}

function step(view) {
  const seen = view.seen;
  if (!seen || atEnd(seen) || (seen.refused && last(seen) <= seen.epoch)) return;
  if (seen.playing) stopPlaying(view);
  const i = indexOf(seen, seen.epoch);
  if (i + 1 < seen.epochs.length && seen.steps === 0) {
    show(view, seen.epochs[i + 1]);
    rest(view);
  } else {  // not here yet: the server trains the rest, and the step is taken when it arrives
    seen.steps += 1;
    askTrain(view, nextKept(seen, seen.epoch, seen.steps));
    invalidate(view, "controls");
  }
}

function nextKept(seen, epoch, steps) {  // the epoch `steps` kept epochs after `epoch`
  let e = epoch;
  for (let k = 0; k < steps && e < seen.total; k++) {
    e = Math.min(seen.total, (Math.floor(e / seen.step) + 1) * seen.step);
  }
  return e;
}

function reset(view) {
  const seen = view.seen;
  if (!seen) return;
  if (seen.playing) stopPlaying(view);
  seen.steps = 0;
  show(view, 0);
  rest(view);
}

function scrub(view) {
  const seen = view.seen;
  if (!seen) return;
  if (seen.playing) stopPlaying(view);
  seen.steps = 0;
  show(view, seen.epochs[clamp(parseInt(view.slider.value, 10) || 0, 0, seen.epochs.length - 1)]);
}

function show(view, epoch) {
  const seen = view.seen;
  if (seen.epoch !== epoch) {
    seen.epoch = epoch;
    invalidate(view, "epoch");
  }
}

// The view comes to rest: the server computes what sits below the views for this epoch; at the last epoch of a
// fully trained run it keeps the run (once).
function rest(view) {
  const seen = view.seen;
  if (!seen) return;
  if (seen.epoch !== seen.shownSent) {  // not again for the same epoch: a rerun would also clear the server's message
    seen.shownSent = seen.epoch;
    post(view, "shown", seen.epoch);
  }
  if (atEnd(seen) && seen.trained >= seen.total && !seen.endedSent) {
    seen.endedSent = true;
    post(view, "ended", true);
  }
  invalidate(view, "controls");
}

// A trigger the view does not wait for (shown, ended, chosen) leaves after the frame that draws what caused it:
// Streamlit's own work for a rerun then does not hold that frame back.
function post(view, name, value) {
  view.outbox.push([name, value]);
  schedule(view);
}

function flush(view) {
  if (!view.outbox.length) return;
  const sending = view.outbox;
  view.outbox = [];
  setTimeout(() => { for (const [name, value] of sending) view.send(name, value); }, 0);
}

// Ask the server for epochs up to `needed` (it trains the rest of the run); again every POLL_MS while it trains.
function askTrain(view, needed) {
  const seen = view.seen;
  if (last(seen) >= needed || seen.refused) return;
  const now = performance.now();
  if (!seen.waiting) seen.waiting = { needed, asked: -Infinity, tries: 0, answers: 0, timer: 0 };
  seen.waiting.needed = Math.max(seen.waiting.needed, needed);
  const wait = seen.waiting;
  if (now - wait.asked < POLL_MS) {
    if (!wait.timer) {
      wait.timer = later(view, () => {
        wait.timer = 0;
        if (seen.waiting === wait) askTrain(view, wait.needed);
      }, POLL_MS - (now - wait.asked));
    }
    return;
  }
  wait.asked = now;
  wait.tries += 1;
  wait.sinceAnswer = wait.answers;
  view.send("train", true);
  invalidate(view, "controls");
  // An answer that changed nothing does not call this module again: look again after a while
  const asked = wait.asked;
  later(view, () => {
    if (seen.waiting !== wait || wait.asked !== asked || wait.answers !== wait.sinceAnswer) return;
    if (seen.running || wait.tries < 2) askTrain(view, wait.needed);  // training on, or once more
    else refused(view);
  }, seen.running ? POLL_MS : 2500);
}

// The server answered (this module was called with new data): is what the browser waits for here?
function answered(view) {
  const seen = view.seen, wait = seen.waiting;
  if (seen.steps > 0) {  // a Step taken when its epoch arrives
    const target = nextKept(seen, seen.epoch, seen.steps);
    if (last(seen) >= target) {
      seen.steps = 0;
      show(view, seen.epochs[indexOf(seen, target)]);
      rest(view);
    }
  }
  if (!wait) return;
  if (last(seen) >= wait.needed) {
    seen.waiting = null;
    return;
  }
  if (seen.refused) {  // the server would not train the rest (it says why below the views)
    refused(view);
    return;
  }
  wait.answers += 1;
  if (seen.running) askTrain(view, wait.needed);  // training on: what arrived meanwhile, in POLL_MS
  else if (wait.tries >= 2) refused(view);         // not training, still lacking: the server said why
  else askTrain(view, wait.needed);                 // perhaps an answer from before it heard the ask
}

function refused(view) {
  const seen = view.seen;
  seen.waiting = null;
  seen.steps = 0;
  if (seen.playing) {
    stopPlaying(view);
    rest(view);
  }
  invalidate(view, "controls");
}

function keys(view, event) {
  const target = event.composedPath()[0];
  const tag = target && target.tagName;
  if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;  // theirs
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === " " && tag !== "BUTTON") {  // a focused button answers Space itself
    event.preventDefault();
    if (view.seen && view.seen.playing) pause(view); else play(view);
  } else if (event.key === "ArrowRight") {
    event.preventDefault();
    step(view);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The frame loop

function invalidate(view, what) {
  if (what === "all") ["epoch", "grid", "network", "curves", "controls", "layout"].forEach((w) => view.dirty.add(w));
  else view.dirty.add(what);
  schedule(view);
}

function schedule(view) {
  if (!view.raf) view.raf = requestAnimationFrame((now) => frame(view, now));
}

function frame(view, now) {
  view.raf = 0;
  if (!view.root.isConnected || !view.seen) return;
  const seen = view.seen;
  const started = performance.now();
  if (seen.playing) {
    const rate = seen.total / playSeconds(seen);  // epochs a second
    let due = seen.clock.from + (now - seen.clock.start) / 1000 * rate;
    const have = last(seen);
    if (due > have && have < seen.total) {  // the server has not sent these yet: hold the clock here
      seen.clock = { start: now, from: have };
      due = have;
      if (!seen.waiting) askTrain(view, seen.total);
    }
    show(view, seen.epochs[indexOf(seen, Math.min(due, seen.total))]);
    view.stats.frames += 1;
    view.stats.epochs.add(seen.epoch);
    view.dirty.add("canvas");
    if (atEnd(seen)) {
      stopPlaying(view);
      rest(view);
    }
  }
  if (draw(view)) view.root.dataset.drawnAt = performance.now().toFixed(1);  // for the benchmark
  flush(view);
  if (view.stats) view.stats.slowest = Math.max(view.stats.slowest, performance.now() - started);
  view.frames += 1;
  view.root.dataset.frame = view.frames;
  if (seen.playing || (view.painter && !view.painter.done)) schedule(view);
}

function draw(view) {  // true when something was drawn
  const d = view.dirty;
  if (!d.size) return false;
  view.dirty = new Set();
  const seen = view.seen;
  const epochChanged = d.has("epoch");
  if (d.has("layout")) layoutSizes(view);
  if (epochChanged) {
    view.net = network(view, seen.epoch);
    view.predictions = predictAll(view, view.net);
    view.root.dataset.epoch = seen.epoch;
  }
  if (epochChanged || d.has("grid")) startPaint(view);
  if (view.painter && !view.painter.done) continuePaint(view);
  drawCanvas(view);
  if (epochChanged && view.ui.hover !== null) tooltip(view);
  if (epochChanged || d.has("network")) drawNetwork(view);
  if (epochChanged || d.has("curves")) drawCurves(view);
  if (epochChanged) drawMatrix(view);
  drawControls(view);
  view.root.dataset.chosen = String(view.ui.chosen);
  return true;
}

function network(view, epoch) {
  const seen = view.seen, i = indexOf(seen, epoch);
  if (!seen.nets[i]) seen.nets[i] = makeNetwork(view.data.layout, seen.weights[i]);
  return seen.nets[i];
}

function predictAll(view, net) {  // every penguin's probabilities and predicted species
  const inputs = view.data.penguins.inputs, k = view.data.layout.species.length;
  const all = new Float64Array(inputs.length * k), predicted = new Uint8Array(inputs.length);
  inputs.forEach((x, p) => {
    const probs = probabilities(net, x);
    let best = 0;
    for (let j = 0; j < k; j++) {
      all[p * k + j] = probs[j];
      if (probs[j] > probs[best]) best = j;
    }
    predicted[p] = best;
  });
  return { probabilities: all, predicted };
}

// ---------------------------------------------------------------------------------------------------------
// Layout: what depends on the network's inputs and the penguins

function buildLayout(view) {
  const { layout, plane } = view.data;
  const features = layout.features;
  const measurements = MEASUREMENTS.filter((f) => features.includes(f));
  view.measurements = measurements;
  const ui = view.ui;
  if (!measurements.includes(ui.xf)) {
    ui.xf = measurements.includes("flipper_length_mm") ? "flipper_length_mm" : measurements[0];
  }
  if (!measurements.includes(ui.yf) || ui.yf === ui.xf) {
    ui.yf = measurements.includes("bill_length_mm") && ui.xf !== "bill_length_mm" ? "bill_length_mm"
      : measurements.find((f) => f !== ui.xf);
  }
  ui.held = Object.fromEntries(features.map((f) => [f, plane.held[f] ?? 0]));
  const label = (f) => layout.labels[features.indexOf(f)];
  for (const s of [view.xSelect, view.ySelect]) {
    s.replaceChildren(...measurements.map((f) => {
      const option = el("option", "", label(f));
      option.value = f;
      return option;
    }));
  }
  const enough = measurements.length >= 2;
  view.axes.hidden = view.plane.hidden = view.heldBox.hidden = view.regionsNote.hidden = view.marksKey.hidden = !enough;
  buildMarksKey(view);
  view.noPlane.hidden = enough;
  buildHeld(view);
  buildNetwork(view);
  buildMatrix(view);
  view.curvesBuilt = null;
  view.painter = null;
}

function buildHeld(view) {
  const { layout, plane } = view.data, ui = view.ui;
  view.xSelect.value = ui.xf || "";
  view.ySelect.value = ui.yf || "";
  const sliders = [];
  for (const f of view.measurements) {
    if (f === ui.xf || f === ui.yf) continue;
    const [low, high] = plane.ranges[f];
    const label = el("label", "pg-held-one");
    const text = el("span", "pg-held-text");
    const input = el("input");
    input.type = "range";
    input.min = String(low);
    input.max = String(high);
    input.step = String((high - low) / 200);
    input.value = String(ui.held[f]);
    const name = layout.labels[layout.features.indexOf(f)];
    const say = () => { text.textContent = `${name}, held at ${formatG(ui.held[f], 4)}`; };
    say();
    input.addEventListener("input", () => {
      ui.held[f] = parseFloat(input.value);
      say();
      describePlane(view);
      invalidate(view, "grid");
    });
    label.append(text, input);
    sliders.push(label);
  }
  view.heldBox.replaceChildren(...sliders);
  describePlane(view);
}

function chooseAxis(view, which) {
  const ui = view.ui;
  const chosen = (which === "x" ? view.xSelect : view.ySelect).value;
  const other = which === "x" ? "yf" : "xf";
  if (chosen === ui[other]) ui[other] = ui[which + "f"];  // the same on both axes: they swap
  ui[which + "f"] = chosen;
  buildHeld(view);
  invalidate(view, "grid");
}

function describePlane(view) {
  const { layout } = view.data, ui = view.ui, features = layout.features;
  if (view.measurements.length < 2) return;
  const label = (f) => layout.labels[features.indexOf(f)];
  if (features.length === 2) {
    view.regionsNote.textContent = "The true decision regions: the model has exactly these two inputs.";
  } else {
    const fixed = features.filter((f) => f !== ui.xf && f !== ui.yf && !MEASUREMENTS.includes(f))
      .map((f) => `${label(f)} ${formatG(ui.held[f], 6)}`);
    view.regionsNote.textContent = `A slice through the decision regions: the model's other ${features.length - 2} `
      + `inputs are held at the values shown${fixed.length ? ` (${fixed.join(", ")})` : ""}.`;
  }
  view.canvas.setAttribute("aria-label", `Decision regions of the network: ${label(ui.xf)} across, ${label(ui.yf)} `
    + `up, coloured by the species it predicts (paler where it is less sure), with the `
    + `${view.data.penguins.rows.length} penguins on top.`);
}

// What the colours and marks mean, in one line
function buildMarksKey(view) {
  const key = view.marksKey;
  key.replaceChildren();
  for (const s of view.data.layout.species) {
    const item = el("span", "pg-key");
    const swatch = el("span", "pg-square");
    swatch.style.background = rgbText(speciesRgb(s));
    item.append(swatch, document.createTextNode(s));
    key.appendChild(item);
  }
  const marks = [["●", "training"], ["◆", "test"], ["◯", "predicted wrongly"], ["★", "followed"]];
  for (const [glyph, text] of marks) {
    const item = el("span", "pg-key");
    item.append(el("span", "pg-glyph", glyph), document.createTextNode(text));
    key.appendChild(item);
  }
}

// Sizes in CSS pixels for the current width
function layoutSizes(view) {
  const width = view.width || 600;
  const twoColumns = width >= 560;
  const column = twoColumns ? Math.floor((width - 16) / 2) : width;
  const projector = view.root.classList.contains("pg-projector");
  view.sizes = {
    column, twoColumns, projector,
    canvasWidth: column, canvasHeight: Math.round(clamp(column * 0.66, 200, projector ? 300 : 260)),
    netWidth: column, netHeight: 0,
    curvesWidth: Math.round(view.curvesSection.clientWidth) || (twoColumns ? Math.floor((width - 16) * 0.64) : width),
    curvesHeight: projector ? 185 : 165, font: projector ? 14 : 12,
  };
  view.curvesWidth = view.sizes.curvesWidth;
  const inputs = view.data ? view.data.layout.sizes[0] : 4;  // room for each input's two lines of label
  view.sizes.netHeight = Math.max(view.sizes.canvasHeight + 40, Math.round(inputs * view.sizes.font * 2.5 + 12));
  const dpr = window.devicePixelRatio || 1;
  view.canvas.style.width = `${view.sizes.canvasWidth}px`;
  view.canvas.style.height = `${view.sizes.canvasHeight}px`;
  view.canvas.width = Math.round(view.sizes.canvasWidth * dpr);
  view.canvas.height = Math.round(view.sizes.canvasHeight * dpr);
  view.dpr = dpr;
  const style = getComputedStyle(view.root);
  view.ink = style.color || "#0e1117";
  view.fontFamily = style.fontFamily || "sans-serif";
  view.dirty.add("network").add("curves").add("canvas");
  if (view.data) buildNetwork(view);
  view.curvesBuilt = null;
}

// ---------------------------------------------------------------------------------------------------------
// 2. Decision regions

function plotArea(view) {
  const s = view.sizes, f = s.font;
  const left = Math.round(f * 3.6), bottom = Math.round(f * 2.9);
  return { x: left, y: 6, w: s.canvasWidth - left - 8, h: s.canvasHeight - 6 - bottom };
}

function planeAxes(view) {
  const { layout, plane } = view.data, ui = view.ui;
  const xi = layout.features.indexOf(ui.xf), yi = layout.features.indexOf(ui.yf);
  const [xlo, xhi] = plane.ranges[ui.xf], [ylo, yhi] = plane.ranges[ui.yf];
  return { xi, yi, xlo, xhi, ylo, yhi };
}

// The network on the grid: starts a paint (every point), continued within FRAME_BUDGET_MS per frame if large
function startPaint(view) {
  if (view.measurements.length < 2 || !view.net) return;
  const seen = view.seen;
  const size = gridSize(view);
  if (!view.gridCanvas || view.gridCanvas.width !== size) {
    view.gridCanvas = document.createElement("canvas");
    view.gridCanvas.width = view.gridCanvas.height = size;
  }
  const image = view.gridCanvas.getContext("2d").createImageData(size, size);
  view.painter = { net: view.net, axes: planeAxes(view), size, row: 0, done: false, image,
                   held: view.data.layout.features.map((f) => view.ui.held[f]), msPerRow: view.painter?.msPerRow,
                   colours: view.data.layout.species.map(speciesRgb), prepared: null, epoch: seen.epoch };
  continuePaint(view);
}

function gridSize(view) {  // while playing a large network, fewer points so that a frame stays a frame
  const p = view.painter;
  if (!view.seen.playing || !p || !p.msPerRow) return GRID;
  const perPoint = p.msPerRow / p.size;
  return clamp(Math.floor(Math.sqrt(FRAME_BUDGET_MS / perPoint)), 40, GRID);
}

function continuePaint(view) {
  const p = view.painter, start = performance.now();
  if (!p.prepared) p.prepared = prepareGrid(p);
  const { size, image } = p;
  let rows = 0;
  while (p.row < size) {
    paintRow(p, p.row++);
    rows += 1;
    if (performance.now() - start > FRAME_BUDGET_MS && p.row < size) break;
  }
  const ms = performance.now() - start;
  if (rows) p.msPerRow = ms / rows;
  view.gridCanvas.getContext("2d").putImageData(image, 0, 0);
  if (p.row >= size) {
    p.done = true;
    view.paints += 1;
    view.root.dataset.paints = view.paints;
  }
  view.dirty.add("canvas");
}

// The first layer's sum split into what the held inputs give, what the horizontal and vertical give
function prepareGrid(p) {
  const { net, axes, size, held } = p;
  const first = net.layers[0], n = first.n, m = first.m, sc = net.scaling;
  const std = (k, v) => (sc ? (v - sc.mean[k]) / sc.scale[k] : v);
  const base = new Float64Array(m);
  for (let j = 0; j < m; j++) base[j] = first.bias[j];
  for (let k = 0; k < n; k++) {
    if (k === axes.xi || k === axes.yi) continue;
    const s = std(k, held[k]);
    for (let j = 0; j < m; j++) base[j] += s * first.kernel[k * m + j];
  }
  const across = new Float64Array(size * m), up = new Float64Array(size * m);
  for (let c = 0; c < size; c++) {
    const sx = std(axes.xi, axes.xlo + (c + 0.5) / size * (axes.xhi - axes.xlo));
    const sy = std(axes.yi, axes.yhi - (c + 0.5) / size * (axes.yhi - axes.ylo));  // row 0 at the top
    for (let j = 0; j < m; j++) {
      across[c * m + j] = sx * first.kernel[axes.xi * m + j];
      up[c * m + j] = sy * first.kernel[axes.yi * m + j];
    }
  }
  const widest = Math.max(...net.layers.map((l) => l.m));
  return { base, across, up, a: new Float64Array(widest), b: new Float64Array(widest) };
}

const ACTIVATIONS = {
  relu: (v) => (v > 0 ? v : 0),
  sigmoid: (v) => Math.exp(-logAddExp(0, -v)),
  tanh: Math.tanh,
  elu: (v) => (v > 0 ? v : Math.expm1(Math.min(v, 0))),
  selu: (v) => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * Math.expm1(Math.min(v, 0))),
  softplus: (v) => logAddExp(0, v),
  linear: (v) => v,
};

function paintRow(p, r) {
  const { net, size, image } = p, { base, across, up } = p.prepared;
  const layers = net.layers, first = layers[0], m = first.m, lastLayer = layers.length - 1;
  const colours = p.colours;
  let a = p.prepared.a, b = p.prepared.b;
  const chance = 1 / layers[lastLayer].m;
  for (let c = 0; c < size; c++) {
    let width = m;
    for (let j = 0; j < m; j++) a[j] = base[j] + across[c * m + j] + up[r * m + j];
    if (lastLayer > 0) {
      const f = ACTIVATIONS[first.activation];
      for (let j = 0; j < m; j++) a[j] = f(a[j]);
    }
    for (let l = 1; l <= lastLayer; l++) {
      const layer = layers[l], k = layer.kernel, mm = layer.m, nn = layer.n;
      for (let j = 0; j < mm; j++) {
        let s = 0;
        for (let i = 0; i < nn; i++) s += a[i] * k[i * mm + j];
        b[j] = s + layer.bias[j];
      }
      if (l < lastLayer) {
        const f = ACTIVATIONS[layer.activation];
        for (let j = 0; j < mm; j++) b[j] = f(b[j]);
      }
      const t = a; a = b; b = t;
      width = mm;
    }
    let best = 0;
    for (let j = 1; j < width; j++) if (a[j] > a[best]) best = j;
    let sum = 0;
    for (let j = 0; j < width; j++) sum += Math.exp(a[j] - a[best]);
    const top = 1 / sum;
    const sureness = clamp((top - chance) / (1 - chance), 0, 1), strength = 0.2 + 0.6 * sureness;
    const rgb = colours[best], o = (r * size + c) * 4;
    image.data[o] = Math.round(255 - strength * (255 - rgb[0]));
    image.data[o + 1] = Math.round(255 - strength * (255 - rgb[1]));
    image.data[o + 2] = Math.round(255 - strength * (255 - rgb[2]));
    image.data[o + 3] = 255;
  }
}

function drawCanvas(view) {
  if (view.measurements.length < 2) return;
  const ctx = view.canvas.getContext("2d"), s = view.sizes, area = plotArea(view), dpr = view.dpr;
  const ink = view.ink, font = `${s.font}px ${view.fontFamily}`;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, s.canvasWidth, s.canvasHeight);
  if (view.gridCanvas) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(view.gridCanvas, area.x, area.y, area.w, area.h);
  }
  ctx.strokeStyle = ink;
  ctx.lineWidth = 1;
  ctx.strokeRect(area.x + 0.5, area.y + 0.5, area.w - 1, area.h - 1);
  const axes = planeAxes(view);
  const X = (v) => area.x + (v - axes.xlo) / (axes.xhi - axes.xlo) * area.w;
  const Y = (v) => area.y + area.h - (v - axes.ylo) / (axes.yhi - axes.ylo) * area.h;
  view.toCanvas = { X, Y, area };
  // ticks and titles
  ctx.fillStyle = ink;
  ctx.font = font;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of niceTicks(axes.xlo, axes.xhi, Math.max(3, Math.floor(area.w / 70)))) {
    const x = X(t);
    ctx.fillRect(Math.round(x), area.y + area.h, 1, 4);
    ctx.fillText(tickText(t), x, area.y + area.h + 5);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of niceTicks(axes.ylo, axes.yhi, Math.max(3, Math.floor(area.h / 45)))) {
    const y = Y(t);
    ctx.fillRect(area.x - 4, Math.round(y), 4, 1);
    ctx.fillText(tickText(t), area.x - 6, y);
  }
  const { layout } = view.data, label = (f) => layout.labels[layout.features.indexOf(f)];
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(label(view.ui.xf), area.x + area.w / 2, s.canvasHeight - 1);
  ctx.save();
  ctx.translate(s.font * 0.9, area.y + area.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(label(view.ui.yf), 0, 0);
  ctx.restore();
  // the penguins
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.x, area.y, area.w, area.h);
  ctx.clip();
  const { penguins } = view.data, species = layout.species, pred = view.predictions;
  const marks = [];
  penguins.rows.forEach((row, p) => {
    const x = X(penguins.inputs[p][axes.xi]), y = Y(penguins.inputs[p][axes.yi]);
    marks.push({ x, y, p });
    const rgb = speciesRgb(species[penguins.species[p]]);
    ctx.fillStyle = rgbText(rgb);
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    if (penguins.part[p] === "test") {
      const r = 4.6;
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
    } else {
      ctx.arc(x, y, 3.3, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.stroke();
  });
  if (pred) {
    ctx.strokeStyle = "#111111";
    ctx.lineWidth = 1.5;
    penguins.rows.forEach((row, p) => {
      if (pred.predicted[p] === penguins.species[p]) return;
      ctx.beginPath();
      ctx.arc(marks[p].x, marks[p].y, 7, 0, 2 * Math.PI);
      ctx.stroke();
    });
  }
  const followed = followedInputs(view);
  if (followed) star(ctx, X(followed.x[axes.xi]), Y(followed.x[axes.yi]), 10);
  const hovered = view.ui.hover;
  if (hovered !== null) {
    const x = hovered === "predict" ? view.data.predict : penguins.inputs[hovered];
    if (x) {
      ctx.strokeStyle = "#111111";
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(X(x[axes.xi]), Y(x[axes.yi]), 9, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
  ctx.restore();
  view.marks = marks;
}

function star(ctx, x, y, r) {
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const angle = -Math.PI / 2 + i * Math.PI / 5, radius = i % 2 ? r * 0.45 : r;
    ctx.lineTo(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
  }
  ctx.closePath();
  ctx.fillStyle = "#111111";
  ctx.strokeStyle = "#ffffff";
  ctx.lineWidth = 1.5;
  ctx.fill();
  ctx.stroke();
}

// The penguin followed (clicked, or the first test penguin until one is), or the one under the pointer
function followedInputs(view) {
  const { penguins, predict } = view.data, chosen = view.ui.chosen;
  if (chosen === "predict" && predict) return { x: predict, who: "the Predict page's penguin", p: "predict" };
  let p = chosen === null || chosen === undefined ? -1 : penguins.rows.indexOf(chosen);
  if (p < 0) p = penguins.part.indexOf("test");
  if (p < 0) p = 0;
  return penguins.rows.length ? { x: penguins.inputs[p], who: `penguin ${penguins.rows[p]}`, p } : null;
}

function shownInputs(view) {
  const hovered = view.ui.hover;
  const { penguins, predict } = view.data;
  if (hovered === "predict" && predict) {
    return { x: predict, who: "the Predict page's penguin (under the pointer)", p: "predict" };
  }
  if (hovered !== null && hovered !== "predict") {
    return { x: penguins.inputs[hovered], who: `penguin ${penguins.rows[hovered]} (under the pointer)`, p: hovered };
  }
  return followedInputs(view);
}

function nearest(view, event) {  // the penguin within 8 px of the pointer, or null
  if (!view.marks || !view.toCanvas) return null;
  const box = view.canvas.getBoundingClientRect();
  const x = event.clientX - box.left, y = event.clientY - box.top;
  let best = null, bestDistance = 64;
  const predict = view.ui.chosen === "predict" && view.data.predict;
  if (predict) {
    const axes = planeAxes(view), px = view.toCanvas.X(predict[axes.xi]), py = view.toCanvas.Y(predict[axes.yi]);
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d < bestDistance) { best = "predict"; bestDistance = d; }
  }
  for (const m of view.marks) {
    const d = (m.x - x) ** 2 + (m.y - y) ** 2;
    if (d < bestDistance) { best = m.p; bestDistance = d; }
  }
  return best;
}

function hover(view, event) {
  const found = event ? nearest(view, event) : null;
  view.canvas.style.cursor = found === null ? "default" : "pointer";
  if (found === view.ui.hover) return;
  view.ui.hover = found;
  tooltip(view);
  invalidate(view, "network");
  view.dirty.add("canvas");
}

function tooltip(view) {
  const found = view.ui.hover, tip = view.tooltip;
  if (found === null) {
    tip.hidden = true;
  } else {
    const { penguins, layout, predict } = view.data, species = layout.species;
    const x = found === "predict" ? predict : penguins.inputs[found];
    const probs = probabilities(view.net, x);
    let best = 0;
    probs.forEach((v, j) => { if (v > probs[best]) best = j; });
    const title = found === "predict" ? "The Predict page's penguin"
      : `Penguin ${penguins.rows[found]} · ${species[penguins.species[found]]} (${penguins.part[found]})`;
    const all = species.map((s, j) => `${s} ${percent(probs[j])}`).join(" · ");
    tip.textContent = `${title}\npredicted ${species[best]}: ${all}`;
    tip.hidden = false;
    const axes = planeAxes(view);
    const px = view.toCanvas.X(x[axes.xi]), py = view.toCanvas.Y(x[axes.yi]);
    const left = px > view.sizes.canvasWidth * 0.55;
    tip.style.left = left ? "" : `${px + 12}px`;
    tip.style.right = left ? `${view.sizes.canvasWidth - px + 12}px` : "";
    tip.style.top = `${Math.max(0, py - 40)}px`;
  }
}

function click(view, event) {
  const found = nearest(view, event);
  if (found === null) return;
  const chosen = found === "predict" ? "predict" : view.data.penguins.rows[found];
  if (chosen === view.ui.chosen) return;
  view.ui.chosen = chosen;
  post(view, "chosen", chosen);
  invalidate(view, "network");
  view.dirty.add("canvas");
}

// ---------------------------------------------------------------------------------------------------------
// 3. The network

function measureText(view, text, size) {
  const ctx = view.measure || (view.measure = document.createElement("canvas").getContext("2d"));
  ctx.font = `${size}px ${view.fontFamily || "sans-serif"}`;
  return ctx.measureText(text).width;
}

function buildNetwork(view) {
  if (!view.sizes || !view.data) return;
  const { layout } = view.data, sizes = layout.sizes, s = view.sizes;
  const W = s.netWidth, H = s.netHeight, font = s.font, L = sizes.length;
  view.svg.setAttribute("width", W);
  view.svg.setAttribute("height", H);
  view.svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const pad = 6;
  const tallest = Math.max(...sizes);
  const base = (H - 2 * pad) / tallest;
  const spacing = sizes.map((n) => Math.min((H - 2 * pad) / n, Math.max(base, 46)));
  const radius = spacing.map((sp) => clamp(sp * 0.4, 2, 13));
  const twoLines = spacing[0] >= 2.2 * font;
  const valueWidth = measureText(view, "5555.5 → -0.00", font - 1);
  const leftWidth = Math.max(...layout.labels.map((t) => measureText(view, t, font)), twoLines ? valueWidth : 0)
    + (twoLines ? 0 : measureText(view, " 5555.5", font));
  const rightWidth = Math.max(...layout.species.map((t) => measureText(view, t, font)),
                              measureText(view, "100.0%", font));
  const left = Math.min(leftWidth, W * 0.42) + 6 + radius[0], right = W - rightWidth - 6 - radius[L - 1];
  const xs = sizes.map((_, l) => left + (L > 1 ? l * (right - left) / (L - 1) : 0));
  const nodes = [];
  sizes.forEach((n, l) => {
    for (let i = 0; i < n; i++) {
      const y = H / 2 + (i - (n - 1) / 2) * spacing[l];
      nodes.push({ l, i, x: xs[l], y, r: radius[l] });
    }
  });
  const at = (l, i) => nodes[sizes.slice(0, l).reduce((a, b) => a + b, 0) + i];
  const total = sizes.slice(1).reduce((sum, m, l) => sum + sizes[l] * m, 0);
  const drawn = Math.min(total, MAX_EDGES);
  const lines = [];
  view.edgesGroup.replaceChildren();
  for (let e = 0; e < drawn; e++) {
    const line = svgEl("line", { "stroke-linecap": "round" });
    view.edgesGroup.appendChild(line);
    lines.push(line);
  }
  // every edge: its layer, source, target
  const edges = [];
  for (let l = 0; l + 1 < L; l++) {
    for (let i = 0; i < sizes[l]; i++) for (let j = 0; j < sizes[l + 1]; j++) edges.push({ l, i, j, w: 0 });
  }
  if (total <= MAX_EDGES) {
    edges.forEach((e, k) => {
      const a = at(e.l, e.i), b = at(e.l + 1, e.j);
      const ends = { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
      for (const [name, value] of Object.entries(ends)) lines[k].setAttribute(name, value.toFixed(1));
    });
  }
  view.nodesGroup.replaceChildren();
  view.labelsGroup.replaceChildren();
  const nodeEls = nodes.map((node) => {
    const g = svgEl("g");
    const circle = svgEl("circle", { cx: node.x.toFixed(1), cy: node.y.toFixed(1), r: node.r.toFixed(1),
                                     class: node.r < 4 ? "pg-node pg-node-small" : "pg-node" });
    const title = svgEl("title");
    const text = svgEl("text", { x: node.x.toFixed(1), y: node.y.toFixed(1), class: "pg-node-value",
                                 "font-size": clamp(node.r * 0.72, 7, 10).toFixed(1) });
    g.append(circle, text, title);
    view.nodesGroup.appendChild(g);
    return { circle, text, title, showText: node.r >= 9 };
  });
  const labelEls = [];
  layout.labels.forEach((name, i) => {
    const node = at(0, i), x = node.x - node.r - 6;
    const t = svgEl("text", { x: x.toFixed(1), y: (node.y - (twoLines ? font * 0.55 : 0)).toFixed(1), class: "pg-label",
                              "text-anchor": "end", "font-size": font });
    t.textContent = name;
    const v = svgEl("text", { x: x.toFixed(1), y: (node.y + font * 0.6).toFixed(1), class: "pg-label pg-label-value",
                              "text-anchor": "end", "font-size": font - 1 });
    view.labelsGroup.append(t, v);
    labelEls.push({ name: t, value: v, twoLines, label: name });
  });
  const outEls = layout.species.map((name, i) => {
    const node = at(L - 1, i), x = node.x + node.r + 6;
    const t = svgEl("text", { x: x.toFixed(1), y: (node.y - font * 0.55).toFixed(1), class: "pg-label",
                              "font-size": font });
    t.textContent = name;
    const v = svgEl("text", { x: x.toFixed(1), y: (node.y + font * 0.6).toFixed(1), class: "pg-label pg-label-value",
                              "font-size": font - 1 });
    view.labelsGroup.append(t, v);
    return v;
  });
  view.netShape = { nodes, nodeEls, lines, edges, total, drawn, at, labelEls, outEls };
  const biases = sizes.slice(1).reduce((a, b) => a + b, 0);
  const count = (n) => n.toLocaleString("en-US");
  view.netNote.textContent = (total <= MAX_EDGES ? `Every one of the ${count(total)} weights is drawn`
    : `The ${MAX_EDGES} strongest of ${count(total)} weights are drawn`)
    + `; the ${count(biases)} biases sit in the nodes.`
    + " Blue: positive, red: negative; wider: larger.";
  const hidden = sizes.slice(1, -1).map((n, l) => `${n} ${layout.activations[l]} units`).join(", then ");
  view.svg.setAttribute("aria-label", `The network: ${sizes[0]} inputs, ${hidden || "no hidden layer"}, `
    + `${sizes[L - 1]} outputs (softmax); every weight a line, blue positive, red negative, wider is larger.`);
  view.dirty.add("network");
}

function drawNetwork(view) {
  const shape = view.netShape;
  if (!shape || !view.net) return;
  const { layout } = view.data, net = view.net, sizes = layout.sizes, L = sizes.length;
  // weights
  let k = 0;
  for (let l = 0; l + 1 < L; l++) {
    const kernel = net.layers[l].kernel, m = sizes[l + 1];
    for (let i = 0; i < sizes[l]; i++) for (let j = 0; j < m; j++) shape.edges[k++].w = kernel[i * m + j];
  }
  const magnitudes = Float64Array.from(shape.edges, (e) => Math.abs(e.w)).sort();
  const cap = percentile(magnitudes, 0.95) || 1;
  let drawn = shape.edges;
  if (shape.total > MAX_EDGES) {
    drawn = [...shape.edges].sort((a, b) => Math.abs(b.w) - Math.abs(a.w)).slice(0, MAX_EDGES);
  }
  drawn.forEach((e, n) => {
    const line = shape.lines[n], size = Math.min(Math.abs(e.w) / cap, 1);
    if (shape.total > MAX_EDGES) {
      const a = shape.at(e.l, e.i), b = shape.at(e.l + 1, e.j);
      line.setAttribute("x1", a.x.toFixed(1)); line.setAttribute("y1", a.y.toFixed(1));
      line.setAttribute("x2", b.x.toFixed(1)); line.setAttribute("y2", b.y.toFixed(1));
    }
    line.setAttribute("stroke", rgbText(e.w >= 0 ? POSITIVE : NEGATIVE));
    line.setAttribute("stroke-width", (0.6 + 6.4 * size).toFixed(2));
    line.setAttribute("stroke-opacity", (0.35 + 0.65 * size).toFixed(2));
  });
  const strongest = magnitudes[magnitudes.length - 1] || 1;
  // nodes: bias colour, the penguin's value
  const shown = shownInputs(view);
  const values = shown ? forward(net, shown.x) : null;
  view.who.textContent = shown ? `Values for ${shown.who} at epoch ${view.seen.epoch}`
    + (layout.scaling ? " (inputs: measured → standardized)" : "") : "";
  let n = 0;
  sizes.forEach((size, l) => {
    for (let i = 0; i < size; i++, n++) {
      const { circle, text, title, showText } = shape.nodeEls[n];
      let fill = "#ffffff", hover;
      const value = values ? values[l][i] : null;
      if (l === 0) {
        hover = `${layout.labels[i]}${shown ? `: ${formatG(shown.x[i], 6)}` : ""}`
          + (layout.scaling && values ? ` (standardized ${formatG(value, 3)})` : "");
      } else {
        const bias = net.layers[l - 1].bias[i], strength = 0.35 + 0.25 * Math.min(Math.abs(bias) / strongest, 1);
        fill = rgbText(mix(bias >= 0 ? POSITIVE : NEGATIVE, strength));
        const name = l === L - 1 ? layout.species[i] : `hidden ${l}, unit ${i + 1} (${layout.activations[l - 1]})`;
        hover = `${name}${value === null ? "" : `: ${l === L - 1 ? "probability" : "activation"} ${formatG(value, 4)}`}`
          + ` · bias ${bias >= 0 ? "+" : ""}${bias.toFixed(3)}`;
      }
      circle.setAttribute("fill", fill);
      text.textContent = showText && value !== null ? short(value) : "";
      title.textContent = hover;
    }
  });
  shape.labelEls.forEach((label, i) => {
    const raw = shown ? formatG(shown.x[i], 6) : "";
    const seen = layout.scaling && values ? ` → ${short(values[0][i])}` : "";
    if (label.twoLines) {
      label.value.textContent = shown ? `${raw}${seen}` : "";
    } else {
      label.name.textContent = shown ? `${label.label} ${raw}` : label.label;
      label.value.textContent = "";
    }
  });
  shape.outEls.forEach((t, i) => { t.textContent = values ? `${(values[L - 1][i] * 100).toFixed(1)}%` : ""; });
}

// ---------------------------------------------------------------------------------------------------------
// 4. Training curves

function drawCurves(view) {
  const seen = view.seen, s = view.sizes, history = seen.history;
  const W = s.curvesWidth, H = s.curvesHeight, font = s.font - 1, svg = view.curves;
  const signature = `${W}x${H}:${history.length}:${seen.number}`;
  if (view.curvesBuilt !== signature) {
    view.curvesBuilt = signature;
    buildCurves(view, W, H, font);
  }
  const c = view.curvesShape;
  const upTo = seen.epoch;
  c.panels.forEach((panel) => {
    const x = panel.X(upTo);
    panel.marker.setAttribute("x1", x.toFixed(1));
    panel.marker.setAttribute("x2", x.toFixed(1));
    panel.series.forEach((series) => {
      const n = series.points.findIndex((p) => p.epoch > upTo);
      const strong = n < 0 ? series.points : series.points.slice(0, n);
      series.strong.setAttribute("points", strong.map((p) => p.xy).join(" "));
    });
  });
  svg.setAttribute("aria-label",
                   `Loss and accuracy against epoch, ${history.length} epochs trained, the marker at epoch ${upTo}.`);
}

function buildCurves(view, W, H, font) {
  const seen = view.seen, history = seen.history, total = Math.max(1, seen.total), svg = view.curves;
  svg.replaceChildren();
  svg.setAttribute("width", W);
  svg.setAttribute("height", H);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const gap = 14, panelWidth = (W - gap) / 2;
  const margin = { l: Math.round(font * 3.7), r: 8, t: 6, b: Math.round(font * 2.8) };
  const validation = history.length > 0 && "val_loss" in history[0];
  const step = Math.max(1, Math.ceil(history.length / 400));
  const thinned = history.filter((_, i) => i % step === 0 || i === history.length - 1);
  const panels = [];
  for (const [p, metric] of ["loss", "accuracy"].entries()) {
    const x0 = p * (panelWidth + gap) + margin.l, x1 = p * (panelWidth + gap) + panelWidth - margin.r;
    const y0 = margin.t, y1 = H - margin.b;
    const X = (e) => x0 + (e / total) * (x1 - x0);
    const values = history.flatMap((r) => [r[metric], validation ? r["val_" + metric] : undefined])
      .filter((v) => Number.isFinite(v));
    let low = 0, high = 1, log = false;
    if (metric === "loss") {
      low = values.length ? Math.min(...values) : 0;
      high = values.length ? Math.max(...values) : 1;
      log = low > 0 && high / low > 100;
      if (!log) { low = 0; high = high > 0 ? high * 1.05 : 1; }
    } else {
      high = 1.02;
    }
    const Y = log ? (v) => y1 - (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)) * (y1 - y0)
      : (v) => y1 - (v - low) / (high - low) * (y1 - y0);
    const g = svgEl("g");
    svg.appendChild(g);
    g.appendChild(svgEl("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: "pg-frame" }));
    const text = (x, y, content, attributes = {}) => {
      const t = svgEl("text", { x: x.toFixed(1), y: y.toFixed(1), "font-size": font, class: "pg-axis-text",
                                ...attributes });
      t.textContent = content;
      g.appendChild(t);
    };
    for (const t of niceTicks(0, total, Math.max(3, Math.floor((x1 - x0) / 45)))) {
      g.appendChild(svgEl("line", { x1: X(t), x2: X(t), y1: y1, y2: y1 + 4, class: "pg-tick" }));
      text(X(t), y1 + 5 + font * 0.8, tickText(t), { "text-anchor": "middle" });
    }
    const yTicks = log ? decades(low, high) : niceTicks(low, Math.min(high, metric === "accuracy" ? 1 : high), 4);
    for (const t of yTicks) {
      g.appendChild(svgEl("line", { x1: x0 - 4, x2: x0, y1: Y(t), y2: Y(t), class: "pg-tick" }));
      text(x0 - 6, Y(t) + font * 0.35, tickText(t), { "text-anchor": "end" });
    }
    text((x0 + x1) / 2, H - 2, "epoch", { "text-anchor": "middle" });
    const titleX = (p * (panelWidth + gap) + font * 0.9).toFixed(1), titleY = ((y0 + y1) / 2).toFixed(1);
    text(0, 0, metric === "loss" && log ? "loss (log scale)" : metric,
         { "text-anchor": "middle", transform: `translate(${titleX},${titleY}) rotate(-90)` });
    const series = [];
    for (const [prefix, colour, dash] of [["", TRAINING_COLOR, ""], ["val_", VALIDATION_COLOR, "5 3"]]) {
      if (prefix && !validation) continue;
      const points = thinned.filter((r) => Number.isFinite(r[prefix + metric]))
        .map((r) => ({ epoch: r.epoch,
                       xy: `${X(r.epoch).toFixed(1)},${Y(clamp(r[prefix + metric], low, high)).toFixed(1)}` }));
      const attributes = { fill: "none", stroke: colour, "stroke-width": 2, "stroke-linejoin": "round" };
      if (dash) attributes["stroke-dasharray"] = dash;
      const pale = svgEl("polyline", { ...attributes, "stroke-opacity": 0.25,
                                       points: points.map((q) => q.xy).join(" ") });
      const strong = svgEl("polyline", attributes);
      g.append(pale, strong);
      series.push({ points, strong });
    }
    const marker = svgEl("line", { y1: y0, y2: y1, class: "pg-marker" });
    g.appendChild(marker);
    panels.push({ X, marker, series });
  }
  view.curvesShape = { panels };
  view.curvesNote.replaceChildren();
  const key = (colour, dash, text) => {
    const item = el("span", "pg-key");
    const swatch = el("span", dash ? "pg-swatch pg-dashed" : "pg-swatch");
    swatch.style.borderColor = colour;
    item.append(swatch, document.createTextNode(text));
    view.curvesNote.appendChild(item);
  };
  key(TRAINING_COLOR, false, "training");
  if (validation) key(VALIDATION_COLOR, true, "validation");
  view.curvesNote.appendChild(document.createTextNode(history.length
    ? "Faint: epochs after the one shown (dotted line)." : "No epoch trained yet: Play or Step trains."));
}

function decades(low, high) {
  const ticks = [];
  for (let e = Math.ceil(Math.log10(low)); e <= Math.floor(Math.log10(high)); e++) ticks.push(Math.pow(10, e));
  return ticks.length ? ticks : [low];
}

// ---------------------------------------------------------------------------------------------------------
// 5. Confusion matrix of the test penguins

function buildMatrix(view) {
  const species = view.data.layout.species;
  const table = view.table;
  table.replaceChildren();
  const caption = el("caption", "", "The test penguins: true species against predicted");
  const head = el("thead"), headRow = el("tr");
  const corner = el("th", "pg-corner", "true \\ predicted");
  corner.scope = "col";
  headRow.appendChild(corner);
  for (const s of species) {
    const th = el("th", "", s);
    th.scope = "col";
    headRow.appendChild(th);
  }
  head.appendChild(headRow);
  const body = el("tbody");
  view.cells = species.map((s) => {
    const tr = el("tr"), th = el("th", "", s);
    th.scope = "row";
    tr.appendChild(th);
    const cells = species.map(() => tr.appendChild(el("td")));
    body.appendChild(tr);
    return cells;
  });
  table.append(caption, head, body);
}

function drawMatrix(view) {
  if (!view.predictions || !view.cells) return;
  const { penguins, layout } = view.data, k = layout.species.length;
  const counts = Array.from({ length: k }, () => new Array(k).fill(0));
  let right = 0, tested = 0;
  penguins.part.forEach((part, p) => {
    if (part !== "test") return;
    const truth = penguins.species[p], guess = view.predictions.predicted[p];
    counts[truth][guess] += 1;
    tested += 1;
    if (truth === guess) right += 1;
  });
  const most = Math.max(1, ...counts.flat());
  counts.forEach((row, i) => row.forEach((count, j) => {
    const cell = view.cells[i][j];
    cell.textContent = String(count);
    const size = count / most;
    let background, ink = "#5f6368", className = "pg-zero";
    if (count === 0) {
      background = [250, 250, 250];
    } else {
      background = i === j ? readable([15, 115, 115], 0.3 + 0.7 * size) : readable([178, 24, 43], 0.12 + 0.5 * size);
      className = i === j ? "pg-right" : "pg-wrong";
      ink = inkOn(background);
    }
    cell.className = className;
    cell.style.background = rgbText(background);
    cell.style.color = ink;
    cell.title = `true ${layout.species[i]}, predicted ${layout.species[j]}: ${count}`;
  }));
  view.accuracy.textContent = tested ? `test accuracy ${(100 * right / tested).toFixed(1)}%` : "no test penguins";
}

// ---------------------------------------------------------------------------------------------------------
// 1. The header: buttons, slider, status

function drawControls(view) {
  const seen = view.seen, total = seen.total;
  const record = seen.epoch > 0
    ? seen.history.find((r) => r.epoch === seen.epoch) || seen.history[seen.epoch - 1] : null;
  const status = `epoch ${seen.epoch}/${total}` + (record ? ` · training loss ${formatG(record.loss, 3)}`
    + ` · training accuracy ${percent(record.accuracy)}` : " · not trained yet");
  if (view.status.textContent !== status) view.status.textContent = status;
  view.status.setAttribute("aria-busy", seen.playing ? "true" : "false");
  const kept = seen.kept ? `Played to its last epoch: ${seen.kept} joined your run history.` : "";
  if (view.kept.textContent !== kept) view.kept.textContent = kept;
  view.kept.hidden = !kept;
  const waiting = seen.waiting && last(seen) < seen.waiting.needed && (seen.playing || seen.steps > 0);
  const wait = waiting ? (seen.running ? `The server is training: ${seen.trained}/${total} epochs so far…`
    : "Asking the server to train…") : "";
  if (view.wait.textContent !== wait) view.wait.textContent = wait;
  view.wait.hidden = !wait;
  const slider = view.slider, max = String(seen.epochs.length - 1), value = String(indexOf(seen, seen.epoch));
  if (slider.max !== max) slider.max = max;
  if (slider.value !== value) slider.value = value;
  slider.disabled = seen.epochs.length < 2;
  slider.setAttribute("aria-valuetext", `epoch ${seen.epoch}`);
  const atTheEnd = atEnd(seen);
  const states = [[view.playButton, seen.playing || atTheEnd], [view.pauseButton, !seen.playing],
                  [view.stepButton, atTheEnd]];
  for (const [button, disabled] of states) if (!disabled) button.disabled = false;
  for (const [button, disabled] of states) if (disabled) disable(view, button);
  view.root.dataset.playing = seen.playing ? "true" : "false";
  view.root.dataset.have = seen.epochs.length;
}

// A focused button about to be disabled hands the focus on (Play to Pause and back), so Space keeps working
function disable(view, button) {
  if (button.disabled) return;
  const focused = view.root.getRootNode().activeElement === button;
  button.disabled = true;
  if (focused) {
    const order = button === view.playButton ? [view.pauseButton, view.stepButton, view.resetButton]
      : [view.playButton, view.stepButton, view.resetButton];
    (order.find((b) => !b.disabled) || view.resetButton).focus();
  }
}
