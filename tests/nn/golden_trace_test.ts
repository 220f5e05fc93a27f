// The golden trace: seeded 20-step runs of the 784-300-10 network on the first 1,000 training
// images (batch 50), in several configurations (plain SGD, dense, momentum, Adam, the seed
// report's loss and set-up, ReLU with He init, tanh with Glorot init), held on every backend that
// loads here against committed numbers: each batch loss and the sums of the final weights
// (tests/nn/golden/<backend>.json). A change to Random, initWeights, a kernel, an optimizer or a
// loss fails a test that names the backend and the configuration, with the first step that
// differs and by how much. Tolerances, with their reasons, are in tests/nn/golden/_trace.ts
// (toleranceFor): js and wasm bit for bit, OpenBLAS (on one thread) 1e-5 relative.
//
// When the numbers are meant to change, rewrite the fixtures and commit them with the change:
//
//   deno run -A tests/nn/golden/write_golden.ts --write [--backend NAME,…] [--config NAME,…]
//
// (without --write it compares and lists what differs; see the top of write_golden.ts). A
// backend that loads here without a fixture fails until its fixture is written.
import { assert, assertEquals, assertStringIncludes, fail } from "@std/assert";
import { availableBackends, BACKEND_NAMES } from "../../lib/tensor/get_backend.ts";
import {
  checkTrace,
  compareTraces,
  type Fixture,
  GOLDEN_CONFIG_NAMES,
  GOLDEN_DIR,
  GOLDEN_RUN,
  loadGoldenData,
  readFixture,
  runTrace,
  toleranceFor,
  WRITE_COMMAND,
} from "./golden/_trace.ts";

const data = await loadGoldenData();
const backends = availableBackends();
const fixtures = new Map<string, Fixture>();

for (const backend of backends) {
  const fixture = readFixture(backend.name);
  if (fixture === null) {
    Deno.test(`golden trace: the ${backend.name} backend has a fixture`, () => {
      fail(
        `The ${backend.name} backend loads here but has no golden fixture ` +
          `(tests/nn/golden/${backend.name}.json): write it with\n  ${WRITE_COMMAND} ` +
          `--backend ${backend.name}\nand commit it (check toleranceFor() in ` +
          "tests/nn/golden/_trace.ts gives it a tolerance with a reason).",
      );
    });
    continue;
  }
  fixtures.set(backend.name, fixture);
  for (const config of GOLDEN_CONFIG_NAMES) {
    Deno.test(`trainMlp() follows the golden trace: ${backend.name}, ${config}`, () => {
      const problem = checkTrace(fixture, config, runTrace(data, backend, config));
      if (problem !== null) fail(problem);
    });
  }
}

Deno.test("golden trace: every fixture names a shipped backend and holds 20 steps of every configuration", () => {
  for (const entry of Deno.readDirSync(GOLDEN_DIR)) {
    if (!entry.name.endsWith(".json")) continue;
    const name = entry.name.slice(0, -".json".length);
    assert(
      (BACKEND_NAMES as readonly string[]).includes(name),
      `tests/nn/golden/${entry.name} names no backend of BACKEND_NAMES (${BACKEND_NAMES}): ` +
        "delete it, or rename it after the backend's new name",
    );
    const fixture = readFixture(name)!;
    assertEquals(fixture.backend, name);
    assertEquals(Object.keys(fixture.configs), GOLDEN_CONFIG_NAMES, `${entry.name}'s configs`);
    for (const [config, trace] of Object.entries(fixture.configs)) {
      assertEquals(trace.batchLosses.length, GOLDEN_RUN.steps, `${name} ${config} steps`);
      assertEquals(trace.params.map((p) => p.name), ["W0", "b0", "W1", "b1"]);
    }
  }
});

// The fixtures can fail: a run from the next seed (other weights, other batches) leaves every
// trace by far more than the loosest tolerance (1e-5, OpenBLAS's) at some step.
Deno.test("golden trace: a run with seed + 1 differs from the fixture by more than 1000 times the tolerance", () => {
  const loosest = 1e-5;
  for (const backend of backends) {
    const fixture = fixtures.get(backend.name);
    if (fixture === undefined) continue; // failed above
    assert(toleranceFor(backend.name).relative <= loosest);
    for (const config of GOLDEN_CONFIG_NAMES) {
      const other = runTrace(data, backend, config, GOLDEN_RUN.seed + 1);
      const worst = Math.max(
        ...compareTraces(fixture.configs[config], other, 0).map((d) => d.relative),
      );
      assert(
        worst > 1000 * loosest,
        `${backend.name} ${config}: seed + 1 moved the trace by only ${worst}`,
      );
      assert(checkTrace(fixture, config, other) !== null);
    }
  }
});

Deno.test("checkTrace() names the backend, the configuration, the step, the difference and the command", () => {
  const js = fixtures.get("js");
  if (js === undefined) fail("the js backend has no fixture (see above)");
  const trace = structuredClone(js.configs.momentum);
  trace.batchLosses[6] = Math.fround(trace.batchLosses[6] * (1 + 1e-6));
  const message = checkTrace(js, "momentum", trace);
  assert(message !== null, "a change of 1e-6 relative passed the js backend's exact tolerance");
  // the change after rounding to float32, as checkTrace states it
  const [was, now] = [js.configs.momentum.batchLosses[6], trace.batchLosses[6]];
  const relative = (Math.abs(now - was) / Math.abs(was)).toExponential(2);
  for (
    const part of [
      "momentum run on the js backend",
      "step 7 loss",
      `(${relative} relative); the only number that differs`,
      `${WRITE_COMMAND} --backend js --config momentum`,
      "tests/nn/golden/js.json",
    ]
  ) assertStringIncludes(message, part);
  // the same change is within OpenBLAS's tolerance, ten times it is not
  const asOpenblas = { ...js, backend: "openblas" };
  assertEquals(checkTrace(asOpenblas, "momentum", trace), null);
  trace.batchLosses[6] = Math.fround(js.configs.momentum.batchLosses[6] * (1 + 2e-5));
  assertStringIncludes(checkTrace(asOpenblas, "momentum", trace) ?? "", "step 7 loss");
  // a fixture written for other options is refused, saying so
  const stale = { ...js, configs: { ...js.configs, sgd: { ...js.configs.sgd, options: {} } } };
  assertStringIncludes(checkTrace(stale, "sgd", js.configs.sgd) ?? "", "was written for");
});

Deno.test("toleranceFor() covers every shipped backend and refuses an unknown one, naming where to add it", () => {
  for (const name of BACKEND_NAMES) assert(toleranceFor(name).why.length > 0);
  assertEquals(toleranceFor("openblas-js").relative, 1e-5);
  try {
    toleranceFor("webgpu");
    fail("no error");
  } catch (error) {
    assertStringIncludes(String(error), "toleranceFor() in tests/nn/golden/_trace.ts");
  }
});
