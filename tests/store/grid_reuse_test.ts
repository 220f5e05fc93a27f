import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runGrid } from "../../lib/experiment/run/run_grid.ts";
import type { GridResult } from "../../lib/experiment/results/grid_result.ts";
import { RunStore } from "../../lib/store/run_store.ts";
import { provenance } from "../../lib/store/provenance.ts";
import { QUICK } from "../experiment/_fixture.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";

/** A run store in a temporary folder. */
function tempStore(): { store: RunStore; [Symbol.dispose](): void } {
  const dir = Deno.makeTempDirSync();
  return {
    store: new RunStore(dir),
    [Symbol.dispose]: () => Deno.removeSync(dir, { recursive: true }),
  };
}

/** Every record field by field, times and keys aside; batch losses as bits. */
function assertSameRuns(a: GridResult, b: GridResult): void {
  assertEquals(a.records.length, b.records.length);
  a.records.forEach((x, i) => {
    const y = b.records[i];
    const { seconds: _, batchLosses: xl, epochs: xe, key: _k, ...xs } = x;
    const { seconds: __, batchLosses: yl, epochs: ye, key: __k, ...ys } = y;
    assertEquals(xs, ys);
    assertEquals(
      new Uint32Array(xl.buffer, xl.byteOffset, xl.length),
      new Uint32Array(yl.buffer, yl.byteOffset, yl.length),
    );
    assertEquals(
      xe.map(({ trainSeconds: _, ...e }) => e),
      ye.map(({ trainSeconds: _, ...e }) => e),
    );
  });
  assert(a.batches.frameEqual(b.batches));
  assert(a.epochs.drop("trainSeconds").frameEqual(b.epochs.drop("trainSeconds")));
  assert(a.runs.drop("seconds").frameEqual(b.runs.drop("seconds")));
}

Deno.test("runGrid() with a run store trains only the runs it cannot find, to the same grid bit for bit", async () => {
  using t = tempStore();
  const options = { ...QUICK, lrs: [0.1, 1000], seeds: [0, 1], batchSize: 2, store: t.store };
  const fresh = await runGrid({ ...options, workers: 2 });
  assertEquals([fresh.config.runsReused, fresh.config.runsTrained], [0, 4]);
  assert(fresh.records.some((r) => r.diverged !== null), "a diverged run is stored too");
  const before = provenance(jsBackend);
  const reused = await runGrid({ ...options, workers: 1 });
  assertEquals([reused.config.runsReused, reused.config.runsTrained], [4, 0]);
  assertSameRuns(reused, fresh);
  assertEquals(provenance(jsBackend).reused - before.reused, 4);
  // one rate more: only its seeds train, and the others equal the fresh grid's
  const trained: number[] = [];
  const grown = await runGrid({
    ...options,
    lrs: [0.1, 1000, 0.3],
    onRun: (r) => trained.push(r.run),
  });
  assertEquals([grown.config.runsReused, grown.config.runsTrained], [4, 2]);
  assertEquals(trained.sort(), [4, 5]);
  const notStored = await runGrid({ ...options, lrs: [0.3], store: null });
  assertEquals([notStored.config.runsReused, notStored.config.runsTrained], [0, 2]);
  assertSameRuns(
    new (grown.constructor as typeof GridResult)(
      grown.config,
      grown.records.slice(4).map((r) => ({ ...r, run: r.run - 4 })),
    ),
    notStored,
  );
});

Deno.test("runGrid() says where its runs came from in its progress line", async () => {
  using t = tempStore();
  await runGrid({ ...QUICK, lrs: [0.1], seeds: [3], store: t.store, workers: 1 });
  const output = await gridInProcess(t.store.dir, { lrs: [0.1, 0.3], progress: "terminal" });
  assertEquals(output.code, 0, output.stderr);
  assertStringIncludes(output.stderr, "grid of 2 runs: 1 reused, 1 trained");
});

Deno.test("runGrid() under BACKPROP_AUDIT=all fails on a stored run re-sealed with a changed value, naming it", async () => {
  using t = tempStore();
  const options = { ...QUICK, lrs: [0.1], seeds: [3], store: t.store, workers: 1 };
  await runGrid(options);
  // change one loss and seal the entry again: only training it again can tell
  const [dir] = [...Deno.readDirSync(t.store.dir)];
  const [file] = [...Deno.readDirSync(`${t.store.dir}/${dir.name}`)];
  const key = file.name.replace(/\.run$/, "");
  const entry = t.store.get(key)!;
  const bytes = Deno.readFileSync(t.store.path(key));
  entry.run.batchLosses[4] += 1e-3;
  t.store.put(entry);
  const audited = await gridInProcess(t.store.dir, {}, { BACKPROP_AUDIT: "all" });
  assertEquals(audited.code, 1);
  assertStringIncludes(audited.stderr, "AuditError");
  assertStringIncludes(audited.stderr, "The stored run lr 0.1, seed 3");
  assertStringIncludes(audited.stderr, t.store.path(key));
  assertStringIncludes(audited.stderr, "the loss of batch 5");
  assertStringIncludes(audited.stderr, "BACKPROP_CACHE=off");
  assertStringIncludes(audited.stderr, "  code: ");
  assert(Deno.statSync(t.store.path(key)).isFile, "nothing deleted");
  // the entry as trained passes the audit
  Deno.writeFileSync(t.store.path(key), bytes);
  const passed = await gridInProcess(t.store.dir, {}, { BACKPROP_AUDIT: "all" });
  assertEquals(passed.code, 0, passed.stderr);
  assertEquals(JSON.parse(passed.stdout), [1, 1, 0]);
});

/**
 * A grid of QUICK's runs at lr 0.1 and seed 3 (or as `options` say) on the store in `dir`, in a
 * process of its own (the audit's budget is read once per process): it prints the runs reused,
 * audited and trained.
 */
async function gridInProcess(
  dir: string,
  options: Record<string, unknown> = {},
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const lib = (path: string) => new URL(`../../lib/${path}`, import.meta.url).href;
  const script = `
    import { runGrid } from "${lib("experiment/run/run_grid.ts")}";
    import { RunStore } from "${lib("store/run_store.ts")}";
    const grid = await runGrid({ ...${JSON.stringify({ ...QUICK, store: undefined })}, lrs: [0.1],
      seeds: [3], workers: 1, ...${JSON.stringify(options)}, store: new RunStore(${
    JSON.stringify(dir)
  }) });
    console.log(JSON.stringify([grid.config.runsReused, grid.config.runsAudited, grid.config.runsTrained]));`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("BACKPROP_AUDIT refuses a value that is not a count or all", async () => {
  const module = new URL("../../lib/store/audit.ts", import.meta.url).href;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import { pickAudits } from "${module}"; pickAudits([1]);`],
    env: { BACKPROP_AUDIT: "some" },
    stderr: "piped",
  }).output();
  assertEquals(output.code, 1);
  assertStringIncludes(
    new TextDecoder().decode(output.stderr),
    'Expected BACKPROP_AUDIT to be a whole number of runs or "all" but found "some"',
  );
});

Deno.test("runGrid({ keepNetworks }) keeps each trained network, in the store too, and it scores as its run did", async () => {
  using t = tempStore();
  const options = { ...QUICK, lrs: [0.3], seeds: [0, 1], store: t.store, keepNetworks: true };
  const { loadMnist } = await import("../../lib/data/mnist.ts");
  const { evaluate } = await import("../../lib/nn/evaluate.ts");
  const { recordNetwork } = await import("../../lib/experiment/results/run_record.ts");
  const { getBackend } = await import("../../lib/tensor/get_backend.ts");
  const data = await loadMnist({ trainLimit: QUICK.trainLimit!, evalLimit: QUICK.evalLimit! });
  // without networks first: those entries cannot serve a grid that keeps networks
  await runGrid({ ...options, keepNetworks: false, workers: 1 });
  const trained = await runGrid({ ...options, workers: 2 });
  assertEquals([trained.config.runsReused, trained.config.runsTrained], [0, 2]);
  const reused = await runGrid({ ...options, workers: 1 });
  assertEquals([reused.config.runsReused, reused.config.runsTrained], [2, 0]);
  assertSameRuns(reused, trained);
  for (const [i, record] of reused.records.entries()) {
    assertEquals(record.network!.sizes, [784, 8, 10]);
    assertEquals(record.network, trained.records[i].network);
    // the grid held OpenBLAS to 1 thread: so does this check, to get the same sums
    const backend = getBackend({ name: record.config.backend as "js" });
    const scored = evaluate(recordNetwork(record, backend), data.eval);
    assertEquals(scored.accuracy, record.epochs.at(-1)!.evalAccuracy);
  }
});
