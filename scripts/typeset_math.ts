/**
 * Typesets TeX with KaTeX at build time, for the HTML report (scripts/run_notebooks.py html), so
 * the report's equations need no MathJax, no script and no network when it is read.
 *
 *     deno run --allow-read --allow-write typeset_math.ts --assets DIR < expressions.json
 *
 * stdin: a JSON array of `{ tex, display, where }` (`where` names the notebook and cell, for
 * errors); stdout: a JSON array of HTML strings, one per expression, in order. `--assets DIR`
 * copies KaTeX's stylesheet and fonts into DIR (`DIR/katex.min.css`, `DIR/fonts/`). An
 * expression KaTeX cannot parse fails the run (exit 1) with its place and KaTeX's message.
 *
 * @module
 */
import katex from "katex";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** One expression to typeset. */
interface Expression {
  tex: string;
  display: boolean;
  where: string;
}

async function copyAssets(target: string): Promise<void> {
  const css = createRequire(import.meta.url).resolve("katex/dist/katex.min.css");
  await Deno.mkdir(join(target, "fonts"), { recursive: true });
  await Deno.copyFile(css, join(target, "katex.min.css"));
  for await (const font of Deno.readDir(join(dirname(css), "fonts"))) {
    if (font.name.endsWith(".woff2")) {
      await Deno.copyFile(join(dirname(css), "fonts", font.name), join(target, "fonts", font.name));
    }
  }
}

async function main(): Promise<number> {
  const at = Deno.args.indexOf("--assets");
  if (at >= 0) {
    const target = Deno.args[at + 1];
    if (!target) {
      console.error("typeset_math: --assets needs a folder");
      return 2;
    }
    await copyAssets(target);
  }
  const expressions: Expression[] = JSON.parse(await new Response(Deno.stdin.readable).text());
  const html: string[] = [];
  for (const { tex, display, where } of expressions) {
    try {
      html.push(katex.renderToString(tex, { displayMode: display, throwOnError: true }));
    } catch (error) {
      const shown = display ? `$$${tex}$$` : `$${tex}$`;
      console.error(`typeset_math: ${where}: cannot typeset ${shown}: ${(error as Error).message}`);
      return 1;
    }
  }
  console.log(JSON.stringify(html));
  return 0;
}

Deno.exit(await main());
