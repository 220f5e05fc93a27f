import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { loadGridResult } from "../../lib/experiment/results/load_grid_result.ts";
import { runCli } from "./_run_cli.ts";

const PLAN = ["--lr", "0.1,0.3", "--seed", "0,1,2", "--limit", "500", "--hidden", "8"];
const GRID = [...PLAN, "--epochs", "1"];

Deno.test("sweep --shard i/n on each 'machine', then merge, gives the whole sweep's runs", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_merge_" });
  try {
    const whole = join(dir, "whole.parquet");
    assertEquals((await runCli("sweep", [...GRID, "--out", whole])).code, 0);
    const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}.parquet`));
    for (const [i, out] of shards.entries()) {
      const output = await runCli("sweep", [...GRID, "--shard", `${i + 1}/3`, "--out", out]);
      assertEquals(output.code, 0, output.stderr);
      assertEquals(loadGridResult(out).records.map((r) => r.run % 3), [i, i]);
    }
    const merged = join(dir, "merged.parquet");
    const output = await runCli("merge", ["--in", shards.join(","), "--out", merged]);
    assertEquals(output.code, 0, output.stderr);
    const [a, b] = [loadGridResult(merged), loadGridResult(whole)];
    assert(a.batches.frameEqual(b.batches));
    assert(a.epochs.drop("trainSeconds").frameEqual(b.epochs.drop("trainSeconds")));

    const missing = await runCli("merge", [
      "--in",
      shards.slice(0, 2).join(","),
      "--out",
      join(dir, "x.parquet"),
    ]);
    assertEquals(missing.code, 1);
    assertStringIncludes(
      missing.stderr,
      "no file holds the runs 2 (lr 0.1, seed 2), 5 (lr 0.3, seed 2)",
    );
    const twice = await runCli("merge", [
      "--in",
      `${shards[0]},${shards[0]}`,
      "--out",
      join(dir, "x.parquet"),
    ]);
    assertEquals(twice.code, 1);
    assertStringIncludes(
      twice.stderr,
      `Cannot merge ${shards[0]} with ${shards[0]}: both hold run 0 (lr 0.1, seed 0)`,
    );
    const other = join(dir, "other.parquet");
    assertEquals((await runCli("sweep", [...PLAN, "--epochs", "2", "--out", other])).code, 0);
    const foreign = await runCli("merge", [
      "--in",
      `${shards[0]},${other}`,
      "--out",
      join(dir, "x.parquet"),
    ]);
    assertEquals(foreign.code, 1);
    assertStringIncludes(foreign.stderr, "they hold different grids, differing in epochs");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
