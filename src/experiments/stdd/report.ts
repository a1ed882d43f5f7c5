// Outputs of the stdd experiment: the summary object (summary.json and the
// --json line), results.json, and per weight pair stdd.csv, updates.csv and
// stdd-<i>.svg, or for a grid phase.csv, nullcline.csv and phase.svg, or for
// a bias sweep deviation.csv, deviation-<shape>.svg, nullclines-<shape>.svg,
// examples.csv and examples-<shape>.svg.
import type { OutDir } from "../../io/out.js";
import type { StddConfig } from "./config.js";
import { deviationHeatMap, phasePlot, stddPlot, sweepExamplesPlot, sweepNullclinePlot } from "./plots.js";
import { headlineUpdate, type StddRun } from "./run.js";
import { lags } from "../../analysis/stdd/stdd.js";
import type { SweepRun } from "./sweep.js";

/** The --json / summary.json object (a bias sweep: command, preset, deviation per shape, biases). */
export function stddSummary(cfg: StddConfig, run: StddRun): Record<string, unknown> {
  if (run.sweep) return { command: "stdd", preset: cfg.preset, deviation: run.sweep.deviation, biases: run.sweep.biases };
  const results = run.pairs.map((r) => {
    const row: Record<string, unknown> = { W01: r.W01, W10: r.W10, expectedUpdate: headlineUpdate(r) };
    if (r.exact && r.mc) row.expectedUpdateMc = r.mc.expectedUpdate;
    if (r.mc) row.expectedUpdateSe = r.mc.expectedUpdateSe;
    if (r.tvd !== undefined) {
      row.tvd = r.tvd;
      row.tvdNoise = r.tvdNoise;
    }
    if (r.tvdSkipped) row.tvdSkipped = r.tvdSkipped;
    const s = (r.exact ?? r.mc)!.stdd;
    row.massCausal = s.massRight;
    row.pairRate = s.pairRate;
    return row;
  });
  const summary: Record<string, unknown> = {
    command: "stdd",
    preset: cfg.preset,
    method: cfg.method,
    tRef: cfg.tRef,
    tauSyn: cfg.tauSyn,
    b0: cfg.b0,
    b1: cfg.b1,
    results,
  };
  if (cfg.method !== "exact") {
    summary.backend = cfg.backend;
    summary.seed = cfg.seed;
    summary.stepsPerPair = cfg.steps;
    summary.steps = run.pairs.length * (cfg.steps + cfg.burnIn);
    const ns = run.pairs.map((r) => r.mc!.nsPerStep);
    summary.nsPerStep = ns.reduce((a, b) => a + b, 0) / ns.length;
  }
  const tvds = run.pairs.map((r) => r.tvd).filter((x): x is number => x !== undefined);
  if (tvds.length) summary.maxTvd = Math.max(...tvds);
  if (run.phase) {
    summary.nullclineDeviation = run.phase.nullclineDeviation;
    summary.multipleRootColumns = run.phase.multipleRootColumns;
  }
  summary.seconds = run.seconds;
  return summary;
}

/** Everything but config.json and metrics.jsonl (written as the run goes). */
export function writeStddOutputs(out: OutDir, cfg: StddConfig, run: StddRun, summary: Record<string, unknown>): void {
  if (run.sweep) return writeSweepOutputs(out, cfg, run.sweep, run.seconds, summary);
  const detail = run.pairs.map((r) => ({
    W01: r.W01,
    W10: r.W10,
    tvd: r.tvd,
    ...Object.fromEntries(
      (["exact", "mc"] as const)
        .filter((m) => r[m])
        .map((m) => {
          const { stdd, ...rest } = r[m]!;
          const curve = run.phase ? {} : { L: stdd.L, p: Array.from(stdd.p) };
          return [
            m,
            {
              ...rest,
              massCausal: stdd.massRight,
              massAnti: stdd.massLeft,
              pairRate: stdd.pairRate,
              droppedFraction: stdd.droppedFraction,
              ...curve,
            },
          ];
        }),
    ),
  }));
  const ph = run.phase;
  out.writeJson("results.json", {
    summary,
    pairs: detail,
    phase: ph && { w: ph.w, dW01: Array.from(ph.dW01), dW10: Array.from(ph.dW10), nullcline: ph.nullcline },
  });
  out.writeJson("summary.json", summary);
  if (ph) {
    const n = ph.w.length;
    const both = cfg.method === "both";
    const rows = run.pairs.map((r, k) => {
      const row: number[] = [ph.w[Math.floor(k / n)], ph.w[k % n], ph.dW01[k], ph.dW10[k]];
      if (both) row.push(r.mc!.expectedUpdate.W01, r.mc!.expectedUpdate.W10, r.tvd!);
      return row;
    });
    out.writeCsv("phase.csv", ["W01", "W10", "dW01", "dW10", ...(both ? ["dW01_mc", "dW10_mc", "tvd"] : [])], rows);
    out.writeCsv("nullcline.csv", ["W01", "W10"], ph.nullcline);
    out.writeText(
      "phase.svg",
      phasePlot(
        ph,
        `${cfg.preset}: expected SAL update (tRef ${cfg.tRef}, b ${cfg.b0}/${cfg.b1})` +
          `, nullcline deviation ${ph.nullclineDeviation.toExponential(2)}`,
      ),
    );
    return;
  }
  const rows: (number | string)[][] = [];
  run.pairs.forEach((r, k) => {
    const s = (r.exact ?? r.mc)!.stdd;
    for (const d of lags(s)) {
      const pe = r.exact ? r.exact.stdd.p[r.exact.stdd.L + d] : NaN;
      const pm = r.mc && Math.abs(d) <= r.mc.stdd.L ? r.mc.stdd.p[r.mc.stdd.L + d] : NaN;
      rows.push([k, r.W01, r.W10, d, pe, pm]);
    }
  });
  out.writeCsv("stdd.csv", ["pair", "W01", "W10", "dt", "p_exact", "p_mc"], rows);
  out.writeCsv(
    "updates.csv",
    ["W01", "W10", "dW01", "dW10", "dW01_mc", "dW10_mc", "tvd"],
    run.pairs.map((r) => [
      r.W01,
      r.W10,
      r.exact?.expectedUpdate.W01 ?? NaN,
      r.exact?.expectedUpdate.W10 ?? NaN,
      r.mc?.expectedUpdate.W01 ?? NaN,
      r.mc?.expectedUpdate.W10 ?? NaN,
      r.tvd ?? NaN,
    ]),
  );
  run.pairs.forEach((r, k) => {
    const mean = (r.W01 + r.W10) / 2;
    const sym = r.W01 !== r.W10 ? run.pairs.find((q) => Math.abs(q.W01 - mean) < 1e-12 && Math.abs(q.W10 - mean) < 1e-12) : undefined;
    out.writeText(`stdd-${k}.svg`, stddPlot(r, sym, cfg.plotLag));
  });
}

/** The files of a bias sweep. */
function writeSweepOutputs(out: OutDir, cfg: StddConfig, sw: SweepRun, seconds: number, summary: Record<string, unknown>): void {
  out.writeJson("results.json", {
    summary,
    seconds,
    w: sw.w,
    biases: sw.biases,
    deviation: sw.deviation,
    nullclines: sw.nullclines,
    multipleRootPairs: sw.multipleRootPairs,
    examples: sw.examples.map((e) => ({
      shape: e.shape,
      b0: e.b0,
      b1: e.b1,
      expectedUpdate: e.expectedUpdate,
      L: e.stdd.L,
      p: Array.from(e.stdd.p),
    })),
  });
  out.writeJson("summary.json", summary);
  const rows: (number | string)[][] = [];
  for (const name of sw.shapes)
    sw.biases.forEach((b0, i) => sw.biases.forEach((b1, j) => rows.push([name, b0, b1, sw.deviation[name][i][j]])));
  out.writeCsv("deviation.csv", ["shape", "b0", "b1", "deviation"], rows);
  const vmax = Math.max(...sw.shapes.flatMap((n) => sw.deviation[n].flat().filter(Number.isFinite)), 0);
  const exRows: (number | string)[][] = [];
  for (const e of sw.examples) for (const d of lags(e.stdd)) exRows.push([e.shape, e.b0, e.b1, d, e.stdd.p[e.stdd.L + d]]);
  out.writeCsv("examples.csv", ["shape", "b0", "b1", "dt", "p"], exRows);
  const ex = cfg.sweep!.examples;
  for (const name of sw.shapes) {
    out.writeText(
      `deviation-${name}.svg`,
      deviationHeatMap(sw.biases, sw.deviation[name], vmax, `${name}: relative deviation of the SAL nullcline from the diagonal`),
    );
    out.writeText(`nullclines-${name}.svg`, sweepNullclinePlot(name, sw.w, sw.nullclines[name], `nullclines of dW10, tRef ${cfg.tRef}`));
    out.writeText(
      `examples-${name}.svg`,
      sweepExamplesPlot(
        name,
        sw.examples.filter((e) => e.shape === name),
        `STDD, tRef ${ex.tRef}, W01 ${ex.W01}, W10 ${ex.W10}`,
      ),
    );
  }
}

/** Lines for the terminal: each pair's expected update, the grid's nullcline deviation, or the sweep's largest deviations. */
export function stddLines(run: StddRun): string[] {
  if (run.sweep) {
    const sw = run.sweep,
      n = sw.biases.length;
    return sw.shapes.map((name) => {
      const d = sw.deviation[name];
      let same = 0,
        max = 0,
        at = [0, 0];
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          if (i === j) same = Math.max(same, Math.abs(d[i][j]));
          else if (d[i][j] > max) {
            max = d[i][j];
            at = [sw.biases[i], sw.biases[j]];
          }
        }
      return (
        `${name}: nullcline deviation at equal biases <= ${same.toExponential(1)}` +
        `, largest ${max.toFixed(4)} at b0 ${at[0]}, b1 ${at[1]}`
      );
    });
  }
  if (run.phase)
    return [`nullcline deviation from the diagonal: ${run.phase.nullclineDeviation.toExponential(3)} (${run.pairs.length} grid points)`];
  return run.pairs.map((r) => {
    const u = headlineUpdate(r);
    return (
      `W01 ${r.W01}, W10 ${r.W10}: dW01 ${u.W01.toFixed(5)}, dW10 ${u.W10.toFixed(5)}` +
      `${r.tvd !== undefined ? `, TVD exact vs MC ${r.tvd.toFixed(4)}` : ""}` +
      `${r.tvdSkipped ? ` (${r.tvdSkipped}; no TVD)` : ""}`
    );
  });
}
