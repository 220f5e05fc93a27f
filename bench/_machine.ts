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
