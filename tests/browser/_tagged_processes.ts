/**
 * Finds the processes a browser test started, by an environment variable it gives the notebook
 * server and the browser: every process they start (kernels, the broker, Chromium's helpers)
 * inherits it. Chromium's zygote and renderers make themselves unreadable (not dumpable), so the
 * sessions of the marked processes count too: the server, the browser and each kernel start
 * their own session, which holds only their descendants. Other Jupyter or Chromium processes on
 * the machine are never counted or touched.
 *
 * @module
 */

/** The environment variable that marks the processes of one browser test. */
export const TAG_VARIABLE = "BACKPROP_BROWSER_TEST_TAG";

/** A live process of the test. */
export interface TaggedProcess {
  /** Its process id. */
  pid: number;
  /** Its command line. */
  command: string;
}

interface ProcessStat {
  pid: number;
  state: string;
  session: number;
}

function readStat(pid: number): ProcessStat | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, state: fields[0], session: Number(fields[3]) };
  } catch {
    return undefined; // ended meanwhile
  }
}

function hasMarker(pid: number, marker: string): boolean {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/environ`).split("\0").includes(marker);
  } catch {
    return false; // ended, or not readable (not dumpable)
  }
}

/**
 * The live processes (zombies left out) whose environment holds `TAG_VARIABLE=tag`, and the
 * other members of their sessions.
 *
 * @param tag The test's tag.
 * @returns The processes, by pid.
 */
export function taggedProcesses(tag: string): TaggedProcess[] {
  const marker = `${TAG_VARIABLE}=${tag}`;
  const own = readStat(Deno.pid)?.session;
  const all = Array.from(Deno.readDirSync("/proc"))
    .filter((entry) => /^\d+$/.test(entry.name) && Number(entry.name) !== Deno.pid)
    .map((entry) => readStat(Number(entry.name)))
    .filter((stat): stat is ProcessStat => stat !== undefined && stat.state !== "Z");
  const marked = all.filter((stat) => hasMarker(stat.pid, marker));
  const sessions = new Set(marked.map((stat) => stat.session).filter((s) => s !== own));
  return all
    .filter((stat) => sessions.has(stat.session) || marked.includes(stat))
    .map((stat) => ({ pid: stat.pid, command: commandOf(stat.pid) }))
    .sort((a, b) => a.pid - b.pid);
}

function commandOf(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").join(" ").trim();
  } catch {
    return "(ended)";
  }
}

/**
 * Waits until no tagged process is left, or the time is up.
 *
 * @param tag The test's tag.
 * @param timeoutMs How long to wait.
 * @returns The processes still alive at the end (empty when all ended).
 */
export async function waitForTaggedProcesses(
  tag: string,
  timeoutMs: number,
): Promise<TaggedProcess[]> {
  const end = Date.now() + timeoutMs;
  let left = taggedProcesses(tag);
  while (left.length > 0 && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = taggedProcesses(tag);
  }
  return left;
}
