/**
 * Starts the project's notebook server the way a user does, `bash scripts/notebook.sh`, on a free
 * port, in its own process group, and shuts it down with every kernel it started.
 *
 * @module
 */

import { ROOT } from "./_notebooks.ts";
import { TAG_VARIABLE } from "./_tagged_processes.ts";
import { within } from "./_within.ts";

/** A running notebook server. */
export interface NotebookServer {
  /** The server's address, with a trailing slash: "http://127.0.0.1:PORT/". */
  url: string;
  /** The login token. */
  token: string;
  /** The port it serves at (Jupyter takes the next free one when the one asked for is taken). */
  port: number;
  /** The process id of `bash scripts/notebook.sh`, also its process group. */
  pid: number;
  /** The file that receives the server's stdout and stderr. */
  logPath: string;
  /** Shuts the kernels down, stops the process group and closes the log. */
  close(): Promise<void>;
}

/** Options of `startNotebookServer`. */
export interface StartNotebookServerOptions {
  /** The value of `TAG_VARIABLE` in the server's environment (inherited by the kernels). */
  tag: string;
  /**
   * Quick mode: BACKPROP_QUICK=1 in the server's (so the kernels') environment.
   *
   * @default {true}
   */
  quick?: boolean;
  /**
   * The port; a free one when not given.
   *
   * @default {undefined}
   */
  port?: number;
  /**
   * Where the server's output goes.
   *
   * @default {"build/browser-test/server.log"}
   */
  logPath?: string;
  /**
   * The run store's folder (BACKPROP_CACHE) of the server's kernels.
   *
   * @default {the environment's}
   */
  store?: string;
  /**
   * How long to wait for the server to answer.
   *
   * @default {180_000}
   */
  timeoutMs?: number;
}

// scripts/notebook.sh prints this on stdout once the server listens; the test uses this address
// and no other, so it holds the banner to the address really served
const SERVING_LINE = /^notebook: serving at (http:\/\/[^/\s]+:\d+\/)\?token=([0-9a-zA-Z]+)/;

/**
 * Starts `bash scripts/notebook.sh` with BACKPROP_PORT (and BACKPROP_QUICK in quick mode) and
 * waits until it answers at the address it prints.
 *
 * @param options The tag, quick or full, the port, the log file and the time allowed.
 * @returns The running server.
 */
export async function startNotebookServer(
  options: StartNotebookServerOptions,
): Promise<NotebookServer> {
  const {
    tag,
    quick = true,
    port = freePort(),
    logPath = `${ROOT}build/browser-test/server.log`,
    timeoutMs = 180_000,
  } = options;
  const env = Deno.env.toObject();
  delete env.BACKPROP_QUICK;
  if (quick) env.BACKPROP_QUICK = "1";
  env.BACKPROP_PORT = String(port);
  env[TAG_VARIABLE] = tag;
  env.NO_COLOR = "1";
  if (options.store !== undefined) env.BACKPROP_CACHE = options.store;
  const log = await Deno.open(logPath, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  const child = new Deno.Command("bash", {
    args: [`${ROOT}scripts/notebook.sh`],
    cwd: ROOT,
    env,
    clearEnv: true,
    detached: true, // its own session and process group, stopped as a whole
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const status = child.status;

  let address: { url: string; token: string } | undefined;
  const tail: string[] = [];
  let logOpen = true;
  const onLine = (stream: string) => (line: string) => {
    if (logOpen) log.writeSync(encoder.encode(`${stream}: ${line}\n`));
    tail.push(`${stream}: ${line}`);
    if (tail.length > 40) tail.shift();
    const serving = stream === "out" ? SERVING_LINE.exec(line) : null;
    if (serving) address ??= { url: serving[1], token: serving[2] };
  };
  const reading = new AbortController();
  const readers = Promise.all([
    readLines(child.stdout, onLine("out"), reading.signal),
    readLines(child.stderr, onLine("err"), reading.signal),
  ]);

  let exited = false;
  status.then(() => (exited = true));
  const stop = async () => {
    await shutDownKernels(address);
    await stopGroup(child.pid, status);
    // a process that outlived the group (found by the tag check afterwards) may hold the pipes
    if (!await within(readers, 5_000)) reading.abort();
    await within(readers, 5_000);
    logOpen = false;
    log.close();
  };

  const end = Date.now() + timeoutMs;
  try {
    while (!(address && await answers(address))) {
      if (exited) {
        throw new Error(
          `scripts/notebook.sh stopped before it served (see ${logPath}):\n${tail.join("\n")}`,
        );
      }
      if (Date.now() > end) {
        throw new Error(
          `scripts/notebook.sh printed no address it answers at within ${timeoutMs / 1000} s ` +
            `(see ${logPath}):\n${tail.join("\n")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const found = address!;
  log.writeSync(encoder.encode(`test: serving at ${found.url}\n`));
  return {
    url: found.url,
    token: found.token,
    port: Number(new URL(found.url).port),
    pid: child.pid,
    logPath,
    close: stop,
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const reader = stream.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel);
  const decoder = new TextDecoder();
  let pending = "";
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
  if (pending !== "") onLine(pending);
}

async function answers(address: { url: string; token: string }): Promise<boolean> {
  try {
    const response = await fetch(`${address.url}api/status`, {
      headers: { Authorization: `token ${address.token}` },
      signal: AbortSignal.timeout(2_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

// Asks the server to shut every kernel down (as its Running tab's Shutdown does), so that none
// outlives the server; errors are ignored, the process check afterwards has the last word.
async function shutDownKernels(address?: { url: string; token: string }): Promise<void> {
  if (!address) return;
  const headers = { Authorization: `token ${address.token}` };
  try {
    const response = await fetch(`${address.url}api/kernels`, {
      headers,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return;
    }
    const kernels = await response.json() as { id: string }[];
    for (const kernel of kernels) {
      const deleted = await fetch(`${address.url}api/kernels/${kernel.id}`, {
        method: "DELETE",
        headers,
        signal: AbortSignal.timeout(15_000),
      });
      await deleted.body?.cancel();
    }
  } catch {
    // the server is gone already
  }
}

// SIGTERM to the process group (Jupyter shuts its kernels down on it), SIGKILL after 15 s.
async function stopGroup(pid: number, status: Promise<Deno.CommandStatus>): Promise<void> {
  const signal = (name: Deno.Signal) => {
    try {
      Deno.kill(-pid, name);
    } catch {
      // the group has ended
    }
  };
  signal("SIGTERM");
  if (await within(status, 15_000)) return;
  signal("SIGKILL");
  await status;
}
