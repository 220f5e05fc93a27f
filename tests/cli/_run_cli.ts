/**
 * Runs a command of cli/ as a subprocess with the permissions of its deno task.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The permissions of the train and sweep tasks (see the report of the CLI's change). */
export const TASK_PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-ffi",
  "--allow-sys=cpus,networkInterfaces,hostname",
  "--allow-env=BACKPROP_BACKEND,INIT_CWD",
];

/** What a command printed and its exit code. */
export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
  /** The stdout lines, the empty last one left out. */
  lines: string[];
}

/** Runs `cli/<command>.ts` with the arguments. */
export async function runCli(command: "train" | "sweep", args: string[]): Promise<CliOutput> {
  const script = fileURLToPath(new URL(`../../cli/${command}.ts`, import.meta.url));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...TASK_PERMISSIONS, script, ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
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
