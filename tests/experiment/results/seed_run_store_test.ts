import { assertEquals } from "@std/assert";
import { runGrid } from "../../../lib/experiment/run/run_grid.ts";
import { saveGridResult } from "../../../lib/experiment/results/results_file.ts";
import { seedRunStore } from "../../../lib/experiment/results/load_grid_result.ts";
import { RunStore } from "../../../lib/store/run_store.ts";
import { polars } from "../../../lib/frame/polars.ts";
import { QUICK } from "../_fixture.ts";

Deno.test("seedRunStore() fills a store from results files, and a grid then reuses every run", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const options = { ...QUICK, lrs: [0.1, 0.3], seeds: [1], workers: 1 };
    const first = await runGrid({ ...options, store: new RunStore(`${dir}/first`) });
    Deno.mkdirSync(`${dir}/results`);
    saveGridResult(first, `${dir}/results/grid.parquet`);
    polars().DataFrame({ peer: ["numpy"] }).writeParquet(`${dir}/results/peers.parquet`);
    const store = new RunStore(`${dir}/fresh`);
    assertEquals(seedRunStore(store, `${dir}/results`), {
      files: 1,
      added: 2,
      present: 0,
      unkeyed: 0,
    });
    assertEquals(seedRunStore(store, `${dir}/results`), {
      files: 1,
      added: 0,
      present: 2,
      unkeyed: 0,
    });
    const reused = await runGrid({ ...options, store });
    assertEquals([reused.config.runsReused, reused.config.runsTrained], [2, 0]);
    assert32(reused.records.map((r) => r.batchLosses), first.records.map((r) => r.batchLosses));
    assertEquals(
      reused.records.map((r) => r.epochs.map(({ trainSeconds: _, ...e }) => e)),
      first.records.map((r) => r.epochs.map(({ trainSeconds: _, ...e }) => e)),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Float32 arrays equal bit for bit. */
function assert32(a: Float32Array[], b: Float32Array[]): void {
  assertEquals(
    a.map((x) => [...new Uint32Array(x.buffer, x.byteOffset, x.length)]),
    b.map((x) => [...new Uint32Array(x.buffer, x.byteOffset, x.length)]),
  );
}
