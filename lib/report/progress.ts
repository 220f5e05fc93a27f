/**
 * A live progress line for long loops: a bar with the percentage, the rate and any fields the
 * loop reports (running loss, epoch…), updated in place.
 *
 * - In a Jupyter notebook (Deno kernel) it is one display output, sent with
 *   `Deno.jupyter.broadcast("display_data", …)` and then replaced with `"update_display_data"`
 *   under the same display id; it never writes to stderr there.
 * - In a terminal (plain `deno run` with stderr on a TTY) it is one line on stderr, rewritten with
 *   `\r`.
 * - Anywhere else (tests, pipes, CI) it draws nothing.
 *
 * @module
 */

import { checkInteger, checkPositive } from "../options/option_rules.ts";
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
  /**
   * Where to draw: `"auto"` picks the notebook inside the Deno Jupyter kernel, else the terminal
   * when stderr is a TTY, else nothing.
   *
   * @default {"auto"}
   */
  output?: ProgressOutput;
  /** At most this many redraws per second (the final one is always drawn). @default {10} */
  maxUpdatesPerSecond?: number;
  /** Width of the text bar in characters. @default {24} */
  width?: number;
}

/** Values shown after the bar, e.g. `{ epoch: 2, loss: 0.0712 }`. */
export type ProgressFields = Record<string, number | string>;

let displayCounter = 0;

/**
 * A live progress display, updated in place and throttled.
 *
 * Call {@linkcode Progress.prototype.update} as often as convenient (it redraws at most
 * `maxUpdatesPerSecond` times a second) and {@linkcode Progress.prototype.done} once at the end.
 * A loop that runs synchronously for long should yield to the event loop now and then (e.g.
 * `await new Promise((r) => setTimeout(r, 0))`) so the notebook receives the updates while it
 * runs.
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
  /** The number of items at 100%. */
  readonly total: number;
  /** The text before the bar. */
  readonly label: string;
  /** The name of the items. */
  readonly unit: string;
  /** Where this display draws (never `"auto"`: resolved at construction). */
  readonly output: Exclude<ProgressOutput, "auto">;
  #width: number;
  #minInterval: number;
  #started = performance.now();
  #lastDraw = -Infinity;
  #count = 0;
  #fields: ProgressFields = {};
  #finished = false;
  #seconds = 0;
  #displayId = `backprop-progress-${Date.now()}-${displayCounter++}`;
  #shown = false;
  #inFlight: Promise<void> | undefined = undefined;
  #queued: Record<string, string> | undefined = undefined;

  /**
   * Starts the clock; nothing is drawn until the first update.
   *
   * @param options The total, label, unit, output and redraw rate.
   */
  constructor(options: ProgressOptions) {
    const { total, label = "progress", unit = "steps", output = "auto" } = options;
    const { maxUpdatesPerSecond = 10, width = 24 } = options;
    checkPositive("total", total);
    checkPositive("maxUpdatesPerSecond", maxUpdatesPerSecond);
    checkInteger("width", width, 1);
    this.total = total;
    this.label = label;
    this.unit = unit;
    this.#width = width;
    this.#minInterval = 1000 / maxUpdatesPerSecond;
    this.output = output === "auto" ? detectOutput() : output;
  }

  /**
   * Records how many items are done and the fields to show; redraws when the last redraw is
   * older than 1 / maxUpdatesPerSecond.
   *
   * @param count The number of items done so far (0 … total).
   * @param fields Values to show after the rate; they replace the previous ones.
   */
  update(count: number, fields?: ProgressFields): void {
    this.#count = count;
    if (fields !== undefined) this.#fields = fields;
    const now = performance.now();
    this.#seconds = (now - this.#started) / 1000;
    if (now - this.#lastDraw >= this.#minInterval) {
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
  done(fields?: ProgressFields): Promise<void> {
    if (fields !== undefined) this.#fields = fields;
    if (!this.#finished) {
      this.#finished = true;
      this.#seconds = (performance.now() - this.#started) / 1000;
      this.#draw();
      if (this.output === "terminal") Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    }
    return this.#settled();
  }

  /** The seconds from construction to the last update (or to done). */
  get seconds(): number {
    return this.#seconds;
  }

  /** The current line as plain text. */
  get text(): string {
    const fraction = Math.min(1, Math.max(0, this.#count / this.total));
    const filled = Math.round(fraction * this.#width);
    const bar = "█".repeat(filled) + "░".repeat(this.#width - filled);
    return `${this.label} ${bar} ${this.#summary()}`;
  }

  /** The current state as HTML: the label, a bar and the same summary as the text. */
  get html(): string {
    const percent = (100 * Math.min(1, Math.max(0, this.#count / this.total))).toFixed(1);
    return `<div style="display:flex;align-items:center;gap:0.6em;font-family:monospace;` +
      `font-size:0.9em"><span>${escapeHtml(this.label)}</span>` +
      `<span style="display:inline-block;width:14em;height:0.8em;background:#e5e5e5;` +
      `border-radius:2px;overflow:hidden"><span style="display:block;width:${percent}%;` +
      `height:100%;background:#4c78a8"></span></span>` +
      `<span>${escapeHtml(this.#summary())}</span></div>`;
  }

  #summary(): string {
    const percent = Math.floor((100 * this.#count) / this.total);
    const parts = [
      `${percent}% ${formatCount(this.#count)}/${formatCount(this.total)} ${this.unit}`,
    ];
    if (this.#seconds > 0 && this.#count > 0) {
      parts.push(`${formatRate(this.#count / this.#seconds)} ${this.unit}/s`);
      if (this.#finished) {
        parts.push(`${formatSeconds(this.#seconds)}`);
      } else if (this.#count < this.total) {
        const eta = (this.#seconds * (this.total - this.#count)) / this.#count;
        parts.push(`eta ${formatSeconds(eta)}`);
      }
    }
    for (const [name, value] of Object.entries(this.#fields)) {
      parts.push(`${name} ${formatField(value)}`);
    }
    return parts.join(" · ");
  }

  #draw(): void {
    if (this.output === "terminal") {
      Deno.stderr.writeSync(new TextEncoder().encode(`\r${this.text}\x1b[K`));
    } else if (this.output === "notebook") {
      this.#send({ "text/plain": this.text, "text/html": this.html });
    }
  }

  // Sends one bundle at a time; while one is in flight only the newest is kept for the next.
  #send(data: Record<string, string>): void {
    if (this.#inFlight !== undefined) {
      this.#queued = data;
      return;
    }
    const type = this.#shown ? "update_display_data" : "display_data";
    this.#shown = true;
    const content = { data, metadata: {}, transient: { display_id: this.#displayId } };
    // broadcast is typed as returning a promise; some kernels send synchronously and return
    // nothing, so its result is wrapped either way
    this.#inFlight = new Promise<void>((resolve) => resolve(Deno.jupyter.broadcast(type, content)))
      .catch(() => {
        // a display that cannot be sent is not worth failing the training run for
      }).finally(() => {
        this.#inFlight = undefined;
        const next = this.#queued;
        this.#queued = undefined;
        if (next !== undefined) this.#send(next);
      });
  }

  async #settled(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
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

function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(Number(n.toPrecision(4)));
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

function formatField(value: number | string): string {
  if (typeof value === "string") return value;
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}
