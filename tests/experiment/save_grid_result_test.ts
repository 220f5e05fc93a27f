import { assert, assertEquals, assertThrows } from "@std/assert";
import pl from "nodejs-polars";
import { join } from "node:path";
import { loadGridResult } from "../../lib/experiment/load_grid_result.ts";
import { saveGridResult } from "../../lib/experiment/save_grid_result.ts";
import type { GridResult } from "../../lib/experiment/grid_result.ts";
import { fakeResult, mixedResult } from "./_fixture.ts";

function assertSameResult(actual: GridResult, expected: GridResult): void {
  assertEquals(actual.config, expected.config);
  for (const frame of ["runs", "epochs", "batches"] as const) {
    assertEquals(actual[frame].columns, expected[frame].columns, frame);
    assertEquals(actual[frame].dtypes.map(String), expected[frame].dtypes.map(String), frame);
    assert(actual[frame].frameEqual(expected[frame]), `the ${frame} frames differ`);
  }
  assertEquals(actual.records.length, expected.records.length);
}

Deno.test("saveGridResult() writes one parquet file that loadGridResult() reads back equal", () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_grid_" });
  try {
    const result = mixedResult();
    const path = saveGridResult(result, join(dir, "nested", "mixed.parquet"));
    assertEquals(path, join(dir, "nested", "mixed.parquet"));
    assertEquals(Deno.readDirSync(join(dir, "nested")).toArray().map((e) => e.name), [
      "mixed.parquet",
    ]);
    const back = loadGridResult(path);
    assertSameResult(back, result);
    // NaN and ±∞ survive, in the frames and in the records
    assert(Number.isNaN(back.records[3].diverged!.loss));
    assertEquals(back.records[5].batchLosses[1], Infinity);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("saveGridResult() keeps every configuration field", () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_grid_" });
  try {
    const result = fakeResult([{ lr: 0.5, seed: 2 ** 40, losses: [1, 2], evalLosses: [0.5] }], {
      split: "test",
      dataDir: "/some/where",
      blasThreads: 1,
      workers: 2,
    });
    const back = loadGridResult(saveGridResult(result, join(dir, "x.parquet")));
    assertSameResult(back, result);
    assertEquals(back.runs.getColumn("seed").toArray(), [2 ** 40]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("saveGridResult() replaces an existing file and leaves no temporary file", () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_grid_" });
  try {
    const path = join(dir, "grid.parquet");
    saveGridResult(mixedResult(), path);
    const second = fakeResult([{ lr: 3, seed: 0, losses: [1], evalLosses: [] }]);
    saveGridResult(second, path);
    assertEquals(Deno.readDirSync(dir).toArray().map((e) => e.name), ["grid.parquet"]);
    assertEquals(loadGridResult(path).runs.height, 1);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("saveGridResult() leaves the target as it was and no temporary file when the rename fails", () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_grid_" });
  try {
    const target = join(dir, "taken");
    Deno.mkdirSync(join(target, "inside"), { recursive: true }); // a non-empty directory
    assertThrows(() => saveGridResult(mixedResult(), target));
    assertEquals(Deno.readDirSync(dir).toArray().map((e) => e.name), ["taken"]);
    assertEquals(Deno.readDirSync(target).toArray().map((e) => e.name), ["inside"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("loadGridResult() names the file that is not a saved grid", () => {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_grid_" });
  try {
    const other = join(dir, "other.parquet");
    pl.DataFrame({ a: [1, 2] }).writeParquet(other);
    assertThrows(
      () => loadGridResult(other),
      Error,
      `Invalid grid result ${other}: expected a table written by saveGridResult`,
    );
    const text = join(dir, "text.parquet");
    Deno.writeTextFileSync(text, "not parquet");
    assertThrows(
      () => loadGridResult(text),
      Error,
      `Invalid grid result ${text}: expected a parquet file but found 11 bytes`,
    );
    assertThrows(
      () => loadGridResult(join(dir, "missing.parquet")),
      Error,
      `Cannot read the grid result ${join(dir, "missing.parquet")}`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
