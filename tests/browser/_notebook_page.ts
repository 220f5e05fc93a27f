/**
 * One notebook open in the classic Jupyter Notebook (6.4), driven the way a reader drives it:
 * menu clicks, the confirm dialog, clicks and keystrokes in a cell's editor. The page's own
 * `Jupyter.notebook` object is read to know when cells have finished and what they output, never
 * to run them.
 *
 * @module
 */

import type { BrowserContext, Page } from "playwright-core";
import type { CodeCellOutputs } from "./_find_misplacements.ts";
import type { NotebookOutput } from "./_output_kinds.ts";
import type { CellEdit } from "./_cell_edits.ts";
import type { NotebookFile } from "./_notebooks.ts";

/** The parts of the classic Notebook's objects the test reads (in the page). */
interface BrowserCell {
  cell_type: string;
  get_text(): string;
  output_area: { toJSON(): NotebookOutput[] };
  code_mirror: {
    getValue(): string;
    posFromIndex(index: number): unknown;
    setSelection(anchor: unknown, head: unknown): void;
    focus(): void;
  };
}

interface BrowserNotebook {
  _fully_loaded?: boolean;
  kernel?: { is_connected(): boolean } | null;
  get_cells(): BrowserCell[];
  set_autosave_interval(interval: number): void;
  events: { on(event: string, handler: () => void): void };
}

interface TestCounters {
  executed: number;
  finished: number;
}

type BrowserWindow = {
  Jupyter?: { notebook?: BrowserNotebook };
  backpropTest?: TestCounters;
};

/** What the page shows at one moment, as the waiting loop reads it. */
interface PageState {
  executed: number;
  finished: number;
  /** Code cells (numbers from 1) showing `In [*]` or marked running. */
  running: number[];
  /** The class of the kernel indicator: "kernel_idle_icon", "kernel_busy_icon", ... */
  kernel: string;
  /** A hash of every output of every code cell. */
  signature: string;
  /** The text of an open dialog, if one is open. */
  dialog: string;
}

/** Options of the waits: the time allowed and the quiet time that ends a run. */
export interface WaitOptions {
  /**
   * How long the cells may run.
   *
   * @default {600_000}
   */
  timeoutMs?: number;
  /**
   * How long the outputs must stay unchanged, with no cell running and the kernel idle.
   *
   * @default {2_000}
   */
  settleMs?: number;
}

/** The outputs of an edited cell before and after it ran again. */
export interface EditResult {
  /** The code cell's number, from 1, counting code cells only. */
  codeCell: number;
  /** The cell's source after the edit. */
  source: string;
  /** The outputs before the edit. */
  before: NotebookOutput[];
  /** The outputs after the edited cell ran. */
  after: NotebookOutput[];
  /** The code cell (from 1) whose outputs `before` and `after` are: the edit's `shownBy`. */
  shownIn: number;
  /** With `rerun: "all"`: every code cell after the run, and the run's seconds. */
  rerun?: { cells: CodeCellOutputs[]; seconds: number };
}

/** A notebook open in the browser. */
export class NotebookPage {
  #page: Page;
  #notebook: NotebookFile;
  /** Requests that would have written the notebook (saves, checkpoints), blocked. */
  readonly blockedWrites: string[];
  /** Errors thrown in the page's scripts. */
  readonly pageErrors: string[];

  private constructor(
    page: Page,
    notebook: NotebookFile,
    blockedWrites: string[],
    pageErrors: string[],
  ) {
    this.#page = page;
    this.#notebook = notebook;
    this.blockedWrites = blockedWrites;
    this.pageErrors = pageErrors;
  }

  /**
   * Opens the notebook from the server's tree, waits until its kernel is idle, and turns autosave
   * off. Every request that would write to the notebook's file is blocked and recorded.
   *
   * @param context The browser.
   * @param address The server's address and token, and the notebook.
   * @returns The open notebook.
   */
  static async open(
    context: BrowserContext,
    address: { url: string; token: string; notebook: NotebookFile; timeoutMs?: number },
  ): Promise<NotebookPage> {
    const { url, token, notebook, timeoutMs = 180_000 } = address;
    const page = context.pages()[0] ?? await context.newPage();
    const blockedWrites: string[] = [];
    const pageErrors: string[] = [];
    await page.route("**/api/contents/**", (route) => {
      const request = route.request();
      if (request.method() === "GET") return route.continue();
      blockedWrites.push(`${request.method()} ${new URL(request.url()).pathname}`);
      return route.abort();
    });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("dialog", (dialog) => {
      pageErrors.push(`a browser dialog: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    await page.goto(`${url}notebooks/${encodeURIComponent(notebook.name)}?token=${token}`);
    try {
      await page.waitForFunction(
        () => {
          const nb = (globalThis as unknown as BrowserWindow).Jupyter?.notebook;
          const icon = document.querySelector("#kernel_indicator_icon")?.className;
          return nb?._fully_loaded === true && nb.kernel?.is_connected() === true &&
            icon === "kernel_idle_icon";
        },
        null,
        { timeout: timeoutMs, polling: 250 },
      );
    } catch {
      const state = await page.evaluate(() => {
        const nb = (globalThis as unknown as BrowserWindow).Jupyter?.notebook;
        const text = (selector: string) =>
          Array.from(document.querySelectorAll(selector))
            .map((element) => (element as HTMLElement).innerText.trim().replace(/\s+/g, " "))
            .filter((t) => t !== "").join(" | ");
        return `loaded: ${nb?._fully_loaded === true}, kernel connected: ${
          nb?.kernel?.is_connected() === true
        }, kernel indicator: "${
          document.querySelector("#kernel_indicator_icon")?.getAttribute("title") ?? "none"
        }", notification: "${text("#notification_area")}", dialog: "${text(".modal-dialog")}"`;
      }).catch((error) => `the page did not answer: ${error}`);
      throw new Error(
        `${notebook.name} was not ready (notebook loaded, kernel connected and idle) within ` +
          `${timeoutMs / 1000} s: ${state}`,
      );
    }
    await page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      const nb = w.Jupyter!.notebook!;
      nb.set_autosave_interval(0); // the committed notebooks hold full-run outputs: never save
      const counters: TestCounters = { executed: 0, finished: 0 };
      w.backpropTest = counters;
      nb.events.on("execute.CodeCell", () => counters.executed++);
      nb.events.on("finished_execute.CodeCell", () => counters.finished++);
    });
    const dialog = await page.locator(".modal-dialog").allInnerTexts();
    if (dialog.length > 0) {
      throw new Error(`${notebook.name} opened with a dialog: ${dialog.join(" | ")}`);
    }
    return new NotebookPage(page, notebook, blockedWrites, pageErrors);
  }

  /**
   * Kernel → Restart & Run All, confirmed in its dialog, then waits until every code cell has
   * run: none shows `In [*]`, the kernel is idle, and the outputs stay unchanged for the settle
   * time.
   *
   * @param options The time allowed and the settle time.
   * @returns The seconds from the click on the dialog's button to the end of the settle time.
   */
  async restartAndRunAll(options: WaitOptions = {}): Promise<number> {
    const page = this.#page;
    const nonEmpty = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      w.backpropTest!.executed = 0;
      w.backpropTest!.finished = 0;
      return w.Jupyter!.notebook!.get_cells()
        .filter((cell) => cell.cell_type === "code" && cell.get_text().trim() !== "").length;
    });
    await page.click("#kernellink");
    await page.click("#restart_run_all > a");
    const confirm = page.locator(".modal-dialog button", { hasText: "Restart and Run All Cells" });
    await confirm.click();
    const started = performance.now();
    await page.locator(".modal-dialog").waitFor({ state: "detached" });
    await this.#waitUntilDone(nonEmpty, options);
    return (performance.now() - started) / 1000;
  }

  /** The code cells with their sources and outputs as the page holds them now. */
  async codeCells(): Promise<CodeCellOutputs[]> {
    return await this.#page.evaluate(() => {
      const nb = (globalThis as unknown as BrowserWindow).Jupyter!.notebook!;
      return nb.get_cells()
        .filter((cell) => cell.cell_type === "code")
        .map((cell) => ({ source: cell.get_text(), outputs: cell.output_area.toJSON() }));
    });
  }

  /**
   * Edits one code cell as a reader does and runs it alone: a click in its editor, the literal
   * selected and typed over, then Shift+Enter; waits until it has run. The cell is the one code
   * cell that holds the edit's text.
   *
   * @param edit The cell and the literal to change.
   * @param options The time allowed and the settle time.
   * @returns The cell's number, its new source and its outputs before and after.
   */
  async editAndRun(edit: CellEdit, options: WaitOptions = {}): Promise<EditResult> {
    const page = this.#page;
    const cells = await this.codeCells();
    const target = `${edit.after}${edit.from}`;
    const matches = cells.flatMap((cell, i) => cell.source.includes(target) ? [i] : []);
    if (matches.length !== 1) {
      throw new Error(
        `${this.#notebook.name}: expected one code cell holding "${target}" to edit but found ` +
          (matches.length === 0 ? "none" : `code cells ${matches.map((i) => i + 1).join(", ")}`),
      );
    }
    const index = matches[0];
    const cell = cells[index];
    const where = `${this.#notebook.name}, code cell ${index + 1}`;
    const start = cell.source.indexOf(target) + edit.after.length;
    const source = cell.source.slice(0, start) + edit.to +
      cell.source.slice(start + edit.from.length);

    const editor = page.locator(".cell.code_cell").nth(index).locator(".CodeMirror");
    await editor.scrollIntoViewIfNeeded();
    await editor.click(); // selects the cell and enters edit mode
    await page.evaluate(({ index, start, end }) => {
      // the selection a double click on the literal would make
      const nb = (globalThis as unknown as BrowserWindow).Jupyter!.notebook!;
      const editor = nb.get_cells().filter((c) => c.cell_type === "code")[index].code_mirror;
      editor.setSelection(editor.posFromIndex(start), editor.posFromIndex(end));
      editor.focus();
    }, { index, start, end: start + edit.from.length });
    await page.keyboard.type(edit.to);
    const typed = (await this.codeCells())[index].source;
    if (typed !== source) {
      throw new Error(`${where}: after typing, the cell reads:\n${typed}\nnot:\n${source}`);
    }
    const shown = edit.shownBy === undefined
      ? index
      : cells.findIndex((c) => c.source.includes(edit.shownBy!));
    if (shown < 0) throw new Error(`${where}: no code cell holds "${edit.shownBy}"`);
    const result = {
      codeCell: index + 1,
      source,
      before: cells[shown].outputs,
      shownIn: shown + 1,
    };
    if (edit.rerun === "all") {
      await page.keyboard.press("Escape"); // leave the editor as a reader does before the menu
      const seconds = await this.restartAndRunAll(options);
      const after = await this.codeCells();
      return { ...result, after: after[shown].outputs, rerun: { cells: after, seconds } };
    }
    await page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      w.backpropTest!.executed = 0;
      w.backpropTest!.finished = 0;
    });
    await page.keyboard.press("Shift+Enter");
    await this.#waitUntilDone(1, options);
    return { ...result, after: (await this.codeCells())[shown].outputs };
  }

  /**
   * A screenshot of what the window shows, after scrolling to the top or to a code cell.
   *
   * @param path The PNG file.
   * @param codeCell The code cell to show (from 1); the top of the notebook when not given.
   */
  async screenshot(path: string, codeCell?: number): Promise<void> {
    const page = this.#page;
    if (codeCell === undefined) {
      await page.evaluate(() => document.querySelector("#site")?.scrollTo(0, 0));
    } else {
      await page.locator(".cell.code_cell").nth(codeCell - 1).evaluate((element) =>
        element.scrollIntoView({ block: "start" })
      );
    }
    await page.screenshot({ path });
  }

  async #waitUntilDone(expected: number, options: WaitOptions): Promise<void> {
    const { timeoutMs = 600_000, settleMs = 2_000 } = options;
    const end = performance.now() + timeoutMs;
    let quietSince: number | undefined;
    let last: PageState | undefined;
    while (true) {
      const state = await this.#state();
      if (state.dialog !== "") {
        throw new Error(`${this.#notebook.name}: a dialog opened while cells ran: ${state.dialog}`);
      }
      const done = state.executed >= expected && state.running.length === 0 &&
        state.kernel === "kernel_idle_icon";
      const now = performance.now();
      if (done && last?.signature === state.signature) {
        quietSince ??= now;
        if (now - quietSince >= settleMs) return;
      } else {
        quietSince = undefined;
      }
      last = state;
      if (now > end) {
        throw new Error(
          `${this.#notebook.name}: the cells had not finished after ${timeoutMs / 1000} s: ` +
            `${state.executed} of ${expected} sent, ${state.finished} finished, ` +
            `running: ${state.running.join(", ") || "none"}, kernel indicator: ${state.kernel}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async #state(): Promise<PageState> {
    return await this.#page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      const running: number[] = [];
      document.querySelectorAll(".cell.code_cell").forEach((element, i) => {
        const prompt = element.querySelector(".input_prompt")?.textContent ?? "";
        if (element.classList.contains("running") || prompt.includes("[*]")) running.push(i + 1);
      });
      const text = JSON.stringify(
        w.Jupyter!.notebook!.get_cells()
          .filter((cell) => cell.cell_type === "code")
          .map((cell) => cell.output_area.toJSON()),
      );
      let hash = 5381;
      for (let i = 0; i < text.length; i++) hash = (hash * 33 + text.charCodeAt(i)) >>> 0;
      const dialogs = Array.from(document.querySelectorAll(".modal-dialog"))
        .map((element) => (element as HTMLElement).innerText.trim().replace(/\s+/g, " "));
      return {
        executed: w.backpropTest!.executed,
        finished: w.backpropTest!.finished,
        running,
        kernel: document.querySelector("#kernel_indicator_icon")?.className ?? "",
        signature: `${text.length}:${hash}`,
        dialog: dialogs.join(" | "),
      };
    });
  }
}
