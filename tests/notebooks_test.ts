// Every notebook in notebooks/ executed headlessly in quick mode (BACKPROP_QUICK=1) with the
// project's Deno kernel; a cell that raises or writes to stderr fails its test, and so does
// generated prose with a line that Markdown would turn into a numbered list item ("178. The…").
// The executed copies go to build/test-notebooks/, never over the committed notebooks.
import { assert, assertEquals } from "@std/assert";
import { fileURLToPath } from "node:url";
import { existsSync, readdirSync } from "node:fs";

const root = fileURLToPath(new URL("../", import.meta.url));
const python = Deno.env.get("PYTHON") ?? "/usr/bin/python3";
const jupyterPath = Deno.env.get("JUPYTER_PATH") ?? `${root}.jupyter/share/jupyter`;
const notebooks = readdirSync(`${root}notebooks`).filter((name) => name.endsWith(".ipynb")).sort();

for (const name of notebooks) {
  Deno.test(`notebook ${name} runs in quick mode without errors`, async () => {
    assert(
      existsSync(`${jupyterPath}/kernels/backprop/kernel.json`),
      `No Deno kernelspec at ${jupyterPath}/kernels/backprop: run the tests with "bash scripts/test.sh", which sets it up`,
    );
    const run = await new Deno.Command(python, {
      args: [
        `${root}scripts/run_notebooks.py`,
        "execute",
        "--quick",
        "--out",
        `${root}build/test-notebooks`,
        `${root}notebooks/${name}`,
      ],
      env: { JUPYTER_PATH: jupyterPath, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(run.stderr);
    assert(
      run.success,
      `${name} failed in quick mode:\n${stderr.split("\n").slice(-30).join("\n")}`,
    );
    const executed = JSON.parse(await Deno.readTextFile(`${root}build/test-notebooks/${name}`));
    assertEquals(numberedLinesInGeneratedProse(executed), [], `${name}: generated prose`);
  });
}

/** Lines of text/markdown outputs that start like "178. " and so render as a list item. */
function numberedLinesInGeneratedProse(
  notebook: { cells: { outputs?: { data?: Record<string, string | string[]> }[] }[] },
): string[] {
  return notebook.cells.flatMap((cell) => cell.outputs ?? [])
    .map((output) => output.data?.["text/markdown"])
    .filter((text) => text !== undefined)
    .flatMap((text) => (Array.isArray(text) ? text.join("") : text).split("\n"))
    .filter((line) => /^\s{0,3}\d+[.)]\s/.test(line));
}
