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

/** One row of {@linkcode stepTimings}: a way of stepping, where it ran, its seconds per example. */
export interface StepTiming {
  method: string;
  /** The backend's name, or "plain loops (float64)" for the scalar network. */
  backend: string;
  seconds: number;
}

/** Options of {@linkcode stepTimings}. */
export interface StepTimingsOptions {
  /** The backends of the tensor network's rows. */
  backends: readonly Backend[];
  /** The batch size of the batched rows (which step on all the examples). */
  batchSize: number;
  /** Examples per timed run of per-instance tensor steps. */
  numSingle: number;
  /** Examples per timed run of the scalar network. */
  numScalar: number;
  /** Timed runs per row, after one untimed warm-up run. */
  repeats: number;
}

/**
 * Times one SGD step per example (lr 0.1): the scalar network per instance, then on each backend
 * the tensor network per instance over every pixel (`compact` off), per instance skipping
 * all-zero pixel columns, and in batches. Each run steps a clone, so the networks stay as they
 * are; each row is the best of `repeats` runs after a warm-up run.
 *
 * @param data The networks (same weights), the examples' inputs X (count, n_0) and classes y (count).
 * @param options Backends, batch size, examples per run, repeats.
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
 * const options = { backends: [jsBackend], batchSize: 2, numSingle: 2, numScalar: 2, repeats: 1 };
 * assertEquals(stepTimings({ mlp, scalar, X, y }, options).map((r) => r.method), [
 *   "scalar network, per instance",
 *   "per instance (B = 1), every pixel",
 *   "per instance (B = 1)",
 *   "batched (B = 2)",
 * ]);
 * ```
 */
export function stepTimings(
  data: { mlp: Mlp; scalar: ScalarNetwork; X: Float32Array; y: Int32Array },
  options: StepTimingsOptions,
): StepTiming[] {
  const { mlp, scalar, X, y } = data, n = mlp.sizes[0], lr = 0.1;
  const { backends, batchSize, numSingle, numScalar, repeats } = options;

  /** SGD steps of a clone of the tensor network over `count` examples in batches of `size`. */
  function tensorRun(backend: Backend, size: number, count: number, compact: boolean) {
    const net = mlp.clone({ backend });
    net.compact = compact;
    const optimizer = new Sgd(net, { lr });
    return () => {
      let seen = 0;
      for (; seen + size <= count; seen += size) {
        const batch = new Matrix(size, n, X.subarray(seen * n, (seen + size) * n));
        net.trainStep(batch, y.subarray(seen, seen + size), { optimizer });
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
  function row(method: string, backend: string, run: () => number): StepTiming {
    run();
    let seconds = Infinity;
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      const examples = run();
      seconds = Math.min(seconds, (performance.now() - start) / 1000 / examples);
    }
    return { method, backend, seconds };
  }

  const single = "per instance (B = 1)";
  return [
    row("scalar network, per instance", "plain loops (float64)", scalarRun()),
    ...backends.flatMap((b) => [
      row(`${single}, every pixel`, b.name, tensorRun(b, 1, numSingle, false)),
      row(single, b.name, tensorRun(b, 1, numSingle, true)),
      row(`batched (B = ${batchSize})`, b.name, tensorRun(b, batchSize, y.length, true)),
    ]),
  ];
}
