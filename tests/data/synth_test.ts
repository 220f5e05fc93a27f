import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { Random } from "../../lib/data/random.ts";
import {
  loadSynth,
  SYNTH_Q,
  SYNTH_THRESHOLD,
  synthBoundary,
  synthLabel,
} from "../../lib/data/synth.ts";

Deno.test("loadSynth() gives the same points for the same seed and others for another", () => {
  const a = loadSynth({ numTrain: 500, numValidation: 100, seed: 3 });
  const b = loadSynth({ numTrain: 500, numValidation: 100, seed: 3 });
  const c = loadSynth({ numTrain: 500, numValidation: 100, seed: 4 });
  assertEquals(a, b);
  assertNotEquals(a.train.X, c.train.X);
  assertNotEquals(a.validation.X, c.validation.X);
  // a generator works as well as its seed
  assertEquals(loadSynth({ numTrain: 500, numValidation: 100, seed: new Random(3) }), a);
});

Deno.test("loadSynth() draws 60,000 training and 10,000 validation points by default", () => {
  const data = loadSynth();
  assertEquals(data.train.X.length, 2 * 60_000);
  assertEquals(data.train.y.length, 60_000);
  assertEquals(data.validation.X.length, 2 * 10_000);
  assertEquals(data.validation.y.length, 10_000);
  assertEquals(data.seed, 0);
});

Deno.test("loadSynth() puts 55.7% of 70,000 points in class 1, within one percentage point", () => {
  for (const seed of [0, 1]) {
    const { train, validation } = loadSynth({ seed });
    let ones = 0;
    for (const label of train.y) ones += label;
    for (const label of validation.y) ones += label;
    assertAlmostEquals(ones / 70_000, 0.557, 0.01);
  }
});

Deno.test("loadSynth() labels every point by the rule xᵀQx > 0.6", () => {
  const { train } = loadSynth({ numTrain: 2000, numValidation: 1, seed: 5 });
  for (let i = 0; i < 2000; i++) {
    const x0 = train.X[2 * i], x1 = train.X[2 * i + 1];
    const q = x0 * (SYNTH_Q[0][0] * x0 + SYNTH_Q[0][1] * x1) +
      x1 * (SYNTH_Q[1][0] * x0 + SYNTH_Q[1][1] * x1);
    assertEquals(train.y[i], q > SYNTH_THRESHOLD ? 1 : 0);
  }
});

Deno.test("loadSynth() draws coordinates from a standard normal", () => {
  const { train } = loadSynth({ numTrain: 50_000, numValidation: 1, seed: 6 });
  for (const axis of [0, 1]) {
    let sum = 0, squares = 0;
    for (let i = 0; i < 50_000; i++) {
      const v = train.X[2 * i + axis];
      sum += v;
      squares += v * v;
    }
    assertAlmostEquals(sum / 50_000, 0, 0.02);
    assertAlmostEquals(squares / 50_000, 1, 0.03);
  }
});

Deno.test("loadSynth() throws a RangeError naming an invalid size", () => {
  assertThrows(
    () => loadSynth({ numTrain: 0 }),
    RangeError,
    "Expected numTrain to be an integer of at least 1 but found 0",
  );
  assertThrows(
    () => loadSynth({ numValidation: 2.5 }),
    RangeError,
    "Expected numValidation to be an integer of at least 1 but found 2.5",
  );
  assertThrows(() => loadSynth({ seed: 0.5 }), RangeError, "seed");
});

Deno.test("synthLabel() is 0 inside the ellipse and 1 outside", () => {
  assertEquals(synthLabel(0, 0), 0);
  assertEquals(synthLabel(0.5, 0.5), 0); // q = 0.25 + 0.2375 + 0.1 = 0.5875
  assertEquals(synthLabel(0.6, 0.6), 1); // q = 0.36 + 0.342 + 0.144 = 0.846
  assertEquals(synthLabel(0.7, 0), 0); // q = 0.49
  assertEquals(synthLabel(0.8, 0), 1); // q = 0.64
  assertEquals(synthLabel(1, -1), 0); // q = 1 − 0.95 + 0.4 = 0.45
});

Deno.test("synthBoundary() traces the closed ellipse q = 0.6", () => {
  const points = synthBoundary(64);
  assertEquals(points.length, 65);
  assertEquals(points[0], points[64]);
  for (const { x0, x1 } of points) {
    assertAlmostEquals(x0 * x0 + 0.95 * x0 * x1 + 0.4 * x1 * x1, 0.6, 1e-12);
  }
  // just outside the boundary is class 1, just inside class 0
  for (const { x0, x1 } of points) {
    assertEquals(synthLabel(1.001 * x0, 1.001 * x1), 1);
    assertEquals(synthLabel(0.999 * x0, 0.999 * x1), 0);
  }
  assert(points.some(({ x1 }) => x1 > 1.5), "the ellipse reaches beyond x1 = 1.5");
});
