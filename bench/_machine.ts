/**
 * The machine a benchmark ran on, as lines to print beside its table: the CPU, its cores and
 * SIMD features, memory, load, and OpenBLAS's settings (the figures move between machines of
 * one kind, so every table carries them).
 *
 * @module
 */

/** The load average over 1, 5 and 15 minutes. */
export function loadAverage(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

/**
 * Lines describing this machine: CPU model and family, cores, SIMD features, memory, Linux,
 * load, and the OpenBLAS environment.
 *
 * @returns The lines.
 */
export function machine(): string[] {
  const cpuinfo = Deno.readTextFileSync("/proc/cpuinfo");
  const cores = cpuinfo.match(/^processor\s*:/gm)?.length ?? NaN;
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(cpuinfo)?.[1];
  const model = field("model name") ?? "unknown CPU";
  const flags = new Set((field("flags") ?? "").split(" "));
  const simd = ["sse4_2", "avx", "avx2", "fma", "avx512f"].filter((f) => flags.has(f));
  const gib = (Deno.systemMemoryInfo().total / 2 ** 30).toFixed(1);
  const coretype = Deno.env.get("OPENBLAS_CORETYPE");
  return [
    `machine: ${model} (family ${field("cpu family") ?? "?"}), ${cores} cores ` +
    `(navigator.hardwareConcurrency ${navigator.hardwareConcurrency}), SIMD ${
      simd.join(" ") || "none listed"
    }, ` +
    `${gib} GiB, Linux ${Deno.osRelease()}; load average ${loadAverage()}`,
    `  OPENBLAS_CORETYPE ${coretype === undefined ? "unset" : `= ${coretype}`}, ` +
    `OPENBLAS_NUM_THREADS ${Deno.env.get("OPENBLAS_NUM_THREADS") ?? "unset"}, ` +
    `OMP_NUM_THREADS ${Deno.env.get("OMP_NUM_THREADS") ?? "unset"}`,
  ];
}

/**
 * numpy's own seconds for one MNIST epoch on this machine (bench/mnist_numpy.py, plain SGD), the
 * reference every ratio to numpy divides by, as a header line; a line saying why when numpy
 * cannot run (bench/install_peers.sh installs it, as `deno task bench:mnist` does).
 *
 * @param dataDir The folder of the MNIST files.
 * @param batch The batch size.
 * @returns One line, e.g. "numpy's own time: 1.102 s/epoch at batch 50 (numpy 1.24.2; OpenBLAS …)".
 */
export async function numpyEpochLine(dataDir: string, batch = 50): Promise<string> {
  const script = new URL("./mnist_numpy.py", import.meta.url).pathname;
  try {
    const child = new Deno.Command("/usr/bin/python3", {
      args: [script, "--serve", "--data", dataDir, "--batch", String(batch)],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("epochs 1\ndone\n"));
    await writer.close();
    const { success, stdout, stderr } = await child.output();
    if (!success) throw new Error(new TextDecoder().decode(stderr).trim().split("\n").pop());
    const messages = new TextDecoder().decode(stdout).split("\n")
      .filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
    const ready = messages.find((m) => m.ready), timed = messages.find((m) => m.epochSeconds);
    const seconds = timed?.epochSeconds?.[0];
    if (typeof seconds !== "number") throw new Error("it printed no epoch time");
    return `numpy's own time: ${seconds.toFixed(3)} s/epoch at batch ${batch} ` +
      `(${[ready?.version, ready?.blas].filter(Boolean).join("; ")}), measured just now`;
  } catch (error) {
    return `numpy's own time: not measured (${error instanceof Error ? error.message : error})`;
  }
}
