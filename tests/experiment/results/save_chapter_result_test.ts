import { assertEquals } from "@std/assert";
import { saveChapterResult } from "../../../lib/experiment/results/results_path.ts";
import { mixedResult } from "../_fixture.ts";

/** Runs saveChapterResult with the environment variables set as given, then restores them. */
function saveWith(env: Record<string, string | undefined>): string | null {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, Deno.env.get(k)]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
  };
  set(env);
  try {
    return saveChapterResult(mixedResult(), "chapter-result-test");
  } finally {
    set(before);
  }
}

Deno.test("saveChapterResult() writes nothing for a reader, build/ in quick mode, data/results/ for the report", () => {
  assertEquals(saveWith({ BACKPROP_QUICK: undefined, BACKPROP_REPORT: undefined }), null);
  const quick = saveWith({ BACKPROP_QUICK: "1", BACKPROP_REPORT: "1" });
  assertEquals(quick?.endsWith("/build/quick-results/chapter-result-test.parquet"), true);
  Deno.removeSync(quick!);
  const report = saveWith({ BACKPROP_QUICK: undefined, BACKPROP_REPORT: "1" });
  assertEquals(report?.endsWith("/data/results/chapter-result-test.parquet"), true);
  Deno.removeSync(report!);
});
