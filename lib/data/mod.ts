/**
 * The data: an exp and a log alike in every engine, a seeded generator, the synthetic 2-D set,
 * IDX files, MNIST, labelled images, batches.
 *
 * @module
 */

export * from "./portable_math.ts";
export * from "./random.ts";
export * from "./idx.ts";
export * from "./labelled_images.ts";
export * from "./batch_loader.ts";
export * from "./mnist.ts";
export * from "./synth.ts";
