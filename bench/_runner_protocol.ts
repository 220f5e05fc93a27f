// The Deno side of bench/mnist_epoch_bench.ts's runner protocol (JSON lines over stdin and
// stdout; see bench/_mnist_epoch_ours.ts), shared by the Deno runners as
// bench/_mnist_peer_common.py is by the Python ones: options, messages, peak memory, commands.

/** The value after `--name` in the arguments, or the fallback. */
export function option(name: string, fallback: string): string {
  const i = Deno.args.indexOf(name);
  return i < 0 ? fallback : Deno.args[i + 1] ?? fallback;
}

/** One message to the benchmark: a JSON line on stdout. */
export function send(message: Record<string, unknown>): void {
  console.log(JSON.stringify(message));
}

/** Prints the message on stderr, prefixed with the runner's file name, and exits 1. */
export function fail(message: string): never {
  console.error(`${new URL(Deno.mainModule).pathname.split("/").pop()}: ${message}`);
  Deno.exit(1);
}

/** This process's peak resident memory, MB (VmHWM). */
export function peakRssMb(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

let pending = "";
/** The next line of stdin, blocking; "done" at the end of stdin. */
export function readCommand(): string {
  const buffer = new Uint8Array(256);
  while (!pending.includes("\n")) {
    const n = Deno.stdin.readSync(buffer);
    if (n === null) return pending.trim() === "" ? "done" : pending.trim();
    pending += new TextDecoder().decode(buffer.subarray(0, n));
  }
  const end = pending.indexOf("\n");
  const line = pending.slice(0, end).trim();
  pending = pending.slice(end + 1);
  return line;
}

/** The epochs asked for by an "epochs N" command, at most `left`; 0 for "done". */
export function readEpochs(left = Infinity): number {
  const line = readCommand();
  if (line === "done") return 0;
  const match = /^epochs (\d+)$/.exec(line);
  const count = Number(match?.[1]);
  if (match === null || count < 1 || count > left) {
    const range = left === Infinity ? "at least 1" : `from 1 to ${left}`;
    fail(`expected "epochs N" with N ${range}, or "done", but found "${line}"`);
  }
  return count;
}
