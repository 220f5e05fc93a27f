import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import {
  countLines,
  formatSizes,
  judgeSizes,
  type LineBudget,
  TOP_LEVEL,
  wcLines,
} from "../../scripts/size.ts";

/** A lib folder in a temp directory: nn/ with a subfolder, a test file, a non-.ts file, mod.ts. */
function fakeLib(): string {
  const lib = join(Deno.makeTempDirSync({ prefix: "size_test_" }), "lib");
  Deno.mkdirSync(join(lib, "nn", "deep"), { recursive: true });
  Deno.mkdirSync(join(lib, "data"));
  Deno.writeTextFileSync(join(lib, "nn", "a.ts"), "1\n2\n3\n");
  Deno.writeTextFileSync(join(lib, "nn", "deep", "b.ts"), "1\n2"); // no final newline: 1 line
  Deno.writeTextFileSync(join(lib, "nn", "a_test.ts"), "not\ncounted\n");
  Deno.writeTextFileSync(join(lib, "nn", "kernels.wat"), "not\ncounted\n");
  Deno.writeTextFileSync(join(lib, "data", "c.ts"), "\n\n");
  Deno.writeTextFileSync(join(lib, "mod.ts"), "export {};\n");
  return lib;
}

const budget = (limits: Record<string, number>): LineBudget => ({ note: "the rule", ...limits });

Deno.test("wcLines() counts newlines as wc -l does", () => {
  assertEquals([wcLines(""), wcLines("a"), wcLines("a\n"), wcLines("a\nb"), wcLines("\n\n")], [
    0,
    0,
    1,
    1,
    2,
  ]);
});

Deno.test("countLines() counts each folder with its subfolders, then lib/*.ts, skipping tests and other files", () => {
  const lib = fakeLib();
  try {
    assertEquals([...countLines(lib)], [["lib/data", 2], ["lib/nn", 4], [TOP_LEVEL, 1]]);
  } finally {
    Deno.removeSync(join(lib, ".."), { recursive: true });
  }
});

Deno.test("judgeSizes() passes counts within their budgets and prints the margins", () => {
  const counts = new Map([["lib/data", 2], ["lib/nn", 4], [TOP_LEVEL, 1]]);
  const verdict = judgeSizes(
    counts,
    budget({ "lib/data": 2, "lib/nn": 10, [TOP_LEVEL]: 1, total: 7 }),
  );
  assertEquals(verdict.problems, []);
  assertEquals(verdict.rows.at(-1), { key: "total", lines: 7, budget: 7 });
  const table = formatSizes(verdict);
  assertEquals(table.length, 5);
  assertEquals(table[2].split(/\s+/), ["lib/nn", "4", "10", "6"]);
});

Deno.test("judgeSizes() names a folder past its budget, a folder without one, a budget without a folder and the total", () => {
  const counts = new Map([["lib/data", 2], ["lib/nn", 4], ["lib/options", 3], [TOP_LEVEL, 1]]);
  const { problems, rows } = judgeSizes(
    counts,
    budget({ "lib/data": 2, "lib/nn": 3, "lib/check": 5, [TOP_LEVEL]: 1, total: 9 }),
  );
  assertEquals(problems.length, 4);
  assertStringIncludes(problems[0], "lib/nn is past its budget: 4 lines against 3 (1 over)");
  assertStringIncludes(
    problems[1],
    'lib/options has no budget in scripts/line_budget.json: add "lib/options": 3',
  );
  assertStringIncludes(problems[2], "budgets lib/check, which is not a folder of lib/");
  assertStringIncludes(problems[3], "lib/ is past its total budget: 10 lines against 9 (1 over)");
  assertStringIncludes(formatSizes({ rows, problems }).join("\n"), "-1  PAST");
});

Deno.test("judgeSizes() refuses a budget that is not a whole number of lines, naming it", () => {
  assertThrows(
    () => judgeSizes(new Map(), budget({ "lib/nn": 2.5, total: 3 })),
    TypeError,
    "Expected the budget of lib/nn in scripts/line_budget.json to be a whole number of lines but found 2.5",
  );
});

Deno.test("deno task size's script exits 1 naming the folder past its budget", async () => {
  const lib = fakeLib();
  const file = join(lib, "..", "budget.json");
  try {
    Deno.writeTextFileSync(
      file,
      JSON.stringify(budget({ "lib/data": 2, "lib/nn": 3, [TOP_LEVEL]: 1, total: 100 })),
    );
    const script = new URL("../../scripts/size.ts", import.meta.url).pathname;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", script, "--budget", file, "--lib", lib],
    }).output();
    assertEquals(code, 1);
    assertStringIncludes(new TextDecoder().decode(stdout), "lib/nn");
    assertStringIncludes(new TextDecoder().decode(stderr), "size: lib/nn is past its budget");
  } finally {
    Deno.removeSync(join(lib, ".."), { recursive: true });
  }
});
