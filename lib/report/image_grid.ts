/**
 * Captioned image grids as notebook HTML: labelled digits (notebook 04), errors, weight maps (05).
 *
 * @module
 */

import { grayscalePng } from "./png.ts";
import { type Displayable, displayable, escapeHtml } from "./table.ts";
import { checkInteger } from "../options/option_rules.ts";

/** One picture of an {@linkcode imageGrid}. */
export interface GridImage {
  /** A PNG data URL (e.g. from `divergingPng`), or a 28 × 28 image's pixels, row by row. */
  pixels: string | ArrayLike<number>;
  /** The text under the picture. @default {""} */
  caption?: string;
  /** The text shown when the pointer rests on the picture. @default {the caption} */
  title?: string;
}

/** Options of {@linkcode imageGrid}. */
export interface ImageGridOptions {
  /** Pictures per row. @default {10} */
  columns?: number;
  /** A caption above the grid. @default {undefined} */
  caption?: string;
}

/** Raw pixels are MNIST-sized images, drawn twice as large, dark on white (ink on paper). */
const RAW = { width: 28, height: 28, scale: 2, invert: true };

/**
 * A grid of captioned pictures as an HTML figure; raw pixels go through {@linkcode grayscalePng}.
 *
 * @param images The pictures, in reading order.
 * @param options Columns and a caption.
 * @returns An object the kernel displays as HTML (its `html` is the markup).
 *
 * @example Two digits with their labels
 * ```ts
 * import { imageGrid } from "./image_grid.ts";
 * import { assertEquals, assertStringIncludes } from "@std/assert";
 *
 * const blank = new Uint8Array(28 * 28);
 * const grid = imageGrid([
 *   { pixels: blank, caption: "label 0" },
 *   { pixels: blank, caption: "label 1" },
 * ], { columns: 2 });
 * assertEquals(grid.html.match(/<img /g)?.length, 2);
 * assertStringIncludes(grid.html, "label 1");
 * ```
 */
export function imageGrid(
  images: readonly GridImage[],
  options: ImageGridOptions = {},
): Displayable {
  const { columns = 10, caption } = options;
  const { width, height } = RAW, size = width * height;
  checkInteger("columns", columns, 1);
  const cells = images.map(({ pixels, caption = "", title = caption }, i) => {
    const found = typeof pixels === "string" ? pixels.slice(0, 20) : pixels.length;
    if (typeof pixels === "string" && !pixels.startsWith("data:image/")) {
      throw new TypeError(
        `Cannot imageGrid: expected image ${i} to be a data:image/ URL or pixels but found a string starting "${found}"`,
      );
    }
    if (typeof pixels !== "string" && pixels.length !== size) {
      throw new RangeError(
        `Cannot imageGrid: expected image ${i} to have ${size} pixels (width ${width} × height ${height}) but found ${found}`,
      );
    }
    const src = typeof pixels === "string" ? pixels : grayscalePng(pixels, RAW);
    return `<div style="text-align:center"><img src="${src}" alt="${escapeHtml(title)}" ` +
      `title="${escapeHtml(title)}" style="display:block;margin:0 auto;` +
      `image-rendering:pixelated;border:1px solid #ddd">` +
      `<div>${escapeHtml(caption)}</div></div>`;
  });
  const captionHtml = caption === undefined
    ? ""
    : `<figcaption style="margin-bottom:0.4em">${escapeHtml(caption)}</figcaption>`;
  const html = `<figure style="margin:0">${captionHtml}<div style="display:grid;` +
    `grid-template-columns:repeat(${columns}, max-content);gap:6px 10px;` +
    `font-family:monospace;font-size:12px">${cells.join("")}</div></figure>`;
  const captions = images.map((image) => image.caption ?? "");
  const text = `${caption === undefined ? "" : `${caption}\n`}${images.length} images` +
    (captions.some((c) => c !== "") ? `: ${captions.join(", ")}` : "");
  return displayable(html, text);
}
