// lib/browser.ts with the MLP, as the browser gets it: the bundle holds nothing a browser cannot
// load (tests/_browser_bundle.ts's check), and it trains a 784-30-10 network on 200 real MNIST
// images in Node (no `Deno`) as trainMlp does in Deno: the same loop as trainConfigured's
// (Mlp.init, BatchLoader, oneCore, evaluate) on the js backend. Not bit for bit in general: the js
// backend calls Math.exp (sigmoid, softmax) and Math.log (the loss), which Deno's V8 computes
// differently from Node's in the last bit for some arguments. Measured: the float32 weights came
// out equal (a last-bit difference of a double rarely moves its float32 rounding), the batch losses
// (summed in double, through Math.log) differ by up to 1e-7. Held to 1e-5: float32's epsilon is
// 1.2e-7, and a rounding that went the other way would move later steps by a few ulps.
import { assert, assertEquals } from "@std/assert";
import { loadMnist } from "../lib/data/mnist.ts";
import { trainMlp } from "../lib/nn/train_mlp.ts";
import { jsBackend } from "../lib/tensor/backends/js.ts";
import { browserProblems, bundle, runInNode } from "./_browser_bundle.ts";

// a small run: 200 training and 100 validation images, 2 epochs of 10 batches
const RUN = { lr: 0.5, seed: 3, epochs: 2, batchSize: 20, hidden: [30] };
const LIMITS = { trainLimit: 200, evalLimit: 100 };
const TOLERANCE = 1e-5;

Deno.test("lib/browser.ts with the MLP bundles for the browser without Node modules, addons or .ts Workers", async () => {
  const code = await Deno.readTextFile(await bundle("lib/browser.ts"));
  assertEquals(browserProblems(code), []);
  for (const name of ["Mlp", "Sgd", "Adam", "evaluate", "oneCore", "LabelledImages"]) {
    assert(new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`).test(code), `the bundle exports ${name}`);
  }
});

/**
 * The module that trains RUN on the bundle at `bundleUrl`, from the bytes in the files named,
 * and prints its weights, batch losses and evaluation as JSON.
 */
const trainingModule = (bundleUrl: string, files: Record<string, string>) => `
  import { readFileSync } from "node:fs";
  if (typeof Deno !== "undefined") throw new Error("Deno is defined");
  const { BatchLoader, LabelledImages, Mlp, Random, evaluate, jsBackend, oneCore } =
    await import(${JSON.stringify(bundleUrl)});
  const bytes = (name) => new Uint8Array(readFileSync(${JSON.stringify(files)}[name]));
  const train = new LabelledImages(bytes("trainImages"), bytes("trainLabels"));
  const validation = new LabelledImages(bytes("evalImages"), bytes("evalLabels"));
  const run = ${JSON.stringify(RUN)}, backend = jsBackend, random = new Random(run.seed);
  const mlp = Mlp.init({ sizes: [784, ...run.hidden, 10], random, backend });
  const X = backend.matrix(1, run.batchSize * 784).data;
  const loader = new BatchLoader(train, { batchSize: run.batchSize, random, X, compact: true });
  const stepper = oneCore(mlp, {
    optimizer: "sgd", lr: run.lr, momentum: 0, schedule: "constant", loss: "crossEntropy",
    batchSize: run.batchSize, totalSteps: run.epochs * loader.numBatches,
  });
  const losses = [];
  for (let epoch = 0; epoch < run.epochs; epoch++) {
    for (const step of stepper.epoch(loader.epoch())) losses.push(step.loss);
  }
  console.log(JSON.stringify({
    weights: mlp.weights.map((W) => Array.from(W.data)),
    biases: mlp.biases.map((b) => Array.from(b.data)),
    losses,
    evaluation: evaluate(mlp, validation),
  }));
`;

Deno.test("lib/browser.ts's bundle trains the MLP without Deno (Node) as trainMlp does in Deno, to 1e-5", async () => {
  const { train, eval: validation } = await loadMnist(LIMITS);
  const dir = await Deno.makeTempDir({ prefix: "backprop-mlp-" });
  const files = {
    trainImages: train.images,
    trainLabels: train.labels,
    evalImages: validation.images,
    evalLabels: validation.labels,
  };
  const paths: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    paths[name] = `${dir}/${name}`;
    await Deno.writeFile(paths[name], data);
  }
  const node = JSON.parse(await runInNode(trainingModule(await bundle("lib/browser.ts"), paths)));
  const deno = trainMlp({ train, eval: validation }, { ...RUN, backend: jsBackend });
  const largest = (name: string, theirs: number[][], ours: Float32Array[]) => {
    assertEquals(theirs.map((t) => t.length), ours.map((o) => o.length), `${name}: shapes`);
    let difference = 0;
    ours.forEach((o, l) =>
      o.forEach((v, i) => difference = Math.max(difference, Math.abs(v - theirs[l][i])))
    );
    console.log(`${name}: Node and Deno differ by at most ${difference.toExponential(2)}`);
    assert(difference <= TOLERANCE, `${name}: Node's run differs by ${difference} from Deno's`);
    return difference;
  };
  largest("weights", node.weights, deno.mlp.weights.map((W) => W.data));
  largest("biases", node.biases, deno.mlp.biases.map((b) => b.data));
  largest("batch losses", [node.losses], [deno.batchLosses]);
  const last = deno.epochs.at(-1)!;
  assertEquals(node.evaluation.count, validation.count);
  assert(
    Math.abs(node.evaluation.loss - last.evalLoss) <= TOLERANCE,
    `validation loss: Node ${node.evaluation.loss}, Deno ${last.evalLoss}`,
  );
  // an image whose two largest logits are within rounding could flip: allow one
  const flipped = Math.abs(node.evaluation.accuracy - last.evalAccuracy) * validation.count;
  assert(
    flipped <= 1,
    `validation accuracy: Node ${node.evaluation.accuracy}, Deno ${last.evalAccuracy}`,
  );
  assert(last.evalAccuracy > 0.5, `the run learns: ${last.evalAccuracy}`);
  await Deno.remove(dir, { recursive: true });
});
