// The browser entry bundles for the browser without any Node built-in: a vite
// build of dist/src/browser.js (what `spike-align/browser` resolves to) must
// not import fs, path, worker_threads, os, crypto, ... from our code, nor use
// Node's globals. A dependency may ask for a built-in only where its own
// package.json `browser` field declares it does without (seedrandom's
// optional crypto, used only to auto-seed, which we never do).
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "vite";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The package.json that owns a file (the nearest one above it). */
function owningPackage(file: string): { dir: string; json: Record<string, unknown> } | null {
  for (let d = dirname(file); d !== dirname(d); d = dirname(d)) {
    const p = join(d, "package.json");
    if (existsSync(p)) return { dir: d, json: JSON.parse(readFileSync(p, "utf8")) };
  }
  return null;
}

interface Finding {
  module: string;
  importer: string;
  allowed: boolean;
}

/** Bundles `entry` for the browser; every import of a Node built-in it meets, and the output code. */
async function bundle(entry: string): Promise<{ findings: Finding[]; code: string }> {
  const findings: Finding[] = [];
  const spy: Plugin = {
    name: "node-builtin-spy",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer || !isBuiltin(source)) return null;
      const file = importer.replace(/\?.*$/, "").replace(/^\0/, "");
      const pkg = owningPackage(file);
      const browser = pkg?.json.browser;
      const bare = source.replace(/^node:/, "");
      const allowed =
        pkg !== null &&
        pkg.dir !== root.replace(/\/$/, "") &&
        typeof browser === "object" &&
        browser !== null &&
        ((browser as Record<string, unknown>)[bare] === false || (browser as Record<string, unknown>)[source] === false);
      findings.push({ module: source, importer: relative(root, file), allowed });
      return null;
    },
  };
  const out = await build({
    configFile: false,
    logLevel: "silent",
    root,
    plugins: [spy],
    build: { write: false, minify: false, lib: { entry, formats: ["es"], fileName: "bundle" } },
  });
  if (!Array.isArray(out) && !("output" in out)) throw new Error("vite build returned a watcher, not the bundle");
  const chunks = (Array.isArray(out) ? out[0] : out).output;
  return { findings, code: chunks.flatMap((c) => (c.type === "chunk" ? [c.code] : [])).join("\n") };
}

/** Uses of Node's globals that a browser does not have. */
const NODE_GLOBALS =
  /\bprocess\.(env|argv|exit|stdout|stderr|cwd|platform|pid|hrtime|memoryUsage|on|nextTick)\b|\brequire\(|\b__dirname\b|\b__filename\b/g;

describe("browser bundle", () => {
  it("dist/src/browser.js imports no Node built-in and uses no Node global", async () => {
    const entry = join(root, "dist/src/browser.js");
    expect(existsSync(entry), "run `npm run build` first").toBe(true);
    const { findings, code } = await bundle(entry);
    expect(findings.filter((f) => !f.allowed)).toEqual([]);
    // the one allowed today, so this test notices when it goes away or changes
    expect(findings.map((f) => `${f.module} <- ${f.importer.replace(/^.*node_modules\//, "")}`)).toEqual([
      "crypto <- seedrandom/seedrandom.js",
    ]);
    expect(code.match(NODE_GLOBALS) ?? []).toEqual([]);
    // the experiments are in it (not tree-shaken away): every run name and the wasm loader
    for (const s of ["SsnSession", "PairSession", "UnitSession", "AlignSession", "InferSession", "createRun"])
      expect(code.includes(s), `${s} in the bundle`).toBe(true);
  });

  it("the check finds a built-in reached through our own code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spike-align-bundle-"));
    writeFileSync(join(dir, "helper.js"), 'import { readFileSync } from "node:fs";\nexport const read = (p) => readFileSync(p, "utf8");\n');
    writeFileSync(join(dir, "entry.js"), 'export { read } from "./helper.js";\nexport const env = () => process.env.HOME;\n');
    const { findings, code } = await bundle(join(dir, "entry.js"));
    expect(findings.some((f) => f.module === "node:fs" && f.importer.endsWith("helper.js") && !f.allowed)).toBe(true);
    expect(code.match(NODE_GLOBALS)).toContain("process.env");
  });
});
