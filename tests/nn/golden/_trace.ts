// The golden trace shared by its test (tests/nn/golden_trace_test.ts) and its writer
// (tests/nn/golden/write_golden.ts): the seeded runs, how a run is summed up, the fixtures' files,
// the tolerance of each backend with its reason, and the comparison with its message.
import { loadMnist } from "../../../lib/data/mnist.ts";
import { type LabelledSource, trainMlp, type TrainMlpOptions } from "../../../lib/nn/train_mlp.ts";
import type { Backend } from "../../../lib/tensor/backend.ts";

/** The command that rewrites every fixture of the backends that load here. */
export const WRITE_COMMAND = "deno run -A tests/nn/golden/write_golden.ts --write";

/**
 * The run every configuration shares: the 784-300-10 network on the first 1,000 training images
 * of the course's split, batch 50, one epoch: 20 steps.
 */
export const GOLDEN_RUN = { trainLimit: 1000, batchSize: 50, epochs: 1, seed: 0, steps: 20 };

/** The configurations traced, by name: each changes one thing from plain SGD. */
export const GOLDEN_CONFIGS = {
  sgd: { lr: 0.1 },
  sgdDense: { lr: 0.1, compact: false }, // the first layer's dense product, no column compaction
  momentum: { lr: 0.1, momentum: 0.9 },
  adam: { lr: 0.001, optimizer: "adam" },
  // the student report's loss (clipped into [0.0001, 0.9999], scaled by 1/10) on N(0, 1) weights,
  // notebook 05's one-change variant: the logits are large, so the clip acts from the first step
  seedReport: { lr: 0.1, init: "standardNormal", loss: "seedReport" },
  // the report's whole set-up, N(1, 1) weights: every sigmoid saturates, the loss counts clipped
  // predictions, the same on every backend. At lr 0.01 and above its huge logits make the run
  // chaotic (backends part by 1e-4 to 30% within 20 steps), hence lr 0.001
  seedReportInit: { lr: 0.001, init: "seedReport", loss: "seedReport" },
  reluHe: { lr: 0.1, activation: "relu", init: "he" },
  tanhGlorot: { lr: 0.1, activation: "tanh", init: "glorot" },
} as const satisfies Record<string, Partial<TrainMlpOptions>>;

/** The name of a configuration of {@linkcode GOLDEN_CONFIGS}. */
export type GoldenConfigName = keyof typeof GOLDEN_CONFIGS;

/** The configurations' names, in order. */
export const GOLDEN_CONFIG_NAMES = Object.keys(GOLDEN_CONFIGS) as GoldenConfigName[];

/** Sums of one parameter matrix after the run, in float64 in storage order. */
export interface Checksum {
  /** "W0", "b0", "W1", "b1": the layer's weights or biases. */
  name: string;
  /** Σ w. */
  sum: number;
  /** Σ |w|. */
  sumAbs: number;
  /** Σ w². */
  sumSq: number;
}

/** What one configuration's run leaves: every batch loss and the final parameters' sums. */
export interface Trace {
  /** The configuration's options besides {@linkcode GOLDEN_RUN}'s. */
  options: Record<string, unknown>;
  /** The loss of every batch, float32 values. */
  batchLosses: number[];
  /** The sums of each weight and bias matrix, layer by layer. */
  params: Checksum[];
}

/** A backend's fixture: one trace per configuration. */
export interface Fixture {
  /** What the file is and how to rewrite it. */
  note: string;
  /** The backend's name. */
  backend: string;
  /** Where and with what it was written (not compared). */
  writtenOn: Record<string, string | number>;
  /** The shared run. */
  run: typeof GOLDEN_RUN;
  /** The traces, by configuration. */
  configs: Record<string, Trace>;
}

/** A backend's tolerance on the trace, with its reason. */
export interface Tolerance {
  /** The largest relative difference accepted (0: bit for bit). */
  relative: number;
  /** Why. */
  why: string;
}

/**
 * The tolerance of a backend. js and wasm are held bit for bit: their float arithmetic is fixed
 * by the languages (IEEE single and double operations, V8's software Math.exp and Math.log, no
 * contraction into FMA in JS), single-threaded and in a fixed order. OpenBLAS is not: its gemm
 * kernels are picked per CPU at load time (DYNAMIC_ARCH: Haswell, Zen, SkylakeX, … unless
 * OPENBLAS_CORETYPE pins one) and each blocks and sums in its own order, and its thread count
 * changes the order of some sums too (pinned to 1 here). Measured over these 20-step runs on an
 * AMD EPYC (OpenBLAS 0.3.21, Zen kernels): OpenBLAS is the same from run to run; on 2 threads
 * its losses differ from 1 thread's by up to 1.1e-7 relative at a few steps; OpenBLAS, wasm and
 * js, three summation orders, differ by at most 1.2e-7, and 1.7e-6 on the seedReport trace
 * (large logits). 1e-5 is 5 to 100 times those; a run with another seed differs by more than
 * 1e-2 (tested).
 *
 * @param backend The backend's name.
 * @returns Its tolerance.
 */
export function toleranceFor(backend: string): Tolerance {
  if (backend === "js") {
    return {
      relative: 0,
      why: "the js backend is the reference: fixed-order float32/float64 arithmetic in JS, " +
        "bit for bit on every machine",
    };
  }
  if (backend === "wasm") {
    return {
      relative: 0,
      why: "WebAssembly SIMD in a fixed order on one thread, bit for bit; its relaxed_madd is " +
        "one FMA on every x86-64 CPU with FMA3 (all machines of this project's kind; on one " +
        "without, V8 emits mul + add and the losses move by about 1e-7: regenerate there)",
    };
  }
  if (backend.includes("openblas")) { // any composition whose products are OpenBLAS's
    return {
      relative: 1e-5,
      why: "OpenBLAS sums in an order that depends on the kernel it picks for the CPU (its " +
        "core type) and on its thread count (pinned to 1 for the trace); other summation " +
        "orders move these losses by up to 1.7e-6 relative (measured), 1e-5 leaves room",
    };
  }
  throw new Error(
    `No golden-trace tolerance for the ${backend} backend: add one, with its reason, to ` +
      "toleranceFor() in tests/nn/golden/_trace.ts",
  );
}

/** The folder of the fixtures. */
export const GOLDEN_DIR: URL = new URL("./", import.meta.url);

/**
 * The fixture file of a backend.
 *
 * @param backend The backend's name.
 * @returns Its URL: tests/nn/golden/<backend>.json.
 */
export function fixtureUrl(backend: string): URL {
  return new URL(`${backend}.json`, GOLDEN_DIR);
}

/**
 * A backend's fixture, or null when it has none.
 *
 * @param backend The backend's name.
 * @returns The fixture.
 */
export function readFixture(backend: string): Fixture | null {
  let text;
  try {
    text = Deno.readTextFileSync(fixtureUrl(backend));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  return JSON.parse(text) as Fixture;
}

/** The training images the traces run on (the first 1,000 of the course's training split). */
export async function loadGoldenData(): Promise<{ train: LabelledSource; eval: LabelledSource }> {
  return await loadMnist({ trainLimit: GOLDEN_RUN.trainLimit, evalLimit: 1 });
}

/**
 * Runs one configuration on a backend and sums it up. OpenBLAS's thread count is pinned to 1 for
 * the run (and restored), so the trace does not depend on the machine's number of cores.
 *
 * @param data The training images.
 * @param backend The backend.
 * @param config The configuration's name.
 * @param seed The run's seed. @default {GOLDEN_RUN.seed}
 * @returns The trace.
 */
export function runTrace(
  data: { train: LabelledSource; eval: LabelledSource },
  backend: Backend,
  config: GoldenConfigName,
  seed: number = GOLDEN_RUN.seed,
): Trace {
  const options = GOLDEN_CONFIGS[config];
  const threads = backend.threads?.count();
  if (threads !== undefined && threads !== 1) backend.threads!.set(1);
  try {
    const run = trainMlp(data, {
      ...options,
      seed,
      epochs: GOLDEN_RUN.epochs,
      batchSize: GOLDEN_RUN.batchSize,
      backend,
      evaluateEachEpoch: false,
    });
    const params = run.mlp.weights.flatMap((W, l) => [
      checksum(`W${l}`, W.data),
      checksum(`b${l}`, run.mlp.biases[l].data),
    ]);
    return { options: { ...options }, batchLosses: [...run.batchLosses], params };
  } finally {
    if (threads !== undefined && threads !== 1) backend.threads!.set(threads);
  }
}

function checksum(name: string, values: Float32Array): Checksum {
  let sum = 0, sumAbs = 0, sumSq = 0;
  for (const v of values) {
    sum += v;
    sumAbs += Math.abs(v);
    sumSq += v * v;
  }
  return { name, sum, sumAbs, sumSq };
}

/** One number of a trace that differs from the fixture's. */
export interface Difference {
  /** Which number, e.g. "step 7 loss" or "W0 Σw". */
  what: string;
  /** The fixture's value. */
  expected: number;
  /** This run's value. */
  actual: number;
  /** The relative difference (Σw's relative to Σ|w|). */
  relative: number;
}

/**
 * The numbers of a trace that differ from the fixture's by more than a relative tolerance: every
 * batch loss (relative to the fixture's loss), each matrix's Σ|w| and Σw² (relative to the
 * fixture's) and its Σw (relative to the fixture's Σ|w|, as a sum of mixed signs can be near 0).
 *
 * @param expected The fixture's trace.
 * @param actual This run's trace.
 * @param relative The tolerance.
 * @returns The differences, in order (the steps first).
 */
export function compareTraces(expected: Trace, actual: Trace, relative: number): Difference[] {
  const out: Difference[] = [];
  const check = (what: string, e: number, a: number, scale = Math.abs(e)) => {
    const diff = a === e ? 0 : Math.abs(a - e) / scale; // Infinity or NaN when scale is 0
    if (!(diff <= relative)) out.push({ what, expected: e, actual: a, relative: diff });
  };
  const steps = Math.max(expected.batchLosses.length, actual.batchLosses.length);
  for (let i = 0; i < steps; i++) {
    check(`step ${i + 1} loss`, expected.batchLosses[i] ?? NaN, actual.batchLosses[i] ?? NaN);
  }
  expected.params.forEach((e, i) => {
    const a = actual.params[i] ?? { name: e.name, sum: NaN, sumAbs: NaN, sumSq: NaN };
    check(`${e.name} Σw`, e.sum, a.sum, e.sumAbs);
    check(`${e.name} Σ|w|`, e.sumAbs, a.sumAbs);
    check(`${e.name} Σw²`, e.sumSq, a.sumSq);
  });
  if (actual.params.length !== expected.params.length) {
    check("parameter matrices", expected.params.length, actual.params.length);
  }
  return out;
}

/**
 * Checks a run against a backend's fixture: null when it follows it within the backend's
 * tolerance, else a message naming the backend, the configuration, the first number that
 * differs, by how much, and the command that rewrites the fixture if the change was intended.
 *
 * @param fixture The backend's fixture.
 * @param config The configuration's name.
 * @param actual This run's trace.
 * @returns The message, or null.
 */
export function checkTrace(
  fixture: Fixture,
  config: GoldenConfigName,
  actual: Trace,
): string | null {
  const { backend } = fixture;
  const regenerate = `If the change was intended (Random, initWeights, a kernel, an optimizer ` +
    `or a loss changed on purpose), rewrite this trace with\n  ${WRITE_COMMAND} --backend ` +
    `${backend} --config ${config}\nand commit tests/nn/golden/${backend}.json with the change.`;
  const expected = fixture.configs[config];
  if (expected === undefined) {
    return `The golden fixture of the ${backend} backend has no trace of the ${config} ` +
      `configuration. ${regenerate}`;
  }
  const wanted = { run: GOLDEN_RUN, options: GOLDEN_CONFIGS[config] };
  const found = { run: fixture.run, options: expected.options };
  if (JSON.stringify(found) !== JSON.stringify(wanted)) {
    return `The golden trace of ${config} on ${backend} was written for ` +
      `${JSON.stringify(found)} but the test runs ${JSON.stringify(wanted)}. ${regenerate}`;
  }
  const tolerance = toleranceFor(backend);
  const differences = compareTraces(expected, actual, tolerance.relative);
  if (differences.length === 0) return null;
  const [first] = differences;
  const worst = differences.reduce((a, b) => (b.relative > a.relative ? b : a));
  const show = (d: Difference) =>
    `${d.what}: ${d.actual} against the fixture's ${d.expected} (${d.relative.toExponential(2)} ` +
    "relative)";
  const others = differences.length === 1
    ? "the only number that differs"
    : `${differences.length} numbers differ, the most at ${show(worst)}`;
  return `The ${config} run on the ${backend} backend left its golden trace at ${show(first)}; ` +
    `${others}. Tolerance ` +
    `${tolerance.relative} relative: ${tolerance.why}. ${regenerate}`;
}
