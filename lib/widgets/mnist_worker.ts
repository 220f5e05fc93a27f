/**
 * The MNIST widget's Worker (bundled on its own, as mnist_worker.js: a bundle does not take in
 * the Workers it starts). Given a start message it loads the wasm kernels (or js) and the subset,
 * says which kernels run, then trains, posting every event of the run; then "done". The page
 * stops a run by terminating the Worker.
 *
 * @module
 */

import { loadWasmBrowser, type WasmKernels } from "../browser.ts";
import { mnistRun, type MnistRunEvent, type MnistRunSettings } from "./_mnist_run.ts";
import { decodeMnistSubset } from "./_mnist_subset.ts";

/** What the page sends to start a run. */
export interface MnistWorkerStart {
  settings: MnistRunSettings;
  /** How many of the subset's images to train on and to validate on. */
  numTrain: number;
  numValidation: number;
  /** Which kernels (a page's `?wasm=`). */
  kernels: WasmKernels;
  /** The kernels' manifest and the subset, as absolute URLs. */
  manifestUrl: string;
  dataUrl: string;
}

/** What the Worker posts: the kernels it runs on, the run's events, the end, or an error. */
export type MnistWorkerMessage =
  | { type: "ready"; kernels: string; shared: boolean; reasons: string[]; identity: string }
  | MnistRunEvent
  | { type: "done"; seconds: number }
  | { type: "error"; message: string };

/** The subset's bytes, inflated when they are gzip's (a host may have inflated them already). */
async function fetchSubset(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Cannot load ${url}: ${response.status} ${response.statusText}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

const post = (message: MnistWorkerMessage) => globalThis.postMessage(message);

globalThis.onmessage = async (event: MessageEvent<MnistWorkerStart>) => {
  const start = event.data, started = performance.now();
  try {
    const [loaded, bytes] = await Promise.all([
      loadWasmBrowser(start.manifestUrl, { kernels: start.kernels }),
      fetchSubset(start.dataUrl),
    ]);
    const subset = decodeMnistSubset(bytes, start.dataUrl);
    for (
      const [name, set, wanted] of [
        ["numTrain", subset.train, start.numTrain],
        ["numValidation", subset.validation, start.numValidation],
      ] as const
    ) {
      if (!(Number.isInteger(wanted) && wanted >= 1 && wanted <= set.count)) {
        throw new RangeError(`Expected ${name} from 1 to ${set.count} but found ${wanted}`);
      }
    }
    const { kernels, shared, reasons, backend } = loaded;
    post({ type: "ready", kernels, shared, reasons, identity: backend.identity() });
    const data = {
      train: subset.train.head(start.numTrain),
      validation: subset.validation.head(start.numValidation),
    };
    for (const message of mnistRun(data, start.settings, backend)) post(message);
    post({ type: "done", seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    post({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
