// A tiny static file server on 127.0.0.1 for the built page (the end-to-end
// test and the speed measurement): GET and HEAD only, files under `root`, the
// right MIME types for module scripts and workers, every request logged.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

/** @type {Record<string, string>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/**
 * Serves `root` on 127.0.0.1 (a free port, or `port`).
 * @param {string} root
 * @param {number} [port]
 * @returns {Promise<{ url: string, log: { path: string, status: number }[], close(): Promise<void> }>}
 */
export async function serveStatic(root, port = 0) {
  /** @type {{ path: string, status: number }[]} */
  const log = [];
  const base = normalize(root + sep);
  /**
   * Answers one request and logs it; never rejects (a malformed path is a 404 like a missing file).
   * @param {import("node:http").IncomingMessage} req
   * @param {import("node:http").ServerResponse} res
   */
  async function respond(req, res) {
    let path = req.url ?? "/";
    let status = 200;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
      if (req.method !== "GET" && req.method !== "HEAD") throw Object.assign(new Error("method"), { status: 405 });
      if (!file.startsWith(base)) throw Object.assign(new Error("outside"), { status: 403 });
      if (!(await stat(file)).isFile()) throw Object.assign(new Error("not a file"), { status: 404 });
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      // our own refusals carry their status; anything else (no such file) is a 404
      status = err instanceof Error && "status" in err && typeof err.status === "number" ? err.status : 404;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(String(status));
    }
    log.push({ path, status });
  }
  const server = createServer((req, res) => void respond(req, res));
  await new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(undefined)));
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error(`serveStatic: not listening on a TCP port (${addr})`);
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
