// The line budget of lib/ (`deno task size`): TypeScript lines per top-level folder of lib/ (its
// subfolders included), the .ts files at lib/'s top level, and the total, each against its budget
// in scripts/line_budget.json, with the margin. Lines are counted as `wc -l` counts them (newline
// characters) in every .ts file but tests (*_test.ts; lib/ has none). Exits 1, naming each
// problem, when a folder or the total is past its budget, when a folder of lib/ has no budget, or
// when the budget names a folder that is gone; run by scripts/test.sh before the tests.
//
//   deno run --allow-read scripts/size.ts [--budget FILE] [--lib DIR]
//
// The rule (the budget file's note): later work that adds a capability raises the budget of the
// folder it adds to, in the same commit, and says why.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The budget's key of the .ts files directly in lib/. */
export const TOP_LEVEL = "lib/*.ts";
/** The budget's key of the whole of lib/. */
export const TOTAL = "total";

/**
 * Lines as `wc -l` counts them: the newline characters of a text.
 *
 * @param text The text.
 * @returns The count.
 */
export function wcLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function isCounted(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith("_test.ts");
}

function linesUnder(dir: string): number {
  let lines = 0;
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) lines += linesUnder(path);
    else if (entry.isFile && isCounted(entry.name)) lines += wcLines(Deno.readTextFileSync(path));
  }
  return lines;
}

/**
 * The TypeScript lines of a lib folder: each top-level folder ("lib/nn"), its subfolders counted
 * in it, sorted by name, then the files directly in it ("lib/*.ts").
 *
 * @param libDir The lib folder.
 * @returns Lines by key.
 */
export function countLines(libDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  let topLevel = 0;
  const entries = [...Deno.readDirSync(libDir)].sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(libDir, entry.name);
    if (entry.isDirectory) counts.set(`lib/${entry.name}`, linesUnder(path));
    else if (entry.isFile && isCounted(entry.name)) {
      topLevel += wcLines(Deno.readTextFileSync(path));
    }
  }
  return counts.set(TOP_LEVEL, topLevel);
}

/** The budget file: a note saying the rule, then lines by key ("lib/nn", "lib/*.ts", "total"). */
export type LineBudget = { note: string } & Record<string, number | string>;

/** One row of the table. */
export interface SizeRow {
  /** "lib/nn", "lib/*.ts" or "total". */
  key: string;
  /** Its lines (0 for a budget whose folder is gone). */
  lines: number;
  /** Its budget, or null when it has none. */
  budget: number | null;
}

/** The verdict on a lib folder's counts against a budget. */
export interface SizeVerdict {
  /** The folders in order, then the total. */
  rows: SizeRow[];
  /** Each problem in a sentence; none when every count is within its budget. */
  problems: string[];
}

const number = (n: number) => n.toLocaleString("en-US");

/**
 * Holds the counts against a budget: a folder or the total past its budget, a folder without a
 * budget and a budget without a folder are problems, each named with what to do.
 *
 * @param counts Lines by key, from {@linkcode countLines}.
 * @param budget The budget.
 * @param budgetFile The budget's file, for the messages.
 * @returns The rows and the problems.
 */
export function judgeSizes(
  counts: ReadonlyMap<string, number>,
  budget: LineBudget,
  budgetFile = "scripts/line_budget.json",
): SizeVerdict {
  const rows: SizeRow[] = [];
  const problems: string[] = [];
  const limits = new Map<string, number>();
  for (const [key, value] of Object.entries(budget)) {
    if (key === "note") continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new TypeError(
        `Expected the budget of ${key} in ${budgetFile} to be a whole number of lines but found ${
          JSON.stringify(value)
        }`,
      );
    }
    limits.set(key, value);
  }
  let total = 0;
  for (const [key, lines] of counts) {
    total += lines;
    const limit = limits.get(key);
    rows.push({ key, lines, budget: limit ?? null });
    if (limit === undefined) {
      problems.push(
        `${key} has no budget in ${budgetFile}: add "${key}": ${lines} there in the commit that ` +
          "adds the folder, saying why (or move its files into a folder that has one)",
      );
    } else if (lines > limit) {
      problems.push(
        `${key} is past its budget: ${number(lines)} lines against ${number(limit)} ` +
          `(${number(lines - limit)} over); trim it, or raise its budget in ${budgetFile} in ` +
          "the commit that adds the capability, saying why",
      );
    }
  }
  for (const key of limits.keys()) {
    if (key === TOTAL || counts.has(key)) continue;
    rows.push({ key, lines: 0, budget: limits.get(key)! });
    problems.push(
      `${budgetFile} budgets ${key}, which is not a folder of lib/: remove it, or rename it ` +
        "after the folder that took its files",
    );
  }
  const limit = limits.get(TOTAL);
  rows.push({ key: TOTAL, lines: total, budget: limit ?? null });
  if (limit === undefined) problems.push(`${budgetFile} has no "${TOTAL}"`);
  else if (total > limit) {
    problems.push(
      `lib/ is past its total budget: ${number(total)} lines against ${number(limit)} ` +
        `(${number(total - limit)} over)`,
    );
  }
  return { rows, problems };
}

/**
 * The table of a verdict: key, lines, budget, margin (budget − lines; negative past it).
 *
 * @param verdict The verdict.
 * @returns Its lines.
 */
export function formatSizes(verdict: SizeVerdict): string[] {
  const width = Math.max(...verdict.rows.map((row) => row.key.length), "folder".length) + 2;
  const cell = (text: string) => text.padStart(9);
  const lines = [`${"folder".padEnd(width)}${cell("lines")}${cell("budget")}${cell("margin")}`];
  for (const row of verdict.rows) {
    const margin = row.budget === null ? "–" : number(row.budget - row.lines);
    const budget = row.budget === null ? "none" : number(row.budget);
    const past = row.budget !== null && row.lines > row.budget ? "  PAST" : "";
    lines.push(
      `${row.key.padEnd(width)}${cell(number(row.lines))}${cell(budget)}${cell(margin)}${past}`,
    );
  }
  return lines;
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      budget: { type: "string", default: join(root, "scripts/line_budget.json") },
      lib: { type: "string", default: join(root, "lib") },
    },
  });
  const budget = JSON.parse(Deno.readTextFileSync(values.budget)) as LineBudget;
  const budgetFile = values.budget.startsWith(root)
    ? values.budget.slice(root.length)
    : values.budget;
  const verdict = judgeSizes(countLines(values.lib), budget, budgetFile);
  console.log(`TypeScript lines of lib/ (wc -l, tests excluded) against ${budgetFile}`);
  for (const line of formatSizes(verdict)) console.log(line);
  if (verdict.problems.length > 0) {
    for (const problem of verdict.problems) console.error(`size: ${problem}`);
    Deno.exit(1);
  }
  console.log(`size: every folder within its budget; the rule: ${budget.note}`);
}
