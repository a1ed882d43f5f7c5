// The stdd experiment: STDD and expected SAL update for each weight pair of
// a config (or each point of a phase-plane grid), by the exact chain, the
// Monte-Carlo simulation, or both (then with their total variation distance);
// a few units at a time (a weight pair, or a bias pair of a sweep: sweep.ts),
// so that a page or a worker drives it without blocking (the exact chain
// takes milliseconds per pair, a Monte-Carlo pair up to seconds). The phase
// plane of a grid is computed once its last point is done.
import { usage } from "../../errors.js";
import { subSeed } from "../../rng/seeds.js";
import { gridValues, type StddConfig } from "./config.js";
import { exactRawStdd } from "../../analysis/stdd/markov.js";
import { monteCarloRawStdd, type PairKernels } from "../../analysis/stdd/montecarlo.js";
import { nullcline, nullclineDeviation } from "../../analysis/stdd/phase.js";
import { finalizeStdd, noiseTvd, tvd, updateStdErr, type PairParams, type Stdd } from "../../analysis/stdd/stdd.js";
import { finishSweep, runSweepUnit, sweepMetrics, sweepUnits, type SweepMetrics, type SweepRun } from "./sweep.js";
import { expectedSalUpdate } from "../../learning/sal.js";
import { checkModel, modelParams, salWindowOf, sweepModel } from "./model.js";
import { UnitSession, type UnitRun } from "../unitSession.js";
import type { RunHooks } from "../types.js";

export interface MethodResult {
  stdd: Stdd;
  expectedUpdate: { W01: number; W10: number };
  /** Spikes per step of neuron 0 and 1. */
  rate0: number;
  rate1: number;
}

export interface PairResult {
  W01: number;
  W10: number;
  exact?: MethodResult & { residual: number; coincidenceRate: number };
  mc?: MethodResult & {
    steps: number;
    nsPerStep: number;
    /** First-order pairs counted. */
    pairs: number;
    /** Standard error of the Monte-Carlo expected update. */
    expectedUpdateSe: { W01: number; W10: number };
  };
  /** Total variation distance exact vs Monte-Carlo (method both). */
  tvd?: number;
  /** The TVD that sampling noise alone gives at this number of pairs (noiseTvd of the exact STDD). */
  tvdNoise?: number;
  /** Why the exact vs Monte-Carlo comparison is not reported (method both; see mcComparisonProblem). */
  tvdSkipped?: string;
}

export interface PhasePlane {
  w: number[];
  /** f[i * n + j] at W01 = w[i], W10 = w[j]. */
  dW01: Float64Array;
  dW10: Float64Array;
  nullcline: [number, number][];
  nullclineDeviation: number;
  /** Columns where the W10 component had more than one zero. */
  multipleRootColumns: number;
}

export interface StddRun {
  pairs: PairResult[];
  phase: PhasePlane | null;
  /** The bias sweep (config `sweep`), else null. */
  sweep: SweepRun | null;
  seconds: number;
}

/** A line of metrics.jsonl: one weight pair's expected SAL update (and the TVD with method both). */
export interface StddPairMetrics {
  W01: number;
  W10: number;
  expectedUpdate: { W01: number; W10: number };
  tvd?: number;
  tvdSkipped?: string;
}

/** The least number of first-order pairs for a meaningful Monte-Carlo STDD. */
export const MIN_MC_PAIRS = 1000;
/** Above this firing probability per allowed step a neuron's spike train is nearly periodic. */
export const MAX_MC_FIRE_PROB = 0.9;

/**
 * Why a Monte-Carlo STDD cannot be compared with the exact one for these parameters, or null: a
 * neuron that fires with probability above 0.9 in nearly every allowed step (bias, plus an excitatory
 * weight, far above ln t_ref) makes a nearly periodic spike train whose phase to the other one
 * persists far longer than a run, so the sampled STDD depends on the start, not on the weights; and
 * with fewer than MIN_MC_PAIRS pairs (neurons almost never firing) there is nothing to compare.
 */
export function mcComparisonProblem(cfg: Pick<StddConfig, "b0" | "b1" | "tRef">, W01: number, W10: number, pairs?: number): string | null {
  const p = (u: number) => 1 / (1 + cfg.tRef * Math.exp(-u));
  const p0 = p(cfg.b0 + Math.max(0, W01)),
    p1 = p(cfg.b1 + Math.max(0, W10));
  if (Math.max(p0, p1) > MAX_MC_FIRE_PROB) {
    return (
      `neuron ${p0 >= p1 ? 0 : 1} fires with probability ${Math.max(p0, p1).toPrecision(3)} per allowed step` +
      ` (bias near saturation): its spike train is nearly periodic and a simulation does not mix`
    );
  }
  if (pairs !== undefined && !(pairs >= MIN_MC_PAIRS))
    return `only ${Math.round(pairs)} spike pairs counted (fewer than ${MIN_MC_PAIRS}; the neurons hardly fire)`;
  return null;
}

/** Checks what the schema cannot: a non-empty weight list, a sane grid, an exact chain of tractable size, the sweep's parts. */
export function checkConfig(cfg: StddConfig): void {
  if (!cfg.grid && cfg.pairs.length === 0 && !cfg.sweep) throw usage("pairs", cfg.pairs, "give at least one { W01, W10 } pair or a grid");
  if (cfg.grid) {
    if (!(cfg.grid.max > cfg.grid.min)) throw usage("grid.max", cfg.grid.max, `must be greater than grid.min (${cfg.grid.min})`);
    const n = gridValues(cfg.grid).length;
    if (n > 201) throw usage("grid.step", cfg.grid.step, `gives ${n} points per axis; at most 201 allowed`);
  }
  if (cfg.method !== "exact" && cfg.steps + cfg.burnIn > 2 ** 30 - 1)
    throw usage("steps", cfg.steps, `steps + burnIn must stay below 2^30 (one kernel run); burnIn is ${cfg.burnIn}`);
  if (cfg.sweep) checkSweep(cfg);
  else checkModel(cfg, cfg.method !== "mc");
}

/** The sweep's own checks: exact method, a weight grid, distinct shape names, tractable chains. */
function checkSweep(cfg: StddConfig): void {
  const sw = cfg.sweep!;
  if (cfg.method !== "exact") throw usage("method", cfg.method, "a bias sweep uses the exact method only");
  if (!cfg.grid) throw usage("grid", cfg.grid, "a bias sweep needs the weight grid { min, max, step }");
  if (sw.upscale > 0 && gridValues(cfg.grid).length < 4)
    throw usage("sweep.upscale", sw.upscale, "spline upscaling needs at least 4 grid points per axis; use 0 (linear) or a finer grid");
  const seen = new Set<string>();
  sw.shapes.forEach((sh, i) => {
    if (seen.has(sh.name)) throw usage(`sweep.shapes[${i}].name`, sh.name, "shape names must be distinct");
    seen.add(sh.name);
    checkModel(sweepModel(cfg, i), true, `sweep.shapes[${i}] `);
    checkModel(sweepModel(cfg, i, true), true, `sweep.examples (shape ${sh.name}) `);
  });
}

export function pairParams(cfg: StddConfig, W01: number, W10: number): PairParams {
  return { W01, W10, b0: cfg.b0, b1: cfg.b1, tRef: cfg.tRef, ...modelParams(cfg) };
}

/** The STDD and the expected SAL update of one weight pair, by the config's method(s). */
export function stddForPair(cfg: StddConfig, W01: number, W10: number, index: number, k?: PairKernels): PairResult {
  const params = pairParams(cfg, W01, W10);
  const win = salWindowOf(cfg);
  const fin = { maxLag: cfg.maxLag, normalize: cfg.normalize };
  const out: PairResult = { W01, W10 };
  if (cfg.method !== "mc") {
    const raw = exactRawStdd(params);
    const stdd = finalizeStdd(raw, fin);
    out.exact = {
      stdd,
      expectedUpdate: expectedSalUpdate(stdd, win),
      rate0: raw.rate0,
      rate1: raw.rate1,
      residual: raw.residual,
      coincidenceRate: raw.coincidenceRate,
    };
  }
  if (cfg.method !== "exact") {
    if (!k) throw new Error("Monte-Carlo method needs a backend");
    const t0 = performance.now();
    const raw = monteCarloRawStdd(k, params, { steps: cfg.steps, burnIn: cfg.burnIn, seed: subSeed(cfg.seed, `stdd-sim-${index}`) });
    const ns = ((performance.now() - t0) * 1e6) / (cfg.steps + cfg.burnIn);
    let stdd = finalizeStdd(raw, fin);
    // the same lag range as the exact STDD, so the two compare bin by bin
    if (out.exact && cfg.maxLag === null && stdd.L < out.exact.stdd.L) stdd = finalizeStdd(raw, { ...fin, maxLag: out.exact.stdd.L });
    const pairs = stdd.pairRate * raw.steps * (1 - stdd.droppedFraction);
    out.mc = {
      stdd,
      expectedUpdate: expectedSalUpdate(stdd, win),
      rate0: raw.rate0,
      rate1: raw.rate1,
      steps: cfg.steps,
      nsPerStep: ns,
      pairs,
      expectedUpdateSe: updateStdErr(stdd, win, pairs),
    };
  }
  if (out.exact && out.mc) {
    const problem = mcComparisonProblem(cfg, W01, W10, out.mc.pairs);
    if (problem) out.tvdSkipped = `Monte-Carlo comparison meaningless here: ${problem}`;
    else {
      out.tvd = tvd(out.exact.stdd, out.mc.stdd);
      out.tvdNoise = noiseTvd(out.exact.stdd, out.mc.pairs);
    }
  }
  return out;
}

/** The update a result reports: exact when computed, else Monte-Carlo. */
export function headlineUpdate(r: PairResult): { W01: number; W10: number } {
  return (r.exact ?? r.mc)!.expectedUpdate;
}

/** The weight pairs of a config: its list, or every point of its grid (W01 outer, W10 inner). */
export function weightPairs(cfg: StddConfig): [number, number][] {
  if (!cfg.grid) return cfg.pairs.map((p) => [p.W01, p.W10]);
  const w = gridValues(cfg.grid);
  return w.flatMap((a) => w.map((b): [number, number] => [a, b]));
}

/** The phase plane of a grid from its pairs' updates (exact where computed, else Monte-Carlo). */
export function phasePlane(w: number[], pairs: PairResult[]): PhasePlane {
  const n = w.length;
  const dW01 = new Float64Array(n * n),
    dW10 = new Float64Array(n * n);
  pairs.forEach((r, i) => {
    const u = headlineUpdate(r);
    dW01[i] = u.W01;
    dW10[i] = u.W10;
  });
  const nc = nullcline(w, dW10);
  return {
    w,
    dW01,
    dW10,
    nullcline: nc.points,
    nullclineDeviation: nullclineDeviation(nc.points, w[n - 1] - w[0]),
    multipleRootColumns: nc.multiple,
  };
}

/** The metrics line of one pair (what runStdd reports through onMetrics). */
export function pairMetrics(r: PairResult): StddPairMetrics {
  return {
    W01: r.W01,
    W10: r.W10,
    expectedUpdate: headlineUpdate(r),
    ...(r.tvd !== undefined && { tvd: r.tvd }),
    ...(r.tvdSkipped && { tvdSkipped: r.tvdSkipped }),
  };
}

/**
 * The stdd experiment on backend `k` (null is enough for the exact method and sweeps): `advance(n)`
 * computes the next n units (weight pairs, or a sweep's bias pairs); the same units, seeds and
 * results as `runStdd`.
 */
export function stddSession(
  k: PairKernels | null,
  cfg: StddConfig,
  hooks: RunHooks<StddPairMetrics | SweepMetrics> = {},
): UnitRun<StddRun> {
  checkConfig(cfg);
  if (cfg.sweep) {
    return new UnitSession(
      {
        units: sweepUnits(cfg),
        run: (u) => runSweepUnit(cfg, u),
        metrics: (r) => sweepMetrics(cfg, r),
        finish: (rs, seconds) => finishSweep(cfg, rs, seconds),
      },
      hooks,
    );
  }
  if (cfg.method !== "exact" && !k) throw usage("method", cfg.method, "needs a backend (only the exact method runs without one)");
  return new UnitSession(
    {
      units: weightPairs(cfg),
      run: ([a, b], i) => stddForPair(cfg, a, b, i, k ?? undefined),
      metrics: pairMetrics,
      finish: (pairs, seconds): StddRun => {
        const phase = cfg.grid && pairs.length === gridValues(cfg.grid).length ** 2 ? phasePlane(gridValues(cfg.grid), pairs) : null;
        return { pairs, phase, sweep: null, seconds };
      },
    },
    hooks,
  );
}

/**
 * Runs the stdd experiment: every weight pair of the config (or every point of its grid). The
 * Monte-Carlo method simulates on backend `k` (null is enough for the exact method).
 */
export function runStdd(k: PairKernels | null, cfg: StddConfig, hooks: RunHooks<StddPairMetrics | SweepMetrics> = {}): StddRun {
  return stddSession(k, cfg, hooks).advance().result();
}
