/**
 * A grid of training runs, learning rates × seeds, on MNIST, each run recorded whole: run one
 * after the other in the calling thread, or spread over Web Workers, one per core.
 *
 * @module
 */

import { resolve } from "node:path";
import { findMnistFiles, loadMnist, mnistDataDir } from "../../data/mnist.ts";
import type { LoadMnistOptions, Mnist } from "../../data/mnist.ts";
import {
  type BatchProgress,
  checkCores,
  type EpochRecord,
  pickSharedRunFields,
  resolveTrainMlpConfig,
  type SharedRunField,
  type TrainMlpConfig,
  type TrainMlpOptions,
} from "../../nn/train_mlp.ts";
import { checkInteger, OptionError } from "../../options/option_rules.ts";
import { Progress, type ProgressOutput } from "../../report/progress.ts";
import type { Backend } from "../../tensor/backend.ts";
import { type BackendName, getBackend } from "../../tensor/get_backend.ts";
import { AuditError, pickAudits, runDifference } from "../../store/audit.ts";
import { countRuns } from "../../store/provenance.ts";
import { dataHash, runKey, runKeyParts } from "../../store/run_key.ts";
import type { RunIdentity, RunKeyParts } from "../../store/run_key.ts";
import { RunStore, type StoreEntry } from "../../store/run_store.ts";
import { trainingCode } from "../../store/training_code.ts";
import { type GridConfig, GridResult, planDifferences } from "../results/grid_result.ts";
import type { RunRecord } from "../results/run_record.ts";
import { codeHash, runOne, type RunSpec } from "./_run.ts";
import type { WorkerReply, WorkerRequest } from "./_worker.ts";

/**
 * Options of {@linkcode runGrid}: the grid, its runs' shared fields and the data (as
 * {@linkcode TrainMlpOptions} and {@linkcode loadMnist} take them) and how the runs go.
 */
export interface RunGridOptions
  extends
    Pick<TrainMlpOptions, SharedRunField>,
    Pick<LoadMnistOptions, "dir" | "final" | "trainLimit" | "evalLimit"> {
  /** The learning rates; each runs once per seed. */
  lrs: readonly number[];
  /** The seeds each run's weights and shuffling are drawn from. @default {[0]} */
  seeds?: readonly number[];
  /** The backend. @default {the BACKPROP_BACKEND environment variable, else "auto"} */
  backend?: BackendName | "auto";
  /** Cores each run trains on (see TrainMlpOptions.cores). @default {1} */
  cores?: number;
  /** Runs at once, each in a Web Worker; 1 runs them in this thread. @default {one per core} */
  workers?: number;
  /**
   * The backend's own (process-wide) thread count during the grid, or null to leave it: OpenBLAS
   * sums in another order on another count, so 1 keeps the numbers the same. @default {1}
   */
  blasThreads?: number | null;
  /** Where the progress display draws (see {@linkcode Progress}). @default {"auto"} */
  progress?: ProgressOutput;
  /** The progress display's label. @default {"grid of <n> runs"} */
  label?: string;
  /**
   * Called as batches finish (a few times a second from workers) with the steps done over all
   * runs, a finished run counting whole (diverged or not), and the grid's total.
   */
  onProgress?: (progress: { stepsDone: number; totalSteps: number }) => void;
  /** Called after every epoch of every run, with the run's index. */
  onEpoch?: (event: { run: number; record: EpochRecord }) => void;
  /** Called when a run finishes, with its record. */
  onRun?: (record: RunRecord) => void;
  /** Called when a run finishes, with every run finished so far (resumed ones included). */
  onCheckpoint?: (partial: GridResult) => void;
  /** Runs of this same grid already done (an interrupted grid's results): only the others run. */
  resume?: GridResult;
  /** Keep each run's trained network in its record and the run store. @default {false} */
  keepNetworks?: boolean;
  /** The store runs are taken from and put in; null trains all. @default {RunStore.fromEnv()} */
  store?: RunStore | null;
  /** Run only the runs whose number modulo count is index − 1 (index from 1), one machine's. */
  shard?: { index: number; count: number };
}

/**
 * Trains every learning rate with every seed on MNIST and records each run whole (one that
 * trainMlp's divergence rule stops as diverged, with the step and why). Each run is looked up in
 * the run store first; only those not found are trained, then stored. A run's numbers depend only
 * on its configuration, never on how the grid ran. Every option is checked before any work.
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
  const { lrs, seeds = [0], final = false, trainLimit = Infinity, evalLimit = Infinity } = options;
  const { blasThreads = 1 } = options;
  const split: GridConfig["split"] = final ? "test" : "validation";
  const backend = getBackend(options.backend === undefined ? {} : { name: options.backend });
  const planned = planRuns(options, backend);
  const here = { ...planned[0].config, lrs: [...lrs], seeds: [...seeds], split };
  const differ = options.resume === undefined ? [] : planDifferences(here, options.resume.config);
  if (differ.length > 0) {
    const found = `one that differs in ${differ.join(", ")}`;
    throw new OptionError("resume", "a result of this same grid", found);
  }
  const done = new Set(options.resume?.records.map((record) => record.run));
  const { index, count } = options.shard ?? { index: 1, count: 1 };
  checkInteger("shard count", count, 1);
  if (count > planned.length || !Number.isInteger(index) || index < 1 || index > count) {
    const expected = `i/n with 1 ≤ i ≤ n ≤ ${planned.length}, the grid's runs`;
    throw new OptionError("shard", expected, `${index}/${count}`);
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
  let mnist: Mnist | undefined;
  let tracker: Tracker | undefined;
  const resultNow = () =>
    new GridResult({
      lrs: [...lrs],
      seeds: [...seeds],
      ...pickSharedRunFields(planned[0].config) as Pick<GridConfig, SharedRunField>,
      backend: backend.name,
      blasThreads: previousThreads === null ? null : blasThreads ?? previousThreads,
      workers: numWorkers,
      split,
      dataDir,
      trainSize: mnist?.train.count ?? 0,
      evalSize: mnist?.eval.count ?? 0,
      runsReused: counts.reused,
      runsTrained: counts.trained,
      runsAudited: counts.audited,
      startedAt,
      seconds: (performance.now() - started) / 1000,
    }, finished);
  try {
    mnist = await loadMnist(data);
    const stepsPerRun = checkRunLength(planned[0].config, mnist.train.count);
    const identity = { split, trainLimit, evalLimit };
    const { keys, reused, audits } = lookUp(specs, mnist, backend, store, identity);
    finished.push(...reused);
    counts.reused = reused.length;
    const found = new Set(reused.map((record) => record.run));
    const toTrain = specs.filter((spec) => !found.has(spec.run) || audits.has(spec.run));
    const workers = options.workers ?? (navigator.hardwareConcurrency || 1);
    numWorkers = Math.max(1, Math.min(workers, toTrain.length));
    const onRun = (record: RunRecord, code: string) => {
      const { run: _, key: __, ...run } = record;
      const audit = audits.get(record.run);
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
      const key = keys.get(record.run);
      if (store !== null && key !== undefined) {
        const parts = { ...key, code };
        record.key = { key: runKey(parts), parts };
        store.put({ ...record.key, run });
      }
      finished.push(record);
      options.onCheckpoint?.(resultNow());
      options.onRun?.(record);
    };
    // where the runs come from: "83 reused, 3 trained" (audits counted apart)
    const audited = audits.size > 0 ? `, ${audits.size} reused trained again to audit them` : "";
    const sources = `: ${reused.length} reused, ${toTrain.length - audits.size} trained${audited}`;
    const label = (options.label ?? `grid of ${specs.length} run${specs.length === 1 ? "" : "s"}`) +
      (store === null ? "" : sources);
    tracker = new Tracker(toTrain, stepsPerRun, { ...options, label, onRun });
    if (reused.length > 0) options.onCheckpoint?.(resultNow());
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
  return resultNow();
}

/** One spec per run, learning rates outer, seeds inner; each run's configuration checked. */
function planRuns(options: RunGridOptions, backend: Backend): RunSpec[] {
  const { lrs, seeds = [0] } = options;
  for (const [name, list] of [["lrs", lrs], ["seeds", seeds]] as const) {
    if (!Array.isArray(list) || list.length === 0) {
      throw new OptionError(name, "a non-empty array", list);
    }
  }
  const shared = pickSharedRunFields(options);
  const cores = options.cores ?? 1;
  const keepNetwork = options.keepNetworks === true;
  return lrs.flatMap((lr, i) =>
    seeds.map((seed, j) => {
      const config = resolveTrainMlpConfig({ ...shared, lr, seed, backend });
      checkCores(cores, config);
      return { run: i * seeds.length + j, config, cores, keepNetwork };
    })
  );
}

/** The most batches one run may take: its losses fill 256 MB of float32. */
const MAX_STEPS_PER_RUN = 2 ** 26;

/** The steps of each run, its batch size and length checked against the training set's size. */
function checkRunLength(config: TrainMlpConfig, trainSize: number): number {
  const { batchSize, epochs } = config;
  if (batchSize > trainSize) {
    throw new OptionError("batchSize", `at most the ${trainSize} training examples`, batchSize);
  }
  const numBatches = Math.ceil(trainSize / batchSize);
  if (epochs * numBatches > MAX_STEPS_PER_RUN) {
    throw new OptionError(
      "epochs",
      `at most ${Math.floor(MAX_STEPS_PER_RUN / numBatches)} ` +
        `(a run records one float32 loss per batch, ${MAX_STEPS_PER_RUN} at most)`,
      epochs,
    );
  }
  return epochs * numBatches;
}

/**
 * Looks every run up in the store (with the backend as it is set for the grid): the key parts of
 * each run that has them (none without a store or a code fingerprint), the records of the runs
 * found, and those of them picked to be trained again (BACKPROP_AUDIT), with their entries.
 */
function lookUp(
  specs: readonly RunSpec[],
  mnist: Mnist,
  backend: Backend,
  store: RunStore | null,
  data: Omit<RunIdentity, "config" | "cores">,
): { keys: Map<number, RunKeyParts>; reused: RunRecord[]; audits: Map<number, StoreEntry> } {
  const result: ReturnType<typeof lookUp> = { keys: new Map(), reused: [], audits: new Map() };
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
    result.reused.push({ run: spec.run, ...entry.run, key: { key: entry.key, parts } });
  }
  for (const run of pickAudits([...entries.keys()])) result.audits.set(run, entries.get(run)!);
  return result;
}

/** The grid's options for its {@linkcode Tracker}, its label and what to do with a finished run. */
type TrackerOptions = Omit<RunGridOptions, "onRun"> & {
  label: string;
  onRun: (record: RunRecord, code: string) => void;
};

/** Counts steps and runs, feeds the callbacks and the progress display. */
class Tracker {
  #options: TrackerOptions;
  #progress: Progress;
  #specs: Map<number, RunSpec>;
  #lastStep = new Map<number, number>(); // by run index
  #stepsPerRun: number;
  #totalSteps: number;
  #stepsDone = 0;
  #runsDone = 0;
  #diverged = 0;

  constructor(specs: RunSpec[], stepsPerRun: number, options: TrackerOptions) {
    this.#options = options;
    this.#specs = new Map(specs.map((spec) => [spec.run, spec]));
    this.#stepsPerRun = stepsPerRun;
    this.#totalSteps = Math.max(1, stepsPerRun * specs.length);
    const { label, progress: output } = options;
    this.#progress = new Progress({ total: this.#totalSteps, label, output });
  }

  batch(run: number, batch: BatchProgress): void {
    this.#advance(run, batch.step);
    const { lr } = this.#specs.get(run)!.config;
    this.#progress.update(this.#stepsDone, { runs: this.#runs(), lr, loss: batch.loss });
    this.#options.onProgress?.({ stepsDone: this.#stepsDone, totalSteps: this.#totalSteps });
  }

  epoch(run: number, record: EpochRecord): void {
    this.#options.onEpoch?.({ run, record });
  }

  finished(record: RunRecord, code: string): void {
    this.#runsDone++;
    if (record.diverged !== null) this.#diverged++;
    this.#advance(record.run, this.#stepsPerRun);
    this.#progress.update(this.#stepsDone, { runs: this.#runs(), diverged: this.#diverged });
    this.#options.onRun(record, code);
  }

  done(): Promise<void> {
    return this.#progress.done({ runs: this.#runs(), diverged: this.#diverged });
  }

  /** Counts a run's steps up to `step`. */
  #advance(run: number, step: number): void {
    this.#stepsDone += step - (this.#lastStep.get(run) ?? 0);
    this.#lastStep.set(run, step);
  }

  #runs(): string {
    return `${this.#runsDone}/${this.#specs.size}`;
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
      settled = true;
      for (const worker of workers) worker.terminate();
      if (error !== undefined) rejectPromise(error);
      else resolvePromise();
    };
    const giveWork = (worker: Worker) => {
      if (next < specs.length) {
        worker.postMessage({ type: "run", spec: specs[next++] } satisfies WorkerRequest);
      }
    };
    // OpenBLAS's build string is one static buffer that two threads reading at once can garble:
    // read it here before any worker starts, and start each once the one before has read its own
    const expected = backend.identity();
    const handle = (worker: Worker, reply: WorkerReply) => {
      if (reply.type === "ready") {
        if (reply.backend !== expected) {
          throw new Error(
            `A grid worker trains on "${reply.backend}", not on the grid's backend ` +
              `"${expected}" that its runs' keys name`,
          );
        }
        if (workers.length < numWorkers) start();
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
      } else if (reply.type === "batch") {
        tracker.batch(reply.run, reply.progress);
      } else if (reply.type === "epoch") {
        tracker.epoch(reply.run, reply.record);
      } else if (reply.type === "done") {
        tracker.finished(reply.record, codes.get(worker)!);
        if (++done === specs.length) settle();
        else giveWork(worker);
      } else {
        settle(rebuildError(reply));
      }
    };
    const start = () => {
      const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
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
      const backendName = backend.name as BackendName;
      worker.postMessage({ type: "init", data, backend: backendName } satisfies WorkerRequest);
    };
    start();
  });
}

let saidStale = false;

/** The error a worker reported, as the same class with the same message. */
function rebuildError(reply: Extract<WorkerReply, { type: "error" }>): Error {
  const classes: Record<string, ErrorConstructor> = { RangeError, TypeError, SyntaxError };
  const error = new (classes[reply.name] ?? Error)(reply.message);
  if (reply.stack !== undefined) error.stack = reply.stack;
  return error;
}
