/**
 * The HTML report as its tests build it: pages written by the report command's own step
 * (`run_notebooks.py html`) from the committed notebooks into a folder, and the settings a
 * chapter's widget cell displayed.
 *
 * @module
 */

import { assert } from "@std/assert";
import { ROOT } from "./_notebooks.ts";

const python = Deno.env.get("PYTHON") ?? "/usr/bin/python3";

/**
 * Writes the report's pages for some notebooks into a folder.
 *
 * @param folder Where to.
 * @param notebooks The notebooks' file names in notebooks/, e.g. "03-scalar-training-synthetic.ipynb".
 * @returns What the step printed.
 */
export async function buildReportPages(folder: string, notebooks: string[]): Promise<string> {
  const build = await new Deno.Command(python, {
    args: [
      `${ROOT}scripts/run_notebooks.py`,
      "html",
      "--out",
      folder,
      ...notebooks.map((name) => `${ROOT}notebooks/${name}`),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(build.success, `run_notebooks.py html failed:\n${new TextDecoder().decode(build.stderr)}`);
  return new TextDecoder().decode(build.stdout);
}

/**
 * The JSON a chapter's cell tagged `tag` displayed (a widget's settings); fails when there is none.
 *
 * @param chapter The notebook's name without .ipynb.
 * @param tag The cell's tag, e.g. "widget:run-explorer".
 * @returns The cell's application/json output.
 */
export async function taggedJson<T>(chapter: string, tag: string): Promise<T> {
  const notebook = JSON.parse(await Deno.readTextFile(`${ROOT}notebooks/${chapter}.ipynb`));
  const cell = notebook.cells.find((c: { metadata: { tags?: string[] } }) =>
    c.metadata.tags?.includes(tag)
  );
  const output = cell?.outputs?.find((o: { data?: object }) =>
    o.data && "application/json" in o.data
  );
  assert(output, `${chapter}: no cell tagged ${tag} with an application/json output`);
  return output.data["application/json"];
}
