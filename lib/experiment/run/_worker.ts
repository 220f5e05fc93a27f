/**
 * A worker of {@linkcode runGrid}: loads MNIST itself, then trains the runs it is sent, one at a
 * time, posting progress and each run's record (its loss array transferred, not copied).
 *
 * @module
 */

import { loadMnist, type Mnist } from "../../data/mnist.ts";
import type { Backend } from "../../tensor/backend.ts";
import { getBackend } from "../../tensor/get_backend.ts";
import { BATCH_REPORT_MS, type WorkerReply, type WorkerRequest } from "./_protocol.ts";
import { runOne } from "./_run.ts";
import { trainingCode } from "../../store/training_code.ts";

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
  const code = trainingCode();
  scope.postMessage({
    type: "ready",
    trainSize: data.train.count,
    evalSize: data.eval.count,
    code: code instanceof Error ? "unknown" : code.hash, // the code this worker loaded
    backend: backend.identity(), // what it trains on: the grid's keys name it
  });
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
  const network = record.network === undefined
    ? []
    : [...record.network.weights, ...record.network.biases].map((a) => a.buffer);
  scope.postMessage({ type: "done", record }, [record.batchLosses.buffer, ...network]);
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === "init") {
    init(request).catch(fail);
  } else {
    try {
      run(request);
    } catch (error) {
      fail(error);
    }
  }
};
