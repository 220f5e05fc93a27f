import { assertEquals, assertThrows } from "@std/assert";
import { fileURLToPath } from "node:url";
import { resultsPath } from "../../../lib/experiment/results/results_path.ts";

const RESULTS = fileURLToPath(new URL("../../../data/results/", import.meta.url));

Deno.test("resultsPath() names a parquet file in data/results", () => {
  assertEquals(resultsPath("lr-sweep"), `${RESULTS}lr-sweep.parquet`);
  assertEquals(resultsPath("final.parquet"), `${RESULTS}final.parquet`);
});

Deno.test("resultsPath() throws on a name that would leave the directory", () => {
  assertThrows(() => resultsPath("../x"), RangeError, 'but found "../x"');
  assertThrows(() => resultsPath(""), RangeError, 'but found ""');
});
