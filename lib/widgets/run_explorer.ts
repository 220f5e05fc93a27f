/// <reference lib="dom" />
/**
 * The run explorer: the stored runs of a chapter's grids, chosen by grid, learning rate and seed,
 * with no training. It draws the chosen run's batch loss (the chapter's running mean) beside the
 * other seeds of its rate, and its epochs' training and validation losses, and states its final
 * numbers: the chapter's own, exported from data/results/ when the report is built
 * (scripts/export_runs.ts). The choice lives in the page's URL (`?grid=…&lr=…&seed=…`).
 *
 * @module
 */

import * as Plot from "@observablehq/plot";

/** One stored run, as scripts/export_runs.ts writes it. */
export interface ExploredRun {
  lr: number;
  seed: number;
  diverged: { step: number; epoch: number; reason: string } | null;
  /** [step, running mean of the batch loss] at evenly spaced steps. */
  curve: [number, number][];
  epochs: {
    epoch: number;
    trainLoss: number;
    trainEvalLoss: number;
    evalLoss: number;
    evalAccuracy: number;
  }[];
}

/** One stored grid, as scripts/export_runs.ts writes it. */
export interface ExploredGrid {
  batchSize: number;
  epochs: number;
  numBatches: number;
  /** The running mean's window, in steps. */
  window: number;
  split: "validation" | "test";
  runs: ExploredRun[];
}

/** The explorer's parameters, from its notebook's tagged cell. */
export interface RunExplorerParams {
  /** The grids to offer, by their file name in data/results/, with a label each. */
  grids: { name: string; label: string }[];
  /** The grid, rate and seed shown first. */
  grid: string;
  lr: number;
  seed: number;
}

/**
 * Mounts the explorer in an element holding its data: a `<script type="application/json"
 * class="widget-data">` with the grids' export.
 *
 * @param element The widget's element.
 * @param params The grids, and the run shown first.
 */
export function mount(element: HTMLElement, params: RunExplorerParams): void {
  const source = element.querySelector("script.widget-data");
  if (source === null) throw new Error("run-explorer: the page holds no data for it");
  const data = JSON.parse(source.textContent ?? "{}") as Record<string, ExploredGrid>;
  const url = new URL(location.href);
  const state = {
    grid: url.searchParams.get("grid") ?? params.grid,
    lr: Number(url.searchParams.get("lr") ?? params.lr),
    seed: Number(url.searchParams.get("seed") ?? params.seed),
  };
  if (!(state.grid in data)) state.grid = params.grid;

  const form = document.createElement("form");
  form.className = "widget-controls";
  const [gridSelect, lrSelect, seedSelect] = ["grid", "learning rate", "seed"].map((label) => {
    const wrap = document.createElement("label");
    const select = document.createElement("select");
    wrap.append(`${label} `, select);
    form.append(wrap);
    return select;
  });
  const summary = document.createElement("p");
  summary.className = "widget-summary";
  const figures = document.createElement("div");
  figures.className = "widget-figures";
  figures.style.cssText = "display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start";
  element.append(form, summary, figures);

  const options = (select: HTMLSelectElement, values: [string, string][], chosen: string) => {
    select.replaceChildren(...values.map(([value, text]) => new Option(text, value)));
    select.value = values.some(([value]) => value === chosen) ? chosen : values[0][0];
  };

  const render = () => {
    options(gridSelect, params.grids.map(({ name, label }) => [name, label]), state.grid);
    state.grid = gridSelect.value;
    const grid = data[state.grid];
    const lrs = [...new Set(grid.runs.map((run) => run.lr))].sort((a, b) => a - b);
    options(lrSelect, lrs.map((lr) => [String(lr), String(lr)]), String(state.lr));
    state.lr = Number(lrSelect.value);
    const atRate = grid.runs.filter((run) => run.lr === state.lr);
    options(seedSelect, atRate.map(({ seed }) => [String(seed), String(seed)]), String(state.seed));
    state.seed = Number(seedSelect.value);
    const run = atRate.find((r) => r.seed === state.seed)!;
    const query = new URLSearchParams({ ...Object.fromEntries(url.searchParams), ...stateQuery() });
    history.replaceState(null, "", `?${query}${location.hash}`);
    summary.textContent = describe(grid, run);
    figures.replaceChildren(lossFigure(grid, atRate, run), epochFigure(grid, run));
  };
  const stateQuery = () => ({ grid: state.grid, lr: String(state.lr), seed: String(state.seed) });
  gridSelect.onchange = () => (state.grid = gridSelect.value, render());
  lrSelect.onchange = () => (state.lr = Number(lrSelect.value), render());
  seedSelect.onchange = () => (state.seed = Number(seedSelect.value), render());
  render();
}

/** The run's final numbers in words. */
function describe(grid: ExploredGrid, run: ExploredRun): string {
  const last = run.epochs[run.epochs.length - 1];
  const name = `lr ${run.lr}, seed ${run.seed}`;
  if (run.diverged !== null) {
    return `${name}: stopped at step ${run.diverged.step} (epoch ${run.diverged.epoch}): ` +
      `${run.diverged.reason}.`;
  }
  const accuracy = (100 * last.evalAccuracy).toFixed(2);
  return `${name}: after ${last.epoch} epochs, ${grid.split} accuracy ${accuracy}% ` +
    `(loss ${last.evalLoss.toFixed(4)}), training loss ${last.trainEvalLoss.toFixed(4)}.`;
}

/** The batch loss's running mean: the chosen run over the other seeds of its rate. */
function lossFigure(grid: ExploredGrid, atRate: ExploredRun[], run: ExploredRun): Element {
  const rows = atRate.flatMap((r) =>
    r.curve.map(([step, mean]) => ({ epoch: step / grid.numBatches, mean, seed: String(r.seed) }))
  );
  const chosen = rows.filter((row) => row.seed === String(run.seed));
  return Plot.plot({
    width: 440,
    height: 280,
    marginLeft: 50,
    caption: `Batch loss, running mean over ${grid.window} steps (grey: the other seeds)`,
    x: { label: "epoch", grid: true },
    y: { type: "log", label: "training loss", grid: true, tickFormat: "~g" },
    marks: [
      Plot.line(rows.filter((row) => row.seed !== String(run.seed)), {
        x: "epoch",
        y: "mean",
        z: "seed",
        stroke: "#bbb",
      }),
      Plot.line(chosen, { x: "epoch", y: "mean", stroke: "#4c78a8", strokeWidth: 2 }),
    ],
  });
}

/** The run's epochs: the loss on the first training images and on the evaluation split. */
function epochFigure(grid: ExploredGrid, run: ExploredRun): Element {
  const rows = run.epochs.flatMap((e) => [
    { epoch: e.epoch, loss: e.trainEvalLoss, on: "training images" },
    { epoch: e.epoch, loss: e.evalLoss, on: `${grid.split} images` },
  ]).filter((row) => Number.isFinite(row.loss));
  return Plot.plot({
    width: 360,
    height: 280,
    marginLeft: 50,
    caption: "Loss after each epoch",
    x: { label: "epoch", ticks: grid.epochs, tickFormat: "d" },
    y: { label: "loss", grid: true },
    color: { legend: true, domain: ["training images", `${grid.split} images`] },
    marks: [
      Plot.line(rows, { x: "epoch", y: "loss", stroke: "on" }),
      Plot.dot(rows, { x: "epoch", y: "loss", fill: "on" }),
    ],
  });
}
