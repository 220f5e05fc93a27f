// The image grid: one <img> and caption per picture, raw pixels encoded, captions escaped.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { imageGrid } from "../../lib/report/image_grid.ts";
import { divergingPng, grayscalePng } from "../../lib/report/png.ts";
import { jupyterDisplay } from "../../lib/report/table.ts";

const blank = new Uint8Array(28 * 28);

Deno.test("imageGrid() lays out one picture and caption per image in the given columns", () => {
  const images = Array.from({ length: 7 }, (_, i) => ({ pixels: blank, caption: `label ${i}` }));
  const grid = imageGrid(images, { columns: 4, caption: "Seven blanks" });
  assertEquals(grid.html.match(/<img /g)?.length, 7);
  assertStringIncludes(grid.html, "grid-template-columns:repeat(4, max-content)");
  assertStringIncludes(grid.html, "<figcaption");
  assertStringIncludes(grid.html, "Seven blanks");
  for (let i = 0; i < 7; i++) assertStringIncludes(grid.html, `>label ${i}</div>`);
});

Deno.test("imageGrid() encodes raw pixels as 28 × 28 grayscale PNGs, inverted, at scale 2", () => {
  const pixels = new Uint8Array(28 * 28).map((_, i) => i % 256);
  const grid = imageGrid([{ pixels }]);
  const src = grayscalePng(pixels, { width: 28, height: 28, scale: 2, invert: true });
  assertStringIncludes(grid.html, `src="${src}"`);
});

Deno.test("imageGrid() passes data URLs through, e.g. weight maps", () => {
  const map = divergingPng([-1, 0, 1, 0.5], { width: 2, height: 2 });
  const grid = imageGrid([{ pixels: map, caption: "unit 0" }]);
  assertStringIncludes(grid.html, `src="${map}"`);
});

Deno.test("imageGrid() escapes captions and titles", () => {
  const grid = imageGrid([
    { pixels: blank, caption: "7 → 2 <wrong>", title: 'said "2"' },
    { pixels: blank, caption: "fine" },
  ]);
  assertStringIncludes(grid.html, "7 → 2 &lt;wrong&gt;");
  assertStringIncludes(grid.html, 'title="said &quot;2&quot;"');
  assertStringIncludes(grid.html, 'title="fine"');
  assert(!grid.html.includes("<wrong>"));
});

Deno.test("imageGrid() displays as HTML with a plain-text summary", () => {
  const grid = imageGrid([{ pixels: blank, caption: "5" }, { pixels: blank, caption: "0" }]);
  const bundle = grid[jupyterDisplay]();
  assertEquals(bundle["text/html"], grid.html);
  assertEquals(bundle["text/plain"], "2 images: 5, 0");
  assertEquals(imageGrid([])[jupyterDisplay]()["text/plain"], "0 images");
});

Deno.test("imageGrid() throws for bad columns, pixel counts and strings", () => {
  assertThrows(
    () => imageGrid([], { columns: 0 }),
    RangeError,
    "Expected columns to be an integer of at least 1 but found 0",
  );
  assertThrows(
    () => imageGrid([{ pixels: blank }, { pixels: new Uint8Array(10) }]),
    RangeError,
    "expected image 1 to have 784 pixels (width 28 × height 28) but found 10",
  );
  assertThrows(
    () => imageGrid([{ pixels: "digit.png" }]),
    TypeError,
    'expected image 0 to be a data:image/ URL or pixels but found a string starting "digit.png"',
  );
});
