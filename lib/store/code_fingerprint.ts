/**
 * A fingerprint of source code: the SHA-256 of every module in the static import closure of
 * some entry modules, read from disk.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

/** What {@linkcode codeFingerprint} returns. */
export interface CodeFingerprint {
  /** SHA-256 (hex) over each module's path (relative to the common root) and its text. */
  hash: string;
  /** The modules hashed, relative to the root, sorted. */
  files: string[];
}

/** Options of {@linkcode codeFingerprint}. */
export interface CodeFingerprintOptions {
  /** Reads a module's text. @default {Deno.readTextFileSync} */
  read?: (url: URL) => string;
  /**
   * The folder module paths are given relative to (so the hash does not depend on where the
   * project is checked out). @default {the first entry's folder}
   */
  root?: URL;
  /** The import map (deno.json's "imports"): a bare specifier hashes as what it maps to. */
  imports?: Readonly<Record<string, string>>;
}

/** `from "x"`, `import "x"`, `import("x")`, `export … from "x"` and `new URL("x", import.meta.url)`. */
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)(["'])([^"'\n]+)\1(?:\s*,\s*import\.meta\.url)?/g;

/** The text with its comments blanked (JSDoc examples import modules the code does not). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|\s)\/\/[^\n]*/g, "$1");
}

/**
 * Hashes the static import closure of the entry modules: every module reached through relative
 * imports (and `new URL("./x.ts", import.meta.url)`, how workers are started) is read and hashed
 * with its path (imports in comments, such as JSDoc examples, are not followed); a bare or `npm:` specifier is hashed as its text (mapped through `imports`), so
 * a pinned version that changes changes the hash. Comments are code too: any edit to a module
 * in the closure changes the hash, an edit to a module outside it does not.
 *
 * @param entries The entry modules (file URLs).
 * @param options How modules are read, and the root their paths are relative to.
 * @returns The hash and the modules hashed.
 *
 * @example Two modules, one importing the other
 * ```ts
 * import { codeFingerprint } from "./code_fingerprint.ts";
 * import { assertEquals, assertNotEquals } from "@std/assert";
 *
 * const files: Record<string, string> = {
 *   "/p/a.ts": 'import { b } from "./b.ts";\nexport const a = b;',
 *   "/p/b.ts": "export const b = 1;",
 *   "/p/c.ts": "export const c = 2;",
 * };
 * const read = (url: URL) => files[url.pathname];
 * const before = codeFingerprint([new URL("file:///p/a.ts")], { read });
 * assertEquals(before.files, ["a.ts", "b.ts"]);
 * files["/p/c.ts"] = "export const c = 3;"; // outside the closure
 * assertEquals(codeFingerprint([new URL("file:///p/a.ts")], { read }).hash, before.hash);
 * files["/p/b.ts"] = "export const b = 2;";
 * assertNotEquals(codeFingerprint([new URL("file:///p/a.ts")], { read }).hash, before.hash);
 * ```
 */
export function codeFingerprint(
  entries: readonly URL[],
  options: CodeFingerprintOptions = {},
): CodeFingerprint {
  const { read = (url: URL) => Deno.readTextFileSync(url), imports = {} } = options;
  const root = (options.root ?? new URL("./", entries[0])).href;
  const texts = new Map<string, string>(); // by path relative to root
  const external = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const url = pending.pop()!;
    const path = url.href.startsWith(root) ? url.href.slice(root.length) : fileURLToPath(url);
    if (texts.has(path)) continue;
    const text = read(url);
    texts.set(path, text);
    for (const match of withoutComments(text).matchAll(SPECIFIER)) {
      const specifier = match[2];
      if (specifier.startsWith("./") || specifier.startsWith("../")) {
        if (/\.(ts|js|mjs|wat)$/.test(specifier)) pending.push(new URL(specifier, url)); // not folders
      } else {
        external.add(`${specifier} → ${imports[specifier] ?? specifier}`);
      }
    }
  }
  const files = [...texts.keys()].sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${file}\0${texts.get(file)}\0`);
  for (const name of [...external].sort()) hash.update(`${name}\0`);
  return { hash: hash.digest("hex"), files };
}
