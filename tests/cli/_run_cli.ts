/**
 * Runs a command of cli/ as a subprocess with the permissions of its deno task.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/**
 * The command of a task as `deno task` runs it: through scripts/cli.sh, with its permissions
 * (FFI scoped to polars' addon and OpenBLAS), from the project's folder.
 */
export function cliProcess(
  command: "train" | "sweep" | "merge",
  args: string[],
  options: Pick<Deno.CommandOptions, "stdout" | "stderr" | "env"> = {},
): Deno.Command {
  return new Deno.Command("bash", {
    args: [fileURLToPath(new URL("../../scripts/cli.sh", import.meta.url)), command, ...args],
    // every run trained, unless a test says otherwise (the run store's own test)
    env: { NO_COLOR: "1", DENO: Deno.execPath(), BACKPROP_CACHE: "off", ...options.env },
    stdout: "piped",
    stderr: "piped",
    ...options.stdout === undefined ? {} : { stdout: options.stdout },
    ...options.stderr === undefined ? {} : { stderr: options.stderr },
  });
}

/** What a command printed and its exit code. */
export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
  /** The stdout lines, the empty last one left out. */
  lines: string[];
}

/** Runs `cli/<command>.ts` with the arguments. */
export async function runCli(
  command: "train" | "sweep" | "merge",
  args: string[],
  env: Record<string, string> = {},
): Promise<CliOutput> {
  const output = await cliProcess(command, args, { env }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  return {
    code: output.code,
    stdout,
    stderr: new TextDecoder().decode(output.stderr),
    lines: stdout.split("\n").filter((line) => line !== ""),
  };
}

/** The last stdout line, parsed as JSON. */
export function lastJson(output: CliOutput): Record<string, unknown> {
  return JSON.parse(output.lines.at(-1) ?? "null");
}
