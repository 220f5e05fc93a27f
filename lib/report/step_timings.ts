/**
 * Seconds per example of one SGD step, per instance and per batch, on each backend, beside the
 * scalar network's loops: notebook 04's timing table.
 *
 * @module
 */

import type { Mlp } from "../nn/mlp.ts";
import { Sgd } from "../nn/sgd.ts";
import type { ScalarNetwork } from "../scalar/network.ts";
import type { Backend } from "../tensor/backend.ts";
import { Matrix } from "../tensor/matrix.ts";
import { checkInteger } from "../options/option_rules.ts";

/** One row of {@linkcode stepTimings}: a way of stepping, where it ran, its seconds per example. */
export interface StepTiming {
  /** "scalar network, per instance", "per instance (B = 1), every pixel", "per instance (B = 1)" or "batched (B = …)". */
  method: string;
  /** The backend's name, or "plain loops (float64)" for the scalar network. */
  backend: string;
  /** Seconds per example: the best of the repeats. */
  seconds: number;
}

/** What {@linkcode stepTimings} trains on: two networks with the same weights, and examples. */
export interface StepTimingsData {
  /** The tensor network: each timed run steps a clone, so its weights stay as they are. */
  mlp: Mlp;
  /** The same network as the scalar network's loops, cloned likewise. */
  scalar: ScalarNetwork;
  /** The examples' inputs: (count, n_0), row by row. */
  X: Float32Array;
  /** The examples' classes: (count). */
  y: Int32Array;
}

/** Options of {@linkcode stepTimings}. */
export interface StepTimingsOptions {
  /** The backends of the tensor network's rows. @default {[data.mlp.backend]} */
  backends?: readonly Backend[];
  /** The batch size of the batched rows. @default {50} */
  batchSize?: number;
  /** Examples per timed run of batched steps. @default {all of them} */
  numBatched?: number;
  /** Examples per timed run of per-instance tensor steps. @default {all of them} */
  numSingle?: number;
  /** Examples per timed run of the scalar network. @default {all of them} */
  numScalar?: number;
  /** Timed runs per row, after one untimed warm-up run. @default {3} */
  repeats?: number;
  /** The learning rate of every step. @default {0.1} */
  lr?: number;
}

/**
 * Times one SGD step per example: the scalar network per instance, then on each backend the
 * tensor network per instance over every pixel (`compact` off), per instance skipping all-zero
 * pixel columns, and in batches; each row the best of `repeats` runs after a warm-up run.
 *
 * @param data The networks (same weights) and the examples, X (count, n_0) and y (count).
 * @param options Backends, batch size, examples per run, repeats, learning rate.
 * @returns One row for the scalar network, then three per backend, in that order.
 *
 * @example A 4-3-2 network on two examples
 * ```ts
 * import { stepTimings } from "./step_timings.ts";
 * import { Mlp } from "../nn/mlp.ts";
 * import { ScalarNetwork } from "../scalar/network.ts";
 * import { jsBackend } from "../tensor/backends/js.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const mlp = Mlp.init({ sizes: [4, 3, 2], random: 1, backend: jsBackend });
 * const [W, V] = mlp.weights.map((m) => m.toArray());
 * const scalar = new ScalarNetwork({ W, b: [0, 0, 0], V, c: [0, 0] });
 * const X = Float32Array.of(1, 0, 0, 1, 0, 1, 1, 0), y = Int32Array.of(0, 1);
 * const rows = stepTimings({ mlp, scalar, X, y }, { batchSize: 2, repeats: 1 });
 * assertEquals(rows.map((r) => r.method), [
 *   "scalar network, per instance",
 *   "per instance (B = 1), every pixel",
 *   "per instance (B = 1)",
 *   "batched (B = 2)",
 * ]);
 * ```
 */
export function stepTimings(data: StepTimingsData, options: StepTimingsOptions = {}): StepTiming[] {
  const { mlp, scalar, X, y } = data, n = mlp.sizes[0];
  const { backends = [mlp.backend], batchSize = 50, repeats = 3, lr = 0.1 } = options;
  const { numBatched = y.length, numSingle = y.length, numScalar = y.length } = options;
  checkInteger("repeats", repeats, 1);
  checkInteger("batchSize", batchSize, 1);
  for (const [name, count] of Object.entries({ numBatched, numSingle, numScalar })) {
    if (!Number.isInteger(count) || count < 1 || count > y.length) {
      throw new RangeError(
        `Expected ${name} to be an integer from 1 to the ${y.length} examples but found ${count}`,
      );
    }
  }
  if (X.length !== y.length * n) {
    throw new RangeError(
      `Expected X to hold ${y.length} rows of ${n} inputs but found ${X.length} values`,
    );
  }
  if (numBatched < batchSize) {
    throw new RangeError(
      `Expected numBatched to hold at least one batch of ${batchSize} but found ${numBatched}`,
    );
  }

  /** SGD steps of a clone of the tensor network over `count` examples in batches of `size`. */
  function tensorRun(backend: Backend, size: number, count: number, compact: boolean) {
    const net = mlp.clone({ backend });
    net.compact = compact;
    const optimizer = new Sgd(net, { lr });
    return () => {
      let seen = 0;
      for (let start = 0; start + size <= count; start += size) {
        const batch = new Matrix(size, n, X.subarray(start * n, (start + size) * n));
        net.trainStep(batch, y.subarray(start, start + size), { optimizer });
        seen += size;
      }
      return seen;
    };
  }

  /** Per-instance SGD steps of a clone of the scalar network (float64 loops). */
  function scalarRun() {
    const net = scalar.clone();
    return () => {
      for (let i = 0; i < numScalar; i++) {
        const pass = net.forward(Array.from(X.subarray(i * n, (i + 1) * n)), y[i]);
        net.sgdStep(net.backward(pass), lr);
      }
      return numScalar;
    };
  }

  /** Seconds per example: the best of the timed runs after a warm-up run. */
  function secondsPerExample(run: () => number): number {
    run();
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      const examples = run();
      best = Math.min(best, (performance.now() - start) / 1000 / examples);
    }
    return best;
  }

  const row = (method: string, backend: string, run: () => number): StepTiming => ({
    method,
    backend,
    seconds: secondsPerExample(run),
  });
  const single = "per instance (B = 1)";
  return [
    row("scalar network, per instance", "plain loops (float64)", scalarRun()),
    ...backends.flatMap((b) => [
      row(`${single}, every pixel`, b.name, tensorRun(b, 1, numSingle, false)),
      row(single, b.name, tensorRun(b, 1, numSingle, true)),
      row(`batched (B = ${batchSize})`, b.name, tensorRun(b, batchSize, numBatched, true)),
    ]),
  ];
}
