import { assert, assertEquals, assertMatch } from "@std/assert";
import { join } from "node:path";
import { RunStore, type StoreEntry } from "../../lib/store/run_store.ts";

const PARTS = { config: "{}", data: "d", code: "c", backend: "js", runtime: "deno" };
const KEY = "ab".repeat(32);

function entry(key = KEY, losses = [2.5, NaN, 1.25]): StoreEntry {
  return {
    key,
    parts: PARTS,
    run: {
      config: { lr: 0.1, seed: 3 } as never,
      numBatches: 3,
      batchLosses: new Float32Array(losses),
      epochs: [{
        epoch: 1,
        trainLoss: 1.5,
        trainAccuracy: 0.25,
        trainEvalLoss: NaN,
        trainEvalAccuracy: NaN,
        evalLoss: Infinity,
        evalAccuracy: 0.1 + 0.2,
        trainSeconds: 0.5,
      }],
      diverged: { reason: "non-finite loss", step: 2, epoch: 1, loss: NaN },
      seconds: 1,
    },
  };
}

/** A store in a temporary folder, with the warnings (console.warn) recorded while it lives. */
function tempStore(): { store: RunStore; warnings: string[]; [Symbol.dispose](): void } {
  const dir = Deno.makeTempDirSync();
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (line: string) => warnings.push(line);
  return {
    store: new RunStore(dir),
    warnings,
    [Symbol.dispose]: () => {
      console.warn = warn;
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

Deno.test("RunStore.put() and get() keep a run exactly: float32 losses, NaN and ±Infinity", () => {
  using t = tempStore();
  assertEquals(t.store.get(KEY), undefined);
  t.store.put(entry());
  const back = t.store.get(KEY)!;
  assertEquals(back, entry());
  assertEquals(back.run.epochs[0].evalAccuracy, 0.1 + 0.2);
  assertEquals(t.warnings, []);
  assertEquals([...Deno.readDirSync(join(t.store.dir, "ab"))].map((e) => e.name), [`${KEY}.run`]);
});

Deno.test("RunStore.get() takes a damaged, foreign or unreadable entry as a miss, with one warning naming it", () => {
  using t = tempStore();
  const path = t.store.put(entry())!;
  const bytes = Deno.readFileSync(path);
  const cases: [string, () => void, RegExp][] = [
    ["a flipped byte", () => {
      const damaged = bytes.slice();
      damaged[damaged.length - 40] ^= 1;
      Deno.writeFileSync(path, damaged);
    }, /does not match its seal/],
    [
      "cut short",
      () => Deno.writeFileSync(path, bytes.subarray(0, 30)),
      /not a run-store entry|seal/,
    ],
    ["another file", () => Deno.writeTextFileSync(path, "PAR1 not ours"), /not a run-store entry/],
    [
      "another key's entry",
      () => Deno.copyFileSync(t.store.put(entry("cd".repeat(32)))!, path),
      /holds the run of key cdcd/,
    ],
    ["a folder", () => {
      Deno.removeSync(path);
      Deno.mkdirSync(path);
    }, /Is a directory|directory/],
  ];
  for (const [what, damage, reason] of cases) {
    damage();
    t.warnings.length = 0;
    assertEquals(t.store.get(KEY), undefined, what);
    assertEquals(t.warnings.length, 1, what);
    assert(t.warnings[0].includes(path), t.warnings[0]);
    assertMatch(t.warnings[0], reason);
    assertMatch(t.warnings[0], /the run is trained again$/);
  }
  Deno.removeSync(path);
  // a write over it puts a whole entry back
  t.store.put(entry());
  assertEquals(t.store.get(KEY), entry());
});

Deno.test("RunStore.put() from two processes at once leaves one whole entry", async () => {
  using t = tempStore();
  const module = new URL("../../lib/store/run_store.ts", import.meta.url).href;
  const script = `
    import { RunStore } from "${module}";
    const store = new RunStore(${JSON.stringify(t.store.dir)});
    const losses = Float32Array.from({ length: 200_000 }, (_, i) => i / 7);
    for (let i = 0; i < 20; i++) {
      store.put({ key: "${KEY}", parts: ${JSON.stringify(PARTS)}, run: {
        config: {}, numBatches: 1, batchLosses: losses, epochs: [], diverged: null, seconds: Deno.pid,
      } });
    }`;
  const writers = [1, 2].map(() =>
    new Deno.Command(Deno.execPath(), { args: ["eval", script], stderr: "piped" }).output()
  );
  const reads: (StoreEntry | undefined)[] = [];
  for (let i = 0; i < 50; i++) {
    reads.push(t.store.get(KEY));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  for (const output of await Promise.all(writers)) {
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  }
  assertEquals(t.warnings, [], "no reader saw a partial entry");
  reads.push(t.store.get(KEY));
  for (const read of reads.filter((r) => r !== undefined)) {
    assertEquals(read!.run.batchLosses.length, 200_000);
    assertEquals(read!.run.batchLosses[199_999], Math.fround(199_999 / 7));
  }
  assert(reads.at(-1) !== undefined);
  assertEquals([...Deno.readDirSync(join(t.store.dir, "ab"))].length, 1, "no temporary file left");
});

Deno.test("RunStore.fromEnv() follows BACKPROP_CACHE: a folder, or off", () => {
  const before = Deno.env.get("BACKPROP_CACHE");
  try {
    Deno.env.set("BACKPROP_CACHE", "off");
    assertEquals(RunStore.fromEnv(), null);
    Deno.env.set("BACKPROP_CACHE", "/tmp/some-store");
    assertEquals(RunStore.fromEnv()!.dir, "/tmp/some-store");
    Deno.env.delete("BACKPROP_CACHE");
    assert(RunStore.fromEnv()!.dir.endsWith("/.cache/runs"));
  } finally {
    if (before === undefined) Deno.env.delete("BACKPROP_CACHE");
    else Deno.env.set("BACKPROP_CACHE", before);
  }
});
