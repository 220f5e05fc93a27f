/**
 * The live widget's two canvases: the plane (P(class 1), the true ellipse, the points, each hidden
 * unit's line h_j = 0.5) and the loss curve (the running mean of the step losses, the validation
 * loss at each epoch's end). Colours as in chapter 03's figures.
 *
 * @module
 */

import { synthBoundary } from "../browser.ts";
import type { ScalarRun } from "./_scalar_run.ts";
import { canvasContext } from "./_canvas.ts";

/** The plane's half width: it shows [−EXTENT, EXTENT]² as chapter 03's figures do. */
const EXTENT = 3.2;
/** Cells per side of the grid at whose corners P(class 1) is computed. */
const GRID = 40;
/** Training points drawn on the plane. */
const NUM_POINTS = 400;
/** Steps in the running mean of the loss curve, as in chapter 03's Figure 2. */
const WINDOW = 1000;
/** The loss curve's vertical range. */
const MAX_LOSS = 0.8;
const CLASS_COLORS = [[0x4c, 0x78, 0xa8], [0xf5, 0x85, 0x18]];
/**
 * The plane's shade for P(class 1) = i / 255, as RGBA bytes: white at ½ (the decision boundary),
 * towards a light tint of class 0's colour below and of class 1's above.
 */
const SHADES = Uint32Array.from({ length: 256 }, (_, i) => {
  const color = CLASS_COLORS[i < 128 ? 0 : 1], strength = 0.5 * Math.abs(2 * (i / 255) - 1);
  const [r, g, b] = color.map((v) => Math.round(255 - strength * (255 - v)));
  return new Uint32Array(Uint8Array.of(r, g, b, 255).buffer)[0];
});
const ELLIPSE = synthBoundary(120);

/** The plane's side and the loss curve's size, in CSS pixels. */
const PLANE = 320, CURVE = { width: 400, height: 190 };

/**
 * Draws the network's P(class 1) over the plane (blue for class 0, orange for class 1), the true
 * boundary, the first training points and each hidden unit's line x W_j + b_j = 0, labelled j.
 *
 * @param canvas The canvas.
 * @param run The run whose network and points to draw.
 */
export function drawPlane(canvas: HTMLCanvasElement, run: ScalarRun): void {
  const width = PLANE, height = PLANE, ctx = canvasContext(canvas, width, height);
  const px = (x0: number) => ((x0 + EXTENT) / (2 * EXTENT)) * width;
  const py = (x1: number) => ((EXTENT - x1) / (2 * EXTENT)) * height;
  // P(class 1) at the (GRID + 1)² corners of the grid's cells, then bilinear between them for
  // each pixel (put straight into the canvas: drawing a canvas into another costs ~0.1 s at first)
  const p = Float64Array.from({ length: (GRID + 1) ** 2 }, (_, i) => {
    const x0 = -EXTENT + ((i % (GRID + 1)) / GRID) * 2 * EXTENT;
    const x1 = EXTENT - (Math.floor(i / (GRID + 1)) / GRID) * 2 * EXTENT;
    return run.network.forward([x0, x1], 0).y[1];
  });
  const image = ctx.createImageData(canvas.width, canvas.height);
  const pixels = new Uint32Array(image.data.buffer), { width: w, height: h } = image;
  for (let v = 0; v < h; v++) {
    const gy = (v / (h - 1)) * GRID, r = Math.min(GRID - 1, Math.floor(gy)), fy = gy - r;
    for (let u = 0; u < w; u++) {
      const gx = (u / (w - 1)) * GRID, c = Math.min(GRID - 1, Math.floor(gx));
      const fx = gx - c, at = r * (GRID + 1) + c;
      const top = p[at] + fx * (p[at + 1] - p[at]);
      const below = p[at + GRID + 1] + fx * (p[at + GRID + 2] - p[at + GRID + 1]);
      pixels[v * w + u] = SHADES[Math.round(255 * (top + fy * (below - top)))];
    }
  }
  ctx.putImageData(image, 0, 0);
  ctx.beginPath();
  ELLIPSE.forEach(({ x0, x1 }, i) => i ? ctx.lineTo(px(x0), py(x1)) : ctx.moveTo(px(x0), py(x1)));
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = "black";
  ctx.stroke();
  const { X, y } = run.data.train;
  ctx.lineWidth = 0.5;
  ctx.strokeStyle = "white";
  for (let i = 0; i < Math.min(NUM_POINTS, y.length); i++) {
    ctx.beginPath();
    ctx.arc(px(X[2 * i]), py(X[2 * i + 1]), 2, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${CLASS_COLORS[y[i]]})`;
    ctx.fill();
    ctx.stroke();
  }
  // unit j's line: w · x + b = 0 with w = (W[0][j], W[1][j]), through the point n nearest 0, along
  // d ⊥ w; its label j where it leaves the plane on the right (or at the top)
  const { W, b } = run.network;
  ctx.font = "bold 12px sans-serif";
  ctx.setLineDash([5, 4]);
  ctx.fillStyle = ctx.strokeStyle = "#333";
  ctx.lineWidth = 1.2;
  b.forEach((bj, j) => {
    const w0 = W[0][j], w1 = W[1][j], norm = Math.hypot(w0, w1);
    if (norm === 0) return;
    const [n0, n1] = [(-bj * w0) / norm ** 2, (-bj * w1) / norm ** 2];
    const [d0, d1] = w1 < 0 || (w1 === 0 && w0 > 0)
      ? [-w1 / norm, w0 / norm]
      : [w1 / norm, -w0 / norm];
    ctx.beginPath();
    ctx.moveTo(px(n0 - 4 * EXTENT * d0), py(n1 - 4 * EXTENT * d1));
    ctx.lineTo(px(n0 + 4 * EXTENT * d0), py(n1 + 4 * EXTENT * d1));
    ctx.stroke();
    let t = 0;
    const inside = (s: number) =>
      Math.max(Math.abs(n0 + s * d0), Math.abs(n1 + s * d1)) < 0.93 * EXTENT;
    while (t < 4 * EXTENT && inside(t + 0.05)) t += 0.05;
    if (inside(t)) ctx.fillText(`${j + 1}`, px(n0 + t * d0) - 4, py(n1 + t * d1) + 4);
  });
  ctx.setLineDash([]);
  ctx.strokeStyle = "#999";
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
}

/**
 * Draws the running mean of the step losses over the steps taken (red), ln 2 (grey), and the
 * validation loss at the end of each finished epoch (blue dots), on an axis of epochs.
 *
 * @param canvas The canvas.
 * @param run The run whose losses to draw.
 */
export function drawLossCurve(canvas: HTMLCanvasElement, run: ScalarRun): void {
  const { width, height } = CURVE, ctx = canvasContext(canvas, width, height);
  const left = 34, right = 44, top = 20, bottom = 22;
  const { numTrain, epochs } = run.settings;
  const sx = (step: number) => left + (step / run.total) * (width - left - right);
  const sy = (loss: number) =>
    top + (1 - Math.min(loss, MAX_LOSS) / MAX_LOSS) * (height - top - bottom);
  ctx.font = "11px sans-serif";
  ctx.fillStyle = "#666";
  ctx.strokeStyle = "#ddd";
  ctx.lineWidth = 1;
  for (let e = 0; e <= epochs; e++) {
    ctx.fillText(`${e}`, sx(e * numTrain) - 3, height - 8);
    ctx.strokeRect(sx(e * numTrain), top, 0, height - top - bottom);
  }
  for (const loss of [0, 0.2, 0.4, 0.6]) {
    ctx.fillText(`${loss}`, 4, sy(loss) + 4);
    ctx.strokeRect(left, sy(loss), width - left - right, 0);
  }
  ctx.fillText("epoch", width - right + 6, height - 8);
  ctx.fillText("ln 2", width - right + 6, sy(Math.LN2) + 4);
  ctx.strokeStyle = "#999";
  ctx.strokeRect(left, sy(Math.LN2), width - left - right, 0);
  // the running mean at up to 400 points, each the mean of the WINDOW steps before it
  ctx.beginPath();
  const every = Math.max(1, Math.ceil(run.total / 400));
  for (let s = every; s <= run.step; s += every) {
    let sum = 0;
    for (let k = Math.max(0, s - WINDOW); k < s; k++) sum += run.losses[k];
    const mean = sum / Math.min(s, WINDOW);
    s === every ? ctx.moveTo(sx(s), sy(mean)) : ctx.lineTo(sx(s), sy(mean));
  }
  ctx.strokeStyle = "#e45756";
  ctx.lineWidth = 2;
  ctx.stroke();
  ctx.fillStyle = "#4c78a8";
  for (const { epoch, loss } of run.epochs) {
    ctx.beginPath();
    ctx.arc(sx(epoch * numTrain), sy(loss), 3.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.fillText("● validation loss", width - right - 95, 12);
  ctx.fillStyle = "#e45756";
  ctx.fillText(`running mean of ${WINDOW} step losses`, left, 12);
}
