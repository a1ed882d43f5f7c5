// Outputs of the demo: each run's SSN outputs in sal-on/ and sal-off/, the
// two runs' DKL and ASYM in one plot each, a one-page report.md, a table for
// the terminal and the summary.
import type { OutDir } from "../../io/out.js";
import { linePlot, PALETTE } from "../../report/svg.js";
import { EXPERIMENTS } from "../../experiments/index.js";
import type { SsnMetrics, SsnSummary } from "../../experiments/ssn/index.js";
import type { DemoRun } from "./run.js";

const fmt = (x: number | null, d = 4) => (x === null || !Number.isFinite(x) ? "n/a" : x.toFixed(d));
const label = (r: DemoRun) => (r.cfg.sal ? "SAL on" : "SAL off");

export function demoSummary(runs: DemoRun[], backend: string, out: string | null) {
  return {
    command: "demo",
    preset: runs[0].cfg.preset,
    out,
    backend,
    runs: runs.map((r) => {
      const s = EXPERIMENTS.ssn.summary(r.cfg, r.result, backend);
      return { sal: r.cfg.sal, final: s.final, steps: s.steps, wallSeconds: r.wallSeconds, nsPerStep: s.nsPerStep };
    }),
  };
}
export type DemoSummary = ReturnType<typeof demoSummary>;

/** The table printed at the end: final DKL and ASYM, steps, wall time and ns/step per run. */
export function demoTable(s: DemoSummary): string {
  const rows = s.runs.map((r) => [
    r.sal ? "SAL on" : "SAL off",
    fmt(r.final.dkl),
    fmt(r.final.asym),
    String(r.steps),
    r.wallSeconds.toFixed(2),
    r.nsPerStep.toFixed(1),
  ]);
  const head = ["run", "final DKL", "final ASYM", "steps", "wall s", "ns/step"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padStart(w[i])).join("  ")).join("\n");
}

function reportMd(runs: DemoRun[], s: DemoSummary): string {
  const on = runs[0].cfg;
  const md = (r: DemoSummary["runs"][number]) =>
    `| ${r.sal ? "SAL on" : "SAL off"} | ${fmt(r.final.dkl)} | ${fmt(r.final.asym)}` +
    ` | ${r.steps} | ${r.wallSeconds.toFixed(2)} | ${r.nsPerStep.toFixed(1)} |`;
  return [
    "# spike-align demo: a spiking Boltzmann machine learns with and without SAL",
    "",
    `Preset \`${on.preset}\` (dim ${on.dim}, t_ref ${on.tRef}, ${on.epochs} epochs of ${on.dur * on.tRef} steps,` +
      ` validation every ${on.valStep} epochs ${on.valFactor}x longer),` +
      ` plasticity noise sigma = ${on.stdpNoise.ws} on every STDP amplitude, same seeds for both runs.`,
    "Hebbian (wake-sleep STDP) learning alone lets the noisy amplitudes keep W asymmetric; with SAL (rate " +
      on.salRate +
      ") the asymmetry shrinks and the sampled distribution follows the target more closely (arXiv:2503.02642, Fig. 5).",
    "",
    "| run | final DKL | final ASYM | steps | wall s | ns/step |",
    "|---|---|---|---|---|---|",
    ...s.runs.map(md),
    "",
    "![DKL](dkl.svg)",
    "",
    "![ASYM](asym.svg)",
    "",
    "Each run's own outputs (metrics.jsonl, summary.json, weights and distributions as .npy and CSV, plots)" +
      " are in `sal-on/` and `sal-off/`.",
    "",
  ].join("\n");
}

/**
 * Writes each run's SSN outputs into `runDirs[i]` (their config.json and metrics.jsonl are written
 * as the runs go) and the combined plots, report.md and summary.json into `root`.
 */
export function writeDemoOutputs(root: OutDir, runDirs: OutDir[], runs: DemoRun[], summary: DemoSummary): void {
  runs.forEach((r, i) => {
    const s: SsnSummary = EXPERIMENTS.ssn.summary(r.cfg, r.result, summary.backend);
    EXPERIMENTS.ssn.write(runDirs[i], r.cfg, r.result, s);
  });
  const ep = runs[0].result.state.metrics.map((m) => m.epoch);
  const series = (f: (m: SsnMetrics) => number) =>
    runs.map((r, i) => ({ label: label(r), x: ep, y: r.result.state.metrics.map(f), color: PALETTE[i === 0 ? 0 : 2], dashed: i === 1 }));
  root.writeText(
    "dkl.svg",
    linePlot({
      title: "DKL(p* || q) under plasticity noise",
      xLabel: "epoch",
      yLabel: "DKL",
      logY: true,
      series: series((m) => m.dkl ?? NaN),
    }),
  );
  root.writeText("asym.svg", linePlot({ title: "ASYM = Var(W - W^T)", xLabel: "epoch", yLabel: "ASYM", series: series((m) => m.asym) }));
  root.writeText("report.md", reportMd(runs, summary));
  root.writeJson("summary.json", summary);
}
