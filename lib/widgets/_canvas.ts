/// <reference lib="dom" />
/**
 * The widgets' canvases, drawn in CSS pixels on a screen of any pixel ratio.
 * @module
 */

/**
 * A (width, height) canvas's 2-D context in CSS pixels, sized at the screen's pixel ratio and
 * cleared. It reads no layout: a forced layout of a report's long page costs a frame or ten.
 */
export function canvasContext(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const ratio = globalThis.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio)) {
    [canvas.width, canvas.height] = [Math.round(width * ratio), Math.round(height * ratio)];
    [canvas.style.width, canvas.style.height] = [`${width}px`, `${height}px`];
  }
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
