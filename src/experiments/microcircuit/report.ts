// Summary (docs/conventions.md#json-and-outputs: medians in `final`, per-seed finals, quartiles)
// and SVG figures of the microcircuit experiment (paper fig. 6b, 6c).
import { linePlot, scatterPlot, PALETTE } from "../../report/svg.js";
import type { Band, Series } from "../../report/svg.js";
import type { Feedback, McConfig } from "./config.js";
import type { MicrocircuitResult, RunResult } from "./run.js";
import type { OutDir } from "../../io/out.js";
import { quantile } from "./metrics.js";

export interface Final {
  validationLoss: number;
  freeLoss: number;
  angleDeg: number[];
  weights: { W10: number; W21: number; B12: number } | null;
}

export interface ConditionSummary {
  final: Final;
  perSeed: (Final & { seed: number })[];
  quartiles: { q25: Final; q75: Final };
}

const COLORS: Record<Feedback, string> = { bp: PALETTE[0], fa: PALETTE[2], sal: PALETTE[1] };

function finalOf(r: RunResult): Final {
  const m = r.epochs[r.epochs.length - 1];
  return { validationLoss: m.validationLoss, freeLoss: m.freeLoss, angleDeg: m.angleDeg, weights: m.weights };
}

function combine(fs: Final[], q: number): Final {
  const at = (xs: number[]) => quantile(xs, q);
  const w0 = fs[0].weights;
  return {
    validationLoss: at(fs.map((f) => f.validationLoss)),
    freeLoss: at(fs.map((f) => f.freeLoss)),
    angleDeg: fs[0].angleDeg.map((_, i) => at(fs.map((f) => f.angleDeg[i]))),
    weights: w0
      ? { W10: at(fs.map((f) => f.weights!.W10)), W21: at(fs.map((f) => f.weights!.W21)), B12: at(fs.map((f) => f.weights!.B12)) }
      : null,
  };
}

export function summarizeCondition(runs: RunResult[]): ConditionSummary {
  const fs = runs.map(finalOf);
  return {
    final: combine(fs, 0.5),
    perSeed: runs.map((r, i) => ({ seed: r.seed, ...fs[i] })),
    quartiles: { q25: combine(fs, 0.25), q75: combine(fs, 0.75) },
  };
}

export function microcircuitSummary(cfg: McConfig, byFeedback: MicrocircuitResult, backend: string): Record<string, unknown> {
  const all = [...byFeedback.values()].flat();
  const steps = all.reduce((s, r) => s + r.steps, 0);
  const seconds = all.reduce((s, r) => s + r.seconds, 0);
  const conds = new Map([...byFeedback].map(([fb, runs]) => [fb, summarizeCondition(runs)]));
  const head = conds.get("sal") ?? [...conds.values()][0];
  const summary: Record<string, unknown> = {
    command: "microcircuit",
    preset: cfg.preset,
    feedback: cfg.feedback,
    dims: cfg.dims,
    epochs: cfg.epochs,
    seeds: [...byFeedback.values()][0].map((r) => r.seed),
    backend,
    steps,
    nsPerStep: (seconds * 1e9) / steps,
    seconds,
    final: head.final,
    perSeed: head.perSeed,
    quartiles: head.quartiles,
  };
  if (byFeedback.size > 1) {
    summary.seeds = Object.fromEntries([...byFeedback].map(([fb, runs]) => [fb, runs.map((r) => r.seed)]));
    summary.byFeedback = Object.fromEntries(conds);
  }
  return summary;
}

/** Median and 25-75 % band over seeds of a per-epoch quantity. */
function bandOf(runs: RunResult[], get: (r: RunResult, e: number) => number, from: number) {
  const n = runs[0].epochs.length;
  const x: number[] = [],
    med: number[] = [],
    lo: number[] = [],
    hi: number[] = [];
  for (let e = from; e < n; e++) {
    const v = runs.map((r) => get(r, e));
    x.push(e);
    med.push(quantile(v, 0.5));
    lo.push(quantile(v, 0.25));
    hi.push(quantile(v, 0.75));
  }
  return { x, med, lo, hi };
}

/** name -> SVG text of every figure for this run. */
export function figures(cfg: McConfig, byFeedback: MicrocircuitResult): Record<string, string> {
  const out: Record<string, string> = {};
  const series: Series[] = [],
    bands: Band[] = [];
  for (const [fb, runs] of byFeedback) {
    const b = bandOf(runs, (r, e) => r.epochs[e].validationLoss, 1);
    series.push({ label: `${fb} (median)`, x: b.x, y: b.med, color: COLORS[fb] });
    if (runs.length > 1) bands.push({ x: b.x, lo: b.lo, hi: b.hi, color: COLORS[fb] });
    const fr = bandOf(runs, (r, e) => r.epochs[e].freeLoss, 1);
    series.push({ label: `${fb} free output`, x: fr.x, y: fr.med, color: COLORS[fb], dashed: true });
  }
  out["loss.svg"] = linePlot({
    title: "Validation loss (nudged output, solid; free output, dashed)",
    xLabel: "epoch",
    yLabel: "loss",
    logY: true,
    series,
    bands,
  });

  const one = cfg.dims.every((d) => d === 1);
  if (one) {
    const ws: Series[] = [];
    const names = ["W10", "W21", "B12"] as const;
    for (const [fb, runs] of byFeedback) {
      const r = runs[0];
      names.forEach((nm, i) =>
        ws.push({
          label: `${fb} ${nm}`,
          x: r.epochs.map((m) => m.epoch),
          y: r.epochs.map((m) => m.weights![nm]),
          color: PALETTE[(i + 3 * [...byFeedback.keys()].indexOf(fb)) % PALETTE.length],
        }),
      );
    }
    const tw = cfg.task.teacherW;
    out["weights.svg"] = linePlot({
      title: `Weights vs epoch (seed ${[...byFeedback.values()][0][0].seed}); teacher dashed`,
      xLabel: "epoch",
      yLabel: "weight",
      series: ws,
      hLines: [{ y: tw, label: `teacher ${tw}`, dashed: true }],
    });
  }
  {
    const as: Series[] = [],
      ab: Band[] = [];
    for (const [fb, runs] of byFeedback) {
      const b = bandOf(runs, (r, e) => r.epochs[e].angleDeg[0], 0);
      as.push({ label: fb, x: b.x, y: b.med, color: COLORS[fb] });
      if (runs.length > 1) ab.push({ x: b.x, lo: b.lo, hi: b.hi, color: COLORS[fb] });
    }
    if (!one)
      out["angle.svg"] = linePlot({
        title: "angle(B12, W21^T) vs epoch",
        xLabel: "epoch",
        yLabel: "angle (deg)",
        series: as,
        bands: ab,
        hLines: [{ y: 90, label: "90", dashed: true }],
      });
  }
  // final-value distributions per condition (strip plots; x = condition index with a small jitter)
  const strip = (title: string, yLabel: string, get: (r: RunResult) => number, logY = false, hLine?: number) => {
    const ss = [...byFeedback].map(([fb, runs], ci) => ({
      label: fb,
      color: COLORS[fb],
      x: runs.map((_, i) => ci + 0.3 * ((i % 7) / 6 - 0.5)),
      y: runs.map(get),
    }));
    return scatterPlot({
      title,
      xLabel: `condition (${[...byFeedback.keys()].map((f, i) => `${i} = ${f}`).join(", ")})`,
      yLabel,
      logY,
      series: ss,
      hLines: hLine === undefined ? undefined : [{ y: hLine, label: "teacher", dashed: true }],
    });
  };
  const last = (r: RunResult) => r.epochs[r.epochs.length - 1];
  out["final-loss.svg"] = strip("Final validation loss per seed", "loss", (r) => last(r).validationLoss, true);
  if (one) {
    for (const nm of ["W10", "W21", "B12"] as const)
      out[`final-${nm}.svg`] = strip(`Final ${nm} per seed`, nm, (r) => last(r).weights![nm], false, cfg.task.teacherW);
  } else {
    out["final-angle.svg"] = strip("Final angle(B12, W21^T) per seed", "angle (deg)", (r) => last(r).angleDeg[0]);
  }
  return out;
}

/** Everything but config.json and metrics.jsonl (written as the runs go): summary.json and the figures. */
export function writeMicrocircuitOutputs(
  out: OutDir,
  cfg: McConfig,
  byFeedback: MicrocircuitResult,
  summary: Record<string, unknown>,
): void {
  out.writeJson("summary.json", summary);
  for (const [name, svg] of Object.entries(figures(cfg, byFeedback))) out.writeText(name, svg);
}

/** Lines for the terminal: each condition's final loss and angle, then the speed. */
export function microcircuitLines(byFeedback: MicrocircuitResult, summary: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [fb, runs] of byFeedback) {
    const f = (summary.byFeedback as Record<string, { final: Final }> | undefined)?.[fb]?.final ?? (summary.final as Final);
    lines.push(
      `${fb}: ${runs.length} seed(s), final validation loss ${f.validationLoss.toExponential(3)} (free ${f.freeLoss.toExponential(3)})` +
        `, angle(B12, W21^T) ${f.angleDeg[0].toFixed(1)} deg`,
    );
  }
  lines.push(`${summary.steps as number} steps, ${(summary.nsPerStep as number).toFixed(1)} ns/step on ${summary.backend as string}`);
  return lines;
}
