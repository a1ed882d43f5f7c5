#!/usr/bin/env node
// Output snapshot of every preset of every command, short runs on both backends: one SHA-256 per
// written file, with the fields that measure time (nsPerStep, seconds, dates) masked. Refactors
// promise "same outputs"; this is how that promise is checked.
//
//   node scripts/snapshot-outputs.mjs --write snap.json      # record (before the change)
//   node scripts/snapshot-outputs.mjs --check snap.json      # compare (after it); exit 1 on a difference
//   node scripts/snapshot-outputs.mjs --check snap.json --only pair,ssn --backend js
//
// Runs the built CLI (dist/src/cli/main.js; `npm run build` first). --allow-new-keys K1,K2 ignores
// the named JSON keys when they appear only in the new outputs (fields documented as new).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli/main.js");
const FMNIST = "/usr/share/datasets/fashion-mnist";

/** @typedef {[command: string, preset: string | null, flags: string, backends?: string[]]} Case */
/** @typedef {{ status: number | null, stderr: string | undefined, files: Record<string, string> }} Outcome */

/** Every preset of every command, shortened so that the whole list runs in a few minutes. @type {Case[]} */
const CASES = [
  // [command, preset, flags, backends (default both)]
  ["pair", "fig2d", "--epochs 20 --steps-per-epoch 500"],
  ["pair", "fig2d-frozen", "--epochs 20 --steps-per-epoch 500"],
  ["pair", "quick", "--epochs 20"],
  ["stdd", "fig2c", "--method both --steps 20000 --burn-in 100 --w01 0.5 --w10 1"],
  ["stdd", "fig2e", "--steps 20000 --burn-in 100"],
  ["stdd", "psp-shapes", "--biases -1,0 --steps 20000 --burn-in 100 --threads 1"],
  ["ssn", "minimal", "--epochs 21 --dur 50 --val-step 10"],
  ["ssn", "syn-noise", "--epochs 11 --dur 20 --val-step 5 --val-factor 2"],
  ["ssn", "syn-noise-sal", "--epochs 11 --dur 20 --val-step 5 --val-factor 2"],
  ["ssn", "plast-noise", "--epochs 11 --dur 20 --val-step 5 --val-factor 2"],
  ["ssn", "plast-noise-sal", "--epochs 11 --dur 20 --val-step 5 --val-factor 2 --run 7"],
  ["microcircuit", "paper", "--epochs 2 --pattern-steps 200 --teacher-pattern-steps 200 --learning-lag 20 --feedback all"],
  ["microcircuit", "quick", "--epochs 2 --pattern-steps 200 --teacher-pattern-steps 200 --learning-lag 20"],
  ["microcircuit", "wide", "--epochs 1 --pattern-steps 200 --teacher-pattern-steps 200 --learning-lag 20 --feedback sal"],
  ["align", "paper", "--layers 40,12,6,3 --epochs 3 --steps-per-epoch 300"],
  ["align", "quick", "--epochs 2 --steps-per-epoch 200 --batch 2"],
  ["infer", "paper", "--seconds 0.2 --n 8 --method all"],
  ["infer", "quick", "--seconds 0.2 --n 6"],
  ["ei", "paper", "--grid 0,1,0.5 --steps 20000 --threads 1"],
  ["ei", "symmetric", "--steps 20000 --threads 1"],
  ["train", "quick", `--epochs 1 --train-subset 256 --test-subset 128 --data ${FMNIST}`],
  ["train", "paper", `--epochs 1 --train-subset 64 --test-subset 32 --batch 32 --data ${FMNIST}`],
  // the SAL and RDD phases on js take minutes even this short; their kernels' js twins are held
  // to the wasm ones by the conformance suite and by the align and infer cases above
  ["train", "paper", `--epochs 1 --train-subset 128 --test-subset 64 --batch 64 --method sal --data ${FMNIST}`, ["wasm"]],
  ["train", "quick", `--epochs 1 --train-subset 256 --test-subset 128 --method rdd --data ${FMNIST}`, ["wasm"]],
  ["demo", null, "--epochs 21 --dur 50"],
];
/** Commands that take --yes (the size guard). */
const YES = new Set(["stdd", "ssn", "microcircuit", "align", "train", "ei"]);

/** Keys whose values are wall-clock measurements or dates: masked before hashing. */
const TIMING_KEY =
  /^(nsPerStep|usPerStep|msPerStep|seconds.*|wallSeconds|wallMs|elapsed.*|started|finished|date|time|.*Ms|.*Seconds|throughput.*)$/;

/**
 * @param {unknown} v
 * @param {Set<string>} allowNew
 * @returns {unknown}
 */
function mask(v, allowNew) {
  if (Array.isArray(v)) return v.map((e) => mask(e, allowNew));
  if (v && typeof v === "object") {
    /** @type {Record<string, unknown>} */
    const o = {};
    for (const [k, e] of Object.entries(v)) {
      if (allowNew.has(k)) continue;
      o[k] = TIMING_KEY.test(k) ? "<t>" : mask(e, allowNew);
    }
    return o;
  }
  return v;
}

/**
 * @param {string} file
 * @param {string} name
 * @param {Set<string>} allowNew
 * @param {string} outDir
 */
function digest(file, name, allowNew, outDir) {
  let text = readFileSync(file, "utf8").replaceAll(outDir, "<out>");
  if (name.endsWith(".json")) text = JSON.stringify(mask(JSON.parse(text), allowNew));
  else if (name.endsWith(".jsonl"))
    text = text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.stringify(mask(JSON.parse(l), allowNew)))
      .join("\n");
  // reports: times in prose ("1.2 s") and the last two columns of tables (wall s, ns/step)
  else if (name.endsWith(".md") || name.endsWith(".html"))
    text = text.replace(/\d+(\.\d+)? ?(ns|us|µs|ms|s)\b/g, "<t>").replace(/\| [\d.]+ \| [\d.]+ \|$/gm, "| <t> | <t> |");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * @param {string} dir
 * @returns {string[]}
 */
function walk(dir, prefix = "") {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".spike-align")) continue;
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...walk(join(dir, e.name), rel + "/"));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * @param {Case} c
 * @param {string} backend
 * @param {Set<string>} allowNew
 * @returns {Outcome}
 */
function runCase([command, preset, extra], backend, allowNew) {
  const out = mkdtempSync(join(tmpdir(), "snap-"));
  const args = [
    CLI,
    command,
    ...(preset ? ["--preset", preset] : []),
    ...extra.split(" ").filter(Boolean),
    "--backend",
    backend,
    "--quiet",
    "--out",
    out,
    "--json",
    ...(YES.has(command) ? ["--yes"] : []),
  ];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  /** @type {Record<string, string>} */
  const files = {};
  if (r.status === 0) for (const f of walk(out)) files[f] = digest(join(out, f), f, allowNew, out);
  rmSync(out, { recursive: true, force: true });
  return { status: r.status, stderr: r.status === 0 ? undefined : r.stderr.slice(-400), files };
}

const argv = process.argv.slice(2);
/** @param {string} name */
const flag = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const writePath = flag("--write"),
  checkPath = flag("--check");
if (!writePath === !checkPath) {
  console.error("usage: snapshot-outputs.mjs --write FILE | --check FILE [--only cmd,...] [--backend wasm|js] [--allow-new-keys k,...]");
  process.exit(2);
}
const only = flag("--only")?.split(",");
const backendFlag = flag("--backend");
const backends = backendFlag ? [backendFlag] : ["wasm", "js"];
const allowNew = new Set(flag("--allow-new-keys")?.split(",") ?? []);
/** @type {Record<string, Outcome>} */
const expected = checkPath ? JSON.parse(readFileSync(checkPath, "utf8")) : {};
/** @type {Record<string, Outcome>} */
const result = {};
let differ = 0;
for (const c of CASES) {
  if (only && !only.includes(c[0])) continue;
  for (const backend of backends) {
    if (c[3] && !c[3].includes(backend)) continue;
    const id = `${c[0]} ${c[1] ?? ""} ${c[2]} [${backend}]`;
    const t0 = performance.now();
    const got = runCase(c, backend, allowNew);
    result[id] = got;
    const want = expected[id];
    let verdict = "recorded";
    if (checkPath) {
      if (!want) verdict = "NEW (not in the snapshot)";
      else {
        const diffs = [...new Set([...Object.keys(want.files), ...Object.keys(got.files)])].filter((f) => want.files[f] !== got.files[f]);
        verdict =
          want.status !== got.status ? `EXIT ${got.status} (was ${want.status})` : diffs.length ? `DIFFERS: ${diffs.join(", ")}` : "same";
        if (verdict !== "same") differ++;
      }
    } else if (got.status !== 0) verdict = `exit ${got.status}`;
    console.log(
      `${verdict.padEnd(10)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}` +
        ` s  ${id}${got.stderr ? `\n    ${got.stderr.trim().split("\n").pop()}` : ""}`,
    );
  }
}
if (writePath) writeFileSync(writePath, JSON.stringify(result, null, 1) + "\n");
if (checkPath) {
  console.log(differ ? `${differ} case(s) differ` : "all cases the same");
  process.exit(differ ? 1 : 0);
}
