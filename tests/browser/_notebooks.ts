/**
 * The project's notebooks as the browser test names them ("03" for
 * notebooks/03-scalar-training-synthetic.ipynb), and their code cells as stored.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { CodeCellOutputs } from "./_find_misplacements.ts";
import type { NotebookOutput } from "./_output_kinds.ts";

/** The repository's root folder, with a trailing slash. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** A notebook of notebooks/: its short name, file name and path. */
export interface NotebookFile {
  /** The number it starts with, e.g. "03". */
  short: string;
  /** The file name, e.g. "03-scalar-training-synthetic.ipynb". */
  name: string;
  /** The absolute path. */
  path: string;
}

/** Every notebook of notebooks/, in order. */
export function notebookFiles(): NotebookFile[] {
  return Array.from(Deno.readDirSync(`${ROOT}notebooks`))
    .map((entry) => entry.name)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => ({ short: name.split("-")[0], name, path: `${ROOT}notebooks/${name}` }));
}

/**
 * The notebook whose number or file name is given ("03", "3", or the file name).
 *
 * @param name The number or file name.
 * @returns The notebook.
 */
export function findNotebook(name: string): NotebookFile {
  const all = notebookFiles();
  const found = all.find((nb) =>
    nb.name === name || nb.short === name || nb.short === name.padStart(2, "0")
  );
  if (!found) {
    throw new RangeError(
      `Expected a notebook number or file name but found "${name}": the notebooks are ${
        all.map((nb) => nb.short).join(", ")
      }`,
    );
  }
  return found;
}

interface StoredCell {
  cell_type: string;
  source: string | string[];
  outputs?: NotebookOutput[];
}

/**
 * The code cells of a notebook file, with the outputs it stores.
 *
 * @param path The notebook's path.
 * @returns Its code cells in order.
 */
export async function readCodeCells(path: string): Promise<CodeCellOutputs[]> {
  const notebook = JSON.parse(await Deno.readTextFile(path)) as { cells: StoredCell[] };
  return notebook.cells
    .filter((cell) => cell.cell_type === "code")
    .map((cell) => ({
      source: Array.isArray(cell.source) ? cell.source.join("") : cell.source,
      outputs: cell.outputs ?? [],
    }));
}

/**
 * The SHA-256 of a file, in hex.
 *
 * @param path The file.
 * @returns Its checksum.
 */
export async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
