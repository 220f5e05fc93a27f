import { assert, assertEquals, assertNotEquals, assertStringIncludes } from "@std/assert";
import { fileURLToPath } from "node:url";
import { LabelledImages } from "../../lib/data/labelled_images.ts";
import { resolveTrainMlpConfig } from "../../lib/nn/train_mlp.ts";
import { dataHash, runKey, runKeyParts } from "../../lib/store/run_key.ts";
import { codeFingerprint, TRAINING_ENTRIES, trainingCode } from "../../lib/store/training_code.ts";
import { loadOpenblas } from "../../lib/tensor/backends/openblas.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";
import { availableBackends } from "../../lib/tensor/get_backend.ts";

const LIB = new URL("../../lib/", import.meta.url);

function sets(byte = 0): { train: LabelledImages; eval: LabelledImages } {
  const images = new Uint8Array(4 * 4).fill(7);
  images[0] = byte;
  return {
    train: new LabelledImages(images, new Uint8Array([0, 1, 0, 1]), {
      rows: 2,
      cols: 2,
      numClasses: 2,
    }),
    eval: new LabelledImages(new Uint8Array(8), new Uint8Array([1, 0]), {
      rows: 2,
      cols: 2,
      numClasses: 2,
    }),
  };
}

const identity = (fields: Record<string, unknown> = {}) => ({
  config: resolveTrainMlpConfig({ lr: 0.1, seed: 0, backend: jsBackend, ...fields }),
  cores: 1,
  split: "validation" as const,
  trainLimit: Infinity,
  evalLimit: Infinity,
});

Deno.test("runKey() changes with every field of the configuration, and not with its order", () => {
  const base = runKey(runKeyParts(identity(), "d", jsBackend)!);
  const changed = [
    { lr: 0.2 },
    { seed: 1 },
    { epochs: 4 },
    { batchSize: 10 },
    { hidden: [301] },
    { activation: "relu" },
    { optimizer: "adam" },
    { momentum: 0.5 },
    { schedule: "cosine" },
    { init: "he" },
    { loss: "seedReport" },
    { stopOnDivergence: false },
    { trainEvalSize: 10 },
    { compact: false },
    { evaluateEachEpoch: false },
  ];
  const keys = changed.map((fields) => runKey(runKeyParts(identity(fields), "d", jsBackend)!));
  assertEquals(new Set([base, ...keys]).size, changed.length + 1);
  for (const other of [{ cores: 2 }, { split: "test" }, { trainLimit: 100 }, { evalLimit: 10 }]) {
    assertNotEquals(
      runKey(runKeyParts({ ...identity(), ...other } as never, "d", jsBackend)!),
      base,
    );
  }
  // the same fields set in another order: the same key
  const { config } = identity();
  const reordered = Object.fromEntries(Object.entries(config).reverse()) as typeof config;
  assertEquals(runKey(runKeyParts({ ...identity(), config: reordered }, "d", jsBackend)!), base);
  // numbers JSON lacks are spelled out
  assertStringIncludes(runKeyParts(identity(), "d", jsBackend)!.config, '"evalLimit":"Infinity"');
});

Deno.test("runKey() changes with one byte of the data, the backend and the runtime", () => {
  const parts = runKeyParts(identity(), dataHash(sets()), jsBackend)!;
  assertNotEquals(dataHash(sets(1)), parts.data);
  assertEquals(dataHash(sets()), parts.data); // the same bytes in other arrays
  for (const backend of availableBackends().slice(1)) {
    assertNotEquals(runKeyParts(identity(), parts.data, backend)!.backend, parts.backend);
  }
  assertNotEquals(runKey({ ...parts, runtime: parts.runtime + " " }), runKey(parts));
  assertEquals(parts.runtime, `deno ${Deno.version.deno}; v8 ${Deno.version.v8}`);
});

Deno.test({
  name: "Backend.identity() holds the wasm kernels' hash",
  ignore: !availableBackends().some((b) => b.name === "wasm"),
  fn() {
    const wasm = availableBackends().find((b) => b.name === "wasm")!;
    assert(/^wasm kernels sha256:[0-9a-f]{64}$/.test(wasm.identity()), wasm.identity());
  },
});

Deno.test({
  name: "Backend.identity() holds the BLAS thread count",
  ignore: !availableBackends().some((b) => b.name === "openblas"),
  fn() {
    const threads = loadOpenblas().threads!.count();
    try {
      const one = loadOpenblas({ numThreads: 1 }).identity();
      const two = loadOpenblas({ numThreads: 2 }).identity();
      assertNotEquals(one, two);
      assert(one.includes("1 thread;") && two.includes("2 threads;"), one);
      assert(one.startsWith("openblas OpenBLAS"), one);
    } finally {
      loadOpenblas({ numThreads: threads });
    }
  },
});

/** A copy of lib/ in a temporary folder, for edits. */
function copyOfLib(): { dir: string; [Symbol.dispose](): void } {
  const dir = Deno.makeTempDirSync();
  new Deno.Command("cp", { args: ["-r", fileURLToPath(LIB), dir] }).outputSync();
  return { dir, [Symbol.dispose]: () => Deno.removeSync(dir, { recursive: true }) };
}

Deno.test("codeFingerprint() of the training path changes with a line in lib/nn, not in lib/report", () => {
  using copy = copyOfLib();
  const root = new URL(`file://${copy.dir}/`);
  const entries = TRAINING_ENTRIES.map((url) =>
    new URL(url.href.slice(LIB.href.length), new URL("lib/", root))
  );
  const fingerprint = () => codeFingerprint(entries, { root });
  const before = fingerprint();
  assert(before.files.includes("lib/nn/sgd.ts"));
  assert(before.files.includes("lib/nn/_two_core_worker.ts"), "a worker's module is code too");
  assert(!before.files.some((f) => f.startsWith("lib/report/")), before.files.join(" "));
  assert(!before.files.includes("lib/experiment/summary/summarize_grid.ts"));
  const edit = (path: string, line: string) =>
    Deno.writeTextFileSync(`${copy.dir}/lib/${path}`, line, { append: true });
  edit("report/plot.ts", "\n// an edit of a plot\n");
  edit("experiment/summary/summarize_grid.ts", "\n// an edit of a summary\n");
  assertEquals(fingerprint().hash, before.hash);
  edit("nn/sgd.ts", "\n// one line\n");
  assertNotEquals(fingerprint().hash, before.hash);
});

Deno.test("trainingCode() is the fingerprint of the training path as this process loaded it", () => {
  const code = trainingCode();
  assert(!(code instanceof Error));
  const root = new URL("../../", import.meta.url);
  const imports = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).imports;
  assertEquals(code.hash, codeFingerprint(TRAINING_ENTRIES, { root, imports }).hash);
});
