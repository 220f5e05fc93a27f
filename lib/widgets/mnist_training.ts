/**
 * Widget "mnist-training" (chapter 04): the chapter's 784-300-10 network trained live in a Worker
 * on a shipped subset of MNIST (the first 5,000 training and 1,000 validation images), on the wasm
 * kernels (or js), with the chapter's settings from its tagged cell; a learning-rate and an epochs
 * control (kept in the URL: `?mnist-lr=0.1&mnist-epochs=2`; `?wasm=simd` or `?wasm=js` forces the
 * kernels), a stop button, the batch losses with their running mean, and the validation loss and
 * accuracy after each epoch beside the notebook's own for the same setting.
 *
 * Its files, beside the bundle that holds it (the report's widgets.js): mnist_worker.js
 * (lib/widgets/mnist_worker.ts bundled), mnist-subset.bin.gz (scripts/export_mnist_subset.ts) and
 * wasm/kernels.json with the builds it names (build/wasm/ as scripts/build_wasm.ts writes it, the
 * manifest renamed).
 *
 * @module
 */

import type { WasmKernels } from "../browser.ts";
import type { MnistStepMath } from "./_mnist_run.ts";
import { canvasContext } from "./_canvas.ts";
import type { MnistWorkerMessage, MnistWorkerStart } from "./mnist_worker.ts";

/** The widget's files, relative to the bundle that holds it. */
export const MNIST_WIDGET_FILES = {
  worker: "mnist_worker.js",
  data: "mnist-subset.bin.gz",
  manifest: "wasm/kernels.json",
} as const;

/** The chapter's settings and its run's numbers, from its tagged cell. */
export interface MnistTrainingParams {
  lr: number;
  batchSize: number;
  epochs: number;
  numTrain: number;
  numValidation: number;
  seed: number;
  /**
   * The notebook's validation scores after the last epoch, trained with trainMlp, and the name of
   * its backend. @default {backend: "openblas"}
   */
  notebook: { evalAccuracy: number; evalLoss: number; backend?: string };
}

/** An epoch's scores in the page. */
export interface MnistEpoch {
  epoch: number;
  evalLoss: number;
  evalAccuracy: number;
  trainSeconds: number;
}

/** What the page (and a test) can read of the widget. */
export interface MnistTrainingState {
  status: "idle" | "loading" | "training" | "done" | "stopped" | "diverged" | "error";
  settings: { lr: number; epochs: number };
  /** The kernels the run trains on, and why faster ones were passed over. */
  kernels: string;
  reasons: string[];
  identity: string;
  losses: number[];
  epochs: MnistEpoch[];
  /** The output layer's update at the latest step that reported it. */
  math: (MnistStepMath & { step: number }) | null;
  message: string;
}

/** The handle `mount` returns. */
export interface MnistTrainingHandle {
  readonly state: MnistTrainingState;
  /** Starts a new run at the controls' settings (stopping one that runs). */
  start(): void;
  /** Stops the run. */
  stop(): void;
}

/** Batches in the running mean drawn over the batch losses. */
const WINDOW = 20;
/** The loss axis' least top: a little above ln 10, the loss of a uniform guess. */
const MIN_TOP = 2.6;
const CURVE = { width: 560, height: 220 };

const TEMPLATE = `<figure class="live-widget">
<figcaption><b>Live.</b> The chapter's network, 784-300-10 with sigmoid hidden units, trained in
this page (in a Worker) by the library's own code: <code>Mlp</code>, <code>BatchLoader</code> and
plain SGD, as <code>trainMlp</code> runs them, on the first <span data-role="num-train"></span>
training images; the validation accuracy is on the first <span data-role="num-validation"></span>
validation images. Change η or the epochs and train again; the link keeps the setting.</figcaption>
<div class="live-controls"><button data-role="start">Train</button>
<button data-role="stop" disabled>Stop</button>
<label>η <input data-role="lr" type="number" step="any" min="0"></label>
<label>epochs <input data-role="epochs" type="number" step="1" min="1" max="20"></label></div>
<p class="live-status" data-role="status"></p>
<canvas data-role="curve" class="live-curve"></canvas>
<p class="live-legend">Each batch's loss (grey dots), their mean over the last ${WINDOW} batches
(red), and the validation loss after each epoch (blue), against the epochs.</p>
<table class="live-epochs"><thead><tr><th>run</th><th>epoch</th><th>validation loss</th>
<th>validation accuracy</th><th>seconds training</th></tr></thead>
<tbody data-role="epoch-rows"></tbody></table>
<div class="live-math" data-role="math"></div>
<div class="live-code"><button data-role="copy">Copy as a notebook cell</button>
<span data-role="copied"></span><pre data-role="code"></pre></div>
</figure>`;

/**
 * Mounts the widget in `element` at the chapter's settings, changed by the page's URL.
 *
 * @param element The element to fill.
 * @param params The chapter's settings and its run's numbers ({@linkcode MnistTrainingParams}).
 * @returns The handle.
 */
export function mount(element: HTMLElement, params: unknown): MnistTrainingHandle {
  const chapter = checkParams(params);
  element.innerHTML = TEMPLATE;
  const find = <T extends HTMLElement>(role: string) =>
    element.querySelector(`[data-role="${role}"]`) as T;
  const [lrInput, epochsInput] = [find<HTMLInputElement>("lr"), find<HTMLInputElement>("epochs")];
  const [startButton, stopButton] = [
    find<HTMLButtonElement>("start"),
    find<HTMLButtonElement>("stop"),
  ];
  find("num-train").textContent = chapter.numTrain.toLocaleString("en-US");
  find("num-validation").textContent = chapter.numValidation.toLocaleString("en-US");
  const query = new URLSearchParams(location.search);
  // checked by the Worker's loader: one it does not know is an error that names the choices
  const kernels = (query.get("wasm") ?? "auto") as WasmKernels;
  const fromUrl = (name: string, fallback: number, valid: (v: number) => boolean) => {
    const value = Number(query.get(name) ?? NaN);
    return query.has(name) && valid(value) ? value : fallback;
  };
  const validLr = (v: number) => Number.isFinite(v) && v > 0;
  const validEpochs = (v: number) => Number.isInteger(v) && v >= 1 && v <= 20;
  lrInput.value = String(fromUrl("mnist-lr", chapter.lr, validLr));
  epochsInput.value = String(fromUrl("mnist-epochs", chapter.epochs, validEpochs));
  const state: MnistTrainingState = {
    status: "idle",
    settings: { lr: Number(lrInput.value), epochs: Number(epochsInput.value) },
    kernels: "",
    reasons: [],
    identity: "",
    losses: [],
    epochs: [],
    math: null,
    message: "",
  };
  let worker: Worker | null = null, frame = 0;
  const redraw = () => frame ||= requestAnimationFrame(() => (frame = 0, draw()));
  const draw = () => {
    const running = state.status === "loading" || state.status === "training";
    startButton.disabled = running;
    stopButton.disabled = !running;
    find("status").textContent = statusLine(state, chapter);
    drawCurve(find<HTMLCanvasElement>("curve"), state, chapter);
    find("epoch-rows").innerHTML = epochRows(state, chapter);
    find("math").innerHTML = stepMath(state.math);
    element.dataset.status = state.status; // what the page shows now
  };
  const finish = (status: MnistTrainingState["status"], message = "") => {
    worker?.terminate();
    worker = null;
    Object.assign(state, { status, message });
    redraw();
  };
  const start = () => {
    const lr = Number(lrInput.value), epochs = Number(epochsInput.value);
    if (!validLr(lr) || !validEpochs(epochs)) {
      return finish(
        "error",
        `η must be above 0 and the epochs from 1 to 20, not ${lr} and ${epochs}`,
      );
    }
    worker?.terminate();
    const url = new URLSearchParams(location.search);
    url.set("mnist-lr", String(lr));
    url.set("mnist-epochs", String(epochs));
    history.replaceState(null, "", `?${url}${location.hash}`);
    Object.assign(state, { status: "loading", settings: { lr, epochs }, losses: [], epochs: [] });
    state.math = null;
    const file = (name: string) => new URL(name, import.meta.url).href;
    worker = new Worker(file(MNIST_WIDGET_FILES.worker), { type: "module" });
    worker.onmessage = ({ data }: MessageEvent<MnistWorkerMessage>) => receive(data);
    worker.onerror = (event) => finish("error", event.message || "the Worker failed to start");
    const message: MnistWorkerStart = {
      settings: { lr, epochs, batchSize: chapter.batchSize, seed: chapter.seed },
      numTrain: chapter.numTrain,
      numValidation: chapter.numValidation,
      kernels,
      manifestUrl: file(MNIST_WIDGET_FILES.manifest),
      dataUrl: file(MNIST_WIDGET_FILES.data),
    };
    worker.postMessage(message);
    redraw();
  };
  const receive = (message: MnistWorkerMessage) => {
    if (message.type === "ready") {
      const { kernels, reasons, identity } = message;
      Object.assign(state, { status: "training", kernels, reasons, identity });
    } else if (message.type === "batch") {
      state.losses.push(message.loss);
      if (message.math) state.math = { ...message.math, step: message.step };
    } else if (message.type === "epoch") state.epochs.push(message);
    else if (message.type === "diverged") {
      return finish("diverged", `diverged at step ${message.step}: ${message.reason}`);
    } else if (message.type === "done") return finish("done");
    else if (message.type === "error") return finish("error", message.message);
    redraw();
  };
  const code = find("code"),
    showCode = () =>
      code.textContent = notebookCell(chapter, Number(lrInput.value), Number(epochsInput.value));
  [lrInput, epochsInput].forEach((input) => input.addEventListener("input", showCode));
  find("copy").addEventListener("click", () => {
    navigator.clipboard.writeText(code.textContent ?? "").then(
      () => (find("copied").textContent = "copied"),
      () => (find("copied").textContent = "the browser did not allow it: select the cell below"),
    );
  });
  showCode();
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", () => finish("stopped"));
  draw();
  element.dataset.state = "ready";
  return { state, start, stop: () => finish("stopped") };
}

/** The chapter's params, checked: an Error names the first field that is not as expected. */
function checkParams(params: unknown): MnistTrainingParams {
  const p = params as MnistTrainingParams;
  const positive = (v: unknown) => typeof v === "number" && v > 0;
  const checks: [string, unknown, (v: unknown) => boolean][] = [
    ["lr", p?.lr, positive],
    ...(["batchSize", "epochs", "numTrain", "numValidation"] as const)
      .map((
        k,
      ): [string, unknown, (v: unknown) => boolean] => [
        k,
        p?.[k],
        (v) => Number.isInteger(v) && positive(v),
      ]),
    ["seed", p?.seed, Number.isSafeInteger],
    ["notebook.evalAccuracy", p?.notebook?.evalAccuracy, (v) => typeof v === "number"],
    ["notebook.evalLoss", p?.notebook?.evalLoss, (v) => typeof v === "number"],
  ];
  for (const [name, value, valid] of checks) {
    if (!valid(value)) {
      throw new TypeError(
        `Expected the widget's params to have a valid ${name} but found ${JSON.stringify(value)}`,
      );
    }
  }
  return p;
}

/** The output layer's update at a step, with its numbers: y − t, then c ← c − η·mean(y − t). */
function stepMath(math: MnistTrainingState["math"]): string {
  if (!math) return "<p>Train to see the output layer's update with the numbers of a step.</p>";
  const { step, lr, target, y, meanError, biasBefore, biasAfter } = math;
  const t = y.map((_, k) => +(k === target));
  const rows = y.map((_, k) =>
    `<tr${k === target ? ' class="live-target"' : ""}><td>${k}</td><td>${
      num(meanError[k])
    }</td><td>${num(biasBefore[k])}</td><td>${num(biasAfter[k])}</td></tr>`
  ).join("");
  return `<p>Step ${step.toLocaleString("en-US")}, the batch's first image, a ${target}. Output
error (Q2): ∂l/∂o = y − t = ${vec(y)} − (${t.join(", ")}) = ${vec(y.map((v, k) => v - t[k]))}.</p>
<p>The output layer's bias steps by the batch's mean error: c ← c − η·mean<sub>batch</sub>(y − t)
with η = ${lr}:</p>
<table><thead><tr><th>k</th><th>mean<sub>batch</sub>(y − t)<sub>k</sub></th>
<th>c<sub>k</sub> before</th><th>c<sub>k</sub> − ${lr}·mean = c<sub>k</sub> after</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

const num = (x: number) =>
  (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4)).replaceAll("-", "−");
const vec = (xs: readonly number[]) => `(${xs.map(num).join(", ")})`;

/** The same run as code for a cell of chapter 04 (its train, validation and FAST). */
function notebookCell(chapter: MnistTrainingParams, lr: number, epochs: number): string {
  return `const liveRun = trainMlp(
  { train: train.head(${chapter.numTrain}), eval: validation.head(${chapter.numValidation}) },
  { lr: ${lr}, seed: ${chapter.seed}, epochs: ${epochs}, batchSize: ${chapter.batchSize}, hidden: [300], backend: FAST },
);
liveRun.epochs.map((e) => ({ epoch: e.epoch, "validation loss": e.evalLoss, "validation accuracy": e.evalAccuracy }));
`;
}

function statusLine(state: MnistTrainingState, chapter: MnistTrainingParams): string {
  const { lr, epochs } = state.settings;
  const changed = [
    ...(lr === chapter.lr ? [] : [`η ${lr}`]),
    ...(epochs === chapter.epochs ? [] : [`${epochs} epochs`]),
  ];
  const setting = changed.length
    ? `changed from the chapter's run: ${changed.join(", ")}`
    : "the chapter's setting";
  const on = state.kernels === "js"
    ? `the js backend${
      state.reasons.length ? ` (the wasm kernels did not run: ${state.reasons.join("; ")})` : ""
    }`
    : state.kernels
    ? `the wasm kernels (${state.kernels === "relaxed" ? "relaxed SIMD" : "plain SIMD"})`
    : "";
  const steps = state.losses.length.toLocaleString("en-US");
  switch (state.status) {
    case "idle":
      return `η ${lr}, batches of ${chapter.batchSize}, ${epochs} epoch${
        epochs === 1 ? "" : "s"
      }, seed ${chapter.seed} (${setting}). Press Train.`;
    case "loading":
      return "Loading the kernels and the images…";
    case "training":
      return `Training on ${on}: step ${steps} · ${setting}`;
    case "done":
      return `Done: ${steps} steps on ${on} · ${setting}`;
    case "stopped":
      return `Stopped at step ${steps}${on ? ` on ${on}` : ""}.`;
    default:
      return `${state.status === "diverged" ? "The run " : "Error: "}${state.message}`;
  }
}

function epochRows(state: MnistTrainingState, chapter: MnistTrainingParams): string {
  const row = (run: string, epoch: number, loss: number, accuracy: number, seconds: string) =>
    `<tr><td>${run}</td><td>${epoch}</td><td>${loss.toFixed(4)}</td><td>${
      Math.round(accuracy * chapter.numValidation)
    } / ${chapter.numValidation} = ${(100 * accuracy).toFixed(2)}%</td><td>${seconds}</td></tr>`;
  const same = state.settings.lr === chapter.lr && state.settings.epochs === chapter.epochs;
  const { backend = "openblas" } = chapter.notebook;
  const notebook = row(
    `the notebook's ${backend.startsWith("openblas") ? "OpenBLAS" : backend} run${
      same ? "" : ` (η ${chapter.lr})`
    }; it differs in the last bits`,
    chapter.epochs,
    chapter.notebook.evalLoss,
    chapter.notebook.evalAccuracy,
    "",
  );
  return state.epochs.map((e) =>
    row("this page", e.epoch, e.evalLoss, e.evalAccuracy, e.trainSeconds.toFixed(2))
  ).join("") + notebook;
}

/** The batch losses (grey), their running mean (red), ln 10 and each epoch's validation loss (blue). */
function drawCurve(
  canvas: HTMLCanvasElement,
  state: MnistTrainingState,
  chapter: MnistTrainingParams,
): void {
  const { width, height } = CURVE, ctx = canvasContext(canvas, width, height);
  const left = 44, right = 40, top = 8, bottom = 24;
  const perEpoch = Math.ceil(chapter.numTrain / chapter.batchSize);
  const total = perEpoch * state.settings.epochs;
  const sx = (step: number) => left + (step / total) * (width - left - right);
  // up to the largest loss (a large rate's first steps reach several times ln 10), at most 8
  const finite = state.losses.filter(Number.isFinite);
  const most = Math.min(8, Math.max(MIN_TOP, Math.ceil(Math.max(0, ...finite))));
  const sy = (loss: number) => top + (1 - Math.min(loss, most) / most) * (height - top - bottom);
  ctx.font = "11px sans-serif";
  ctx.lineWidth = 1;
  ctx.fillStyle = "#666";
  ctx.strokeStyle = "#ddd";
  for (let e = 0; e <= state.settings.epochs; e++) {
    ctx.fillText(`${e}`, sx(e * perEpoch) - 3, height - 8);
    ctx.strokeRect(sx(e * perEpoch), top, 0, height - top - bottom);
  }
  for (let loss = 0; loss <= most; loss += most > 4 ? 1 : 0.5) {
    ctx.fillText(`${loss}`, 4, sy(loss) + 4);
    ctx.strokeRect(left, sy(loss), width - left - right, 0);
  }
  ctx.fillText("epoch", 0, height - 8);
  ctx.fillText("ln 10", width - right + 6, sy(Math.LN10) + 4);
  ctx.setLineDash([4, 3]);
  ctx.strokeStyle = "#999";
  ctx.strokeRect(left, sy(Math.LN10), width - left - right, 0);
  ctx.setLineDash([]);
  ctx.fillStyle = "#bbb";
  state.losses.forEach((loss, i) => ctx.fillRect(sx(i + 1) - 1, sy(loss) - 1, 2, 2));
  ctx.beginPath();
  let sum = 0;
  state.losses.forEach((loss, i) => {
    sum += loss - (i >= WINDOW ? state.losses[i - WINDOW] : 0);
    const mean = sum / Math.min(i + 1, WINDOW);
    i ? ctx.lineTo(sx(i + 1), sy(mean)) : ctx.moveTo(sx(i + 1), sy(mean));
  });
  ctx.strokeStyle = "#d62728";
  ctx.lineWidth = 1.8;
  ctx.stroke();
  ctx.fillStyle = "#1f77b4";
  for (const e of state.epochs) {
    ctx.beginPath();
    ctx.arc(sx(e.epoch * perEpoch), sy(e.evalLoss), 4, 0, 2 * Math.PI);
    ctx.fill();
  }
}
