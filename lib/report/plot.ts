import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** The DOM document Observable Plot draws into outside a browser (linkedom's). */
const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");

const SVG_NS = "http://www.w3.org/2000/svg";
const FONT = "system-ui, sans-serif";
/** Swatch legend layout, in px: font size, swatch side, gaps, row height, and a character's width. */
const LEGEND = { fontSize: 10, swatch: 10, gap: 6, itemGap: 14, row: 16, charWidth: 6 };
/** Caption layout, in px: font size, line height, gap above, and a character's width. */
const CAPTION = { fontSize: 12, lineHeight: 16, gap: 6, charWidth: 6.6 };
/** Gradient ids must be unique within a page that shows several plots. */
let rampCount = 0;

/** A block of SVG and its height in px. */
type Block = { element: Element; height: number };

/**
 * Observable Plot's `Plot.plot` on linkedom's document, as one `<svg>` notebooks, GitHub and VS
 * Code render inline, with a color legend inside the SVG above the plot, decimal log-axis ticks
 * (0.04, not 40m) and a string caption wrapped under the plot, its leading "Figure N." in bold.
 *
 * @param options Plot's options (marks, axes, width, height…); `document` is filled in.
 * @returns The plot's `<svg>` element, whose `outerHTML` is the markup.
 *
 * @example A line
 * ```ts
 * import { plot, Plot } from "./mod.ts";
 * import { assert } from "@std/assert";
 *
 * const svg = plot({ marks: [Plot.lineY([1, 3, 2])] });
 * assert(svg.outerHTML.startsWith("<svg"));
 * ```
 */
export function plot(options: Plot.PlotOptions = {}): ReturnType<typeof Plot.plot> {
  const { color, caption } = options;
  const chart = Plot.plot({
    ...options,
    x: decimalLogTicks(options.x),
    y: decimalLogTicks(options.y),
    color: color && { ...color, legend: false },
    caption: typeof caption === "string" ? undefined : caption,
    document: document as unknown as Document,
  });
  const width = Number(chart.getAttribute("width"));
  const height = Number(chart.getAttribute("height"));
  const above = color?.legend ? legendBlock(chart.scale("color")!, width) : null;
  const top = above?.height ?? 0;
  const below = typeof caption === "string" ? captionBlock(caption, width, top + height) : null;
  if (!above && !below) return chart;
  const total = top + height + (below?.height ?? 0);
  const outer = svgElement("svg", {
    xmlns: SVG_NS,
    width,
    height: total,
    viewBox: `0 0 ${width} ${total}`,
    style: "max-width: 100%; height: auto; background: white",
  });
  if (above) outer.append(above.element);
  chart.setAttribute("y", String(top));
  outer.append(chart);
  if (below) outer.append(below.element);
  return outer as unknown as ReturnType<typeof Plot.plot>;
}

function decimalLogTicks(axis: Plot.ScaleOptions | undefined): Plot.ScaleOptions | undefined {
  return axis?.type === "log" && axis.tickFormat === undefined
    ? { ...axis, tickFormat: "~g" }
    : axis;
}

/** An SVG element with its attributes, in order, and its text if given. */
function svgElement(name: string, attrs: Record<string, string | number>, text?: string): Element {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A color legend as SVG: swatches in rows for categories, a gradient bar for numbers. */
function legendBlock(scale: Plot.Scale, width: number): Block {
  const legend = svgElement("g", { "font-size": LEGEND.fontSize, "font-family": FONT });
  if (scale.type === "ordinal" || scale.type === "categorical") {
    // swatches in rows, wrapped at the chart's width (text widths estimated: no layout engine)
    const range = scale.range as unknown[];
    let x = 0, y = 0;
    Array.from(scale.domain ?? []).forEach((value, i) => {
      const label = String(value);
      const itemWidth = LEGEND.swatch + LEGEND.gap + label.length * LEGEND.charWidth;
      if (x > 0 && x + itemWidth > width) [x, y] = [0, y + LEGEND.row];
      const fill = String(range[i % range.length]);
      const at = { x: x + LEGEND.swatch + LEGEND.gap, y: y + LEGEND.swatch - 1 };
      legend.append(
        svgElement("rect", { x, y, width: LEGEND.swatch, height: LEGEND.swatch, fill }),
        svgElement("text", { ...at, fill: "currentColor" }, label),
      );
      x += itemWidth + LEGEND.itemGap;
    });
    return { element: legend, height: y + LEGEND.row + 6 };
  }
  // a continuous scale: a gradient bar from the domain's first value to its last, labelled
  const domain = Array.from(scale.domain ?? [0, 1]) as number[];
  const [first, last] = [domain[0], domain[domain.length - 1]];
  const id = `legend-ramp-${++rampCount}`;
  const gradient = svgElement("linearGradient", { id });
  for (let k = 0; k <= 10; k++) {
    const color = String(scale.apply!(first + (k / 10) * (last - first)));
    gradient.append(svgElement("stop", { offset: `${k * 10}%`, "stop-color": color }));
  }
  const defs = svgElement("defs", {});
  defs.append(gradient);
  const bar = { x: 0, y: LEGEND.row, width: 240, height: LEGEND.swatch, fill: `url(#${id})` };
  const text = (x: number, y: number, anchor: string, content: string) =>
    svgElement("text", { x, y, "text-anchor": anchor }, content);
  const short = (value: number) => String(Number(value.toPrecision(3)));
  const y = LEGEND.swatch - 1;
  legend.append(
    defs,
    svgElement("rect", bar),
    text(0, y, "start", String(scale.label ?? "")),
    text(0, LEGEND.row * 2 + 2 + y, "start", short(first)),
    text(240, LEGEND.row * 3 + 1, "end", short(last)),
  );
  return { element: legend, height: LEGEND.row * 3 + 8 };
}

/** A caption as SVG text at `top`, wrapped at the plot's width; a leading "Figure N." is bold. */
function captionBlock(caption: string, width: number, top: number): Block {
  const maxChars = Math.max(20, Math.floor((width - 8) / CAPTION.charWidth));
  const lines: string[] = [];
  for (const word of caption.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= maxChars) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  const block = svgElement("g", {
    "font-size": CAPTION.fontSize,
    "font-family": FONT,
    fill: "currentColor",
    transform: `translate(0, ${top})`,
  });
  lines.forEach((line, i) => {
    const y = CAPTION.gap + (i + 1) * CAPTION.lineHeight - 3;
    const label = i === 0 ? /^Figure \d+[.:]/.exec(line) : null;
    const text = svgElement("text", { x: 0, y }, label ? "" : line);
    if (label) {
      text.append(
        svgElement("tspan", { "font-weight": "bold" }, label[0]),
        line.slice(label[0].length),
      );
    }
    block.append(text);
  });
  return { element: block, height: CAPTION.gap + lines.length * CAPTION.lineHeight + 4 };
}

export { Plot };
