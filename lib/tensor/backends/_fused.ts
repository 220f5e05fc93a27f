// Fused elementwise loops of the MLP's hot path, one pass each (the softmax's row loops are
// softmax.ts's, the hidden activations' activation.ts's). Each has a reference built from the ops
// of tests/tensor/reference (addBias, softmaxCrossEntropyForward/Backward, addBiasBackward);
// tests/nn/fused_test.ts holds them together.

import { rowArgmax, rowExpSum } from "../softmax.ts";

/** Z ← Z + b row by row: the output layer's bias. Z is (rows, cols), b is (cols). */
export function addBias(Z: Float32Array, b: Float32Array, rows: number): void {
  const cols = b.length;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) Z[i * cols + j] += b[j];
  }
}

/**
 * Softmax and mean cross-entropy fused, from the logits O (rows, cols) and valid labels (checked
 * by the caller): returns the summed loss Σ_i [log Σ_j e^(o_ij − m_i) − (o_(i,c_i) − m_i)] and
 * the number of rows whose largest logit is the label; when dO is given, writes ∂l/∂O =
 * (y − t)/rows of the mean loss into it.
 */
export function softmaxCrossEntropyFused(
  O: Float32Array,
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  dO: Float32Array | null,
): { lossSum: number; correct: number } {
  let lossSum = 0, correct = 0;
  const scale = 1 / rows;
  for (let i = 0; i < rows; i++) {
    const row = i * cols, best = rowArgmax(O, row, cols), m = O[row + best];
    const s = rowExpSum(O, row, cols, m);
    const c = labels[i];
    if (best === c) correct++;
    lossSum += Math.log(s) - (O[row + c] - m);
    if (dO !== null) {
      const inv = scale / s;
      for (let j = 0; j < cols; j++) dO[row + j] = Math.exp(O[row + j] - m) * inv;
      dO[row + c] -= scale;
    }
  }
  return { lossSum, correct };
}

/** db ← column sums of D (rows, cols). */
export function columnSums(D: Float32Array, rows: number, db: Float32Array): void {
  const cols = db.length;
  db.fill(0);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) db[j] += D[row + j];
  }
}
