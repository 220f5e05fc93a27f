/**
 * The files of one folder over plain HTTP on 127.0.0.1, as a static host serves them: content
 * types and no other header (no COOP/COEP, so a page is not cross-origin isolated).
 *
 * @module
 */

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript",
  json: "application/json",
  wasm: "application/wasm",
  css: "text/css",
};

/**
 * Serves `folder` at a free port: `/` is index.html, a path with `..` is refused, a missing file
 * is a 404.
 *
 * @param folder The folder.
 * @returns The server (its `addr.port`, `shutdown()`).
 */
export function serveStatic(folder: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname).slice(1) || "index.html";
    if (path.split("/").includes("..")) return new Response("bad path", { status: 400 });
    try {
      const body = await Deno.readFile(`${folder}/${path}`);
      const type = TYPES[path.split(".").pop()!] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}
