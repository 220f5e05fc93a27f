/**
 * Chapter 03's run taken a slice at a time, for the live widget: `trainScalar`'s loop (the same
 * start, the same order, the same steps) through `ScalarNetwork`'s forward, backward and sgdStep,
 * as the chapter's own `trainEpoch` writes it, with the validation loss and accuracy at the end of
 * every epoch as `trainScalar` computes them. tests/browser/widgets_test.ts holds it to
 * `trainScalar`, bit for bit.
 *
 * @module
 */

import { loadSynth, Random, ScalarNetwork, type SynthData } from "../browser.ts";
import type { ScalarForward } from "../browser.ts";

/** The run's settings: the chapter's data and its `trainScalar` options (its tagged cell's output). */
export interface ScalarRunSettings {
  /** Training points of `loadSynth`. */
  numTrain: number;
  /** Validation points of `loadSynth`. */
  numValidation: number;
  /** The seed of `loadSynth`. */
  dataSeed: number;
  /** The learning rate η. */
  lr: number;
  /** Sigmoid hidden units. */
  numHiddens: number;
  /** The seed of the initial weights and of every epoch's order. */
  seed: number;
  /** Passes over the training points. */
  epochs: number;
}

/** One step as it was taken: its forward pass, its gradients, and V before the update. */
export interface ScalarStep {
  /** The step's index, from 0. */
  index: number;
  /** The forward pass (x, target, h, y, loss, …). */
  pass: ScalarForward;
  /** ∂l/∂V: (numHiddens, 2). */
  dV: number[][];
  /** V before the step: (numHiddens, 2). */
  vBefore: number[][];
}

/** The validation pass at the end of an epoch. */
export interface ScalarRunEpoch {
  /** The epoch, from 1. */
  epoch: number;
  /** The mean validation loss. */
  loss: number;
  /** The share of validation points whose larger logit is their class (a tie counts as class 0). */
  accuracy: number;
}

/** Per-instance SGD on the synthetic data, resumable at any step. */
export class ScalarRun {
  /** The settings. */
  readonly settings: ScalarRunSettings;
  /** The data (training and validation points). */
  readonly data: SynthData;
  /** The network, trained in place. */
  readonly network: ScalarNetwork;
  /** Every step's loss, each taken before its step: (epochs · numTrain). */
  readonly losses: Float64Array;
  /** The validation passes, one per finished epoch. */
  readonly epochs: ScalarRunEpoch[] = [];
  /** The last step taken, or undefined before the first. */
  last: ScalarStep | undefined;
  /** Steps taken so far. */
  step = 0;
  readonly #random: Random;
  readonly #order: Uint32Array;

  /**
   * A run at step 0: the weights drawn as `trainScalar` draws them.
   *
   * @param settings The data's sizes and seed, and the training options.
   * @param data The data, when it was loaded already with the same sizes and seed.
   */
  constructor(settings: ScalarRunSettings, data?: SynthData) {
    const { numTrain, numValidation, dataSeed, numHiddens, seed } = settings;
    this.settings = settings;
    this.data = data ?? loadSynth({ numTrain, numValidation, seed: dataSeed });
    this.#random = new Random(seed);
    this.network = ScalarNetwork.init({ numInputs: 2, numHiddens, numOutputs: 2 }, this.#random);
    this.#order = Uint32Array.from({ length: numTrain }, (_, i) => i);
    this.losses = new Float64Array(settings.epochs * numTrain);
  }

  /** The number of steps of the whole run. */
  get total(): number {
    return this.losses.length;
  }

  /**
   * Takes up to `count` steps (fewer at the run's end); the first step of an epoch shuffles the
   * order, the last one evaluates on the validation points.
   *
   * @param count How many steps.
   */
  advance(count: number): void {
    // X is (n, 2), y is (n); every step: forward, backward, p ← p − η ∂l/∂p
    const { X, y } = this.data.train;
    const n = y.length, net = this.network, end = Math.min(this.total, this.step + count);
    for (; this.step < end; this.step++) {
      const i = this.step % n;
      if (i === 0) this.#random.shuffle(this.#order);
      const row = this.#order[i];
      const pass = net.forward([X[2 * row], X[2 * row + 1]], y[row]);
      this.losses[this.step] = pass.loss;
      const grads = net.backward(pass);
      if (this.step === end - 1) {
        this.last = { index: this.step, pass, dV: grads.dV, vBefore: net.V.map((r) => r.slice()) };
      }
      net.sgdStep(grads, this.settings.lr);
      if (i === n - 1) this.epochs.push({ epoch: (this.step + 1) / n, ...this.evaluate() });
    }
  }

  /**
   * The mean loss and the accuracy on the validation points, summed in their order.
   *
   * @returns The loss and the accuracy.
   */
  evaluate(): { loss: number; accuracy: number } {
    // X is (m, 2), y is (m)
    const { X, y } = this.data.validation;
    let total = 0, correct = 0;
    for (let i = 0; i < y.length; i++) {
      const { o, loss } = this.network.forward([X[2 * i], X[2 * i + 1]], y[i]);
      total += loss;
      if ((o[1] > o[0] ? 1 : 0) === y[i]) correct++;
    }
    return { loss: total / y.length, accuracy: correct / y.length };
  }
}
