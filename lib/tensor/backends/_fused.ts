// Fused elementwise loops of the MLP's hot path, one pass each, and the row loops of the softmax
// (shared with softmax.ts). Each has a reference built from the ops of tests/tensor/reference
// (addBias, softmaxCrossEntropyForward/Backward, addBiasBackward); tests/nn/fused_test.ts holds
// them together. The hidden activations' loops live with the activations (activation.ts).

/** Z ← Z + b row by row: the output layer's bias. Z is (rows, cols), b is (cols). */
export function addBias(Z: Float32Array, b: Float32Array, rows: number): void {
  const cols = b.length;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) Z[i * cols + j] += b[j];
  }
}

/** Where the first largest of the n values of x from `start` is: 0 to n − 1 (n ≥ 1). */
export function rowArgmax(x: Float32Array, start: number, n: number): number {
  let m = x[start], best = 0;
  for (let j = 1; j < n; j++) {
    if (x[start + j] > m) {
      m = x[start + j];
      best = j;
    }
  }
  return best;
}

/** Σ_j e^(x[start + j] − max) over the n values of x from `start`, in double precision. */
export function rowExpSum(x: Float32Array, start: number, n: number, max: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(x[start + j] - max);
  return s;
}

/**
 * Softmax and mean cross-entropy fused, from the logits O (rows, cols) and integer labels:
 * returns the summed loss Σ_i [log Σ_j e^(o_ij − m_i) − (o_(i,c_i) − m_i)] and the number of rows
 * whose largest logit is the label; when dO is given, writes ∂l/∂O = (y − t)/rows into it
 * (l being the mean loss). Its row loops are softmaxRows's (../softmax.ts). Labels must be valid
 * (checked by the caller): one out of range gives NaN or a wrong number, and a write into
 * another row of dO or none.
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
