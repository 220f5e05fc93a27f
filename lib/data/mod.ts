/**
 * The data: a seeded random generator, the course's synthetic 2-D set, IDX files, MNIST split
 * the course's way, labelled byte images converted to float32 per batch, and a batch loader that
 * reshuffles every epoch.
 *
 * @module
 */

export * from "./random.ts";
export * from "./idx.ts";
export * from "./labelled_images.ts";
export * from "./batch_loader.ts";
export * from "./mnist.ts";
export * from "./synth.ts";
