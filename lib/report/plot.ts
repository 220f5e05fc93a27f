import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** The DOM document Observable Plot draws into outside a browser (linkedom's). */
const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");

/**
 * Observable Plot's `Plot.plot`, drawn with linkedom's document so it works outside a browser:
 * in a notebook cell the returned element renders inline (an `<svg>` as an SVG image, a
 * `<figure>` with a legend as HTML).
 *
 * @param options Plot's options (marks, axes, width, height…); `document` is filled in.
 * @returns The plot's root element (`<svg>` or `<figure>`), whose `outerHTML` is the markup.
 *
 * @example A line
 * ```ts
 * import { plot, Plot } from "./mod.ts";
 * import { assert } from "@std/assert";
 *
 * const svg = plot({ marks: [Plot.lineY([1, 3, 2])] });
 * assert(svg.outerHTML.startsWith("<svg"));
 * ```
 */
export function plot(options: Plot.PlotOptions = {}): ReturnType<typeof Plot.plot> {
  return Plot.plot({ ...options, document: document as unknown as Document });
}

export { Plot };
