import type pl from "nodejs-polars";

/** Options for {@linkcode table}. */
export interface TableOptions {
  /** A caption shown above the table. @default {undefined} */
  caption?: string;
  /** Significant digits for non-integer numbers. @default {6} */
  digits?: number;
}

/** A table shows at most this many rows; the rest are counted in a last line. */
const MAX_ROWS = 50;

/** The symbol through which the Deno Jupyter kernel asks an object for its MIME bundle. */
export const jupyterDisplay: unique symbol = Symbol.for("Jupyter.display");

/** A value that the Deno Jupyter kernel displays through {@linkcode jupyterDisplay}. */
export interface Displayable {
  /** The HTML markup. */
  readonly html: string;
  /** The MIME bundle the kernel shows. */
  [jupyterDisplay](): Record<string, string>;
}

/** HTML the kernel displays, with plain text for front ends that show no HTML. */
export function displayable(html: string, text: string): Displayable {
  return { html, [jupyterDisplay]: () => ({ "text/html": html, "text/plain": text }) };
}

/** Text safe in HTML content and in a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Formats one cell: integers as they are, other numbers to `digits` significant digits. */
function formatCell(value: unknown, digits: number): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
    const abs = Math.abs(value); // not 0, an integer
    if (abs < 1e-4 || abs >= 1e9) return value.toExponential(Math.min(2, digits - 1));
    return String(Number(value.toPrecision(digits)));
  }
  return value === null || value === undefined ? "" : String(value);
}

/**
 * An HTML table of at most 50 rows of a polars DataFrame or records, for Jupyter, VS Code and the
 * report (polars' own display sends a data-resource type that VS Code does not render).
 *
 * @param data A polars DataFrame, or rows as objects with the same keys.
 * @param options Caption and digits.
 * @returns An object the kernel displays as an HTML table.
 *
 * @example Records
 * ```ts
 * import { table } from "./table.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const t = table([{ rate: 0.1, accuracy: 0.9712 }]);
 * assertStringIncludes(t.html, ">0.9712</td>");
 * ```
 */
export function table(
  data: pl.DataFrame | readonly Record<string, unknown>[],
  options: TableOptions = {},
): Displayable {
  const { caption, digits = 6 } = options;
  const frame = Array.isArray(data) ? undefined : data as pl.DataFrame;
  const rows = (frame?.toRecords() ?? data) as Record<string, unknown>[];
  const columns = frame?.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const shown = rows.slice(0, MAX_ROWS);
  const cells = shown.map((row) => columns.map((c) => formatCell(row[c], digits)));
  const numeric = (v: unknown) => typeof v === "number" || typeof v === "bigint";
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = shown.map((row, r) => {
    const tds = columns.map((c, k) =>
      `<td${numeric(row[c]) ? ' style="text-align:right"' : ""}>${escapeHtml(cells[r][k])}</td>`
    );
    return `<tr>${tds.join("")}</tr>`;
  }).join("\n");
  const more = rows.length > shown.length
    ? `\n<tr><td colspan="${columns.length}">… ${rows.length - shown.length} more rows</td></tr>`
    : "";
  const captionHtml = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  const html =
    `<table>${captionHtml}<thead><tr>${head}</tr></thead><tbody>\n${body}${more}\n</tbody></table>`;
  const text = [columns, ...cells].map((line) => line.join("\t")).join("\n");
  return displayable(html, text);
}
