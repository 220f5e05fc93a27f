/**
 * The mean loss and accuracy of an MLP over a whole data set.
 *
 * @module
 */

import type { BatchSource } from "../data/batch_loader.ts";
import { Matrix } from "../tensor/matrix.ts";
import type { Mlp } from "./mlp.ts";
import { checkInteger } from "../options/option_rules.ts";

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /** Examples per forward pass. @default {1000} */
  batchSize?: number;
  /** Score only the first `limit` examples. @default {every example} */
  limit?: number;
}

/** The mean cross-entropy over a data set, the fraction classified right, and the count. */
export interface Evaluation {
  loss: number;
  accuracy: number;
  count: number;
}

/**
 * The mean cross-entropy and the accuracy of a network over every example of a data set (or its
 * first `limit`), in order, in batches.
 *
 * @param mlp The network.
 * @param data The examples (for instance `LabelledImages`).
 * @param options The batch size and how many examples to score.
 * @returns Mean loss, accuracy and count.
 *
 * @example A fresh 784-300-10 network is at chance level on 100 MNIST test images
 * ```ts
 * import { evaluate, loadMnist, Mlp } from "../mod.ts";
 * import { assertEquals, assertLess } from "@std/assert";
 *
 * const { eval: test } = await loadMnist({ final: true, evalLimit: 100 });
 * const { accuracy, count } = evaluate(Mlp.init({ random: 0 }), test);
 * assertEquals(count, 100);
 * assertLess(accuracy, 0.5);
 * ```
 */
export function evaluate(mlp: Mlp, data: BatchSource, options: EvaluateOptions = {}): Evaluation {
  const { batchSize = 1000, limit = data.count } = options;
  checkInteger("batchSize", batchSize, 1);
  checkInteger("limit", limit, 1);
  const count = Math.min(limit, data.count);
  const n = data.numInputs, size = Math.min(batchSize, count);
  // batches gathered into the backend's memory, where its primitives read them in place
  const X = mlp.backend.matrix(size, n).data, y = new Int32Array(size);
  let lossSum = 0, correct = 0;
  for (let start = 0; start < count; start += size) {
    const rows = Math.min(size, count - start);
    data.gather(Int32Array.from({ length: rows }, (_, i) => start + i), X, y);
    const batch = new Matrix(rows, n, X.subarray(0, rows * n));
    const result = mlp.evaluateBatch(batch, y.subarray(0, rows));
    lossSum += result.loss * rows;
    correct += result.correct;
  }
  return { loss: lossSum / count, accuracy: correct / count, count };
}
