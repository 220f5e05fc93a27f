import { assertEquals, assertThrows } from "@std/assert";
import { OptionError } from "../../lib/options/option_rules.ts";
import {
  parseDecimal,
  parseDecimalList,
  RUN_OPTION_NAMES,
  RUN_OPTIONS,
} from "../../lib/nn/run_options.ts";
import { resolveTrainMlpConfig, SHARED_RUN_FIELDS } from "../../lib/nn/train_mlp.ts";
import { jsBackend } from "../../lib/tensor/backends/js.ts";

Deno.test("RUN_OPTIONS gives resolveTrainMlpConfig its defaults and every field of the configuration", () => {
  const config = resolveTrainMlpConfig({ lr: 0.1, seed: 0, backend: jsBackend });
  const { backend, lr: _, seed: __, ...rest } = config;
  assertEquals(backend, "js");
  assertEquals(Object.keys(config).sort(), [...RUN_OPTION_NAMES, "backend"].sort());
  for (const [name, value] of Object.entries(rest)) {
    assertEquals(value, RUN_OPTIONS[name as keyof typeof RUN_OPTIONS].default, name);
  }
  assertEquals(SHARED_RUN_FIELDS, RUN_OPTION_NAMES.filter((n) => RUN_OPTIONS[n].shared));
});

Deno.test("RUN_OPTIONS' rules refuse a bad value of each option with an OptionError naming it", () => {
  const bad: Record<string, unknown> = {
    lr: 0,
    seed: 1.5,
    epochs: 0,
    batchSize: 2.5,
    hidden: [],
    activation: "swish",
    optimizer: "lbfgs",
    momentum: 1,
    schedule: "step",
    init: "zeros",
    loss: "hinge",
    stopOnDivergence: "yes",
    trainEvalSize: -1,
    compact: 1,
    evaluateEachEpoch: "no",
  };
  assertEquals(Object.keys(bad).sort(), [...RUN_OPTION_NAMES].sort(), "a bad value for each");
  for (const [name, value] of Object.entries(bad)) {
    const error = assertThrows(
      () => resolveTrainMlpConfig({ lr: 0.1, seed: 0, backend: jsBackend, [name]: value }),
      OptionError,
    );
    assertEquals(error.option, name);
  }
  assertThrows(
    () => resolveTrainMlpConfig({ lr: 0.1, seed: 0, optimizer: "adam", momentum: 0.9 }),
    OptionError,
    "0 with the adam optimizer",
  );
});

Deno.test("parseDecimal() and parseDecimalList() take decimal numbers only, each once", () => {
  assertEquals(parseDecimal(" 1e-3 "), 0.001);
  assertEquals(parseDecimalList("300,100"), [300, 100]);
  assertThrows(
    () => parseDecimal("0x10"),
    RangeError,
    'expected a decimal number but found "0x10"',
  );
  assertThrows(() => parseDecimal("Infinity"), RangeError, "expected a decimal number");
  assertThrows(() => parseDecimalList("1,2,1"), RangeError, '1 is listed twice in "1,2,1"');
});
