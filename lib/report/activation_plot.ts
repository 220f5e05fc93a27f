import { ACTIVATION_NAMES, type ActivationName, ACTIVATIONS } from "../tensor/activation.ts";
import { Plot, plot } from "./plot.ts";

/** One point of an activation's curves: its input k, its output f(k) and its slope f′(k). */
export interface ActivationPoint {
  activation: ActivationName;
  k: number;
  value: number;
  slope: number;
}

/**
 * Each activation and its slope at evenly spaced inputs, computed by the library's own
 * activation (`ACTIVATIONS`: forward, then backward of ones from the outputs), not by formulas
 * typed again.
 *
 * @param options The inputs run from −kMax to kMax in `points` steps. @default {kMax: 6, points: 241}
 * @returns One point per activation and input, activations in ACTIVATION_NAMES' order.
 */
export function activationCurves(
  options: { kMax?: number; points?: number } = {},
): ActivationPoint[] {
  const { kMax = 6, points = 241 } = options;
  const k = Float32Array.from({ length: points }, (_, i) => -kMax + (2 * kMax * i) / (points - 1));
  return ACTIVATION_NAMES.flatMap((activation) => {
    const H = Float32Array.from(k), slope = new Float32Array(points).fill(1);
    ACTIVATIONS[activation].forward(H, new Float32Array(points), 1); // one row of `points`
    ACTIVATIONS[activation].backward(slope, H, points);
    return Array.from(k, (ki, i) => ({ activation, k: ki, value: H[i], slope: slope[i] }));
  });
}

/** Options of {@linkcode activationPlot}. */
export interface ActivationPlotOptions {
  /** A figure caption drawn under the plot ("Figure N." in bold). */
  caption?: string;
  /** The slope below which an input is shaded as flat. @default {0.01} */
  threshold?: number;
  /** The inputs run from −kMax to kMax. @default {6} */
  kMax?: number;
}

/**
 * Each activation f(k) (solid) beside its slope f′(k) (dashed, drawn over it: where both are 0
 * the dashes show the solid line between them), one panel per activation, with the inputs where
 * f′ is below the threshold shaded; the y axis is clipped at 1.6 (ReLU leaves the frame there).
 *
 * @param options Caption, threshold, input range.
 * @returns What {@link plot} returns: an `<svg>` element.
 *
 * @example The three activations
 * ```ts
 * import { activationPlot } from "./activation_plot.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const svg = activationPlot({ caption: "Figure 1. Activations." });
 * assertStringIncludes(svg.outerHTML, "stroke-dasharray");
 * ```
 */
export function activationPlot(options: ActivationPlotOptions = {}): ReturnType<typeof plot> {
  const { caption, threshold = 0.01, kMax = 6 } = options;
  const points = activationCurves({ kMax });
  const [top, bottom] = [1.6, -1.1];
  const flat = points.map((p) => ({ ...p, top: p.slope < threshold ? top : NaN }));
  const curve = (key: "value" | "slope", name: string, dash?: string) =>
    Plot.line(points, {
      x: "k",
      y: key,
      fx: "activation",
      stroke: () => name,
      strokeWidth: 2,
      strokeDasharray: dash,
      clip: true,
    });
  return plot({
    caption,
    width: 720,
    height: 260,
    fx: { label: null, domain: ACTIVATION_NAMES },
    x: { label: "input k", grid: true },
    y: { label: null, grid: true, domain: [bottom, top] },
    color: { legend: true, domain: ["f(k)", "f′(k)", `flat: f′ < ${threshold}`] },
    marks: [
      Plot.areaY(flat, {
        x: "k",
        y1: bottom,
        y2: "top",
        fx: "activation",
        fill: () => `flat: f′ < ${threshold}`,
        fillOpacity: 0.15,
      }),
      Plot.ruleY([0], { stroke: "#999" }), // under the curves: where f and f′ are 0, both show
      curve("value", "f(k)"),
      curve("slope", "f′(k)", "5,3"),
    ],
  });
}
