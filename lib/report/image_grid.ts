/**
 * A grid of small images with captions, as HTML for a notebook cell: sample digits with their
 * labels (notebook 04), misclassified digits and weight maps (notebook 05).
 *
 * @module
 */

import { grayscalePng } from "./png.ts";
import { type Displayable, displayable, escapeHtml } from "./table.ts";
import { checkInteger } from "../options/option_rules.ts";

/** One picture of an {@linkcode imageGrid}. */
export interface GridImage {
  /**
   * The picture: a PNG data URL (from {@linkcode grayscalePng} or `divergingPng`), or the raw
   * pixels, row by row, drawn with {@linkcode grayscalePng} at the grid's width, height, scale
   * and inversion (bytes 0–255, or floats mapped from their own [min, max]).
   */
  pixels: string | ArrayLike<number>;
  /** The text under the picture. @default {""} */
  caption?: string;
  /** The text shown when the pointer rests on the picture. @default {the caption} */
  title?: string;
  /** Draw the caption bold and red, e.g. for a misclassified digit. @default {false} */
  highlight?: boolean;
}

/** Options of {@linkcode imageGrid}. */
export interface ImageGridOptions {
  /** Pictures per row. @default {10} */
  columns?: number;
  /** The width of raw pixel images. @default {28} */
  width?: number;
  /** The height of raw pixel images. @default {28} */
  height?: number;
  /** Raw pixel images are drawn this many times larger. @default {2} */
  scale?: number;
  /** Raw pixel images are drawn dark on white (ink on paper). @default {true} */
  invert?: boolean;
  /** A caption above the grid. @default {undefined} */
  caption?: string;
}

/**
 * Lays out pictures in a grid, each with a caption under it, as an HTML figure the Deno kernel
 * displays. Raw pixels are encoded as PNGs here (about 1 KB for an MNIST digit at scale 2).
 *
 * @param images The pictures, in reading order.
 * @param options Columns, the size of raw pixel images, and a caption.
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
  const { columns = 10, width = 28, height = 28, scale = 2, invert = true, caption } = options;
  checkInteger("columns", columns, 1);
  const cells = images.map((image, i) => {
    let src: string;
    if (typeof image.pixels === "string") {
      if (!image.pixels.startsWith("data:image/")) {
        throw new TypeError(
          `Cannot imageGrid: expected image ${i} to be a data:image/ URL or pixels but found a string starting "${
            image.pixels.slice(0, 20)
          }"`,
        );
      }
      src = image.pixels;
    } else {
      if (image.pixels.length !== width * height) {
        throw new RangeError(
          `Cannot imageGrid: expected image ${i} to have ${
            width * height
          } pixels (width ${width} × height ${height}) but found ${image.pixels.length}`,
        );
      }
      src = grayscalePng(image.pixels, { width, height, scale, invert });
    }
    const text = image.caption ?? "";
    const title = image.title ?? text;
    const style = image.highlight ? ' style="color:#c0392b;font-weight:bold"' : "";
    return `<div style="text-align:center"><img src="${src}" alt="${escapeHtml(title)}" ` +
      `title="${escapeHtml(title)}" style="display:block;margin:0 auto;` +
      `image-rendering:pixelated;border:1px solid #ddd">` +
      `<div${style}>${escapeHtml(text)}</div></div>`;
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
