/**
 * The fingerprint of the code that trains a run: the static import closure of `_run.ts` (which
 * imports this module) and of the MNIST loader, taken once, when this module is loaded. A
 * long-lived kernel keeps the modules it first imported, and so this fingerprint.
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
  /** The folder paths are relative to (not the checkout's). @default {the first entry's folder} */
  root?: URL;
  /** The import map (deno.json's "imports"): a bare specifier hashes as what it maps to. */
  imports?: Readonly<Record<string, string>>;
}

/** `from "x"`, `import "x"`, `import("x")` and `new URL("x", import.meta.url)`. */
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)(["'])([^"'\n]+)\1(?:\s*,\s*import\.meta\.url)?/g;

/** The text without its comments (JSDoc examples import modules the code does not). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|\s)\/\/[^\n]*/g, "$1");
}

/**
 * Hashes the static import closure of the entry modules: every module reached through relative
 * imports outside comments (and `new URL("./x.ts", import.meta.url)`, how workers start) is
 * hashed with its path and its whole text, comments included; a bare or `npm:` specifier is
 * hashed as its text and what `imports` maps it to, so a changed pinned version changes the hash.
 *
 * @param entries The entry modules (file URLs).
 * @param options The root paths are relative to, and the import map.
 * @returns The hash and the modules hashed.
 *
 * @example Two modules, one importing the other
 * ```ts
 * import { codeFingerprint } from "./training_code.ts";
 * import { assertEquals, assertNotEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * const write = (name: string, text: string) => Deno.writeTextFileSync(`${dir}/${name}`, text);
 * write("a.ts", 'import { b } from "./b.ts";\nexport const a = b;');
 * write("b.ts", "export const b = 1;");
 * const a = new URL(`file://${dir}/a.ts`);
 * const before = codeFingerprint([a]);
 * assertEquals(before.files, ["a.ts", "b.ts"]);
 * write("c.ts", "export const c = 2;"); // outside the closure
 * assertEquals(codeFingerprint([a]).hash, before.hash);
 * write("b.ts", "export const b = 2;");
 * assertNotEquals(codeFingerprint([a]).hash, before.hash);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function codeFingerprint(
  entries: readonly URL[],
  options: CodeFingerprintOptions = {},
): CodeFingerprint {
  const { imports = {} } = options;
  const root = (options.root ?? new URL("./", entries[0])).href;
  const texts = new Map<string, string>(); // by path relative to root
  const external = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const url = pending.pop()!;
    const path = url.href.startsWith(root) ? url.href.slice(root.length) : fileURLToPath(url);
    if (texts.has(path)) continue;
    const text = Deno.readTextFileSync(url);
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

/** The modules the training path starts from: a run, and the data it reads. */
export const TRAINING_ENTRIES: readonly URL[] = [
  new URL("../experiment/run/_run.ts", import.meta.url),
  new URL("../data/mnist.ts", import.meta.url),
];

function take(): CodeFingerprint | Error {
  try {
    const root = new URL("../../", import.meta.url);
    const map = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root))).imports ?? {};
    return codeFingerprint(TRAINING_ENTRIES, { root, imports: map });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const taken = take();

/**
 * The training code's fingerprint as loaded in this process, or the error that kept it from being
 * taken (no read permission): without it no run is stored or looked up.
 *
 * @returns The fingerprint, or the error.
 */
export function trainingCode(): CodeFingerprint | Error {
  return taken;
}
