// Writes the golden traces of tests/nn/golden_trace_test.ts: for each backend that loads here, one
// file tests/nn/golden/<backend>.json holding each configuration's 20 batch losses and the final
// parameters' sums (tests/nn/golden/_trace.ts says what runs). Without --write it only compares
// this code's traces with the committed ones and says which differ (exit 1 when any does).
//
//   deno run -A tests/nn/golden/write_golden.ts                 compare, write nothing
//   deno run -A tests/nn/golden/write_golden.ts --write         rewrite every fixture
//       [--backend js,wasm]        only these backends (default: every one that loads here)
//       [--config adam,seedReport] only these configurations; the fixtures' other traces are
//                                  kept as committed, so an unintended change elsewhere still fails
//
// Run it on purpose, after a change that is meant to move the numbers, and commit the fixtures
// with that change. The files are formatted with deno fmt after writing.
import { parseArgs } from "node:util";
import { availableBackends } from "../../../lib/tensor/get_backend.ts";
import {
  compareTraces,
  type Fixture,
  fixtureUrl,
  GOLDEN_CONFIG_NAMES,
  GOLDEN_RUN,
  type GoldenConfigName,
  loadGoldenData,
  readFixture,
  runTrace,
  toleranceFor,
  type Trace,
  WRITE_COMMAND,
} from "./_trace.ts";

function fail(message: string): never {
  console.error(`write_golden: ${message}`);
  Deno.exit(2);
}

function cpuModel(): string {
  try {
    const line = Deno.readTextFileSync("/proc/cpuinfo").split("\n").find((l) =>
      l.startsWith("model name")
    );
    return line?.split(":")[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    write: { type: "boolean", default: false },
    backend: { type: "string" },
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "usage: deno run -A tests/nn/golden/write_golden.ts [--write] [--backend NAME,…] [--config NAME,…]",
  );
  Deno.exit(0);
}
const loaded = availableBackends();
const backendNames = values.backend?.split(",") ?? loaded.map((b) => b.name);
for (const name of backendNames) {
  if (!loaded.some((b) => b.name === name)) {
    fail(`the ${name} backend does not load here (loaded: ${loaded.map((b) => b.name)})`);
  }
}
const configs = (values.config?.split(",") ?? GOLDEN_CONFIG_NAMES) as GoldenConfigName[];
for (const name of configs) {
  if (!GOLDEN_CONFIG_NAMES.includes(name)) {
    fail(`expected --config to name only ${GOLDEN_CONFIG_NAMES.join(", ")} but found "${name}"`);
  }
}

const data = await loadGoldenData();
const differing: { backend: string; config: string }[] = [];
const written: string[] = [];
for (const backend of loaded.filter((b) => backendNames.includes(b.name))) {
  const old = readFixture(backend.name);
  const { relative } = toleranceFor(backend.name);
  const traces: Record<string, Trace> = {};
  for (const config of configs) {
    const trace = runTrace(data, backend, config);
    traces[config] = trace;
    const before = old?.configs[config];
    let verdict = "new";
    if (before !== undefined) {
      const exact = compareTraces(before, trace, 0);
      const worst = Math.max(0, ...exact.map((d) => d.relative));
      const beyond = compareTraces(before, trace, relative).length > 0;
      if (beyond) differing.push({ backend: backend.name, config });
      verdict = exact.length === 0
        ? "identical"
        : `${beyond ? "DIFFERS" : "within tolerance"}, at most ${worst.toExponential(2)} ` +
          `relative (${exact[0].what} first)`;
    }
    const last = trace.batchLosses.at(-1)!;
    console.log(`${backend.name.padEnd(12)} ${config.padEnd(14)} last loss ${last}: ${verdict}`);
  }
  if (!values.write) continue;
  const kept = old === null ? {} : old.configs;
  const missing = GOLDEN_CONFIG_NAMES.filter((c) => traces[c] === undefined && !kept[c]);
  if (missing.length > 0) {
    fail(`the ${backend.name} fixture would lack ${missing.join(", ")}: run without --config`);
  }
  const fixture: Fixture = {
    note: `Golden trace of trainMlp on the ${backend.name} backend, checked by ` +
      `tests/nn/golden_trace_test.ts; written by ${WRITE_COMMAND} (do not edit by hand)`,
    backend: backend.name,
    writtenOn: {
      date: new Date().toISOString().slice(0, 10),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      cpu: cpuModel(),
      backend: backend.identity(),
    },
    run: GOLDEN_RUN,
    configs: Object.fromEntries(GOLDEN_CONFIG_NAMES.map((c) => [c, traces[c] ?? kept[c]])),
  };
  const url = fixtureUrl(backend.name);
  Deno.writeTextFileSync(url, JSON.stringify(fixture, null, 2) + "\n");
  written.push(url.pathname);
}
if (written.length > 0) {
  const fmt = new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", ...written] });
  if (!(await fmt.output()).success) fail(`deno fmt failed on ${written.join(", ")}`);
  console.log(`wrote ${written.join(", ")}`);
} else if (differing.length > 0) {
  const names = (key: "backend" | "config") => [...new Set(differing.map((d) => d[key]))].join(",");
  console.log(
    `${differing.length} traces differ beyond their tolerance; if that was intended, rewrite ` +
      `them with\n  ${WRITE_COMMAND} --backend ${names("backend")} --config ${names("config")}`,
  );
  Deno.exit(1);
}
