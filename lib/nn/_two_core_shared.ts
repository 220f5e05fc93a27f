/**
 * What the two halves of a two-core run share: the control words they signal each other with,
 * the batch and its labels, the worker's partial logits, ∂l/∂O, and the worker's weights when
 * asked for.
 *
 * @module
 */

/** The control words, each a generation counter (or, for `rows`, the request's batch size). */
export const CONTROL = {
  /** Set by the worker once it holds its half. */
  ready: 0,
  /** The request's generation, posted by the main thread. */
  batch: 1,
  /** The request: B rows of a batch in X; 0 asks for the weights; −1 stops the worker. */
  rows: 2,
  /** The worker's partial logits for that generation are in `partial`. */
  partial: 3,
  /** ∂l/∂O for that generation is in `dO`. */
  gradient: 4,
  /** The worker is done with that generation. */
  done: 5,
  /** Set to 1 by the worker when it failed; its message is in the worker's console. */
  failed: 6,
  /** The request's number of compacted columns k, in `columns`, or −1 for a dense batch. */
  compacted: 7,
} as const;

/** The shared buffer and its views (see {@linkcode sharedLayout}). */
export interface SharedViews {
  /** The buffer itself, to send to the worker. */
  buffer: SharedArrayBuffer;
  /** The control words, indexed by {@linkcode CONTROL}. */
  control: Int32Array;
  /** The batch: (B, n₀), or (B, k) when compacted. */
  X: Float32Array;
  /** A compacted batch's columns: k of them, up to n₀. */
  columns: Int32Array;
  /** The batch's labels: B of them. */
  labels: Int32Array;
  /** The worker's H₁·W₁: (B, n₂). */
  partial: Float32Array;
  /** ∂l/∂O: (B, n₂). */
  dO: Float32Array;
  /** The worker's weights, when asked for: W₀ (n₀, h₁), b₀ (h₁), W₁ (h₁, n₂). */
  params: { W0: Float32Array; b0: Float32Array; W1: Float32Array };
}

/**
 * The shared buffer and its views for a network (n₀, h₁ in the worker, n₂) and batches of at
 * most maxBatch rows.
 */
export function sharedLayout(
  n0: number,
  h1: number,
  n2: number,
  maxBatch: number,
  buffer?: SharedArrayBuffer,
): SharedViews {
  const sizes = [
    8,
    maxBatch * n0,
    n0,
    maxBatch,
    maxBatch * n2,
    maxBatch * n2,
    n0 * h1,
    h1,
    h1 * n2,
  ];
  const total = sizes.reduce((a, b) => a + b, 0);
  const shared = buffer ?? new SharedArrayBuffer(4 * total);
  let offset = 0;
  const take = <T>(make: (b: SharedArrayBuffer, at: number, n: number) => T, n: number): T => {
    const view = make(shared, offset * 4, n);
    offset += n;
    return view;
  };
  const f32 = (b: SharedArrayBuffer, at: number, n: number) => new Float32Array(b, at, n);
  return {
    buffer: shared,
    control: take((b, at, n) => new Int32Array(b, at, n), 8),
    X: take(f32, maxBatch * n0),
    columns: take((b, at, n) => new Int32Array(b, at, n), n0),
    labels: take((b, at, n) => new Int32Array(b, at, n), maxBatch),
    partial: take(f32, maxBatch * n2),
    dO: take(f32, maxBatch * n2),
    params: { W0: take(f32, n0 * h1), b0: take(f32, h1), W1: take(f32, h1 * n2) },
  };
}

/** Sets a control word and wakes whoever waits on it. */
export function signal(control: Int32Array, index: number, value: number): void {
  Atomics.store(control, index, value);
  Atomics.notify(control, index);
}

/**
 * Waits until a control word reaches a generation: a short spin first (the other half is
 * usually a few microseconds away), then sleeping. Throws when the other side failed or, within
 * a step, has not answered for a minute; `between` waits for the next request without a
 * deadline (the main thread may pause between steps as long as it likes: a callback, a
 * benchmark's turn; it ends the worker itself).
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
