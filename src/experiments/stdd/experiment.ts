// The stdd experiment as one descriptor (src/experiments/descriptor.ts).
import { numericLeaves, type Experiment } from "../descriptor.js";
import { stddCli } from "./cli.js";
import { gridValues, STDD_PRESETS, stddConfigSchema, type StddConfig } from "./config.js";
import { stddLines, stddSummary, writeStddOutputs } from "./report.js";
import { runStdd, stddSession, type StddPairMetrics, type StddRun } from "./run.js";
import { sweepUnits, type SweepMetrics } from "./sweep.js";

/** Weight pairs of a run that is not a sweep: its list, or every point of its grid. */
const pairCount = (cfg: StddConfig) => (cfg.grid ? gridValues(cfg.grid).length ** 2 : cfg.pairs.length);

/**
 * Rough wall time per weight pair: the exact chain grows as M^3 (M = max(minIsi, PSP length + 1)),
 * the simulation ~60 ns per step.
 */
function secondsPerPair(cfg: StddConfig): number {
  const minIsi = cfg.minIsi ?? cfg.tRef + 1,
    psp = cfg.pspLength ?? Math.ceil(cfg.tauSyn) - 1;
  const M = Math.max(minIsi, psp + 1);
  return (cfg.method !== "mc" ? 1e-7 * M ** 3 : 0) + (cfg.method !== "exact" ? 60e-9 * (cfg.steps + cfg.burnIn) : 0);
}

export const stddExperiment: Experiment<"stdd", StddConfig, StddRun, StddPairMetrics | SweepMetrics, Record<string, unknown>> = {
  name: "stdd",
  schema: stddConfigSchema,
  presets: STDD_PRESETS,
  defaultPreset: "fig2c",
  fromFile: (raw) => raw,
  unit: "unit",
  total: (cfg) => (cfg.sweep ? sweepUnits(cfg).length : pairCount(cfg)),
  open(k, cfg, emit) {
    const s = stddSession(cfg.method === "exact" ? null : k, cfg, { onMetrics: emit });
    return {
      total: s.total,
      position: () => s.count,
      steps: () => (cfg.method === "exact" || cfg.sweep ? 0 : s.count * (cfg.steps + cfg.burnIn)),
      done: () => s.done,
      advance: (n) => s.advance(n),
      summary: () => stddSummary(cfg, s.result()),
      dispose: () => {},
    };
  },
  run: (k, cfg, hooks) => runStdd(cfg.method === "exact" ? null : k, cfg, hooks),
  summary: (cfg, r) => stddSummary(cfg, r),
  write: writeStddOutputs,
  files(_cfg, r) {
    if (r.sweep)
      return [
        ...["results.json", "summary.json", "deviation.csv", "examples.csv"],
        ...r.sweep.shapes.flatMap((s) => [`deviation-${s}.svg`, `nullclines-${s}.svg`, `examples-${s}.svg`]),
      ];
    if (r.phase) return ["results.json", "summary.json", "phase.csv", "nullcline.csv", "phase.svg"];
    return ["results.json", "summary.json", "stdd.csv", "updates.csv", ...r.pairs.map((_, k) => `stdd-${k}.svg`)];
  },
  lines: (_cfg, r, _s, at) => [...stddLines(r), `${r.seconds.toFixed(2)} s${at.out ? `; wrote ${at.out}` : ""}`],
  estimate(cfg) {
    if (cfg.sweep) return null;
    const pairs = pairCount(cfg),
      perPair = secondsPerPair(cfg);
    return {
      what: `${pairs} weight pair${pairs > 1 ? "s" : ""} at t_ref ${cfg.tRef} (${cfg.method})`,
      bytes: 0,
      firstEpochSeconds: pairs * perPair,
      span: "the run",
      unit: { seconds: perPair, name: "pair" },
    };
  },
  curves: { metrics: [] },
  finals: (s) => ({
    ...(s.nullclineDeviation !== undefined && { nullclineDeviation: s.nullclineDeviation as number }),
    ...(s.maxTvd !== undefined && { maxTvd: s.maxTvd as number }),
    ...numericLeaves(
      Array.isArray(s.results) && s.results.length <= 8 ? s.results.map((r: { expectedUpdate: unknown }) => r.expectedUpdate) : [],
      "expectedUpdate",
    ),
    // a bias sweep: the largest deviation of each shape
    ...Object.fromEntries(
      Object.entries((s.deviation ?? {}) as Record<string, number[][]>).map(([shape, d]) => [
        `deviationMax.${shape}`,
        Math.max(...d.flat()),
      ]),
    ),
  }),
  cli: stddCli,
};
