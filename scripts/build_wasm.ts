// Builds the wasm backend's kernels: assembles lib/tensor/backends/wasm/kernels.wat with wabt
// (features simd, threads, relaxed_simd) into build/wasm/kernels-<hash>.wasm, <hash> being the
// source's kernelsHash (so the loader never opens a binary built from another source), and
// deletes the older kernels-*.wasm there. A no-op when the binary for this source exists.
//
//   deno run --allow-read --allow-write scripts/build_wasm.ts
//
// (From the project's root, --allow-read=lib,build --allow-write=build/wasm is enough. wabt is
// fetched from the npm registry into Deno's module cache on the first run; no other permission.)
import wabtInit from "wabt";
import { KERNELS_SOURCE_URL, kernelsBinaryUrl, kernelsHash } from "../lib/tensor/backends/wasm.ts";

const FEATURES = { simd: true, threads: true, relaxed_simd: true };

const root = new URL("../", import.meta.url);
const relative = (url: URL) => decodeURIComponent(url.pathname.slice(root.pathname.length));

const source = Deno.readTextFileSync(KERNELS_SOURCE_URL);
const target = kernelsBinaryUrl(kernelsHash(source));
const directory = new URL("./", target);

let exists = false;
try {
  exists = Deno.statSync(target).isFile;
} catch (error) {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}
if (exists) {
  console.log(`build_wasm: ${relative(target)} is up to date with ${relative(KERNELS_SOURCE_URL)}`);
} else {
  const wabt = await wabtInit();
  // as UTF-8 bytes: given a string, wabt miscounts the non-ASCII characters of the comments
  const module = wabt.parseWat(
    relative(KERNELS_SOURCE_URL),
    new TextEncoder().encode(source),
    FEATURES,
  );
  let bytes: Uint8Array;
  try {
    module.resolveNames();
    // validate() takes the features too (its type says not); without them a shared memory fails
    (module as unknown as { validate(features: typeof FEATURES): void }).validate(FEATURES);
    bytes = module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
  Deno.mkdirSync(directory, { recursive: true });
  const temporary = new URL(`${target.pathname.split("/").pop()}.tmp`, directory);
  Deno.writeFileSync(temporary, bytes);
  Deno.renameSync(temporary, target);
  const removed: string[] = [];
  for (const entry of Deno.readDirSync(directory)) {
    const url = new URL(entry.name, directory);
    if (/^kernels-[0-9a-f]{8}\.wasm$/.test(entry.name) && url.href !== target.href) {
      Deno.removeSync(url);
      removed.push(entry.name);
    }
  }
  console.log(
    `build_wasm: wrote ${relative(target)} (${bytes.length} bytes) from ${
      relative(KERNELS_SOURCE_URL)
    }${removed.length ? `; removed ${removed.join(", ")}` : ""}`,
  );
}
