/**
 * PNG data URLs of MNIST digits (gray) and weight maps (blue–white–red). Plot's raster mark needs
 * a canvas, which linkedom lacks; a 28 × 28 digit as SVG cells is ~50 KB, as a PNG ~1 KB.
 *
 * @module
 */

import { encode } from "fast-png";
import { checkInteger } from "../options/option_rules.ts";

/** Options of {@linkcode divergingPng}, and those {@linkcode grayscalePng} shares. */
export interface PngSizeOptions {
  /** The width of the image in pixels (columns of `values`). */
  width: number;
  /** The height of the image in pixels (rows of `values`). */
  height: number;
  /** Draw every value as a scale × scale block, so small images stay sharp. @default {1} */
  scale?: number;
}

/** Options of {@linkcode grayscalePng}. */
export interface GrayscalePngOptions extends PngSizeOptions {
  /** Draw low values white and high ones black (dark ink on white paper). @default {false} */
  invert?: boolean;
}

/** The colour of −limit (blue) and +limit (red) in {@linkcode divergingPng}: ColorBrewer RdBu. */
const NEGATIVE = [33, 102, 172] as const;
const POSITIVE = [178, 24, 43] as const;

/**
 * A grayscale PNG as a `data:image/png;base64,…` URL for an `<img>`: 0 black to 255 white, or
 * the reverse with `invert`; values beyond clamp to the ends and NaN is drawn mid-gray.
 *
 * @param values The pixels from 0 to 255, row by row: (height, width), e.g. an MNIST image.
 * @param options Width, height, scale and inversion.
 * @returns The PNG as a data URL.
 *
 * @example An MNIST-sized image, enlarged twice
 * ```ts
 * import { grayscalePng } from "./png.ts";
 * import { decode } from "fast-png";
 * import { assertEquals } from "@std/assert";
 *
 * const digit = new Uint8Array(28 * 28).fill(255, 300, 320);
 * const url = grayscalePng(digit, { width: 28, height: 28, scale: 2, invert: true });
 * const png = decode(Uint8Array.from(atob(url.split(",")[1]), (c) => c.charCodeAt(0)));
 * assertEquals([png.width, png.height, png.data[0]], [56, 56, 255]); // background: white
 * ```
 */
export function grayscalePng(values: ArrayLike<number>, options: GrayscalePngOptions): string {
  return render("grayscalePng", values, options, 1, (v) => {
    const t = Number.isNaN(v) ? 0.5 : Math.max(0, Math.min(1, v / 255));
    return [Math.round(255 * (options.invert ? 1 - t : t))];
  });
}

/**
 * A PNG data URL of signed values (weight maps): −limit blue, 0 white, +limit red, linear between,
 * limit the largest finite |value|; infinities clamp to the ends and NaN is drawn white.
 *
 * @param values The pixels, row by row: (height, width), e.g. one hidden unit's 784 weights.
 * @param options Width, height and scale.
 * @returns The PNG as a data URL.
 *
 * @example Red for positive, blue for negative
 * ```ts
 * import { divergingPng } from "./png.ts";
 * import { decode } from "fast-png";
 * import { assertEquals } from "@std/assert";
 *
 * const url = divergingPng([-2, 0, 2], { width: 3, height: 1 });
 * const png = decode(Uint8Array.from(atob(url.split(",")[1]), (c) => c.charCodeAt(0)));
 * assertEquals([...png.data], [33, 102, 172, 255, 255, 255, 178, 24, 43]);
 * ```
 */
export function divergingPng(values: ArrayLike<number>, options: PngSizeOptions): string {
  const magnitudes = Array.from(values, Math.abs).filter(Number.isFinite);
  const limit = magnitudes.reduce((max, v) => Math.max(max, v), 0) || 1; // 1 if all are 0
  return render("divergingPng", values, options, 3, (v) => {
    const t = Number.isNaN(v) ? 0 : Math.max(-1, Math.min(1, v / limit)); // −1 … 1
    return (t < 0 ? NEGATIVE : POSITIVE).map((end) => Math.round(255 + Math.abs(t) * (end - 255)));
  });
}

/** The PNG data URL of `values` coloured by `color`, each value a scale × scale block. */
function render(
  op: string,
  values: ArrayLike<number>,
  options: PngSizeOptions,
  channels: number,
  color: (v: number) => readonly number[],
): string {
  const { width, height, scale = 1 } = options;
  checkInteger("width", width, 1);
  checkInteger("height", height, 1);
  checkInteger("scale", scale, 1);
  const size = width * height;
  if (values.length !== size) {
    throw new RangeError(
      `Cannot ${op}: expected ${size} values for a ${width} × ${height} image but found ${values.length}`,
    );
  }
  const outWidth = width * scale, out = new Uint8Array(channels * values.length * scale * scale);
  for (let i = 0; i < values.length; i++) {
    const pixel = color(values[i]), x0 = (i % width) * scale, y0 = Math.floor(i / width) * scale;
    for (let y = y0; y < y0 + scale; y++) {
      for (let x = x0; x < x0 + scale; x++) out.set(pixel, channels * (y * outWidth + x));
    }
  }
  const png = encode({ width: outWidth, height: height * scale, data: out, channels, depth: 8 });
  return `data:image/png;base64,${png.toBase64()}`;
}
