// One runner of bench/mnist_epoch_bench.ts: the 784-300-10 MLP of bench/mnist_numpy.py (sigmoid,
// softmax + mean cross-entropy, plain minibatch SGD at lr 0.3, N(0, 1/fan_in) weights, zero
// biases, the 55,000 training images reshuffled every epoch, seed 0) in TensorFlow.js 4.22 on its
// wasm backend (XNNPACK): tf.variable weights, the forward and backward pass written out with tf
// ops (tf.matMul with its transpose flags, tf.sigmoid, tf.softmax, tf.sum), op for op numpy's,
// and the SGD update by Variable.assign, each step in a tf.tidy. Not optimizer.minimize: it needs
// tfjs's gradient functions, which tfjs-core's Node bundle (what Deno loads) does not register;
// the union package @tensorflow/tfjs does, and tfjs-core's own dist/register_all_gradients.js is
// an ES module with extensionless imports (for bundlers) that Deno cannot load. Same protocol as
// bench/_mnist_epoch_ours.ts, JSON lines over stdin and stdout:
//
//   → {"ready": true, "peer", "version", "blas"}            once the data is loaded
//   ← epochs N                                              train N more epochs
//   → {"epochSeconds": [...], "peakRssMb"}                  their seconds, shuffle included
//   ← done                                                  (or the end of stdin)
//   → {"peer", "epochs", "loss", "accuracy", "peakRssMb"}   scored on the 5,000 validation images
//
// The images are the library's (loadMnist), kept as bytes and scaled to [0, 1] float32 per batch
// (LabelledImages.gather), as numpy does; the generator is the library's (Random, seed 0), so the
// draws are not numpy's. The wasm binary is the one in the npm package's dist folder in Deno's
// npm cache, named to tfjs with setWasmPaths. tfjs picks the SIMD build; its threaded build is off
// under Node (IS_NODE, which Deno's npm compatibility sets) and, when forced on, fails to start its
// workers in Deno (ERR_WORKER_PATH: a blob: URL for worker_threads), so one thread runs.
//
//   deno run --allow-all bench/mnist_tfjs_wasm.ts --batch B [--lr 0.3] [--seed 0]
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths, version_wasm } from "@tensorflow/tfjs-backend-wasm";
import { fileURLToPath } from "node:url";
import { loadMnist, Random } from "../lib/mod.ts";
import { fail, option, peakRssMb, readEpochs, send } from "./_runner_protocol.ts";

const HIDDEN = 300;

const batchSize = Number(option("--batch", "50"));
const lr = Number(option("--lr", "0.3"));
const seed = Number(option("--seed", "0"));
if (!Number.isInteger(batchSize) || batchSize < 1) fail(`expected --batch ≥ 1: ${batchSize}`);

// the wasm backend, its binaries taken from the package's own folder in Deno's npm cache
const distDir = fileURLToPath(
  new URL(".", import.meta.resolve("@tensorflow/tfjs-backend-wasm")),
);
setWasmPaths(distDir);
if (!await tf.setBackend("wasm")) fail("the wasm backend did not initialize");
tf.enableProdMode();
const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
const multithread = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
const variant = simd && multithread ? "simd+threads" : simd ? "simd" : "plain";
const binary = variant === "simd+threads"
  ? "tfjs-backend-wasm-threaded-simd.wasm"
  : variant === "simd"
  ? "tfjs-backend-wasm-simd.wasm"
  : "tfjs-backend-wasm.wasm";
// deno-lint-ignore no-explicit-any
const threads = (tf.backend() as any).wasm?.tfjs?.getThreadsCount?.() ?? NaN;

// the data and the network: N(0, 1/fan_in) weights drawn from one generator, w1 then w2
const data = await loadMnist();
const train = data.train;
const nIn = train.numInputs, nOut = train.numClasses;
const random = new Random(seed);
function normalWeights(fanIn: number, fanOut: number): tf.Variable {
  const values = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < values.length; i++) values[i] = random.normal(0, Math.sqrt(1 / fanIn));
  return tf.variable(tf.tensor2d(values, [fanIn, fanOut]));
}
const w1 = normalWeights(nIn, HIDDEN);
const b1 = tf.variable(tf.zeros([HIDDEN]));
const w2 = normalWeights(HIDDEN, nOut);
const b2 = tf.variable(tf.zeros([nOut]));

function logits(x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(tf.sigmoid(tf.add(tf.matMul(x, w1), b1)), w2), b2);
}

const X = new Float32Array(batchSize * nIn);
const y = new Int32Array(batchSize);
const rate = tf.scalar(lr);

/** One step of SGD on a batch: numpy's forward and backward pass, op for op. */
function step(x: tf.Tensor2D, labels: tf.Tensor2D): void {
  const h = tf.sigmoid(tf.add(tf.matMul(x, w1), b1));
  const p = tf.softmax(tf.add(tf.matMul(h, w2), b2));
  const dO = tf.div(tf.sub(p, labels), x.shape[0]);
  const dH = tf.matMul(dO, w2, false, true);
  const dK = tf.mul(dH, tf.mul(h, tf.sub(1, h)));
  const gW2 = tf.matMul(h, dO, true, false), gB2 = tf.sum(dO, 0);
  const gW1 = tf.matMul(x, dK, true, false), gB1 = tf.sum(dK, 0);
  w2.assign(tf.sub(w2, tf.mul(rate, gW2)));
  b2.assign(tf.sub(b2, tf.mul(rate, gB2)));
  w1.assign(tf.sub(w1, tf.mul(rate, gW1)));
  b1.assign(tf.sub(b1, tf.mul(rate, gB1)));
}

/** One epoch: a fresh permutation, then a step of SGD per batch; waits for the last update. */
function trainEpoch(): void {
  const order = random.permutation(train.count);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.subarray(start, start + batchSize);
    const n = indices.length;
    train.gather(indices, X, y);
    tf.tidy(() => {
      const x = tf.tensor2d(X.subarray(0, n * nIn), [n, nIn]);
      step(x, tf.oneHot(tf.tensor1d(y.subarray(0, n), "int32"), nOut) as tf.Tensor2D);
    });
  }
  b2.dataSync();
}

/** Mean cross-entropy and accuracy on the validation images. */
function evaluate(): { loss: number; accuracy: number } {
  const count = data.eval.count;
  const Xe = new Float32Array(count * nIn), ye = new Int32Array(count);
  data.eval.gather(Array.from({ length: count }, (_, i) => i), Xe, ye);
  return tf.tidy(() => {
    const o = logits(tf.tensor2d(Xe, [count, nIn]));
    const labels = tf.tensor1d(ye, "int32");
    const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, nOut), o).dataSync()[0];
    const accuracy = tf.mean(tf.equal(tf.argMax(o, 1), labels)).dataSync()[0];
    return { loss, accuracy };
  });
}

const peer = "tfjs-wasm";
send({
  ready: true,
  peer,
  version:
    `TensorFlow.js ${tf.version_core} (tfjs-backend-wasm ${version_wasm}), Deno ${Deno.version.deno}`,
  blas: `${variant} (XNNPACK), threads ${threads} (${distDir}${binary})`,
});

let epochs = 0;
for (let asked = readEpochs(); asked > 0; asked = readEpochs()) {
  const seconds: number[] = [];
  for (let e = 0; e < asked; e++) {
    const started = performance.now();
    trainEpoch();
    seconds.push((performance.now() - started) / 1000);
  }
  epochs += asked;
  send({ epochSeconds: seconds, peakRssMb: peakRssMb() });
}
send({ peer, epochs, ...evaluate(), peakRssMb: peakRssMb() });
