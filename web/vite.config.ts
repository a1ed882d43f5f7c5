// The SAL lab page: `npm run web` serves it on 127.0.0.1 (dev server),
// `npm run build:web` writes static files to web/dist/ that work offline from
// any static server (relative paths, everything bundled, no network beyond
// the page's own files: the built index.html carries a Content-Security-Policy
// that allows only its own origin).
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Only the page's own files: scripts, workers, styles, images; wasm compiled from bytes in the bundle. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");

/** The CSP goes into the built page only (the dev server needs its websocket and inline client). */
const csp = (): Plugin => ({
  name: "spike-align-csp",
  apply: "build",
  transformIndexHtml: (html) => html.replace("<head>", `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}">`),
});

export default defineConfig({
  root: here("."),
  base: "./",
  publicDir: false,
  plugins: [csp()],
  resolve: {
    // the page uses the package's browser entry, as an application that depends on spike-align would
    alias: { "spike-align/browser": here("../dist/src/browser.js") },
  },
  worker: { format: "es" },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1500,
    // the lab, and a page that measures the simulation speed in this browser
    rollupOptions: { input: { main: here("index.html"), bench: here("bench.html") } },
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1", port: 4173, strictPort: false },
});
