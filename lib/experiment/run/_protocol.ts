/**
 * The messages between {@linkcode runGrid} and its workers (`_worker.ts`).
 *
 * main → worker: `init` once (load the data, pick the backend), then `run` for each run, one at
 * a time. worker → main: `ready` after init, `batch` now and then, `epoch`, `done` per run, and
 * `error` for anything that failed (the grid then stops).
 *
 * @module
 */

import type { LoadMnistOptions } from "../../data/mnist.ts";
import type { BatchProgress, EpochRecord } from "../../nn/train_mlp.ts";
import type { BackendName } from "../../tensor/get_backend.ts";
import type { RunSpec } from "./_run.ts";
import type { RunRecord } from "../results/run_record.ts";

/** A message to a worker. */
export type WorkerRequest =
  | { type: "init"; data: LoadMnistOptions; backend: BackendName }
  | { type: "run"; spec: RunSpec };

/** A message from a worker. */
export type WorkerReply =
  | { type: "ready"; trainSize: number; evalSize: number; code: string; backend: string }
  | { type: "batch"; run: number; progress: BatchProgress }
  | { type: "epoch"; run: number; record: EpochRecord }
  | { type: "done"; record: RunRecord }
  | { type: "error"; name: string; message: string; stack: string | undefined };

/** How often a worker reports a batch, at most. */
export const BATCH_REPORT_MS = 100;
