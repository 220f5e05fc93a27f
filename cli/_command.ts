/**
 * How a command runs: its exit codes, stopping when its parent is gone, and the lines it prints.
 *
 * @module
 */

import { UsageError } from "./_args.ts";

/**
 * Runs a command's main: --help prints the usage (exit 0); a UsageError prints its message and
 * the usage on stderr (exit 2); any other error its message (exit 1).
 */
export async function runCommand(
  args: readonly string[],
  usageText: string,
  body: () => Promise<void>,
): Promise<number> {
  if (args.includes("--help")) {
    console.log(usageText);
    return 0;
  }
  const watch = setInterval(exitIfOrphaned, 500);
  Deno.unrefTimer(watch);
  try {
    await body();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${usageText}`);
      return 2;
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    clearInterval(watch);
  }
}

const PARENT = Deno.ppid;
let lastParentCheck = 0;

/**
 * Ends this process when the one that started it is gone: a `deno task` killed with SIGKILL
 * cannot pass the signal on, and its child would train on and write --out later. Cheap enough
 * to call after every batch (it looks at most four times a second).
 */
export function exitIfOrphaned(): void {
  const now = performance.now();
  if (now - lastParentCheck < 250) return;
  lastParentCheck = now;
  if (Deno.ppid !== PARENT) {
    console.error("error: the process that started this command is gone; stopping");
    Deno.exit(143);
  }
}

/** Clears the progress bar's line on a terminal, so a line printed on stdout stands alone. */
export function clearProgressLine(): void {
  try {
    if (Deno.stderr.isTerminal()) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[K"));
  } catch {
    // no terminal
  }
}

/** A fraction as a percentage with two decimals. */
export function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`;
}
