// Outputs of an SSN run: summary object, metrics lines, final arrays as .npy
// and CSV, and the SVG plots of the paper's figures (DKL, ASYM, weights and
// biases with their targets, target vs sampled distribution).
import type { OutDir } from "../../io/out.js";
import { barPlot, linePlot, PALETTE } from "../../report/svg.js";
import type { SsnConfig } from "./config.js";
import type { SsnResult } from "./run.js";

export interface SsnSummary {
  command: "ssn";
  preset: string;
  scenario: string;
  sal: boolean;
  salRate: number;
  dim: number;
  epochs: number;
  steps: number;
  /** marginalErr / corrErr: mean |sampled - target| marginals and pairwise coactivations (the measure when DKL is skipped). */
  final: { epoch: number; dkl: number | null; asym: number; marginalErr: number; corrErr: number };
  initial: { dkl: number | null; asym: number };
  nsPerStep: number;
  simSeconds: number;
  backend: string;
  seeds: SsnConfig["seeds"];
  note?: string;
}

export function ssnSummary(cfg: SsnConfig, r: SsnResult, backend: string): SsnSummary {
  const ms = r.state.metrics;
  const first = ms[0],
    last = ms[ms.length - 1];
  const s: SsnSummary = {
    command: "ssn",
    preset: cfg.preset,
    scenario: cfg.scenario,
    sal: cfg.sal,
    salRate: cfg.sal ? cfg.salRate : 0,
    dim: cfg.dim,
    epochs: cfg.epochs,
    steps: r.state.steps,
    final: {
      epoch: last?.epoch ?? -1,
      dkl: last?.dkl ?? null,
      asym: last?.asym ?? NaN,
      marginalErr: last?.marginalErr ?? NaN,
      corrErr: last?.corrErr ?? NaN,
    },
    initial: { dkl: first?.dkl ?? null, asym: first?.asym ?? NaN },
    nsPerStep: r.state.simNs / Math.max(1, r.state.steps),
    simSeconds: r.state.simNs / 1e9,
    backend,
    seeds: cfg.seeds,
  };
  if (!r.dklOn)
    s.note =
      `DKL skipped: dim ${cfg.dim} > 20 has too many states to enumerate;` +
      ` final.marginalErr / corrErr compare sampled marginals and pairwise coactivations with the target's;` +
      ` per-epoch marginals, coactivations and pairwise correlations are in metrics.jsonl`;
  return s;
}

/** One line for the terminal. */
export function ssnLine(s: SsnSummary): string {
  const dkl = (x: number | null) => (x === null ? "n/a" : x.toFixed(4));
  return (
    `ssn ${s.preset} (SAL ${s.sal ? "on" : "off"}, ${s.backend}): DKL ${dkl(s.initial.dkl)} -> ${dkl(s.final.dkl)}` +
    `, ASYM ${s.initial.asym.toFixed(4)} -> ${s.final.asym.toFixed(4)}` +
    `; ${s.steps} steps in ${s.simSeconds.toFixed(2)} s (${s.nsPerStep.toFixed(1)} ns/step)${s.note ? `\n${s.note}` : ""}`
  );
}

/** Everything but metrics.jsonl (appended during the run) and config.json. */
export function writeSsnOutputs(out: OutDir, cfg: SsnConfig, r: SsnResult, summary: SsnSummary): void {
  const n = cfg.dim,
    prob = r.problem;
  const W = Float64Array.from(r.state.W),
    b = Float64Array.from(r.state.b);
  out.writeNpy("W.npy", W, [n, n]);
  out.writeNpy("b.npy", b, [n]);
  out.writeNpy("target_W.npy", prob.targetW, [n, n]);
  out.writeNpy("target_b.npy", prob.targetB, [n]);
  const rows: (number | string)[][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rows.push([i, j, W[i * n + j], prob.targetW[i * n + j]]);
  out.writeCsv("weights.csv", ["post", "pre", "W", "target"], rows);
  out.writeCsv(
    "biases.csv",
    ["neuron", "b", "target"],
    Array.from(b, (v, i) => [i, v, prob.targetB[i]]),
  );
  if (r.q && prob.p) {
    out.writeNpy("q.npy", r.q, [r.q.length]);
    out.writeNpy("p_target.npy", prob.p, [prob.p.length]);
    out.writeCsv(
      "distribution.csv",
      ["state", "bits", "target", "sampled"],
      Array.from(prob.p, (p, s) => [s, s.toString(2).padStart(n, "0"), p, r.q![s]]),
    );
  }
  const ms = r.state.metrics;
  const ep = ms.map((m) => m.epoch);
  const label = `${cfg.preset}${cfg.sal ? ", SAL on" : ", SAL off"}`;
  if (ms.some((m) => m.dkl !== null))
    out.writeText(
      "dkl.svg",
      linePlot({
        title: `DKL(p* || q) (${label})`,
        xLabel: "epoch",
        yLabel: "DKL",
        logY: true,
        series: [{ label: "DKL", x: ep, y: ms.map((m) => m.dkl ?? NaN) }],
      }),
    );
  out.writeText(
    "asym.svg",
    linePlot({
      title: `ASYM = Var(W - W^T) (${label})`,
      xLabel: "epoch",
      yLabel: "ASYM",
      series: [{ label: "ASYM", x: ep, y: ms.map((m) => m.asym) }],
    }),
  );
  const wSeries = [],
    bSeries = [],
    hl = [];
  for (let i = 0, c = 0; i < n && c < 4; i++)
    for (let j = i + 1; j < n && c < 4; j++, c++) {
      const color = PALETTE[c % PALETTE.length];
      wSeries.push({ label: `W${i}${j}`, x: ep, y: ms.map((m) => m.W[i][j]), color });
      wSeries.push({ label: `W${j}${i}`, x: ep, y: ms.map((m) => m.W[j][i]), color, dashed: false });
      hl.push({ y: prob.targetW[i * n + j], color, dashed: true });
    }
  out.writeText(
    "weights.svg",
    linePlot({
      title: `Weights W_ij and W_ji of the first ${wSeries.length / 2} pairs (target dashed)`,
      xLabel: "epoch",
      yLabel: "weight",
      series: wSeries,
      hLines: hl,
    }),
  );
  for (let i = 0; i < Math.min(n, 8); i++)
    bSeries.push({ label: `b${i}`, x: ep, y: ms.map((m) => m.b[i]), color: PALETTE[i % PALETTE.length] });
  out.writeText(
    "biases.svg",
    linePlot({
      title: "Biases (target dashed)",
      xLabel: "epoch",
      yLabel: "bias",
      series: bSeries,
      hLines: bSeries.map((_, i) => ({ y: prob.targetB[i], color: PALETTE[i % PALETTE.length], dashed: true })),
    }),
  );
  if (r.q && prob.p && prob.p.length <= 1024)
    out.writeText(
      "distribution.svg",
      barPlot({
        title: `Target vs sampled distribution (epoch ${summary.final.epoch})`,
        yLabel: "probability",
        labels: Array.from(prob.p, (_, s) => s.toString(2).padStart(n, "0")),
        groups: [
          { label: "target p*", values: prob.p },
          { label: "sampled q", values: r.q },
        ],
      }),
    );
  out.writeJson("summary.json", summary);
}
