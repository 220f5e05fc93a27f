// The "seedReport" loss against the student report's own code, transcribed: for each instance of
// a batch, forward, softmax, np.clip(y, 0.0001, 0.9999), loss −log(y_c)/n_classes and the
// gradients from dL_dSM = y − t, then the gradients averaged over the batch and subtracted
// times the learning rate. The transcription runs in float64 with plain loops, one instance at a
// time; the network (float32, batched, fused) must take the same step.
import { assert, assertAlmostEquals, assertEquals, assertLess } from "@std/assert";
import { Mlp } from "../../lib/nn/mlp.ts";
import { Sgd } from "../../lib/nn/sgd.ts";
import { mnistBatches, testEachBackend } from "./_helpers.ts";

/** The report's per-instance step (its Figure 18), for one hidden layer. */
function reportStep(mlp: Mlp, X: Float32Array, labels: Int32Array, lr: number) {
  const [n0, n1, n2] = mlp.sizes;
  const W1 = Float64Array.from(mlp.weights[0].data), W2 = Float64Array.from(mlp.weights[1].data);
  const b1 = Float64Array.from(mlp.biases[0].data), b2 = Float64Array.from(mlp.biases[1].data);
  const gW1 = new Float64Array(W1.length), gW2 = new Float64Array(W2.length);
  const gb1 = new Float64Array(n1), gb2 = new Float64Array(n2);
  const B = labels.length;
  let lossSum = 0, clipped = 0;
  for (let x = 0; x < B; x++) {
    const input = X.subarray(x * n0, (x + 1) * n0);
    const h = new Float64Array(n1);
    for (let j = 0; j < n1; j++) {
      let s = b1[j];
      for (let i = 0; i < n0; i++) s += input[i] * W1[i * n1 + j];
      h[j] = Math.fround(1 / (1 + Math.exp(-s))); // stored in float32, as the network does
    }
    const o = new Float64Array(n2);
    for (let k = 0; k < n2; k++) {
      let s = b2[k];
      for (let j = 0; j < n1; j++) s += h[j] * W2[j * n2 + k];
      o[k] = s;
    }
    const m = Math.max(...o);
    const e = o.map((v) => Math.exp(v - m));
    const total = e.reduce((a, b) => a + b, 0);
    const y = e.map((v) => {
      const p = v / total;
      const c = Math.min(0.9999, Math.max(0.0001, p));
      if (c !== p) clipped++;
      return c;
    });
    lossSum += (1 / n2) * -Math.log(y[labels[x]]);
    const dSM = y.map((v, k) => v - (k === labels[x] ? 1 : 0));
    for (let k = 0; k < n2; k++) {
      gb2[k] += dSM[k];
      for (let j = 0; j < n1; j++) gW2[j * n2 + k] += dSM[k] * h[j];
    }
    for (let j = 0; j < n1; j++) {
      let dh = 0;
      for (let k = 0; k < n2; k++) dh += dSM[k] * W2[j * n2 + k];
      const dSG = dh * h[j] * (1 - h[j]);
      gb1[j] += dSG;
      for (let i = 0; i < n0; i++) gW1[i * n1 + j] += dSG * input[i];
    }
  }
  const step = (p: Float64Array, g: Float64Array) => p.map((v, i) => v - lr * g[i] / B);
  return {
    loss: lossSum / B,
    clipped,
    weights: [step(W1, gW1), step(W2, gW2)],
    biases: [step(b1, gb1), step(b2, gb2)],
  };
}

/** max |a − b| over max |b|. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

for (const init of ["fanIn", "seedReport"] as const) {
  testEachBackend(
    `Mlp.trainStep() with the "seedReport" loss takes the report's per-instance step (init ${init})`,
    async (backend) => {
      const [{ X, labels }] = await mnistBatches(1, { batchSize: 20, seed: 3 });
      for (const compact of [true, false]) {
        const mlp = Mlp.init({ sizes: [784, 30, 10], init, random: 8, backend, compact });
        const reference = mlp.clone();
        const expected = reportStep(mlp, X.data, labels, 0.3);
        const { loss } = mlp.trainStep(X, labels, {
          optimizer: new Sgd(mlp, { lr: 0.3 }),
          loss: "seedReport",
        });
        const where = `init ${init}, compact ${compact}`;
        assertAlmostEquals(loss, expected.loss, 1e-6 * Math.max(1, expected.loss), where);
        mlp.weights.forEach((W, l) =>
          assertLess(relativeDifference(W.data, expected.weights[l]), 1e-5, `W_${l}, ${where}`)
        );
        mlp.biases.forEach((b, l) =>
          assertLess(relativeDifference(b.data, expected.biases[l]), 1e-5, `b_${l}, ${where}`)
        );
        // the dense reference route agrees too
        reference.forward(X);
        const { grads, loss: referenceLoss } = reference.backward(labels, { loss: "seedReport" });
        new Sgd(reference, { lr: 0.3 }).step(grads);
        assertAlmostEquals(referenceLoss, expected.loss, 1e-6 * Math.max(1, expected.loss), where);
        reference.weights.forEach((W, l) =>
          assertLess(
            relativeDifference(W.data, expected.weights[l]),
            1e-5,
            `reference W_${l}, ${where}`,
          )
        );
        if (init === "seedReport") {
          // from N(1, 1) the softmax is all but one-hot: the clipping is what this case tests
          assert(
            expected.clipped > labels.length,
            `only ${expected.clipped} probabilities clipped`,
          );
          // and the loss recorded is at most −log(0.0001)/10
          assertLess(loss, -Math.log(0.0001) / 10 + 1e-6);
        }
      }
    },
  );
}

testEachBackend(
  'the "seedReport" loss differs from the cross-entropy only where it clips',
  async (backend) => {
    const [{ X, labels }] = await mnistBatches(1, { batchSize: 20, seed: 3 });
    const mlp = Mlp.init({ sizes: [784, 30, 10], random: 8, backend });
    mlp.forward(X);
    const ce = mlp.backward(labels);
    const seed = mlp.backward(labels, { loss: "seedReport" });
    // at the fan-in start no probability is below 0.0001 or above 0.9999: the same gradient
    ce.grads.dW.forEach((dW, l) =>
      assertLess(relativeDifference(seed.grads.dW[l].data, dW.data), 1e-6)
    );
    // and the loss divided by the number of classes
    assertAlmostEquals(seed.loss, ce.loss / 10, 1e-6);
    assertEquals(seed.correct, ce.correct);
  },
);
