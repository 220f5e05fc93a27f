// Fused elementwise loops of the MLP's hot path, one pass each. Each has a reference built from
// the ops of tests/tensor/reference (addBias, softmaxCrossEntropyForward/Backward,
// addBiasBackward); tests/nn/fused_test.ts holds them together. The hidden activations' loops
// live with the activations (activation.ts).

/** Z ← Z + b row by row: the output layer's bias. Z is (rows, cols), b is (cols). */
export function addBias(Z: Float32Array, b: Float32Array, rows: number): void {
  const cols = b.length;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) Z[i * cols + j] += b[j];
  }
}

/**
 * Softmax and mean cross-entropy fused, from the logits O (rows, cols) and integer labels:
 * returns the summed loss Σ_i [log Σ_j e^(o_ij − m_i) − (o_(i,c_i) − m_i)] and the number of rows
 * whose largest logit is the label; when dO is given, writes ∂l/∂O = (y − t)/rows into it
 * (l being the mean loss). With `clip` > 0 it computes the student report's loss instead (see
 * `LossName` in loss.ts): each softmax clipped into [clip, 1 − clip], the summed loss
 * Σ_i −log(clipped y_(i,c_i)) / cols, and ∂ = (clipped y − t)/rows. Labels must be valid
 * (checked by the caller).
 */
export function softmaxCrossEntropyFused(
  O: Float32Array,
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  dO: Float32Array | null,
  clip = 0,
): { lossSum: number; correct: number } {
  let lossSum = 0, correct = 0;
  const scale = 1 / rows;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    let m = O[row], best = 0;
    for (let j = 1; j < cols; j++) {
      if (O[row + j] > m) {
        m = O[row + j];
        best = j;
      }
    }
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(O[row + j] - m);
    const c = labels[i];
    if (best === c) correct++;
    if (clip === 0) {
      lossSum += Math.log(s) - (O[row + c] - m);
      if (dO !== null) {
        const inv = scale / s;
        for (let j = 0; j < cols; j++) dO[row + j] = Math.exp(O[row + j] - m) * inv;
        dO[row + c] -= scale;
      }
    } else {
      const y = (j: number) => Math.min(1 - clip, Math.max(clip, Math.exp(O[row + j] - m) / s));
      lossSum -= Math.log(y(c)) / cols;
      if (dO !== null) {
        for (let j = 0; j < cols; j++) dO[row + j] = y(j) * scale;
        dO[row + c] -= scale;
      }
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
