// How the sweep engines use the cores, and what the paper's SSN figures cost:
//   npm run build && node dist/bench/sweep-scaling.js [--runs N] [--epochs E] [--scale F] [--pool-only]
// 1. The local pool on a sweep of short SSN runs with 1 and with 2 worker
//    threads (wall time, speed-up).
// 2. A scaled-down ssn-syn-noise and ssn-plast-noise sweep: every 40th run of
//    the 240, with the epoch count and the validation schedule divided by the
//    same factor, run on all cores; the measured ns per simulated step
//    (including both workers' contention) extrapolates the full figures:
//    steps per run (the presets' exact count) x 240 runs x ns/step / cores.
// docs/commands/sweep.md#measured quotes these numbers.
import { cpus } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { expandSweep } from "../src/cli/sweep/definition.js";
import { runPool } from "../src/cli/sweep/pool.js";
import { SWEEP_PRESETS } from "../src/cli/sweep/presets.js";
import { runDir } from "../src/cli/sweep/execute.js";
import type { SsnConfig } from "../src/experiments/ssn/config.js";
import { readFileSync } from "node:fs";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Steps of a full run of an SSN config: every epoch dur*tRef, validation epochs valFactor times that. */
export function ssnSteps(c: Pick<SsnConfig, "epochs" | "valStep" | "valFactor" | "dur" | "tRef">): number {
  let val = 0;
  for (let e = 0; e < c.epochs; e++) if (e % c.valStep === 0 || e === c.epochs - 1) val++;
  return (c.epochs - val + val * c.valFactor) * c.dur * c.tRef;
}

async function timed(
  runs: ReturnType<typeof expandSweep>["runs"],
  command: string,
  workers: number,
): Promise<{ seconds: number; steps: number; simSeconds: number }> {
  const out = mkdtempSync(join(tmpdir(), "sweep-bench-"));
  const t0 = performance.now();
  await runPool(
    runs.map((spec) => ({ command, spec, out, replace: false })),
    workers,
    "wasm",
    {
      onRunEnd: (id, r) => {
        if ("error" in r) throw new Error(`${id}: ${r.error}`);
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  let steps = 0,
    simSeconds = 0;
  for (const r of runs) {
    const s = JSON.parse(readFileSync(join(runDir(out, r.id), "summary.json"), "utf8")) as { steps: number; simSeconds: number };
    steps += s.steps;
    simSeconds += s.simSeconds;
  }
  rmSync(out, { recursive: true, force: true });
  return { seconds, steps, simSeconds };
}

const cores = cpus().length;
// 1. scaling of the pool
const nRuns = arg("--runs", 8),
  epochs = arg("--epochs", 301);
const smoke = expandSweep(
  {
    command: "ssn",
    preset: "minimal",
    config: { epochs, valStep: 100, valFactor: 10 },
    grid: { "seeds.sim": Array.from({ length: nRuns }, (_, i) => i + 1) },
  },
  ".",
  "scaling",
);
const one = await timed(smoke.runs, "ssn", 1);
const two = await timed(smoke.runs, "ssn", Math.min(2, cores));
console.log(
  `pool: ${nRuns} SSN runs of ${epochs} epochs: 1 worker ${one.seconds.toFixed(2)} s` +
    `, ${Math.min(2, cores)} workers ${two.seconds.toFixed(2)} s, speed-up ${(one.seconds / two.seconds).toFixed(2)}x`,
);

if (process.argv.includes("--pool-only")) process.exit(0);

// 2. the paper's SSN figures, scaled down
const factor = arg("--scale", 100);
let total = 0;
for (const name of ["ssn-syn-noise", "ssn-plast-noise"] as const) {
  const full = expandSweep(SWEEP_PRESETS[name].def(), ".", name);
  const fullSteps = full.runs.reduce((s, r) => s + ssnSteps(r.config as unknown as SsnConfig), 0);
  const sample = full.runs
    .filter((_, i) => i % 40 === 0 || i % 40 === 1)
    .map((r) => {
      const c = r.config as unknown as SsnConfig;
      return { ...r, config: { ...c, epochs: Math.ceil(c.epochs / factor), valStep: Math.max(1, Math.round(c.valStep / factor)) } };
    });
  const m = await timed(sample, "ssn", cores);
  const nsWall = (m.seconds * 1e9 * cores) / m.steps;
  const est = (fullSteps * nsWall) / 1e9 / cores;
  total += est;
  console.log(
    `${name}: ${full.runs.length} runs, ${(fullSteps / 1e9).toFixed(0)} G steps` +
      `; sample of ${sample.length} runs at 1/${factor} length: ${(m.steps / 1e9).toFixed(2)}` +
      ` G steps in ${m.seconds.toFixed(1)} s on ${cores} workers = ${nsWall.toFixed(2)}` +
      ` ns per step per core (kernel alone ${((m.simSeconds * 1e9) / m.steps).toFixed(2)})` +
      `; full sweep ~ ${(est / 3600).toFixed(2)} h on this machine`,
  );
}
console.log(
  `both SSN figures: ~ ${(total / 3600).toFixed(2)} h on this ${cores}-core machine` +
    `; on N such machines ~ ${(total / 3600).toFixed(2)} / N h (runs are independent)`,
);
