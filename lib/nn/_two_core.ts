/**
 * Both cores inside one training run: the hidden units split in two halves, one trained in this
 * thread, the other in a Web Worker. The halves share the batch and meet twice per step through a
 * SharedArrayBuffer ({@linkcode sharedLayout}): the worker's partial logits H₁·W₁ come here, are
 * added to this half's (O = H₀·W₀ + H₁·W₁ + b) for the loss, and ∂l/∂O goes back; all else each
 * half does alone, so the result is the one-core step's, summed in another order. While the
 * worker computes, this thread draws the next batch. A backend with a process-wide thread count
 * (OpenBLAS) runs on one thread for each half, restored when the run closes.
 *
 * Legend: B the batch size, n₀ inputs, h hidden units (h₀ here, h₁ in the worker), n₂ classes.
 *
 * @module
 */

import type { Batch } from "../data/batch_loader.ts";
import { Matrix } from "../tensor/matrix.ts";
import { batchInputs, type CompactInputs } from "./input_product.ts";
import { type BatchResult, Mlp } from "./mlp.ts";
import { Sgd } from "./sgd.ts";
import type { Stepper, StepResult, StepSettings } from "./step_strategy.ts";

/** The SGD settings both halves step with. */
export type TwoCoreSgd = Pick<StepSettings, "lr" | "momentum" | "schedule" | "totalSteps">;

/**
 * The two-core `StepStrategy` (train_mlp.ts's `checkCores` says which runs split).
 *
 * @param mlp The network, with its initial weights.
 * @param settings The run's settings.
 * @returns Its stepper; it starts the worker and waits until it is ready.
 */
export function twoCores(mlp: Mlp, settings: StepSettings): Stepper {
  return new TwoCoreStepper(mlp, settings);
}

const WORKER_URL = new URL("./_two_core_worker.ts", import.meta.url);

/** A run's steps on two cores: this thread's half, and a worker's. */
class TwoCoreStepper implements Stepper {
  readonly #whole: Mlp;
  readonly #half: Mlp;
  readonly #sgd: Sgd;
  readonly #worker: Worker;
  readonly #shared: SharedViews;
  readonly #X: Float32Array; // this half's copy of the batch, in the backend's memory
  readonly #threads: number; // the backend's own thread count before the run
  #generation = 0;

  /** Splits whole's (n₀, h, n₂) hidden units in two; starts the worker with its half, waits. */
  constructor(whole: Mlp, settings: StepSettings) {
    const [n0, h, n2] = whole.sizes, maxBatch = settings.batchSize;
    const { lr, momentum, schedule, totalSteps } = settings;
    const sgd = { lr, momentum, schedule, totalSteps };
    const { activations, backend, compact } = whole;
    this.#threads = backend.threads?.count() ?? 1;
    if (this.#threads !== 1) backend.threads!.set(1);
    // this thread also builds the next batch while the worker computes, and computes the loss:
    // it takes a little less than half of the hidden units (140 of 300 measured better than 150
    // on wasm and no worse on OpenBLAS; 130 and 120 no better)
    const h0 = Math.min(Math.max(Math.round(0.47 * h), 1), h - 1), h1 = h - h0;
    this.#whole = whole;
    this.#shared = sharedLayout(n0, h1, n2, maxBatch);
    this.#X = backend.matrix(maxBatch, n0).data;
    const [W0, W1] = whole.weights, [b0, b1] = whole.biases;
    const weights = [columns(W0, 0, h0), W1.sliceRows(0, h0)], biases = [columns(b0, 0, h0), b1];
    // a copy, in the backend's memory
    this.#half = new Mlp({ weights, biases }, { activations, backend, compact }).clone();
    this.#sgd = new Sgd(this.#half, sgd);
    this.#worker = new Worker(WORKER_URL, { type: "module" });
    this.#worker.postMessage({
      buffer: this.#shared.buffer,
      sizes: [n0, h1, n2],
      maxBatch,
      activation: activations[0],
      backend: backend.name,
      compact,
      sgd,
      W0: columns(W0, h0, h).data,
      b0: columns(b0, h0, h).data,
      W1: W1.sliceRows(h0, h).data.slice(),
    });
    waitFor(this.#shared.control, CONTROL.ready, 1);
  }

  /** Each batch's step, both halves at once; the next batch is drawn while the worker computes. */
  *epoch(batches: Iterator<Batch>): Generator<StepResult, void, undefined> {
    for (let next = batches.next(); !next.done;) {
      const { y, size } = next.value, X = batchInputs(next.value, this.#whole.sizes[0]);
      const result = this.#step(X, y, () => {
        next = batches.next(); // the batch is copied: its buffers may take the next one
      });
      yield { ...result, size };
    }
  }

  /** One step: the batch copied to where both halves read it, then `drawNext`, then this half. */
  #step(X: Matrix | CompactInputs, labels: Int32Array, drawNext: () => void): BatchResult {
    const { control, X: sharedX, columns, labels: y, partial, dO: sharedDO } = this.#shared;
    const values = X instanceof Matrix ? X : X.values, B = values.rows;
    const k = X instanceof Matrix ? -1 : X.columns.length;
    const generation = this.#post(B, () => {
      sharedX.set(values.data.subarray(0, values.size));
      if (k >= 0) columns.set((X as CompactInputs).columns);
      y.set(labels);
      control[CONTROL.compacted] = k;
    });
    this.#X.set(values.data.subarray(0, values.size));
    const copy = new Matrix(B, values.cols, this.#X.subarray(0, values.size));
    const inputs = k < 0 ? copy : { values: copy, columns: columns.subarray(0, k) };
    drawNext();
    const n2 = this.#whole.sizes[2];
    return this.#half.trainStep(inputs, y.subarray(0, B), {
      optimizer: this.#sgd,
      loss: (backend, O, labels, dO) => {
        waitFor(control, CONTROL.partial, generation);
        for (let i = 0; i < B * n2; i++) O.data[i] += partial[i];
        const result = backend.softmaxCrossEntropy({ o: O, labels, dO });
        sharedDO.set(dO!.data.subarray(0, B * n2));
        signal(control, CONTROL.gradient, generation);
        return result;
      },
    });
  }

  /** The whole network with the halves' current weights (written into the one given). */
  network(): Mlp {
    const generation = this.#post(0, () => {});
    waitFor(this.#shared.control, CONTROL.done, generation);
    const [n0, h, n2] = this.#whole.sizes, h0 = this.#half.sizes[1];
    const { W0: W0w, b0: b0w, W1: W1w } = this.#shared.params;
    const [W0, W1] = this.#whole.weights, [b0, b1] = this.#whole.biases;
    const [H0, V0] = this.#half.weights, [c0, c1] = this.#half.biases;
    for (let r = 0; r < n0; r++) {
      W0.data.set(H0.data.subarray(r * h0, (r + 1) * h0), r * h);
      W0.data.set(W0w.subarray(r * (h - h0), (r + 1) * (h - h0)), r * h + h0);
    }
    b0.data.set(c0.data);
    b0.data.set(b0w, h0);
    W1.data.set(V0.data);
    W1.data.set(W1w, h0 * n2);
    b1.data.set(c1.data);
    return this.#whole;
  }

  /** The trained weights into the network; the worker stopped, the thread count restored. */
  close(): void {
    try {
      this.network();
      this.#post(-1, () => {});
    } finally {
      this.#worker.terminate();
      if (this.#threads !== 1) this.#whole.backend.threads!.set(this.#threads);
    }
  }

  /** Waits until the worker is done with the last request, then posts the next one. */
  #post(rows: number, fill: () => void): number {
    const { control } = this.#shared;
    waitFor(control, CONTROL.done, this.#generation);
    fill();
    control[CONTROL.rows] = rows;
    signal(control, CONTROL.batch, ++this.#generation);
    return this.#generation;
  }
}

/** Columns [from, to) of a matrix, as a new matrix. */
function columns(M: Matrix, from: number, to: number): Matrix {
  const out = new Matrix(M.rows, to - from);
  for (let r = 0; r < M.rows; r++) {
    out.data.set(M.data.subarray(r * M.cols + from, r * M.cols + to), r * (to - from));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// what the two halves share

/** The control words, each a generation counter (or, for `rows`, the request's batch size). */
export const CONTROL = {
  ready: 0, // set by the worker once it holds its half
  batch: 1, // the request's generation, posted by the main thread
  rows: 2, // the request: B rows of a batch in X; 0 asks for the weights; −1 stops the worker
  partial: 3, // the worker's partial logits for that generation are in `partial`
  gradient: 4, // ∂l/∂O for that generation is in `dO`
  done: 5, // the worker is done with that generation
  failed: 6, // set to 1 by the worker when it failed; its message is in the worker's console
  compacted: 7, // the request's number k of compacted columns, in `columns`, or −1 when dense
} as const;

/**
 * The shared buffer (to send to the worker) and its views: the control words (indexed by
 * {@linkcode CONTROL}), the batch X (B, n₀), or (B, k) with its k `columns` when compacted, its
 * B labels, the worker's `partial` logits H₁·W₁ (B, n₂), ∂l/∂O (B, n₂), and the worker's weights
 * when asked for: W₀ (n₀, h₁), b₀ (h₁), W₁ (h₁, n₂).
 */
export interface SharedViews {
  buffer: SharedArrayBuffer;
  control: Int32Array;
  X: Float32Array;
  columns: Int32Array;
  labels: Int32Array;
  partial: Float32Array;
  dO: Float32Array;
  params: { W0: Float32Array; b0: Float32Array; W1: Float32Array };
}

/** The shared buffer and its views, for (n₀, h₁ in the worker, n₂) and up to maxBatch rows. */
export function sharedLayout(
  n0: number,
  h1: number,
  n2: number,
  maxBatch: number,
  buffer?: SharedArrayBuffer,
): SharedViews {
  // the views below, in order, 4 bytes an element
  const total = 8 + maxBatch * (n0 + 1 + 2 * n2) + n0 + h1 * (n0 + 1 + n2);
  const shared = buffer ?? new SharedArrayBuffer(4 * total);
  let offset = 0;
  const take = <T>(Type: new (b: SharedArrayBuffer, at: number, n: number) => T, n: number) => {
    offset += n;
    return new Type(shared, 4 * (offset - n), n);
  };
  return {
    buffer: shared,
    control: take(Int32Array, 8),
    X: take(Float32Array, maxBatch * n0),
    columns: take(Int32Array, n0),
    labels: take(Int32Array, maxBatch),
    partial: take(Float32Array, maxBatch * n2),
    dO: take(Float32Array, maxBatch * n2),
    params: {
      W0: take(Float32Array, n0 * h1),
      b0: take(Float32Array, h1),
      W1: take(Float32Array, h1 * n2),
    },
  };
}

/** Sets a control word and wakes whoever waits on it. */
export function signal(control: Int32Array, index: number, value: number): void {
  Atomics.store(control, index, value);
  Atomics.notify(control, index);
}

/**
 * Waits until a control word reaches a generation: a short spin (the other half is usually a few
 * µs away), then sleeping. Throws when the other side failed or, within a step, has not answered
 * for a minute; `between` (the next request) has no deadline: the main thread may pause as long
 * as it likes between steps (a callback, a benchmark's turn), and ends the worker itself.
 */
export function waitFor(
  control: Int32Array,
  index: number,
  generation: number,
  between = false,
): void {
  for (let spin = 0; spin < 4000; spin++) {
    if (Atomics.load(control, index) >= generation) return;
  }
  const deadline = between ? Infinity : performance.now() + 60_000;
  for (;;) {
    const value = Atomics.load(control, index);
    if (value >= generation) return;
    if (Atomics.load(control, CONTROL.failed) !== 0) {
      throw new Error("The two-core run's worker failed (see its error above)");
    }
    if (performance.now() > deadline) {
      throw new Error("The two-core run's other half has not answered for a minute");
    }
    Atomics.wait(control, index, value, 50);
  }
}
