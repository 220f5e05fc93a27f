/**
 * Small PNG images as data URLs, for pictures in notebooks: MNIST digits (bytes, gray) and weight
 * maps (floats, gray or a diverging blue–white–red scale). Observable Plot's raster mark needs a
 * canvas, which linkedom lacks, and a 28 × 28 digit drawn as SVG cells is about 50 KB; as a PNG
 * in an `<img>` it is about 1 KB. {@linkcode imageGrid} lays such images out in a grid.
 *
 * Shapes: `values` is (height, width), row-major, one number per pixel.
 *
 * @module
 */

import { encode } from "fast-png";
import { checkInteger, checkPositive } from "../options/option_rules.ts";

/** Options shared by {@linkcode grayscalePng} and {@linkcode divergingPng}. */
export interface PngSizeOptions {
  /** The width of the image in pixels (columns of `values`). */
  width: number;
  /** The height of the image in pixels (rows of `values`). */
  height: number;
  /**
   * Draw every value as a scale × scale block of pixels (nearest neighbour), so small images
   * stay sharp in any viewer.
   *
   * @default {1}
   */
  scale?: number;
}

/** Options of {@linkcode grayscalePng}. */
export interface GrayscalePngOptions extends PngSizeOptions {
  /**
   * The values drawn black and white: [lo, hi], lo < hi; values outside are clamped.
   *
   * @default {[0, 255] for a Uint8Array or Uint8ClampedArray, else [min, max] of the values}
   */
  domain?: readonly [number, number];
  /** Draw lo white and hi black (dark ink on white paper, as digits are usually shown). @default {false} */
  invert?: boolean;
}

/** Options of {@linkcode divergingPng}. */
export interface DivergingPngOptions extends PngSizeOptions {
  /**
   * The magnitude drawn in full colour: −limit blue, 0 white, +limit red; values beyond are
   * clamped. A finite number greater than 0.
   *
   * @default {the largest |value|, or 1 when every value is 0}
   */
  limit?: number;
}

/** The colour of −limit (blue) and +limit (red) in {@linkcode divergingPng}: ColorBrewer RdBu. */
const NEGATIVE = [33, 102, 172] as const;
const POSITIVE = [178, 24, 43] as const;

/**
 * A grayscale PNG of an image given as one number per pixel, as a `data:image/png;base64,…` URL
 * for an `<img>`. Values map linearly from the domain to 0–255 (lo black, hi white, or the
 * reverse with `invert`); infinities clamp to the ends and NaN is drawn mid-gray.
 *
 * @param values The pixels, row by row: (height, width), e.g. an MNIST image's 784 bytes.
 * @param options Width, height, scale, domain and inversion.
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
  const { width, height, scale } = checkSize("grayscalePng", values, options);
  const { invert = false } = options;
  const [lo, hi] = options.domain ?? defaultDomain(values);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(
      `Cannot grayscalePng: expected domain to be two finite numbers [lo, hi] with lo < hi but found [${lo}, ${hi}]`,
    );
  }
  const levels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const t = unit(values[i], lo, hi);
    levels[i] = Math.round(255 * (invert ? 1 - t : t));
  }
  return encodeDataUrl(enlarge(levels, width, height, 1, scale), width * scale, height * scale, 1);
}

/**
 * A PNG of signed values on a diverging scale, as a data URL: −limit blue, 0 white, +limit red,
 * linear in between (for weight maps, where the sign matters). Infinities clamp to the ends and
 * NaN is drawn white.
 *
 * @param values The pixels, row by row: (height, width), e.g. one hidden unit's 784 weights.
 * @param options Width, height, scale and the limit of the scale.
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
export function divergingPng(values: ArrayLike<number>, options: DivergingPngOptions): string {
  const { width, height, scale } = checkSize("divergingPng", values, options);
  let { limit } = options;
  if (limit === undefined) {
    limit = 0;
    for (let i = 0; i < values.length; i++) {
      const v = Math.abs(values[i]);
      if (Number.isFinite(v) && v > limit) limit = v;
    }
    if (limit === 0) limit = 1;
  }
  checkPositive("limit", limit);
  const rgb = new Uint8Array(3 * values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = Number.isNaN(v) ? 0 : Math.max(-1, Math.min(1, v / limit)); // −1 … 1
    const end = t < 0 ? NEGATIVE : POSITIVE, s = Math.abs(t);
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round(255 + s * (end[c] - 255));
  }
  return encodeDataUrl(enlarge(rgb, width, height, 3, scale), width * scale, height * scale, 3);
}

function checkSize(
  op: string,
  values: ArrayLike<number>,
  options: PngSizeOptions,
): { width: number; height: number; scale: number } {
  const { width, height, scale = 1 } = options;
  checkInteger("width", width, 1);
  checkInteger("height", height, 1);
  checkInteger("scale", scale, 1);
  if (values.length !== width * height) {
    throw new RangeError(
      `Cannot ${op}: expected ${
        width * height
      } values for a ${width} × ${height} image but found ${values.length}`,
    );
  }
  return { width, height, scale };
}

/** [0, 255] for bytes, else the finite values' [min, max] (widened when they are all equal). */
function defaultDomain(values: ArrayLike<number>): [number, number] {
  if (values instanceof Uint8Array || values instanceof Uint8ClampedArray) return [0, 255];
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return [0, 1]; // no finite value
  return lo < hi ? [lo, hi] : [lo - 0.5, lo + 0.5];
}

/** v mapped from [lo, hi] to [0, 1], clamped; NaN to ½. */
function unit(v: number, lo: number, hi: number): number {
  if (Number.isNaN(v)) return 0.5;
  return Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
}

/** Nearest-neighbour upscaling of (height, width, channels) bytes by an integer factor. */
function enlarge(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  scale: number,
): Uint8Array {
  if (scale === 1) return pixels;
  const outWidth = width * scale, out = new Uint8Array(pixels.length * scale * scale);
  for (let y = 0; y < height * scale; y++) {
    const src = Math.floor(y / scale) * width;
    for (let x = 0; x < outWidth; x++) {
      const from = (src + Math.floor(x / scale)) * channels, to = (y * outWidth + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = pixels[from + c];
    }
  }
  return out;
}

function encodeDataUrl(data: Uint8Array, width: number, height: number, channels: number): string {
  const png = encode({ width, height, data, channels, depth: 8 });
  let binary = "";
  for (let i = 0; i < png.length; i += 0x8000) {
    binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  }
  return `data:image/png;base64,${btoa(binary)}`;
}
