// The PNG helpers: decoded back with fast-png, every pixel is where and what it should be.
import { assert, assertEquals, assertLess, assertThrows } from "@std/assert";
import { decode } from "fast-png";
import { loadMnist } from "../../lib/data/mnist.ts";
import { divergingPng, grayscalePng } from "../../lib/report/png.ts";

/** The image inside a data URL. */
function decodeUrl(url: string) {
  assert(url.startsWith("data:image/png;base64,"), `not a PNG data URL: ${url.slice(0, 30)}`);
  return decode(Uint8Array.from(atob(url.split(",")[1]), (c) => c.charCodeAt(0)));
}

Deno.test("grayscalePng() draws bytes 0 black and 255 white, row by row", () => {
  const png = decodeUrl(grayscalePng(new Uint8Array([0, 255, 128, 64, 32, 16]), {
    width: 3,
    height: 2,
  }));
  assertEquals([png.width, png.height, png.channels, png.depth], [3, 2, 1, 8]);
  assertEquals([...png.data], [0, 255, 128, 64, 32, 16]);
});

Deno.test("grayscalePng() with invert draws bytes as dark ink on white", () => {
  const png = decodeUrl(grayscalePng(new Uint8Array([0, 255, 55]), {
    width: 3,
    height: 1,
    invert: true,
  }));
  assertEquals([...png.data], [255, 0, 200]);
});

Deno.test("grayscalePng() clamps values beyond 0 and 255 and draws NaN mid-gray", () => {
  const png = decodeUrl(grayscalePng([-1, 127.5, 300, NaN], { width: 2, height: 2 }));
  assertEquals([...png.data], [0, 128, 255, 128]);
});

Deno.test("grayscalePng() enlarges every pixel to a scale × scale block", () => {
  const png = decodeUrl(grayscalePng(new Uint8Array([10, 20, 30, 40]), {
    width: 2,
    height: 2,
    scale: 3,
  }));
  assertEquals([png.width, png.height], [6, 6]);
  const at = (x: number, y: number) => png.data[y * 6 + x];
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 6; x++) {
      assertEquals(at(x, y), [10, 20, 30, 40][Math.floor(y / 3) * 2 + Math.floor(x / 3)]);
    }
  }
});

Deno.test("grayscalePng() of an MNIST digit at scale 2 is a small data URL", async () => {
  const { train } = await loadMnist({ trainLimit: 10, evalLimit: 1 });
  const url = grayscalePng(train.image(0), { width: 28, height: 28, scale: 2, invert: true });
  assertLess(url.length, 2500);
  const png = decodeUrl(url);
  assertEquals([png.width, png.height], [56, 56]);
  // pixel (row 14, column 14) of the image is the block at (28, 28)…(29, 29)
  assertEquals(png.data[28 * 56 + 28], 255 - train.image(0)[14 * 28 + 14]);
});

Deno.test("divergingPng() draws −limit blue, 0 white, +limit red, linear between", () => {
  const values = [-Infinity, -1, 0, 1, 2, NaN, Infinity];
  const png = decodeUrl(divergingPng(values, { width: 7, height: 1 }));
  assertEquals([png.width, png.height, png.channels], [7, 1, 3]);
  const pixel = (i: number) => [...png.data.subarray(3 * i, 3 * i + 3)];
  assertEquals(pixel(0), [33, 102, 172]); // clamped at −limit
  assertEquals(pixel(1), [144, 179, 214]); // halfway from white to blue
  assertEquals(pixel(2), [255, 255, 255]);
  assertEquals(pixel(3), [217, 140, 149]); // halfway from white to red
  assertEquals(pixel(4), [178, 24, 43]); // +limit: the largest finite |value|
  assertEquals(pixel(5), [255, 255, 255]); // NaN
  assertEquals(pixel(6), [178, 24, 43]); // clamped at +limit
});

Deno.test("divergingPng() takes the largest |value| as its limit by default", () => {
  const png = decodeUrl(divergingPng(Float32Array.of(0.5, -0.25), { width: 2, height: 1 }));
  assertEquals([...png.data], [178, 24, 43, 144, 179, 214]);
  const zeros = decodeUrl(divergingPng([0, 0], { width: 1, height: 2, scale: 2 }));
  assertEquals([zeros.width, zeros.height], [2, 4]);
  assert(zeros.data.every((v) => v === 255));
});

Deno.test("grayscalePng() and divergingPng() throw a RangeError for a bad size or scale", () => {
  assertThrows(
    () => grayscalePng([1, 2, 3], { width: 2, height: 2 }),
    RangeError,
    "Cannot grayscalePng: expected 4 values for a 2 × 2 image but found 3",
  );
  assertThrows(
    () => divergingPng([1], { width: 1, height: 1, scale: 1.5 }),
    RangeError,
    "Expected scale to be an integer of at least 1 but found 1.5",
  );
  assertThrows(
    () => grayscalePng([], { width: 0, height: 1 }),
    RangeError,
    "Expected width to be an integer of at least 1 but found 0",
  );
});
