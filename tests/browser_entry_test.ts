// lib/browser.ts, the entry the report's widgets import, as the browser gets it: bundled by
// `deno bundle --platform browser`, the bundle holds no Node module, native addon, DOM shim or Worker
// started from a .ts file, and it loads and trains where there is no `Deno` (in Node, and in
// Debian's Chromium with no error in the page), the scalar network bit for bit as the notebooks
// train it in Deno: every weight and every step's loss has the same 64 bits. Math.exp and Math.log
// would not allow it (Deno's V8 computes them differently from Node's and Chromium's in the last
// bit, for about 10% and 7% of arguments), so the scalar network and the seeded normal draws use
// the exp and log of lib/data/portable_math.ts, in plain float64 arithmetic (issue 22).
import { assert, assertEquals } from "@std/assert";
import { loadSynth } from "../lib/data/synth.ts";
import { trainScalar } from "../lib/scalar/train.ts";
import { launchChromium } from "./browser/_chromium.ts";
import { waitForTaggedProcesses } from "./browser/_tagged_processes.ts";
import { browserProblems, bundle, runInNode } from "./_browser_bundle.ts";

/**
 * The entry's bundle, minified and gzipped, at most: it carries the scalar network, the MLP and
 * its optimizers, the js and wasm backends (33 KB with the MLP); the widgets' budget for all
 * their JavaScript is 300 KB gzipped (issue 22).
 */
const GZIPPED_BUDGET = 60_000;

// chapter 03's main run, shortened: the same sizes, rate and seeds, on fewer points
const SYNTH = { numTrain: 2_000, numValidation: 500, seed: 0 };
const RUN = { numHiddens: 3, epochs: 2, lr: 0.03, seed: 0, progress: false };

Deno.test("lib/browser.ts bundles for the browser without Node modules, addons or .ts Workers", async () => {
  const code = await Deno.readTextFile(await bundle("lib/browser.ts"));
  assertEquals(browserProblems(code), []);
  const minified = await Deno.readFile(await bundle("lib/browser.ts", { minify: true }));
  const gzipped = (await new Response(
    new Blob([minified]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer()).byteLength;
  console.log(`lib/browser.ts: ${minified.length} bytes minified, ${gzipped} gzipped`);
  assert(gzipped <= GZIPPED_BUDGET, `the bundle is ${gzipped} bytes gzipped`);
});

Deno.test("the checks see what a browser cannot load (a bundle that has each problem)", () => {
  const code = `import { createHash } from "node:crypto";\nimport pl from "nodejs-polars";\n` +
    `new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });`;
  assertEquals(browserProblems(code), [
    "imports node:crypto",
    "holds nodejs-polars",
    "starts a Worker from ./_worker.ts",
  ]);
});

/**
 * The module that trains chapter 03's network on the bundle at `bundleUrl` and hands `report` its
 * weights and step losses as JSON, each array as the hex of its float64 bytes (JSON's numbers
 * would lose −0 and NaN).
 */
const trainingModule = (bundleUrl: string, report: string) => `
  const { loadSynth, trainScalar } = await import(${JSON.stringify(bundleUrl)});
  const data = loadSynth(${JSON.stringify(SYNTH)});
  const run = await trainScalar(data.train, data.validation, ${JSON.stringify(RUN)});
  const { W, b, V, c } = run.network;
  const hex = (values) => Array.from(new Uint8Array(Float64Array.from(values).buffer),
    (byte) => byte.toString(16).padStart(2, "0")).join("");
  ${report}(JSON.stringify({
    W: hex(W.flat()), b: hex(b), V: hex(V.flat()), c: hex(c), losses: hex(run.batchLosses),
  }));
`;

/** The float64 numbers whose bytes this hex spells. */
function fromHex(hex: string): Float64Array {
  const bytes = Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
  return new Float64Array(bytes.buffer);
}

/**
 * Holds a run's weights and step losses, as JSON from another engine, to Deno's own run, bit for
 * bit; a difference names the array, how many of its numbers differ and the first of them.
 */
async function assertTrainsAsDeno(json: string, engine: string): Promise<void> {
  const data = loadSynth(SYNTH);
  const run = await trainScalar(data.train, data.validation, RUN);
  const { W, b, V, c } = run.network;
  const here = { W: W.flat(), b, V: V.flat(), c, losses: Array.from(run.batchLosses) };
  const there = JSON.parse(json);
  for (const name of ["W", "b", "V", "c", "losses"] as const) {
    const theirs = fromHex(there[name]), ours = Float64Array.from(here[name]);
    assertEquals(theirs.length, ours.length, `${name}: ${engine} returned another length`);
    const theirBits = new BigUint64Array(theirs.buffer), ourBits = new BigUint64Array(ours.buffer);
    const differ = ourBits.reduce((n, bits, i) => bits === theirBits[i] ? n : n + 1, 0);
    const first = ourBits.findIndex((bits, i) => bits !== theirBits[i]);
    assert(
      differ === 0,
      `Expected ${engine}'s ${name} to equal Deno's bit for bit but ${differ} of ${ours.length} ` +
        `differ, the first at ${first}: ${theirs[first]} against ${ours[first]}`,
    );
  }
}

Deno.test("lib/browser.ts's bundle trains the scalar network without Deno (Node), bit for bit as Deno", async () => {
  const path = await bundle("lib/browser.ts");
  const output = await runInNode(
    `if (typeof Deno !== "undefined") throw new Error("Deno is defined");` +
      trainingModule(path, "console.log"),
  );
  await assertTrainsAsDeno(output, "Node");
});

Deno.test("lib/browser.ts's bundle trains the scalar network in Chromium, bit for bit as Deno, with no error", async () => {
  const dir = (await bundle("lib/browser.ts")).replace(/\/bundle\.js$/, "");
  await Deno.writeTextFile(
    `${dir}/index.html`,
    `<!doctype html><link rel="icon" href="data:,"><script type="module">${
      trainingModule("./bundle.js", "window.trained = ")
    }</script>`,
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const name = new URL(request.url).pathname.slice(1) || "index.html";
    const type = name.endsWith(".js") ? "text/javascript" : "text/html";
    return await Deno.readFile(`${dir}/${name}`)
      .then((body) => new Response(body, { headers: { "content-type": type } }))
      .catch(() => new Response("not found", { status: 404 }));
  });
  const tag = `browser-entry-${crypto.randomUUID()}`;
  const browser = await launchChromium({ tag });
  try {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${server.addr.port}/`);
    const trained = await page.waitForFunction(() => (globalThis as { trained?: string }).trained);
    assertEquals(errors, [], "errors in the page");
    await assertTrainsAsDeno(await trained.jsonValue() as string, "Chromium");
  } finally {
    await browser.close();
    await server.shutdown();
    assertEquals((await waitForTaggedProcesses(tag, 10_000)).map((p) => p.pid), []);
  }
});

Deno.test("a bundle that uses Deno when loaded fails where there is no Deno", async () => {
  const dir = await Deno.makeTempDir({ prefix: "backprop-bundle-" });
  await Deno.writeTextFile(`${dir}/entry.ts`, `export const cwd = Deno.cwd();\n`);
  const path = await bundle(`${dir}/entry.ts`);
  let error = "";
  await runInNode(`await import(${JSON.stringify(path)});`).catch((e) => (error = String(e)));
  assert(error.includes("Deno is not defined"), `expected a ReferenceError, got: ${error}`);
});
