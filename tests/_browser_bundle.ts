/**
 * Bundling for the browser in tests: an entry bundled by `deno bundle --platform browser`, the
 * check that a bundle holds nothing a browser cannot load, and running a module in Node (where
 * there is no `Deno`), for every test that bundles lib/ for a browser.
 *
 * @module
 */

import { assert } from "@std/assert";

const root = new URL("../", import.meta.url);

/** Options of {@linkcode bundle}. */
export interface BundleOptions {
  /** The bundle's file. @default {bundle.js in a new temporary folder} */
  out?: string;
  /** Minify the bundle. @default {false} */
  minify?: boolean;
}

/**
 * Bundles an entry (a path from the project's root) for the browser.
 *
 * @param entry The entry module.
 * @param options Where to, and whether minified.
 * @returns The bundle's path.
 */
export async function bundle(entry: string, options: BundleOptions = {}): Promise<string> {
  const out = options.out ??
    `${await Deno.makeTempDir({ prefix: "backprop-bundle-" })}/bundle.js`;
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      ...(options.minify ? ["--minify"] : []),
      entry,
      "-o",
      out,
    ],
    cwd: root.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(run.success, `deno bundle ${entry} failed:\n${new TextDecoder().decode(run.stderr)}`);
  return out;
}

/**
 * What a bundle must not hold to run in a browser: a `node:` import, nodejs-polars, linkedom, a
 * Worker started from a .ts file. Each finding names what it found.
 *
 * @param code The bundle's text.
 * @returns The findings, none for a bundle a browser can load.
 */
export function browserProblems(code: string): string[] {
  const problems = [
    ...code.matchAll(/(?:from|import|require)\s*\(?\s*["'](node:[\w/]+)["']/g),
  ].map((m) => `imports ${m[1]}`);
  for (const name of ["nodejs-polars", "linkedom"]) {
    if (code.includes(name)) problems.push(`holds ${name}`);
  }
  problems.push(
    ...[...code.matchAll(/new\s+Worker\(\s*new\s+URL\(\s*["']([^"']+\.ts)["']/g)]
      .map((m) => `starts a Worker from ${m[1]}`),
  );
  return problems;
}

/**
 * Runs an ES module's text with Node (no `Deno` global).
 *
 * @param module The module's source.
 * @returns Its stdout; throws with its stderr when it fails.
 */
export async function runInNode(module: string): Promise<string> {
  const run = await new Deno.Command("node", {
    args: ["--input-type=module", "-e", module],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(run.stderr);
  assert(run.success, `node failed:\n${stderr}`);
  return new TextDecoder().decode(run.stdout);
}
