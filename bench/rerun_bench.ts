// How long a reader waits to rerun the chapters, cold and warm, in one run of this script:
//
//   deno task bench:rerun [--chapters 05,06] [--quick] [--no-cold] [--no-report] [--no-clone]
//
// For each chapter, headless (scripts/run_notebooks.py, as the report command runs it, the
// executed copies under build/bench-rerun/, never over notebooks/):
//   cold, off    BACKPROP_CACHE=off: every run trained, none kept (what every run cost before)
//   cold, store  an empty run store: every run trained and kept
//   warm         the same store again: every run reused
//   edited       05 only: one rate (0.0003) added to its plain grid's RATES, on the warm store
// then the report's notebooks (every one, an audit of 2 reused runs each; the HTML step, a few
// seconds, is not timed) on the warm store, and on a fresh clone of HEAD whose store is seeded
// from its committed data/results/ (the seeding timed too). Each line says
// what the chapter's provenance line counted (runs reused and trained). Last, the store's own
// work per run (key, look-up, sealed write) against a run's training time. Asserts nothing.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { machine } from "./_machine.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { resolveTrainMlpConfig } from "../lib/nn/train_mlp.ts";
import { dataHash, runKey, runKeyParts } from "../lib/store/run_key.ts";
import { RunStore } from "../lib/store/run_store.ts";
import { defaultBackend } from "../lib/tensor/get_backend.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    chapters: { type: "string", default: "05,06" },
    quick: { type: "boolean", default: false },
    "no-cold": { type: "boolean", default: false },
    "no-report": { type: "boolean", default: false },
    "no-clone": { type: "boolean", default: false },
  },
});
const chapters = values.chapters.split(",").map((c) => c.trim().padStart(2, "0"));
const OUT = join(ROOT, "build/bench-rerun");
await Deno.remove(OUT, { recursive: true }).catch(() => {});
await Deno.mkdir(OUT, { recursive: true });
const python = "/usr/bin/python3";
const jupyterPath = Deno.env.get("JUPYTER_PATH") ?? join(ROOT, ".jupyter/share/jupyter");

/** One timed execution and what its provenance lines said. */
interface Row {
  what: string;
  mode: string;
  seconds: number;
  runs: string;
}
const rows: Row[] = [];

/** The notebook file of a chapter number, in a project folder. */
function notebookOf(chapter: string, root = ROOT): string {
  const name = [...Deno.readDirSync(join(root, "notebooks"))].map((e) => e.name)
    .find((n) => n.startsWith(`${chapter}-`) && n.endsWith(".ipynb"));
  if (name === undefined) throw new Error(`No notebook ${chapter}-*.ipynb in ${root}notebooks/`);
  return join(root, "notebooks", name);
}

/** The provenance lines of executed notebooks (those that have one), shortened to their counts. */
function provenanceOf(paths: string[]): string {
  return paths.map((path) => {
    const cells = JSON.parse(Deno.readTextFileSync(path)).cells as {
      source: string[];
      outputs?: { data?: Record<string, string | string[]> }[];
    }[];
    const cell = cells.find((c) => c.source.join("").includes("provenance()"));
    const text = [cell?.outputs?.[0]?.data?.["text/markdown"] ?? ""].flat().join("");
    const counts = /; (\d+ runs?: .*?)\.?$/.exec(text.trim())?.[1];
    return counts === undefined ? [] : [`${path.split("/").at(-1)!.slice(0, 2)}: ${counts}`];
  }).flat().join(" | ") || "no provenance line";
}

/** Executes notebooks headlessly into `out` with an environment; returns seconds. */
async function execute(notebooks: string[], env: Record<string, string>, out: string) {
  const started = performance.now();
  const output = await new Deno.Command(python, {
    args: [
      join(ROOT, "scripts/run_notebooks.py"),
      "execute",
      ...(values.quick ? ["--quick"] : []),
      "--out",
      out,
      ...notebooks,
    ],
    env: { JUPYTER_PATH: jupyterPath, NO_COLOR: "1", BACKPROP_AUDIT: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  if (!output.success) {
    throw new Error(`run_notebooks.py failed:\n${new TextDecoder().decode(output.stderr)}`);
  }
  return seconds;
}

/** Runs `execute` on notebooks and records the row. */
async function timed(what: string, mode: string, notebooks: string[], env: Record<string, string>) {
  const out = join(OUT, `${what}-${mode}`.replace(/[^a-z0-9-]+/gi, "-"));
  const seconds = await execute(notebooks, env, out);
  const executed = notebooks.map((n) => join(out, n.split("/").at(-1)!));
  const row = { what, mode, seconds, runs: provenanceOf(executed) };
  rows.push(row);
  console.log(
    `${what.padEnd(10)} ${mode.padEnd(12)} ${seconds.toFixed(1).padStart(7)} s  ${row.runs}`,
  );
  return row;
}

for (const line of machine()) console.log(line);
const backend = defaultBackend();
console.log(`backend: ${backend.identity()}`);
console.log(`mode: ${values.quick ? "quick (BACKPROP_QUICK=1)" : "full"}\n`);

const warmStore = join(OUT, "store");
for (const chapter of chapters) {
  const notebook = notebookOf(chapter);
  const store = `${warmStore}-${chapter}`;
  if (!values["no-cold"]) {
    await timed(chapter, "cold, off", [notebook], { BACKPROP_CACHE: "off" });
    await timed(chapter, "cold, store", [notebook], { BACKPROP_CACHE: store });
  } else {
    await execute([notebook], { BACKPROP_CACHE: store }, join(OUT, "warm-up"));
  }
  await timed(chapter, "warm", [notebook], { BACKPROP_CACHE: store });
  if (chapter === "05") {
    const text = Deno.readTextFileSync(notebook);
    const edited = text.replace("const RATES = [0.001,", "const RATES = [0.0003, 0.001,");
    if (edited === text) {
      throw new Error("05's settings cell has no `const RATES = [0.001,` to edit");
    }
    // the copy sits beside the chapters so that ../lib/mod.ts resolves as it does for them
    const beside = join(ROOT, "notebooks", "_bench-rerun-edited.ipynb");
    Deno.writeTextFileSync(beside, edited);
    try {
      await timed(chapter, "edited", [beside], { BACKPROP_CACHE: store });
    } finally {
      Deno.removeSync(beside);
    }
  }
}

if (!values["no-report"]) {
  // the report on the warm stores of the chapters: every notebook, 2 audits each, then the HTML
  const all = [...Deno.readDirSync(join(ROOT, "notebooks"))].map((e) => e.name)
    .filter((n) => /^\d\d-.*\.ipynb$/.test(n)).sort().map((n) => join(ROOT, "notebooks", n));
  // one store holding every chapter's runs (entries are files named by key: folders merge)
  const store = `${warmStore}-report`;
  await Deno.mkdir(store, { recursive: true });
  for (const chapter of chapters) {
    await new Deno.Command("cp", { args: ["-r", `${warmStore}-${chapter}/.`, store] }).output();
  }
  await execute(all, { BACKPROP_CACHE: store }, join(OUT, "report-warm-up"));
  const started = performance.now();
  await timed("report", "warm, audit 2", all, { BACKPROP_CACHE: store, BACKPROP_AUDIT: "2" });
  rows.at(-1)!.seconds = (performance.now() - started) / 1000;
  if (!values["no-clone"]) {
    const clone = join(OUT, "clone");
    const run = async (command: string, args: string[], cwd?: string) => {
      const output = await new Deno.Command(command, { args, cwd, stderr: "piped" }).output();
      if (!output.success) {
        throw new Error(`${command} failed: ${new TextDecoder().decode(output.stderr)}`);
      }
    };
    await run("git", ["clone", "--quiet", ROOT, clone]);
    // what the report command does on a fresh clone: build the kernels, seed the store, run
    await run(Deno.execPath(), ["run", "-A", "scripts/build_wasm.ts"], clone);
    const cloneStore = join(OUT, "store-clone");
    const started = performance.now();
    await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(clone, "scripts/seed_run_store.ts")],
      env: { BACKPROP_CACHE: cloneStore },
    }).output();
    const cloned = all.map((path) => join(clone, "notebooks", path.split("/").at(-1)!));
    await timed("report", "fresh clone", cloned, {
      BACKPROP_CACHE: cloneStore,
      BACKPROP_AUDIT: "2",
    });
    rows.at(-1)!.seconds = (performance.now() - started) / 1000;
  }
}

// the store's own work for one run of 5 epochs of batch 50: key, look-up (a miss), sealed write
const mnist = await loadMnist({});
let started = performance.now();
const sha = dataHash(mnist);
const hashSeconds = (performance.now() - started) / 1000;
const store = new RunStore(join(OUT, "store-overhead"));
const losses = new Float32Array(5 * 1100).map((_, i) => 2 / (1 + i));
const N = 20;
started = performance.now();
for (let seed = 0; seed < N; seed++) {
  const config = resolveTrainMlpConfig({ lr: 0.1, seed, backend });
  const parts = runKeyParts(
    { config, cores: 1, split: "validation", trainLimit: Infinity, evalLimit: Infinity },
    sha,
    backend,
  )!;
  const key = runKey(parts);
  store.get(key);
  store.put({
    key,
    parts,
    run: { config, numBatches: 1100, batchLosses: losses, epochs: [], diverged: null, seconds: 1 },
  });
}
const perRun = (performance.now() - started) / 1000 / N;
console.log(
  `\nthe store's work: the data's SHA-256 once per grid ${(1000 * hashSeconds).toFixed(0)} ms; ` +
    `per run (key, look-up, sealed write of 5,500 losses) ${(1000 * perRun).toFixed(1)} ms`,
);

console.log("\n| chapter | mode | seconds | runs (provenance) |\n|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.what} | ${r.mode} | ${r.seconds.toFixed(1)} | ${r.runs} |`);
}
