/**
 * A worker of {@linkcode runGrid} and its messages: `init` once (load MNIST, pick the backend),
 * answered `ready`, then `run` for each run, answered by `batch` now and then, `epoch`, and `done`
 * (its arrays transferred, not copied), or `error` for anything that failed (the grid stops).
 *
 * @module
 */

import { loadMnist, type LoadMnistOptions, type Mnist } from "../../data/mnist.ts";
import type { Backend } from "../../tensor/backend.ts";
import { type BackendName, getBackend } from "../../tensor/get_backend.ts";
import type { RunRecord } from "../results/run_record.ts";
import type { BatchProgress, EpochRecord } from "../../nn/train_mlp.ts";
import { codeHash, runOne, type RunSpec } from "./_run.ts";

/** A message to a worker. */
export type WorkerRequest =
  | { type: "init"; data: LoadMnistOptions; backend: BackendName }
  | { type: "run"; spec: RunSpec };

/** A message from a worker: `ready` names the code it loaded and what it trains on. */
export type WorkerReply =
  | { type: "ready"; code: string; backend: string }
  | { type: "batch"; run: number; progress: BatchProgress }
  | { type: "epoch"; run: number; record: EpochRecord }
  | { type: "done"; record: RunRecord }
  | { type: "error"; name: string; message: string; stack: string | undefined };

/** How often a worker reports a batch, at most. */
const BATCH_REPORT_MS = 100;

/** The worker's global scope, typed for what is used here. */
const scope = self as unknown as {
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
};

let data: Mnist | undefined;
let backend: Backend | undefined;

function fail(error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  scope.postMessage({ type: "error", name: e.name, message: e.message, stack: e.stack });
}

async function init(request: Extract<WorkerRequest, { type: "init" }>): Promise<void> {
  backend = getBackend({ name: request.backend });
  data = await loadMnist(request.data);
  scope.postMessage({ type: "ready", code: codeHash(), backend: backend.identity() });
}

function run(request: Extract<WorkerRequest, { type: "run" }>): void {
  if (data === undefined || backend === undefined) {
    throw new Error(`Cannot start run ${request.spec.run}: the worker was not initialised`);
  }
  const { run } = request.spec;
  let lastReport = -Infinity;
  const record = runOne(data, request.spec, backend, {
    onBatch(progress) {
      const now = performance.now();
      if (now - lastReport >= BATCH_REPORT_MS || progress.step === progress.totalSteps) {
        lastReport = now;
        scope.postMessage({ type: "batch", run, progress });
      }
    },
    onEpoch(record) {
      scope.postMessage({ type: "epoch", run, record });
    },
  });
  const { weights = [], biases = [] } = record.network ?? {};
  const arrays = [record.batchLosses, ...weights, ...biases];
  scope.postMessage({ type: "done", record }, arrays.map((a) => a.buffer));
}

scope.onmessage = ({ data: request }) => {
  (request.type === "init" ? init(request) : Promise.try(() => run(request))).catch(fail);
};
