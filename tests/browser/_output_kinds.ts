/**
 * The kinds of a code cell's outputs, the unit in which the browser test compares a cell's
 * outputs with the headless runner's.
 *
 * @module
 */

/** One output of a code cell as nbformat 4 stores it (the fields the tests read). */
export interface NotebookOutput {
  /** "stream", "display_data", "execute_result" or "error". */
  output_type: string;
  /** The stream's name ("stdout" or "stderr"), for streams. */
  name?: string;
  /** The stream's text, for streams. */
  text?: string | string[];
  /** The output's data by MIME type, for display data and results. */
  data?: Record<string, unknown>;
  /** The error's name, for errors. */
  ename?: string;
  /** The error's message, for errors. */
  evalue?: string;
}

/**
 * The kinds of a cell's outputs, in order: the output type, plus the stream name for streams
 * ("stream:stdout"). Consecutive streams of the same name count once: the classic Notebook joins
 * them into one output where nbclient keeps one output per message.
 *
 * @param outputs The cell's outputs.
 * @returns One kind per output, runs of the same stream joined.
 *
 * @example Two prints and a result
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { outputKinds } from "./_output_kinds.ts";
 *
 * const kinds = outputKinds([
 *   { output_type: "stream", name: "stdout", text: "a\n" },
 *   { output_type: "stream", name: "stdout", text: "b\n" },
 *   { output_type: "execute_result", data: { "text/plain": "1" } },
 * ]);
 * assertEquals(kinds, ["stream:stdout", "execute_result"]);
 * ```
 */
export function outputKinds(outputs: readonly NotebookOutput[]): string[] {
  const kinds: string[] = [];
  for (const output of outputs) {
    const kind = output.output_type === "stream"
      ? `stream:${output.name ?? "stdout"}`
      : output.output_type;
    if (kind.startsWith("stream:") && kinds.at(-1) === kind) continue;
    kinds.push(kind);
  }
  return kinds;
}
