/**
 * Launches Debian's Chromium, headless, through playwright-core, with a fresh profile in a
 * temporary folder. playwright-core never downloads a browser; it drives the one given.
 *
 * @module
 */

import { type BrowserContext, chromium } from "playwright-core";
import { TAG_VARIABLE } from "./_tagged_processes.ts";

/** The browser the chromium Debian package installs. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Chromium's flags: no sandbox (root), no GPU, and nothing that reaches out to the network. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running browser: its one context and how to close it. */
export interface Chromium {
  /** The browser context (Playwright's persistent context, on the temporary profile). */
  context: BrowserContext;
  /** Closes the browser and removes its temporary folder. */
  close(): Promise<void>;
}

/** Options of `launchChromium`. */
export interface LaunchChromiumOptions {
  /** The value of `TAG_VARIABLE` in the browser's environment (inherited by its processes). */
  tag: string;
  /**
   * The browser binary.
   *
   * @default {CHROMIUM_PATH}
   */
  executablePath?: string;
}

/**
 * Launches Chromium headless with `CHROMIUM_FLAGS` and a new `--user-data-dir` in a temporary
 * folder (Playwright passes the folder as that flag); Chromium's other files (crash reports,
 * caches) go to the same temporary folder, never to the home folder.
 *
 * @param options The tag and the binary.
 * @returns The browser.
 */
export async function launchChromium(options: LaunchChromiumOptions): Promise<Chromium> {
  const { tag, executablePath = CHROMIUM_PATH } = options;
  try {
    await Deno.stat(executablePath);
  } catch {
    throw new Error(
      `Expected Chromium at ${executablePath} but found nothing: install Debian's chromium ` +
        `package (scripts/test.sh does, as root)`,
    );
  }
  const folder = await Deno.makeTempDir({ prefix: "backprop-chromium-" });
  const env = {
    ...Deno.env.toObject(),
    [TAG_VARIABLE]: tag,
    // Chromium keeps its crash reports and dconf cache under these, not under --user-data-dir
    XDG_CONFIG_HOME: `${folder}/config`,
    XDG_CACHE_HOME: `${folder}/cache`,
  };
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(`${folder}/profile`, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      env,
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await Deno.remove(folder, { recursive: true }).catch(() => {});
    throw error;
  }
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await Deno.remove(folder, { recursive: true }).catch(() => {});
    },
  };
}
