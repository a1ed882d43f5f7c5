#!/usr/bin/env node
// Simulated steps per second of the same SSN run in Chromium (a Web Worker of
// web/dist/bench.html) and in Node (this process), both on the wasm SIMD
// backend through createRun(k, "ssn", cfg) advanced 100 epochs at a time.
// Rounds alternate which runs first, so both see the same machine load; the
// ratio Chromium / Node is taken per round and summarised (median, range).
//
//   npm run bench:web                       # minimal preset, 5 rounds
//   npm run bench:web -- --rounds 9 --cfg '{"preset":"minimal","epochs":301}'
//
// Needs `npm run build:web` (the script does it) and Chromium (/usr/bin/chromium
// or SPIKE_ALIGN_CHROMIUM). Prints a table, then one JSON line.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createBackend, createRun } from "../../dist/src/browser.js";
import { serveStatic } from "./serve.mjs";

/** @typedef {import("../src/benchWorker.js").BenchResult} BenchResult */
/**
 * The page's state (web/src/bench.ts puts it on the window); the page functions below run in Chromium and read it.
 * @typedef {typeof globalThis & { salBench: { running: boolean, results: BenchResult[], error: string | null } }} BenchWindow
 */

const args = process.argv.slice(2);
/** @type {(name: string, def: string) => string} */
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const rounds = Number(opt("--rounds", "5"));
const cfg = /** @type {Record<string, unknown>} */ (JSON.parse(opt("--cfg", '{"preset":"minimal"}')));
const CHUNK = 100;
const exe = process.env.SPIKE_ALIGN_CHROMIUM ?? "/usr/bin/chromium";
const site = fileURLToPath(new URL("../dist", import.meta.url));

/** @param {import("../../dist/src/browser.js").Kernels} k */
function nodeRun(k) {
  const run = createRun(k, "ssn", cfg);
  let ms = 0;
  while (!run.done) {
    const t0 = performance.now();
    run.advance(CHUNK);
    ms += performance.now() - t0;
  }
  const steps = run.steps;
  run.dispose();
  return { steps, seconds: ms / 1000, stepsPerSecond: steps / (ms / 1000) };
}

/**
 * @param {import("playwright-core").Page} page
 * @returns {Promise<BenchResult>}
 */
async function chromiumRun(page) {
  const n = await page.evaluate(() => /** @type {BenchWindow} */ (globalThis).salBench.results.length);
  await page.click("#run");
  await page.waitForFunction(
    (m) => {
      const s = /** @type {BenchWindow} */ (globalThis).salBench;
      return s.results.length > m || s.error;
    },
    n,
    { timeout: 600_000, polling: 200 },
  );
  const s = await page.evaluate(() => /** @type {BenchWindow} */ (globalThis).salBench);
  if (s.error) throw new Error(`Chromium: ${s.error}`);
  return s.results[s.results.length - 1];
}

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b),
    m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const k = await createBackend("wasm");
if (k.name !== "wasm") throw new Error("Node has no wasm SIMD here");
const server = await serveStatic(site);
const profile = mkdtempSync(join(tmpdir(), "spike-align-measure-"));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: exe,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(`${server.url}bench.html?cfg=${encodeURIComponent(JSON.stringify(cfg))}`);
  const browser = ctx.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
  // one warm-up run each (JIT tiers, page caches), not counted
  nodeRun(k);
  await chromiumRun(page);
  const load0 = loadavg()[0];
  console.log(
    `SSN ${JSON.stringify(cfg)}, wasm SIMD, ${rounds} rounds; ${cpus()[0]?.model ?? "?"} x ${cpus().length}` +
      `, Node ${process.version}, ${browser}; load average ${load0.toFixed(2)}`,
  );
  console.log("round  first     Node M steps/s  Chromium M steps/s  Chromium / Node");
  const rows = [];
  for (let r = 0; r < rounds; r++) {
    const chromeFirst = r % 2 === 1;
    let nodeR, chromeR;
    if (chromeFirst) {
      chromeR = await chromiumRun(page);
      nodeR = nodeRun(k);
    } else {
      nodeR = nodeRun(k);
      chromeR = await chromiumRun(page);
    }
    if (chromeR.backend !== "wasm") throw new Error(`Chromium ran on ${chromeR.backend}`);
    if (chromeR.steps !== nodeR.steps) throw new Error(`different runs: ${chromeR.steps} vs ${nodeR.steps} steps`);
    const row = {
      round: r + 1,
      first: chromeFirst ? "chromium" : "node",
      node: nodeR.stepsPerSecond,
      chromium: chromeR.stepsPerSecond,
      ratio: chromeR.stepsPerSecond / nodeR.stepsPerSecond,
      steps: nodeR.steps,
    };
    rows.push(row);
    console.log(
      `${String(row.round).padStart(5)}  ${row.first.padEnd(8)}  ${(row.node / 1e6).toFixed(1).padStart(14)}` +
        `  ${(row.chromium / 1e6).toFixed(1).padStart(18)}  ${row.ratio.toFixed(3).padStart(15)}`,
    );
  }
  const ratios = rows.map((x) => x.ratio);
  const summary = {
    cfg,
    rounds,
    steps: rows[0].steps,
    loadAverage: [load0, loadavg()[0]],
    node: {
      medianStepsPerSecond: median(rows.map((x) => x.node)),
      min: Math.min(...rows.map((x) => x.node)),
      max: Math.max(...rows.map((x) => x.node)),
    },
    chromium: {
      medianStepsPerSecond: median(rows.map((x) => x.chromium)),
      min: Math.min(...rows.map((x) => x.chromium)),
      max: Math.max(...rows.map((x) => x.chromium)),
    },
    ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
    node_version: process.version,
    browser,
  };
  console.log(
    `Chromium / Node: median ${summary.ratio.median.toFixed(3)} (range ${summary.ratio.min.toFixed(3)}-${summary.ratio.max.toFixed(3)})` +
      `; load average ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`,
  );
  console.log(JSON.stringify(summary));
} finally {
  await ctx.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
