/**
 * What a 2-input scalar network computes over the plane (notebook 03): its probability of class 1
 * with the decision boundary, and beside it each hidden unit's activation h_j with its 0.5 line.
 *
 * @module
 */

import type { ScalarNetwork } from "../scalar/network.ts";
import type { ScalarDataset } from "../scalar/train.ts";
import { Plot, plot } from "./plot.ts";

/** A point of the plane, (x₀, x₁). */
export type PlanePoint = { x0: number; x1: number };

/** One row of a {@linkcode boundaryPlot}: a network (2 inputs, 2 outputs) and its label. */
export interface BoundaryRow {
  /** The row's label, e.g. "step 0" (shown beside the row when there are several). */
  label: string;
  /** A network with 2 inputs and 2 outputs. */
  network: ScalarNetwork;
}

/** Options of {@linkcode boundaryPlot}. */
export interface BoundaryPlotOptions {
  /** The caption under the figure, "Figure N. …". */
  caption?: string;
  /** The square drawn: [−extent, extent]². @default {3.2} */
  extent?: number;
  /** The true boundary, a closed line (black). @default {[]} */
  truth?: readonly PlanePoint[];
  /** Validation points, X (n, 2) and y (n): the first 500 dots, each misclassified one a cross. */
  points?: ScalarDataset;
  /** Each unit's 0.5 line in the class panel: bold with "unit j" or faint. @default {"labelled"} */
  unitLines?: "labelled" | "faint";
  /** A panel per hidden unit beside the class panel, its h_j over the plane. @default {false} */
  units?: boolean;
}

/** Heat-map levels, the decision level 0.5 among them; bands blue (0) via white to orange (1). */
const LEVELS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
const BAND_COLORS = ("143,179,217 163,193,224 184,207,231 204,220,238 224,234,245 245,248,252 " +
  "255,249,243 254,236,218 253,223,194 252,210,169 252,198,145 251,185,120").split(" ")
  .map((rgb) => `rgb(${rgb})`);
const CLASS_PANEL = "P(class 1)";
const BOUNDARY = { stroke: "#7b2d8e", strokeWidth: 2 }; // the decision boundary's line

/**
 * The points of `split` that `net` puts in the wrong class (class 1 where P(class 1) > 0.5).
 *
 * @param net A network with 2 inputs and 2 outputs.
 * @param split The points: X (n, 2), y (n).
 * @returns The misclassified points with their classes, in order.
 */
export function misclassified(
  net: ScalarNetwork,
  split: ScalarDataset,
): (PlanePoint & { y: number })[] {
  return pointsOf(split).filter((p) => (net.forward([p.x0, p.x1], 0).y[1] > 0.5 ? 1 : 0) !== p.y);
}

/**
 * A grid of heat maps, one row per network: P(class 1) over the plane with the decision boundary
 * P = 0.5 (purple), the true boundary (black), each hidden unit's line h_j = 0.5 (dashed), sample
 * points and misclassified points (crosses); with `units`, then one panel per hidden unit, h_j
 * over the plane with its 0.5 line.
 *
 * @param rows The networks, one row each: (rows), each 2 inputs, H hidden units, 2 outputs.
 * @param options Caption, square, true boundary, points, unit lines and unit panels.
 * @returns One `<svg>` element.
 *
 * @example One network, one panel
 * ```ts
 * import { boundaryPlot } from "./boundary_plot.ts";
 * import { ScalarNetwork } from "../scalar/network.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const network = new ScalarNetwork({ W: [[4], [0]], b: [0], V: [[-2, 2]], c: [0, 0] });
 * const svg = boundaryPlot([{ label: "", network }], { caption: "Figure 1. x₀ > 0" });
 * assertStringIncludes(svg.outerHTML, "x₀ &gt; 0");
 * ```
 */
export function boundaryPlot(
  rows: readonly BoundaryRow[],
  options: BoundaryPlotOptions = {},
): ReturnType<typeof plot> {
  const { extent = 3.2, truth = [], points, unitLines = "labelled", units = false } = options;
  const numHiddens = rows[0]?.network.numHiddens ?? 0;
  const sub = (n: number) => String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
  const unitPanels = Array.from({ length: units ? numHiddens : 0 }, (_, j) => `h${sub(j + 1)}`);
  const panels = [CLASS_PANEL, ...unitPanels];
  const grid = rows.length > 1 || units;
  const size = grid ? 170 : 440; // px, one panel
  // every mark's data carry their row (fy) and panel (fx); most marks are in the class panel
  const xy = { x: "x0", y: "x1", fx: "panel", fy: "row" } as const;
  const inClass = <T extends object>(data: (network: ScalarNetwork) => readonly T[]) =>
    rows.flatMap((row) =>
      data(row.network).map((d) => ({ ...d, panel: CLASS_PANEL, row: row.label }))
    );
  const field = rows.flatMap((row) => fieldRows(row, panels, extent, grid ? 61 : 97));
  const lines = inClass((network) => unitLineRows(network, extent));
  const bold = unitLines === "labelled";
  const contour = { ...xy, interpolate: "barycentric" } as const;
  return plot({
    caption: options.caption,
    width: panels.length * (size + 10) + (grid ? 110 : 60),
    height: rows.length * (size + 10) + 70,
    marginRight: grid ? 110 : 20,
    x: { domain: [-extent, extent], label: "x₀", ticks: grid ? [-2, 0, 2] : undefined },
    y: { domain: [-extent, extent], label: "x₁" },
    fx: { domain: panels, label: null, axis: grid ? "top" : null },
    fy: { domain: rows.map((r) => r.label), label: null, axis: rows.length > 1 ? "right" : null },
    color: {
      type: "threshold",
      domain: LEVELS,
      range: BAND_COLORS,
      legend: true,
      label: units ? "P(class 1), and h_j in a unit's panel" : "P(class 1)",
    },
    marks: [
      Plot.contour(field, { ...contour, fill: "value", thresholds: [0, ...LEVELS], pixelSize: 4 }),
      points && Plot.dot(inClass(() => pointsOf(points).slice(0, 500)), {
        ...xy,
        r: grid ? 1 : 1.4,
        fill: (d) => d.y === 1 ? "#9a3d00" : "#1f4e79",
        stroke: "white",
        strokeWidth: 0.4,
        clip: true,
      }),
      Plot.line(lines, {
        ...xy,
        z: "unit",
        stroke: "#333",
        strokeWidth: bold ? 1.5 : 0.8,
        strokeDasharray: "5,3",
        strokeOpacity: bold ? 1 : 0.6,
      }),
      bold && !grid
        ? Plot.text(unitLabels(lines, numHiddens), {
          ...xy,
          text: (d) => `unit ${d.unit}`,
          fill: "black",
          stroke: "white",
          strokeWidth: 3,
          fontWeight: "bold",
        })
        : null,
      Plot.line(inClass(() => truth), { ...xy, stroke: "black", strokeWidth: grid ? 1.2 : 2 }),
      // the decision boundary, drawn around the class-0 region (1 − P ≥ 0.5) so that the outline
      // does not run along the frame; in each unit's panel, its line h_j = 0.5
      Plot.contour(
        field.filter((d) => d.panel === CLASS_PANEL).map((d) => ({ ...d, value: 1 - d.value })),
        { ...contour, fill: null, value: "value", thresholds: [0.5], pixelSize: 2, ...BOUNDARY },
      ),
      Plot.line(units ? lines.map((l) => ({ ...l, panel: panels[l.unit] })) : [], {
        ...xy,
        z: "unit",
        stroke: "#333",
        strokeWidth: 1.5,
      }),
      points && Plot.dot(inClass((network) => misclassified(network, points)), {
        ...xy,
        symbol: "times",
        r: grid ? 1.8 : 2.5,
        stroke: "black",
        strokeWidth: 1,
        clip: true,
      }),
      Plot.frame(),
    ],
  });
}

/** The points of a split with their classes: X (n, 2) and y (n) as (n) records. */
function pointsOf(split: ScalarDataset) {
  return Array.from(split.y, (y, i) => ({ x0: split.X[2 * i], x1: split.X[2 * i + 1], y }));
}

/** The values of every panel of a row on an n × n grid over the square: P(class 1), then h_j. */
function fieldRows(row: BoundaryRow, panels: readonly string[], extent: number, n: number) {
  const at = (i: number) => -extent + (2 * extent * i) / (n - 1);
  return Array.from({ length: n * n }, (_, i) => {
    const [x0, x1] = [at(Math.floor(i / n)), at(i % n)];
    const { y, h } = row.network.forward([x0, x1], 0);
    const value = (p: number) => p === 0 ? y[1] : h[p - 1];
    return panels.map((panel, p) => ({ x0, x1, value: value(p), panel, row: row.label }));
  }).flat();
}

/** The line h_j = 0.5 of every hidden unit, W_0j x0 + W_1j x1 + b_j = 0, inside the square. */
function unitLineRows(net: ScalarNetwork, extent: number) {
  return net.b.flatMap((b, j) => {
    const [w0, w1] = [net.W[0][j], net.W[1][j]];
    return Array.from({ length: 201 }, (_, k) => {
      const s = -extent + (2 * extent * k) / 200;
      // solve for whichever coordinate the line is less steep in
      const [x0, x1] = Math.abs(w1) >= Math.abs(w0)
        ? [s, -(w0 * s + b) / w1]
        : [-(w1 * s + b) / w0, s];
      return { unit: j + 1, x0, x1 };
    }).filter((p) => Math.abs(p.x0) <= extent && Math.abs(p.x1) <= extent);
  });
}

/** One label per unit line, spread along the lines so that lines meeting at a corner stay apart. */
function unitLabels<T extends { unit: number }>(lines: readonly T[], numHiddens: number): T[] {
  return [...new Set(lines.map((l) => l.unit))].map((unit) => {
    const onLine = lines.filter((l) => l.unit === unit);
    const at = 0.12 + (0.76 * (unit - 1)) / Math.max(1, numHiddens - 1);
    return onLine[Math.floor((onLine.length - 1) * at)];
  });
}
