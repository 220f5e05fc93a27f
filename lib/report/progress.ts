/**
 * A live progress line (bar, percentage, rate, the loop's own fields) updated in place: in the
 * Deno Jupyter kernel one display output replaced by its display id, in a terminal one stderr
 * line rewritten with `\r`, elsewhere (tests, pipes, CI) nothing.
 *
 * @module
 */

import { checkPositive } from "../options/option_rules.ts";
import { escapeHtml } from "./table.ts";

/** Where a {@linkcode Progress} draws. */
export type ProgressOutput = "auto" | "notebook" | "terminal" | "none";

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** The number of items (steps, batches…) at 100%, a finite number > 0. */
  total: number;
  /** The text before the bar. @default {"progress"} */
  label?: string;
  /** The name of the items, used in the count and the rate ("steps/s"). @default {"steps"} */
  unit?: string;
  /** Where to draw; `"auto"` as the module says (notebook, terminal, none). @default {"auto"} */
  output?: ProgressOutput;
}

/** Values shown after the bar, e.g. `{ epoch: 2, loss: 0.0712 }`. */
export type ProgressFields = Record<string, number | string>;

/** The text bar's width in characters. */
const BAR_WIDTH = 24;
/** The least time between two redraws, in ms (the final one is always drawn). */
const MIN_INTERVAL = 100;

/**
 * A throttled live progress display: call `update` as often as convenient and `done` once at the
 * end. A long synchronous loop must yield now and then (`setTimeout`) for a notebook to update.
 *
 * @example Count to 100 (draws nothing outside a notebook or terminal)
 * ```ts
 * import { Progress } from "./progress.ts";
 * import { assertStringIncludes } from "@std/assert";
 *
 * const progress = new Progress({ total: 100, label: "demo", output: "none" });
 * for (let i = 1; i <= 100; i++) progress.update(i, { loss: 1 / i });
 * await progress.done();
 * assertStringIncludes(progress.text, "100% 100/100 steps");
 * assertStringIncludes(progress.text, "loss 0.01");
 * ```
 */
export class Progress {
  /** Where this display draws (never `"auto"`: resolved at construction). */
  readonly output: Exclude<ProgressOutput, "auto">;
  #total: number;
  #label: string;
  #unit: string;
  #started = performance.now();
  #lastDraw = -Infinity;
  #count = 0;
  #fields: ProgressFields = {};
  #finished = false;
  #seconds = 0;
  #displayId = `backprop-progress-${crypto.randomUUID()}`;
  #shown = false;
  #inFlight: Promise<void> | undefined = undefined;
  #queued: Record<string, string> | undefined = undefined;

  /**
   * Starts the clock; nothing is drawn until the first update.
   *
   * @param options The total, label, unit and output.
   */
  constructor(options: ProgressOptions) {
    const { total, label = "progress", unit = "steps", output = "auto" } = options;
    checkPositive("total", total);
    [this.#total, this.#label, this.#unit] = [total, label, unit];
    this.output = output === "auto" ? detectOutput() : output;
  }

  /**
   * Records how many items are done and the fields to show; redraws at most 10 times a second.
   *
   * @param count The number of items done so far (0 … total).
   * @param fields Values to show after the rate; they replace the previous ones.
   */
  update(count: number, fields?: ProgressFields): void {
    this.#count = count;
    if (fields !== undefined) this.#fields = fields;
    const now = performance.now();
    this.#seconds = (now - this.#started) / 1000;
    if (now - this.#lastDraw >= MIN_INTERVAL) {
      this.#lastDraw = now;
      this.#draw();
    }
  }

  /**
   * Marks the loop finished and draws the final state (the rate over the whole run).
   *
   * @param fields Final values to show; the last ones given to update are kept otherwise.
   * @returns A promise that resolves once a notebook display shows the final state.
   */
  async done(fields?: ProgressFields): Promise<void> {
    if (fields !== undefined) this.#fields = fields;
    if (!this.#finished) {
      this.#finished = true;
      this.#seconds = (performance.now() - this.#started) / 1000;
      this.#draw();
      if (this.output === "terminal") Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    }
    while (this.#inFlight !== undefined) await this.#inFlight;
  }

  /** The seconds from construction to the last update (or to done). */
  get seconds(): number {
    return this.#seconds;
  }

  /** The current line as plain text. */
  get text(): string {
    const filled = Math.round(this.#fraction() * BAR_WIDTH);
    const bar = "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
    return `${this.#label} ${bar} ${this.#summary()}`;
  }

  /** The current state as HTML: the label, a bar and the same summary as the text. */
  get html(): string {
    const percent = (100 * this.#fraction()).toFixed(1);
    return `<div style="display:flex;align-items:center;gap:0.6em;font-family:monospace;` +
      `font-size:0.9em"><span>${escapeHtml(this.#label)}</span>` +
      `<span style="display:inline-block;width:14em;height:0.8em;background:#e5e5e5;` +
      `border-radius:2px;overflow:hidden"><span style="display:block;width:${percent}%;` +
      `height:100%;background:#4c78a8"></span></span>` +
      `<span>${escapeHtml(this.#summary())}</span></div>`;
  }

  #fraction(): number {
    return Math.min(1, Math.max(0, this.#count / this.#total));
  }

  #summary(): string {
    const [count, total, unit] = [this.#count, this.#total, this.#unit];
    const parts = [
      `${Math.floor((100 * count) / total)}% ${formatCount(count)}/${formatCount(total)} ${unit}`,
    ];
    if (this.#seconds > 0 && count > 0) {
      parts.push(`${formatRate(count / this.#seconds)} ${unit}/s`);
      const eta = (this.#seconds * (total - count)) / count;
      if (this.#finished) parts.push(formatSeconds(this.#seconds));
      else if (count < total) parts.push(`eta ${formatSeconds(eta)}`);
    }
    for (const [name, value] of Object.entries(this.#fields)) {
      parts.push(`${name} ${typeof value === "string" ? value : formatNumber(value)}`);
    }
    return parts.join(" · ");
  }

  #draw(): void {
    if (this.output === "terminal") {
      Deno.stderr.writeSync(new TextEncoder().encode(`\r${this.text}\x1b[K`));
    } else if (this.output === "notebook") {
      this.#queued = { "text/plain": this.text, "text/html": this.html };
      this.#inFlight ??= this.#send();
    }
  }

  /** Sends one bundle at a time; while one is in flight only the newest is kept for the next. */
  async #send(): Promise<void> {
    while (this.#queued !== undefined) {
      const data = this.#queued;
      this.#queued = undefined;
      const type = this.#shown ? "update_display_data" : "display_data";
      this.#shown = true;
      const content = { data, metadata: {}, transient: { display_id: this.#displayId } };
      try {
        await Deno.jupyter.broadcast(type, content);
      } catch {
        // a display that cannot be sent is not worth failing the training run for
      }
    }
    this.#inFlight = undefined;
  }
}

/** The notebook inside the Deno Jupyter kernel, else the terminal when stderr is one, else none. */
function detectOutput(): Exclude<ProgressOutput, "auto"> {
  try {
    if (typeof Deno.jupyter?.broadcast === "function") return "notebook";
  } catch { /* outside the kernel, reading Deno.jupyter throws */ }
  try {
    return Deno.stderr.isTerminal() ? "terminal" : "none";
  } catch {
    return "none";
  }
}

/** An integer as it is, another number to 4 significant digits. */
function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/** An integer with thousands separators, another number to 4 significant digits. */
function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : formatNumber(n);
}

function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toPrecision(3)}M`;
  if (rate >= 1e3) return `${(rate / 1e3).toPrecision(3)}k`;
  return rate.toPrecision(3);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toPrecision(2)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - 60 * minutes)} s`;
}
