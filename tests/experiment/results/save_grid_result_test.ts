import { assert, assertEquals, assertThrows } from "@std/assert";
import pl from "nodejs-polars";
import { join } from "node:path";
import { loadGridResult } from "../../../lib/experiment/results/load_grid_result.ts";
import { saveGridResult } from "../../../lib/experiment/results/results_file.ts";
import { ResultsFile } from "../../../lib/experiment/results/results_file.ts";
import type { GridResult } from "../../../lib/experiment/results/grid_result.ts";
import { fakeResult, mixedResult } from "../_fixture.ts";

/** Runs a test in a fresh temporary folder, removed afterwards whatever happens. */
function inTempDir(test: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "backprop_grid_" });
  try {
    test(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function assertSameResult(actual: GridResult, expected: GridResult): void {
  assertEquals(actual.config, expected.config);
  for (const frame of ["runs", "epochs", "batches"] as const) {
    assertEquals(actual[frame].columns, expected[frame].columns, frame);
    assertEquals(actual[frame].dtypes.map(String), expected[frame].dtypes.map(String), frame);
    assert(actual[frame].frameEqual(expected[frame]), `the ${frame} frames differ`);
  }
  assertEquals(actual.records.length, expected.records.length);
}

Deno.test("saveGridResult() writes one parquet file that loadGridResult() reads back equal", () =>
  inTempDir((dir) => {
    const result = mixedResult();
    const path = saveGridResult(result, join(dir, "nested", "mixed.parquet"));
    assertEquals(path, join(dir, "nested", "mixed.parquet"));
    assertEquals(Deno.readDirSync(join(dir, "nested")).toArray().map((e) => e.name).sort(), [
      ".mixed.parquet.lock", // the writers' advisory lock, kept
      "mixed.parquet",
    ]);
    const back = loadGridResult(path);
    assertSameResult(back, result);
    // NaN and ±∞ survive, in the frames and in the records
    assert(Number.isNaN(back.records[3].diverged!.loss));
    assertEquals(back.records[5].batchLosses[1], Infinity);
  }));

Deno.test("saveGridResult() keeps every configuration field", () =>
  inTempDir((dir) => {
    const result = fakeResult([{ lr: 0.5, seed: 2 ** 40, losses: [1, 2], evalLosses: [0.5] }], {
      split: "test",
      dataDir: "/some/where",
      blasThreads: 1,
      workers: 2,
    });
    const back = loadGridResult(saveGridResult(result, join(dir, "x.parquet")));
    assertSameResult(back, result);
    assertEquals(back.runs.getColumn("seed").toArray(), [2 ** 40]);
  }));

Deno.test("saveGridResult() replaces an existing file and leaves no temporary file", () =>
  inTempDir((dir) => {
    const path = join(dir, "grid.parquet");
    saveGridResult(mixedResult(), path);
    const second = fakeResult([{ lr: 3, seed: 0, losses: [1], evalLosses: [] }]);
    saveGridResult(second, path);
    assertEquals(Deno.readDirSync(dir).toArray().map((e) => e.name).sort(), [
      ".grid.parquet.lock",
      "grid.parquet",
    ]);
    assertEquals(loadGridResult(path).runs.height, 1);
  }));

Deno.test("saveGridResult() leaves the target as it was and no temporary file when the rename fails", () =>
  inTempDir((dir) => {
    const target = join(dir, "taken");
    Deno.mkdirSync(join(target, "inside"), { recursive: true }); // a non-empty directory
    assertThrows(() => saveGridResult(mixedResult(), target));
    assertEquals(Deno.readDirSync(dir).toArray().map((e) => e.name), ["taken"]);
    assertEquals(Deno.readDirSync(target).toArray().map((e) => e.name), ["inside"]);
  }));

Deno.test("loadGridResult() names the file that is not a saved grid", () =>
  inTempDir((dir) => {
    const other = join(dir, "other.parquet");
    pl.DataFrame({ a: [1, 2] }).writeParquet(other);
    assertThrows(
      () => loadGridResult(other),
      Error,
      `Invalid grid result ${other}: expected a results file sealed by saveGridResult`,
    );
    const text = join(dir, "text.parquet");
    Deno.writeTextFileSync(text, "not parquet");
    assertThrows(
      () => loadGridResult(text),
      Error,
      `Invalid grid result ${text}: expected a results file sealed by saveGridResult (a SHA-256 before its parquet footer) but found 11 bytes`,
    );
    assertThrows(
      () => loadGridResult(join(dir, "missing.parquet")),
      Error,
      `Cannot read the grid result ${join(dir, "missing.parquet")}`,
    );
  }));

Deno.test("saveGridResult() refuses a file that is not a results file unless forced", () =>
  inTempDir((dir) => {
    const text = join(dir, "README.md");
    Deno.writeTextFileSync(text, "# notes\n");
    const foreign = join(dir, "other.parquet");
    pl.DataFrame({ a: [1, 2] }).writeParquet(foreign);
    for (const path of [text, foreign]) {
      const before = Deno.readFileSync(path);
      assertThrows(
        () => saveGridResult(mixedResult(), path),
        Error,
        `Cannot write the results file ${path}: a file is there that is not a results file`,
      );
      assertEquals(Deno.readFileSync(path), before);
      saveGridResult(mixedResult(), path, { force: true });
      assertEquals(loadGridResult(path).runs.height, 6);
    }
  }));

Deno.test("ResultsFile.open() refuses a second writer while the first holds the file", () =>
  inTempDir((dir) => {
    const path = join(dir, "grid.parquet");
    {
      using first = ResultsFile.open(path);
      first.write(mixedResult());
      assertThrows(
        () => saveGridResult(mixedResult(), path),
        Error,
        "another command is writing it",
      );
    }
    saveGridResult(mixedResult(), path); // free again once the first is closed
  }));

Deno.test("loadGridResult() refuses a file whose bytes do not match its seal, or without one", () =>
  inTempDir((dir) => {
    const path = saveGridResult(mixedResult(), join(dir, "grid.parquet"));
    const bytes = Deno.readFileSync(path);
    bytes[100] ^= 0xff;
    Deno.writeFileSync(path, bytes);
    assertThrows(
      () => loadGridResult(path),
      Error,
      `Invalid grid result ${path}: its bytes do not match its SHA-256`,
    );
    pl.readParquet(saveGridResult(mixedResult(), path)).writeParquet(path); // the same table, unsealed
    assertThrows(
      () => loadGridResult(path),
      Error,
      `Invalid grid result ${path}: expected a results file sealed`,
    );
  }));

Deno.test("loadGridResult() never loads changed values from a file with a flipped bit", () =>
  inTempDir((dir) => {
    const path = saveGridResult(mixedResult(), join(dir, "grid.parquet"));
    const bytes = Deno.readFileSync(path);
    const original = loadGridResult(path);
    const flipped = join(dir, "flipped.parquet");
    let refused = 0;
    for (let k = 0; k < 300; k++) {
      const bit = Math.floor(((k * 2654435761) % 2 ** 32) / 2 ** 32 * bytes.length * 8);
      const copy = bytes.slice();
      copy[bit >> 3] ^= 1 << (bit & 7);
      Deno.writeFileSync(flipped, copy);
      let back: GridResult;
      try {
        back = loadGridResult(flipped);
      } catch (error) {
        assert(error instanceof Error && error.message.includes(flipped), String(error));
        refused++;
        continue;
      }
      // a flip that polars reads past (padding, statistics) must leave the values as they were
      assertSameResult(back, original);
    }
    assertEquals(refused, 300); // every byte is covered by the seal
  }));
