// The committed notebooks' layout, read from their JSON: what Jupyter, VS Code and GitHub show
// collapsed, the exercises' scaffolds and solutions, the references, and no plumbing printed.
import { assert, assertEquals } from "@std/assert";
import { readdirSync } from "node:fs";

interface Cell {
  cell_type: "code" | "markdown";
  metadata: { tags?: string[]; jupyter?: { source_hidden?: boolean } };
  source: string | string[];
}

const folder = new URL("../notebooks/", import.meta.url);
const notebooks = readdirSync(folder).filter((name) => name.endsWith(".ipynb")).sort();
const cellsOf = (name: string): Cell[] =>
  JSON.parse(Deno.readTextFileSync(new URL(name, folder))).cells;
const text = (cell: Cell) => Array.isArray(cell.source) ? cell.source.join("") : cell.source;
const tagged = (cell: Cell, tag: string) => cell.metadata.tags?.includes(tag) ?? false;

for (const name of notebooks) {
  const cells = cellsOf(name);

  Deno.test(`${name}: every hide-input cell is collapsed in Jupyter, VS Code and GitHub too`, () => {
    const open = cells.map((cell, i) => ({ cell, i }))
      .filter(({ cell }) =>
        tagged(cell, "hide-input") && cell.metadata.jupyter?.source_hidden !== true
      )
      .map(({ i }) => i);
    assertEquals(open, [], `cells tagged hide-input without jupyter.source_hidden: ${open}`);
  });

  Deno.test(`${name}: exercises with a scaffold, solutions collapsed at the end through their checker`, () => {
    const headings = cells.filter((cell) => cell.cell_type === "markdown").map(text).join("\n");
    for (const heading of ["## Exercises", "## References", "## Solutions"]) {
      assert(headings.includes(heading), `no "${heading}" section`);
    }
    const solutions = cells.filter((cell) => tagged(cell, "solution"));
    assert(solutions.length > 0, "no cell tagged solution");
    for (const cell of solutions) {
      assert(
        cell.metadata.jupyter?.source_hidden === true,
        `a solution is not collapsed:\n${text(cell)}`,
      );
      assert(text(cell).includes("require: true"), `a solution skips its checker:\n${text(cell)}`);
    }
    const scaffolds = cells.filter((cell) =>
      cell.cell_type === "code" && !tagged(cell, "solution") &&
      text(cell).includes("checkExercise(")
    );
    assert(scaffolds.length > 0, "no scaffold cell calls checkExercise");
    const last = cells.findLastIndex((cell) => !tagged(cell, "solution"));
    assert(
      cells.slice(last + 1).length === solutions.length,
      "a solution comes before other cells",
    );
  });

  Deno.test(`${name}: prints no run settings ("quick mode: …") into the report`, () => {
    const printing = cells.filter((cell) =>
      cell.cell_type === "code" && /console\.log\(\s*`quick mode/.test(text(cell))
    );
    assertEquals(printing.length, 0);
  });
}
