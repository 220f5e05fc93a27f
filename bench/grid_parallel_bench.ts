// Wall time of a grid of MNIST runs three ways: one after the other with OpenBLAS on its own
// thread count (one per core), one after the other with OpenBLAS on 1 thread, and in 2 Web
// Workers with OpenBLAS on 1 thread. The three are timed in turn, --repeats times, and the best
// and median of each are printed (the best is the least disturbed by other processes), with the
// speed-ups, whether the numbers agree, and the choice runGrid makes by default. Asserts nothing.
//
//   deno run --allow-all bench/grid_parallel_bench.ts [--runs 4] [--epochs 1] [--repeats 3]
//                                                      [--limit N] [--backend openblas|openblas-js|wasm|js]
//
// Each grid loads MNIST itself (in the calling thread, or once per worker), as a grid does.
import { parseArgs } from "node:util";
import { runGrid, type RunGridOptions } from "../lib/experiment/run/run_grid.ts";
import type { GridResult } from "../lib/experiment/results/grid_result.ts";
import { type BackendName, getBackend } from "../lib/tensor/get_backend.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "4" },
    epochs: { type: "string", default: "1" },
    repeats: { type: "string", default: "3" },
    limit: { type: "string" },
    backend: { type: "string", default: "auto" },
  },
});
const numRuns = Number(values.runs), epochs = Number(values.epochs);
const repeats = Number(values.repeats);
const backend = getBackend({ name: values.backend as BackendName | "auto" });
const limit = values.limit === undefined ? Infinity : Number(values.limit);
const cores = navigator.hardwareConcurrency;
const defaultThreads = backend.threads?.count() ?? null; // OpenBLAS's, process-wide

// numRuns learning rates, one seed each: every run the same amount of work
const base: RunGridOptions = {
  lrs: Array.from({ length: numRuns }, (_, i) => 0.05 * (i + 1)),
  seeds: [0],
  epochs,
  trainLimit: limit,
  backend: backend.name as BackendName,
  progress: "none",
};

function threads(count: number | null): string {
  return count === null ? "" : `, OpenBLAS ${count} thread${count === 1 ? "" : "s"}`;
}

interface Mode {
  label: string;
  options: Partial<RunGridOptions>;
  seconds: number[];
  result?: GridResult;
}

const modes: Mode[] = [
  { label: `sequential${threads(defaultThreads)}`, options: { workers: 1, blasThreads: null } },
  { label: `sequential${threads(defaultThreads && 1)}`, options: { workers: 1, blasThreads: 1 } },
  {
    label: `2 workers${threads(defaultThreads && 1)} each`,
    options: { workers: 2, blasThreads: 1 },
  },
].map((mode) => ({ ...mode, seconds: [] }));

console.log(
  `grid of ${numRuns} runs × ${epochs} epoch${epochs === 1 ? "" : "s"}, 784-300-10, batch 50, ` +
    `backend ${backend.name}${threads(defaultThreads)} by default, ${cores} cores, ` +
    `best and median of ${repeats}`,
);
// warm-up: compile the code paths once, outside the timings
await runGrid({ ...base, lrs: [0.1], epochs: 1, trainLimit: 2000, evalLimit: 500, workers: 1 });
for (let r = 0; r < repeats; r++) {
  for (const mode of modes) {
    const started = performance.now();
    mode.result = await runGrid({ ...base, ...mode.options });
    mode.seconds.push((performance.now() - started) / 1000);
  }
}

const best = (mode: Mode) => Math.min(...mode.seconds);
const median = (mode: Mode) => [...mode.seconds].sort((a, b) => a - b)[mode.seconds.length >> 1];
for (const mode of modes) {
  console.log(
    `${mode.label.padEnd(40)} best ${best(mode).toFixed(2).padStart(6)} s   median ` +
      `${median(mode).toFixed(2).padStart(6)} s   (${
        mode.seconds.map((s) => s.toFixed(2)).join(", ")
      })`,
  );
}
const [sequentialDefault, sequentialOne, parallel] = modes;
const speedUp = (mode: Mode) =>
  `${(best(mode) / best(parallel)).toFixed(2)}× (best), ` +
  `${(median(mode) / median(parallel)).toFixed(2)}× (median)`;
console.log(`speed-up of 2 workers over ${sequentialDefault.label}: ${speedUp(sequentialDefault)}`);
if (defaultThreads !== null && defaultThreads !== 1) {
  console.log(`speed-up of 2 workers over ${sequentialOne.label}: ${speedUp(sequentialOne)}`);
}

function sameNumbers(a: GridResult, b: GridResult): boolean {
  return a.batches.frameEqual(b.batches) &&
    a.epochs.drop("trainSeconds").frameEqual(b.epochs.drop("trainSeconds"));
}
const agree = sameNumbers(parallel.result!, sequentialOne.result!);
let line = `same numbers, 2 workers vs ${sequentialOne.label}: ${agree ? "yes" : "NO"}`;
if (defaultThreads !== null && defaultThreads !== 1) {
  const other = sameNumbers(parallel.result!, sequentialDefault.result!);
  line += `; vs ${sequentialDefault.label}: ${
    other ? "yes" : "no (OpenBLAS sums in another order)"
  }`;
}
console.log(line);
const chosen = Math.min(numRuns, cores);
console.log(
  `choice: runGrid runs these ${numRuns} runs in ${chosen} worker${chosen === 1 ? "" : "s"} ` +
    `(default: one per core, at most one per run)` +
    (backend.threads !== undefined ? ", OpenBLAS on 1 thread while a grid runs" : ""),
);
