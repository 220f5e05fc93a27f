/**
 * A plain static web server for a built report: the files of one folder over HTTP on 127.0.0.1,
 * with their content types and no other header (no COOP/COEP: a static host such as GitHub Pages
 * sends none).
 *
 * @module
 */

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  css: "text/css",
  js: "text/javascript",
  json: "application/json",
  wasm: "application/wasm",
  woff2: "font/woff2",
  png: "image/png",
  svg: "image/svg+xml",
};

/**
 * Serves the files of `folder` on 127.0.0.1 at a free port; `/` is index.html, a path with `..`
 * is refused, a missing file is a 404.
 *
 * @param folder The folder to serve.
 * @returns The server (its `addr.port`, `shutdown()`).
 */
export function serveFolder(folder: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, "") ||
      "index.html";
    if (path.split("/").includes("..")) return new Response("bad path", { status: 400 });
    try {
      const body = await Deno.readFile(`${folder}/${path}`);
      const type = CONTENT_TYPES[path.split(".").pop()!] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}
