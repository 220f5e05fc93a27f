/**
 * Widget "scalar-training" (chapter 03): the 2-H-2 network trained live in the page by the
 * library's own code, on the chapter's data, with start, pause and step; knobs for η, the hidden
 * size and the seed, kept in the page's URL (`?lr=0.03&hidden=3&seed=0`); the update of the last
 * step with its numbers; each epoch's validation loss and accuracy; the same run as a notebook
 * cell. At the chapter's settings its numbers are the chapter's run, bit for bit.
 *
 * @module
 */

import { drawLossCurve, drawPlane } from "./_scalar_plots.ts";
import { ScalarRun, type ScalarRunSettings } from "./_scalar_run.ts";

/** What the page (and a test) can reach of a mounted widget. */
export interface ScalarTrainingHandle {
  /** The current run. */
  readonly run: ScalarRun;
}

/** The knobs: their URL names, the settings they set, and what a value must be. */
const KNOBS = [
  { name: "lr", key: "lr", label: "η", valid: (v: number) => Number.isFinite(v) && v > 0 },
  {
    name: "hidden",
    key: "numHiddens",
    label: "hidden units",
    valid: (v: number) => isInt(v, 1, 64),
  },
  { name: "seed", key: "seed", label: "seed", valid: (v: number) => isInt(v, 0, 2 ** 31) },
] as const;
/** Steps a frame when "as many as fit" is chosen: a slice, then the clock is read. */
const SLICE = 500;
/** Milliseconds of training a frame at that speed. */
const FRAME_MS = 12;

function isInt(v: number, min: number, max: number): boolean {
  return Number.isInteger(v) && v >= min && v <= max;
}

const TEMPLATE = `<figure class="live-widget">
<figcaption><b>Live.</b> The run above, trained in this page by the library's own code (the same
data, start, order and steps, through <code>ScalarNetwork</code>'s forward, backward and
<code>sgdStep</code>): at the chapter's settings its numbers equal <code>trainScalar</code>'s, bit for
bit. Change η, the hidden units or the seed to train another; the link keeps the setting.</figcaption>
<div class="live-controls">
<button data-role="start">Start</button><button data-role="step">Step</button>
<button data-role="reset">Reset</button>
${
  KNOBS.map((k) =>
    `<label>${k.label} <input data-role="${k.name}" type="number" step="any"></label>`
  ).join("")
}
<label>speed <select data-role="speed"><option value="1">1 step</option>
<option value="10">10 steps</option><option value="100" selected>100 steps</option>
<option value="1000">1,000 steps</option><option value="0">as fast as it goes</option></select> a frame</label>
</div>
<p class="live-status" data-role="status"></p>
<div class="live-views"><canvas data-role="plane" class="live-plane"></canvas>
<div><canvas data-role="curve" class="live-curve"></canvas><table class="live-epochs">
<thead><tr><th>epoch</th><th>validation loss</th><th>validation accuracy</th></tr></thead>
<tbody data-role="epochs"></tbody></table></div></div>
<div class="live-math" data-role="math"></div>
<div class="live-code"><button data-role="copy">Copy as a notebook cell</button>
<span data-role="copied"></span><pre data-role="code"></pre></div>
</figure>`;

/**
 * Mounts the widget in `element`, at the settings of chapter 03's tagged cell, changed by the
 * page's URL where it names a knob.
 *
 * @param element The element to fill.
 * @param params The chapter's settings (numTrain, numValidation, dataSeed, lr, numHiddens, seed,
 *   epochs), as its tagged cell displayed them.
 * @returns The handle to the running widget.
 */
export function mount(element: HTMLElement, params: unknown): ScalarTrainingHandle {
  const chapter = checkSettings(params);
  element.innerHTML = TEMPLATE;
  const find = <T extends HTMLElement>(role: string) =>
    element.querySelector(`[data-role="${role}"]`) as T;
  const [start, status, math, code] = ["start", "status", "math", "code"].map(find);
  const plane = find<HTMLCanvasElement>("plane"), curve = find<HTMLCanvasElement>("curve");
  const speed = find<HTMLSelectElement>("speed"), epochs = find("epochs");
  const inputs = KNOBS.map((k) => find<HTMLInputElement>(k.name));
  const query = new URLSearchParams(location.search);
  const settings = { ...chapter };
  KNOBS.forEach((knob, i) => {
    const value = Number(query.get(knob.name) ?? NaN);
    if (query.has(knob.name) && knob.valid(value)) settings[knob.key] = value;
    inputs[i].value = String(settings[knob.key]);
  });
  let run = new ScalarRun(settings);
  const data = run.data; // the knobs change the run, not the data
  let running = false;

  const draw = () => {
    drawPlane(plane, run);
    drawLossCurve(curve, run);
    const { numTrain } = run.settings;
    const epoch = Math.min(run.settings.epochs, Math.floor(run.step / numTrain) + 1);
    const changed = KNOBS.filter((k) => run.settings[k.key] !== chapter[k.key])
      .map((k) => `${k.label} ${run.settings[k.key]}`);
    status.textContent = `epoch ${epoch} of ${run.settings.epochs} · step ${
      run.step.toLocaleString("en-US")
    } of ${run.total.toLocaleString("en-US")} · ${
      changed.length ? `changed from the chapter's run: ${changed.join(", ")}` : "the chapter's run"
    }${run.step === run.total ? " · done" : running ? " · training" : ""}`;
    epochs.innerHTML = run.epochs.map((e) =>
      `<tr><td>${e.epoch}</td><td>${e.loss}</td><td>${
        Math.round(e.accuracy * run.settings.numValidation)
      } / ${run.settings.numValidation} = ${(100 * e.accuracy).toFixed(2)}%</td></tr>`
    ).join("");
    math.innerHTML = stepMath(run);
  };
  let pending = 0; // the frame requested, if running: one at a time
  const setRunning = (on: boolean) => {
    running = on && run.step < run.total;
    start.textContent = running ? "Pause" : "Start";
    cancelAnimationFrame(pending);
    if (running) pending = requestAnimationFrame(frame);
    draw();
  };
  const frame = () => {
    const count = Number(speed.value), until = performance.now() + FRAME_MS;
    if (count > 0) run.advance(count);
    else do run.advance(SLICE); while (performance.now() < until && run.step < run.total);
    setRunning(true);
  };
  const restart = () => {
    run = new ScalarRun(settings, data);
    code.textContent = notebookCell(settings);
    setRunning(false);
  };

  start.addEventListener("click", () => setRunning(!running));
  find("step").addEventListener("click", () => {
    run.advance(1);
    setRunning(false);
  });
  find("reset").addEventListener("click", restart);
  inputs.forEach((input, i) =>
    input.addEventListener("change", () => {
      const knob = KNOBS[i], value = Number(input.value);
      input.setCustomValidity(knob.valid(value) ? "" : `${knob.label}: not ${input.value}`);
      if (!knob.valid(value)) return void input.reportValidity();
      settings[knob.key] = value;
      const url = new URLSearchParams(location.search);
      KNOBS.forEach((k) => url.set(k.name, String(settings[k.key])));
      history.replaceState(null, "", `?${url}${location.hash}`);
      restart();
    })
  );
  find("copy").addEventListener("click", () => {
    const copied = find("copied");
    navigator.clipboard.writeText(code.textContent ?? "").then(
      () => (copied.textContent = "copied"),
      () => (copied.textContent = "the browser did not allow it: select the cell below"),
    );
  });
  restart();
  element.dataset.state = "ready";
  return {
    get run() {
      return run;
    },
  };
}

/** The update of the run's last step, with its numbers: y − t, ∂l/∂V's rows, V's step. */
function stepMath(run: ScalarRun): string {
  const last = run.last;
  if (!last) return "<p>Step once to see the update of a step with its numbers.</p>";
  const { pass, dV, vBefore, index } = last;
  const lr = run.settings.lr;
  const error = pass.y.map((y, m) => y - (m === pass.target ? 1 : 0));
  const rows = pass.h.map((h, j) =>
    `<tr><td>${j + 1}</td><td>${num(h)}</td><td>${vec(dV[j])}</td><td>${vec(vBefore[j])}</td><td>${
      vec(run.network.V[j])
    }</td></tr>`
  ).join("");
  return `<p>Step ${(index + 1).toLocaleString("en-US")}: the point x = ${
    vec(pass.x)
  }, class t = ${pass.target}, loss l = ${num(pass.loss)}.</p>
<p>Output error (Q2): y − t = ${vec(pass.y)} − (${
    pass.y.map((_, m) => +(m === pass.target)).join(", ")
  })
= ${vec(error)}.</p>
<p>The last layer's gradient, row j: ∂l/∂V<sub>j</sub> = h<sub>j</sub>·(y − t); its step
V ← V − η·∂l/∂V with η = ${lr}:</p>
<table><thead><tr><th>j</th><th>h<sub>j</sub></th><th>∂l/∂V<sub>j</sub> = h<sub>j</sub>·(y − t)</th>
<th>V<sub>j</sub> before</th><th>V<sub>j</sub> − ${lr}·∂l/∂V<sub>j</sub></th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function num(x: number): string {
  const shown = x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4);
  return shown.replaceAll("-", "−");
}

function vec(xs: readonly number[]): string {
  return `(${xs.map(num).join(", ")})`;
}

/** The same run as code for a notebook cell of chapter 03. */
function notebookCell(s: ScalarRunSettings): string {
  return `import { loadSynth, trainScalar } from "../lib/mod.ts";
const liveData = loadSynth({ numTrain: ${s.numTrain}, numValidation: ${s.numValidation}, seed: ${s.dataSeed} });
const liveRun = await trainScalar(liveData.train, liveData.validation, {
  numHiddens: ${s.numHiddens},
  epochs: ${s.epochs},
  lr: ${s.lr},
  seed: ${s.seed},
});
liveRun.epochs.map((e) => ({ epoch: e.epoch, "validation loss": e.evalLoss, "validation accuracy": e.evalAccuracy }));
`;
}

/** The settings of the chapter's tagged cell: its fields numbers, the knobs' within their range. */
function checkSettings(params: unknown): ScalarRunSettings {
  const p = (params ?? {}) as Record<string, number>;
  const keys = ["numTrain", "numValidation", "dataSeed", "lr", "numHiddens", "seed", "epochs"];
  const wrong = keys.filter((key) =>
    typeof p[key] !== "number" || !(KNOBS.find((k) => k.key === key)?.valid(p[key]) ?? true)
  );
  if (wrong.length > 0) {
    throw new TypeError(
      `Expected the widget's params to hold ${keys.join(", ")} as chapter 03's settings but ` +
        `found ${wrong.map((key) => `${key} ${JSON.stringify(p[key])}`).join(", ")}`,
    );
  }
  return p as unknown as ScalarRunSettings;
}
