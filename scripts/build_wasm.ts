// Builds the wasm backend's kernels: assembles lib/tensor/backends/wasm/kernels.wat with wabt into
// four builds in build/wasm/, named by the source's kernelsHash (so a loader never opens a binary
// built from another source), and a manifest naming them with their sizes and SHA-256:
//
//   kernels-<hash>.wasm                    relaxed SIMD, shared memory (Deno's loader, as always)
//   kernels-<hash>-relaxed-unshared.wasm   relaxed SIMD, unshared memory
//   kernels-<hash>-simd-shared.wasm        plain SIMD, shared memory
//   kernels-<hash>-simd-unshared.wasm      plain SIMD, unshared memory
//   kernels-<hash>.json                    the manifest (lib/tensor/backends/_wasm_backend.ts)
//
// The plain builds rewrite every (f32x4.relaxed_madd a b c) as (f32x4.add (f32x4.mul a b) c) and
// are assembled without the relaxed_simd feature, so that none is left (Safari has no relaxed
// SIMD); the unshared builds import (memory 1 65536) instead of a shared one (a browser page that
// is not cross-origin isolated). The older kernels-* files there are deleted. A no-op when the
// manifest for this source exists.
//
//   deno run --allow-read --allow-write scripts/build_wasm.ts
//
// (From the project's root, --allow-read=lib,build --allow-write=build/wasm is enough. wabt is
// fetched from the npm registry into Deno's module cache on the first run; no other permission.)
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import wabtInit from "wabt";
import { KERNELS_SOURCE_URL, kernelsBinaryUrl, kernelsHash } from "../lib/tensor/backends/wasm.ts";
import {
  variantFileName,
  WASM_VARIANTS,
  type WasmManifest,
  type WasmVariant,
} from "../lib/tensor/backends/_wasm_backend.ts";

const SHARED_MEMORY = "(memory 1 65536 shared)";
const MADD = "(f32x4.relaxed_madd";

const root = new URL("../", import.meta.url);
const relative = (url: URL) => decodeURIComponent(url.pathname.slice(root.pathname.length));

/** The source of a build: kernels.wat, its madds and its memory rewritten as the variant asks. */
function variantSource(source: string, variant: WasmVariant): string {
  let text = source;
  if (variant.endsWith("-unshared")) {
    const found = text.split(SHARED_MEMORY).length - 1;
    if (found !== 1) {
      throw new Error(`Expected ${SHARED_MEMORY} once in kernels.wat but found it ${found} times`);
    }
    text = text.replace(SHARED_MEMORY, "(memory 1 65536)");
  }
  return variant.startsWith("simd-") ? withoutRelaxedMadd(text) : text;
}

/** Each (f32x4.relaxed_madd a b c) as (f32x4.add (f32x4.mul a b) c): a, b, c balanced. */
function withoutRelaxedMadd(source: string): string {
  let out = "", at = 0;
  for (let start = source.indexOf(MADD); start >= 0; start = source.indexOf(MADD, at)) {
    const args: string[] = [];
    let i = start + MADD.length;
    while (args.length < 3) {
      while (/\s/.test(source[i])) i++;
      if (source[i] !== "(") throw new Error(`Expected a folded operand at ${i} in kernels.wat`);
      let depth = 0, j = i;
      do depth += source[j] === "(" ? 1 : source[j] === ")" ? -1 : 0; while (++j, depth > 0);
      args.push(source.slice(i, j));
      i = j;
    }
    while (/\s/.test(source[i])) i++;
    if (source[i] !== ")") throw new Error(`Expected 3 operands of relaxed_madd at ${start}`);
    out += source.slice(at, start) + `(f32x4.add (f32x4.mul ${args[0]} ${args[1]}) ${args[2]})`;
    at = i + 1;
  }
  return out + source.slice(at);
}

/** Assembles a build, with relaxed SIMD only for the relaxed ones. */
function assemble(
  wabt: Awaited<ReturnType<typeof wabtInit>>,
  source: string,
  variant: WasmVariant,
) {
  const features = { simd: true, threads: true, relaxed_simd: variant.startsWith("relaxed-") };
  // as UTF-8 bytes: given a string, wabt miscounts the non-ASCII characters of the comments
  const module = wabt.parseWat(
    `${relative(KERNELS_SOURCE_URL)} (${variant})`,
    new TextEncoder().encode(variantSource(source, variant)),
    features,
  );
  try {
    module.resolveNames();
    // validate() takes the features too (its type says not); without them a shared memory fails
    (module as unknown as { validate(features: object): void }).validate(features);
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

const source = Deno.readTextFileSync(KERNELS_SOURCE_URL);
const hash = kernelsHash(source);
const directory = new URL("./", kernelsBinaryUrl(hash));
const manifestUrl = new URL(`kernels-${hash}.json`, directory);

let exists = false;
try {
  exists = Deno.statSync(manifestUrl).isFile;
} catch (error) {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}
if (exists) {
  console.log(
    `build_wasm: ${relative(manifestUrl)} is up to date with ${relative(KERNELS_SOURCE_URL)}`,
  );
} else {
  const wabt = await wabtInit();
  Deno.mkdirSync(directory, { recursive: true });
  const write = (name: string, bytes: Uint8Array) => { // whole or not at all
    const temporary = new URL(`${name}.tmp`, directory);
    Deno.writeFileSync(temporary, bytes);
    Deno.renameSync(temporary, new URL(name, directory));
  };
  const variants = {} as WasmManifest["variants"];
  for (const variant of WASM_VARIANTS) {
    const bytes = assemble(wabt, source, variant), file = variantFileName(hash, variant);
    write(file, bytes);
    variants[variant] = { file, bytes: bytes.length, sha256: bytesToHex(sha256(bytes)) };
  }
  const manifest: WasmManifest = { source: hash, variants };
  write(manifestUrl.pathname.split("/").pop()!, new TextEncoder().encode(JSON.stringify(manifest)));
  const kept = new Set([...Object.values(variants).map((v) => v.file), `kernels-${hash}.json`]);
  const removed: string[] = [];
  for (const entry of Deno.readDirSync(directory)) {
    if (/^kernels-[0-9a-f]{8}[-.]/.test(entry.name) && !kept.has(entry.name)) {
      Deno.removeSync(new URL(entry.name, directory));
      removed.push(entry.name);
    }
  }
  const sizes = WASM_VARIANTS.map((v) => `${v} ${variants[v].bytes}`).join(", ");
  console.log(
    `build_wasm: wrote ${relative(manifestUrl)} and its builds (${sizes} bytes) from ` +
      `${relative(KERNELS_SOURCE_URL)}${removed.length ? `; removed ${removed.join(", ")}` : ""}`,
  );
}
