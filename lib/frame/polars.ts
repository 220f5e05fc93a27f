/**
 * polars, loaded on first use. Its native addon needs FFI permission, and only reading,
 * writing and summarising results need polars, so training runs without it.
 *
 * @module
 */

import type plType from "nodejs-polars";
import { createRequire } from "node:module";

let loaded: typeof plType | undefined;

/**
 * The polars module, loaded on the first call (an Error names the permission its addon lacks).
 *
 * @returns polars.
 */
export function polars(): typeof plType {
  try {
    loaded ??= createRequire(import.meta.url)("nodejs-polars") as typeof plType;
  } catch (error) {
    const reason = error instanceof Error ? error.message : error;
    throw new Error(
      `Cannot load polars, which reads and writes results: ${reason} (its native addon needs FFI permission: --allow-ffi)`,
      { cause: error },
    );
  }
  return loaded;
}

/** polars for the notebooks, loaded by its first use (`pl.readParquet(…)`). */
export const pl: typeof plType = new Proxy({} as typeof plType, {
  get: (_target, key) => polars()[key as keyof typeof plType],
});

/** polars' types under `pl`, as the module's default export has them. */
export declare namespace pl {
  /** A polars DataFrame. */
  export type DataFrame = plType.DataFrame;
}
