import type pl from "nodejs-polars";

/** Options for {@linkcode table}. */
export interface TableOptions {
  /** A caption shown above the table. @default {undefined} */
  caption?: string;
  /** Significant digits for non-integer numbers. @default {6} */
  digits?: number;
  /** Show at most this many rows (the rest are counted in a last line). @default {50} */
  maxRows?: number;
}

/** The symbol through which the Deno Jupyter kernel asks an object for its MIME bundle. */
export const jupyterDisplay: unique symbol = Symbol.for("Jupyter.display");

/** A value that the Deno Jupyter kernel displays through {@linkcode jupyterDisplay}. */
export interface Displayable {
  /** The HTML markup. */
  readonly html: string;
  /** The MIME bundle the kernel shows. */
  [jupyterDisplay](): Record<string, string>;
}

/** Formats one cell: integers as they are, other numbers to `digits` significant digits. */
function formatCell(value: unknown, digits: number): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) {
      return value.toExponential(Math.min(2, digits - 1));
    }
    return String(Number(value.toPrecision(digits)));
  }
  if (typeof value === "bigint") return value.toString();
  if (value === null || value === undefined) return "";
  return String(value);
}

/** Text safe in HTML content and in a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * A table for a notebook cell, from a polars DataFrame or an array of records. It renders as
 * HTML in Jupyter, VS Code and the exported report (polars' own display sends a data-resource
 * type that VS Code does not render).
 *
 * @param data A polars DataFrame, or rows as objects with the same keys.
 * @param options Caption, digits and row limit.
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
  const { caption, digits = 6, maxRows = 50 } = options;
  const rows: Record<string, unknown>[] = Array.isArray(data)
    ? data as Record<string, unknown>[]
    : (data as pl.DataFrame).toRecords() as Record<string, unknown>[];
  const columns = Array.isArray(data)
    ? [...new Set(rows.flatMap((row) => Object.keys(row)))]
    : (data as pl.DataFrame).columns;
  const shown = rows.slice(0, maxRows);
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = shown.map((row) => {
    const cells = columns.map((c) => {
      const v = row[c];
      const align = typeof v === "number" || typeof v === "bigint"
        ? ' style="text-align:right"'
        : "";
      return `<td${align}>${escapeHtml(formatCell(v, digits))}</td>`;
    });
    return `<tr>${cells.join("")}</tr>`;
  }).join("\n");
  const more = rows.length > shown.length
    ? `\n<tr><td colspan="${columns.length}">… ${rows.length - shown.length} more rows</td></tr>`
    : "";
  const captionHtml = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  const html =
    `<table>${captionHtml}<thead><tr>${head}</tr></thead><tbody>\n${body}${more}\n</tbody></table>`;
  const text = [
    columns.join("\t"),
    ...shown.map((row) => columns.map((c) => formatCell(row[c], digits)).join("\t")),
  ]
    .join("\n");
  return displayable(html, text);
}

/** HTML the kernel displays, with plain text for front ends that show no HTML. */
export function displayable(html: string, text: string): Displayable {
  return { html, [jupyterDisplay]: () => ({ "text/html": html, "text/plain": text }) };
}
