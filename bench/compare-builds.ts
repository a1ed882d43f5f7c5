// Two builds of spike-align timed against each other in one process:
//   npm run build && node dist/bench/compare-builds.js OTHER_CHECKOUT [--filter SUBSTR] [--rounds N] [--backend wasm|js]
// OTHER_CHECKOUT is another clone or worktree, built (`npm run build`) at the
// revision to compare with (say, before a refactor). Every bench case present
// in both builds is set up in both and the two are timed alternately, round
// after round, so that a machine whose speed drifts (a shared VM drifts by
// 5-40 % between separate processes) affects both alike; it prints the
// median ns per op of each and their ratio. This build is B, the other A.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Kernels } from "../src/backend/index.js";
import type { BenchCase } from "./types.js";

function usage(msg: string): never {
  process.stderr.write(
    `compare-builds: ${msg}\nusage: node dist/bench/compare-builds.js OTHER_CHECKOUT [--filter SUBSTR] [--rounds N] [--backend wasm|js]\n`,
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
let other = "",
  filter = "",
  rounds = 30,
  backend: "wasm" | "js" = "wasm";
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--filter") filter = argv[++i] ?? "";
  else if (argv[i] === "--rounds") rounds = Number(argv[++i]);
  else if (argv[i] === "--backend") backend = argv[++i] === "js" ? "js" : "wasm";
  else if (!other && !argv[i].startsWith("--")) other = argv[i];
  else usage(`unknown argument ${argv[i]}`);
}
if (!other) usage("give the other checkout's directory");
if (!Number.isInteger(rounds) || rounds < 3 || rounds > 1000) usage("--rounds: an integer in [3, 1000]");
const here = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const there = resolve(other);
for (const f of ["dist/bench/cases/index.js", "dist/src/backend/index.js"]) {
  if (!existsSync(join(there, f))) usage(`${join(there, f)} is missing: run npm run build there first`);
}

async function load(root: string): Promise<{ cases: BenchCase[]; k: Kernels }> {
  const { ALL_CASES } = (await import(join(root, "dist/bench/cases/index.js"))) as { ALL_CASES: BenchCase[] };
  const { createBackend } = (await import(join(root, "dist/src/backend/index.js"))) as { createBackend: (b: string) => Promise<Kernels> };
  return { cases: ALL_CASES, k: await createBackend(backend) };
}

const a = await load(there),
  b = await load(here);
const key = (c: BenchCase) => `${c.name} ${c.size}`;
const inB = new Map(b.cases.map((c) => [key(c), c]));
const median = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];
console.log(`A = ${there}, B = ${here} (${backend}); median ns per op over ${rounds} alternating rounds`);
for (const ca of a.cases) {
  const cb = inB.get(key(ca));
  if (!cb || !key(ca).includes(filter)) continue;
  const fa = ca.setup(a.k),
    fb = cb.setup(b.k);
  const t0 = performance.now();
  fa();
  const reps = Math.max(1, Math.round(20 / Math.max(performance.now() - t0, 0.01))); // about 20 ms per timing
  const ta: number[] = [],
    tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [f, out] of [
      [fa, ta],
      [fb, tb],
    ] as const) {
      const s = performance.now();
      for (let i = 0; i < reps; i++) f();
      out.push((performance.now() - s) / reps);
    }
  }
  const na = (median(ta) * 1e6) / (ca.opsPerCall ?? 1),
    nb = (median(tb) * 1e6) / (cb.opsPerCall ?? 1);
  console.log(
    `${key(ca).padEnd(40)} A ${na.toPrecision(4).padStart(10)}  B ${nb.toPrecision(4).padStart(10)}  B/A ${(nb / na).toFixed(3)}`,
  );
}
