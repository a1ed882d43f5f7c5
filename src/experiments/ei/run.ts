// The ei experiment: the E-I system (src/models/eiSystem.ts) simulated by the
// sampling kernels. Each simulation is a fresh run; it gives the four rates
// (on-fractions: spikes / steps * tRef) and the first-order spike-timing
// distribution of the E-E pair (the stdd experiment's histogram), whose sum of
// SAL-window terms, normalised by tRef / steps as the authors do, is the SAL
// update of both E-E weights. A grid of (W12, W21) gives the phase plane,
// which is drawn in effective-weight coordinates; its nullcline (dW21 = 0)
// lies near the effective diagonal if SAL symmetrises effective weights.
//
// Every simulation is an independent unit (`runEiUnit`, its own seed from
// the run's), so a caller may spread the units over threads; `finishEi` puts
// the results together in any order.
import type { Arena } from "../../backend/types.js";
import type { SamplingKernels } from "../../backend/sampling.js";
import { usage } from "../../errors.js";
import { expectedSalUpdate } from "../../learning/sal.js";
import {
  EI_NEURONS,
  effectiveOffsets,
  eiBiasVector,
  eiSpec,
  eiWeightMatrix,
  type EiParams,
  type EiWeights,
} from "../../models/eiSystem.js";
import { subSeed } from "../../rng/seeds.js";
import { PairHistogram } from "../../analysis/stdd/montecarlo.js";
import { gridValues, nullcline, nullclineDeviation } from "../../analysis/stdd/phase.js";
import { finalizeStdd, type Stdd } from "../../analysis/stdd/stdd.js";
import type { RunHooks } from "../types.js";
import type { EiConfig } from "./config.js";

export type EiKernels = Arena & SamplingKernels;

/**
 * One simulation: a grid point, a point of the rate curve (E-I or direct system), the E-E-free baseline, or the single
 * point of a config without grid.
 */
export type EiUnit =
  | { kind: "grid"; i: number; j: number }
  | { kind: "curve"; system: "ei" | "direct"; index: number }
  | { kind: "baseline" }
  | { kind: "point" };

export interface EiRates {
  e1: number;
  e2: number;
  i1: number;
  i2: number;
}

export interface EiSimResult {
  /** On-fractions (spikes / steps * tRef). */
  rates: EiRates;
  /** SAL update of W12 (e2 -> e1) and W21 (e1 -> e2): sum of window terms over first-order E-E pairs * tRef / steps. */
  dW12: number;
  dW21: number;
  /** First-order E-E pairs counted. */
  pairs: number;
  /** The E-E STDD (dt = t_e2 - t_e1), only for the single point. */
  stdd?: Stdd;
}

export type EiUnitResult = EiUnit & EiSimResult;

/** A line of metrics.jsonl: one simulation. */
export type EiMetrics = { unit: string; W12: number; W21: number; dW12: number; dW21: number } & EiRates;

export interface EiRun {
  /** Grid of W12 and W21 (raw), null without grid. */
  w: number[] | null;
  /** dW12[i][j], dW21[i][j] at W12 = w[i], W21 = w[j]; rates of e1, e2 likewise. */
  dW12: number[][] | null;
  dW21: number[][] | null;
  rateE1: number[][] | null;
  rateE2: number[][] | null;
  /** Inhibitory-path offsets of the effective weights at r = sigma(b_e) (the authors') and at the measured baseline rates. */
  offsets: { W12: number; W21: number };
  offsetsMeasured: { W12: number; W21: number } | null;
  baselineRates: EiRates | null;
  /** Nullcline of dW21 in effective coordinates, and its deviations from the diagonal in effective and raw coordinates (area / range^2). */
  nullcline: [number, number][] | null;
  nullclineDeviation: number | null;
  nullclineDeviationRaw: number | null;
  rateCurve: { w: number[]; wEff: number[]; ei: number[]; direct: number[] } | null;
  point: (EiSimResult & { W12: number; W21: number }) | null;
  /** Simulated steps in all. */
  steps: number;
  seconds: number;
}

/** The system's parameters of a config with the given E-E weights (and optional other changes). */
export function eiParams(cfg: EiConfig, over: Partial<EiWeights> = {}): EiParams {
  return { weights: { ...cfg.weights, ...over }, biases: cfg.biases, tRef: cfg.tRef, tauSyn: cfg.tauSyn };
}

/** Checks what the schema cannot: grid and curve ranges, finite effective weights. */
export function checkEiConfig(cfg: EiConfig): void {
  for (const [name, g] of [
    ["grid", cfg.grid],
    ["rateCurve", cfg.rateCurve],
  ] as const) {
    if (!g) continue;
    if (!(g.max > g.min)) throw usage(`${name}.max`, g.max, `must be greater than ${name}.min (${g.min})`);
    const n = gridValues(g).length;
    if (n > 201) throw usage(`${name}.step`, g.step, `gives ${n} points; at most 201 allowed`);
  }
  const off = effectiveOffsets(cfg);
  if (!Number.isFinite(off.W12) || !Number.isFinite(off.W21))
    throw usage(
      "biases",
      cfg.biases,
      `the effective weights are not finite (offsets ${off.W12}, ${off.W21}); the E neurons' biases must leave sigma(b_e) > 0`,
    );
}

/** All simulations of a config: the grid (row-major), the rate curve (E-I then direct per point), the baseline; or the single point. */
export function eiUnits(cfg: EiConfig): EiUnit[] {
  if (!cfg.grid) return [{ kind: "point" }];
  const units: EiUnit[] = [];
  const n = gridValues(cfg.grid).length;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) units.push({ kind: "grid", i, j });
  if (cfg.rateCurve) {
    gridValues(cfg.rateCurve).forEach((_, index) =>
      units.push({ kind: "curve", system: "ei", index }, { kind: "curve", system: "direct", index }),
    );
  }
  units.push({ kind: "baseline" });
  return units;
}

/** Steps a unit simulates. */
export function unitSteps(cfg: EiConfig, u: EiUnit): number {
  return u.kind === "curve" ? cfg.rateCurve!.steps : cfg.steps;
}

function unitName(u: EiUnit): string {
  return u.kind === "grid" ? `grid-${u.i}-${u.j}` : u.kind === "curve" ? `curve-${u.system}-${u.index}` : u.kind;
}

/** The system a unit simulates. */
function unitParams(cfg: EiConfig, u: EiUnit): EiParams {
  switch (u.kind) {
    case "point":
      return eiParams(cfg);
    case "baseline":
      return eiParams(cfg, { e1_e2: 0, e2_e1: 0 });
    case "grid": {
      const w = gridValues(cfg.grid!);
      return eiParams(cfg, { e1_e2: w[u.i], e2_e1: w[u.j] });
    }
    case "curve": {
      // the authors' rate figure: the reverse direction cut (e2 -> e1 and i2 -> e1 zero); the direct
      // system has no i1 -> e2 either and gets the effective weight of e1 -> e2 instead
      const w = gridValues(cfg.rateCurve!)[u.index];
      if (u.system === "ei") return eiParams(cfg, { e1_e2: 0, e1_i2: 0, e2_e1: w });
      return eiParams(cfg, { e1_e2: 0, e1_i2: 0, e2_i1: 0, e2_e1: w + effectiveOffsets(cfg).W21 });
    }
  }
}

/**
 * Simulates the system for `steps` steps (a fresh run on backend `k`, seed `seed`) and measures the rates
 * and the SAL update of the E-E weights from the first-order e1-e2 pairs.
 */
export function simulateEi(
  k: EiKernels,
  p: EiParams,
  steps: number,
  seed: number,
  window: { tau: number; aCausal: number; aAnti: number },
  keepStdd = false,
): EiSimResult {
  const chunk = Math.min(1 << 20, steps);
  const spec = eiSpec(p, 4 * (Math.ceil(chunk / (p.tRef + 1)) + 2));
  const mark = k.mark();
  try {
    const net = k.samplingCreate(spec, seed);
    net.W.view.set(eiWeightMatrix(p.weights));
    net.b.view.set(eiBiasVector(p.biases));
    k.samplingRestart(net);
    const counts = new Float64Array(4);
    const hist = new PairHistogram();
    for (let done = 0; done < steps; done += chunk) {
      const n = Math.min(chunk, steps - done);
      k.samplingClear(net);
      k.samplingRun(net, n);
      if (net.recordOverflow()) throw new Error(`ei: spike record overflow (${n} steps)`);
      for (let q = 0; q < 4; q++) counts[q] += net.spikeCount.view[q];
      feedEE(hist, net.recTime!.view, net.recId!.view, net.recorded());
    }
    const raw = hist.raw(steps);
    const stdd = finalizeStdd(raw, { maxLag: null, normalize: "joint" });
    let pairs = 0;
    for (const h of [raw.right, raw.left]) for (const c of h) pairs += c;
    const u = pairs > 0 ? expectedSalUpdate(stdd, window) : { W01: 0, W10: 0 };
    const scale = (pairs * p.tRef) / steps;
    const rate = (q: number) => (counts[q] / steps) * p.tRef;
    const { e1, e2, i1, i2 } = EI_NEURONS;
    return {
      rates: { e1: rate(e1), e2: rate(e2), i1: rate(i1), i2: rate(i2) },
      // stdd's neuron 0 is e1 and neuron 1 is e2: its W01 is W12 (e2 -> e1), its W10 is W21 (e1 -> e2)
      dW12: u.W01 * scale,
      dW21: u.W10 * scale,
      pairs,
      ...(keepStdd && { stdd }),
    };
  } finally {
    k.release(mark);
  }
}

/** The e1 and e2 spikes of a record, step by step, into the pair histogram (e1 as neuron 0, e2 as neuron 1). */
function feedEE(hist: PairHistogram, time: Int32Array, id: Int32Array, n: number): void {
  let i = 0;
  while (i < n) {
    const t = time[i];
    let s0 = false,
      s1 = false;
    for (; i < n && time[i] === t; i++) {
      if (id[i] === EI_NEURONS.e1) s0 = true;
      else if (id[i] === EI_NEURONS.e2) s1 = true;
    }
    if (s0 || s1) hist.step(t, s0, s1);
  }
}

/** Runs one unit of a config. */
export function runEiUnit(k: EiKernels, cfg: EiConfig, u: EiUnit): EiUnitResult {
  const win = { tau: cfg.window.tau ?? cfg.tRef, aCausal: cfg.window.aCausal, aAnti: cfg.window.aAnti };
  const r = simulateEi(k, unitParams(cfg, u), unitSteps(cfg, u), subSeed(cfg.seed, `ei-${unitName(u)}`), win, u.kind === "point");
  return { ...u, ...r };
}

/** The metrics.jsonl line of a unit. */
export function eiMetrics(cfg: EiConfig, r: EiUnitResult): EiMetrics {
  const p = unitParams(cfg, r);
  return { unit: unitName(r), W12: p.weights.e1_e2, W21: p.weights.e2_e1, dW12: r.dW12, dW21: r.dW21, ...r.rates };
}

/** Puts the units' results (any order) together: grids, effective coordinates, nullcline and its deviations, rate curve. */
export function finishEi(cfg: EiConfig, results: EiUnitResult[], seconds: number): EiRun {
  const offsets = effectiveOffsets(cfg);
  const steps = results.reduce((a, r) => a + unitSteps(cfg, r), 0);
  const run: EiRun = {
    w: null,
    dW12: null,
    dW21: null,
    rateE1: null,
    rateE2: null,
    offsets,
    offsetsMeasured: null,
    baselineRates: null,
    nullcline: null,
    nullclineDeviation: null,
    nullclineDeviationRaw: null,
    rateCurve: null,
    point: null,
    steps,
    seconds,
  };
  const point = results.find((r) => r.kind === "point");
  if (point)
    run.point = {
      rates: point.rates,
      dW12: point.dW12,
      dW21: point.dW21,
      pairs: point.pairs,
      stdd: point.stdd,
      W12: cfg.weights.e1_e2,
      W21: cfg.weights.e2_e1,
    };
  if (!cfg.grid) return run;
  const w = gridValues(cfg.grid),
    n = w.length;
  const grid = () => Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
  const dW12 = grid(),
    dW21 = grid(),
    rateE1 = grid(),
    rateE2 = grid();
  for (const r of results) {
    if (r.kind !== "grid") continue;
    dW12[r.i][r.j] = r.dW12;
    dW21[r.i][r.j] = r.dW21;
    rateE1[r.i][r.j] = r.rates.e1;
    rateE2[r.i][r.j] = r.rates.e2;
  }
  Object.assign(run, { w, dW12, dW21, rateE1, rateE2 });
  const base = results.find((r) => r.kind === "baseline");
  if (base) {
    run.baselineRates = base.rates;
    run.offsetsMeasured = effectiveOffsets(cfg, base.rates);
  }
  // nullcline of dW21 along W21 per W12 column, the root nearest the effective diagonal kept
  const f = Float64Array.from(dW21.flat());
  const shift = offsets.W12 - offsets.W21;
  const nc = nullcline(w, f, (x) => x + shift);
  const range = w[n - 1] - w[0];
  run.nullcline = nc.points.map(([x, y]) => [x + offsets.W12, y + offsets.W21]);
  run.nullclineDeviation = nullclineDeviation(run.nullcline, range);
  run.nullclineDeviationRaw = nullclineDeviation(nc.points, range);
  if (cfg.rateCurve) {
    const cw = gridValues(cfg.rateCurve);
    const ei = new Array<number>(cw.length).fill(NaN),
      direct = new Array<number>(cw.length).fill(NaN);
    for (const r of results) if (r.kind === "curve") (r.system === "ei" ? ei : direct)[r.index] = r.rates.e2;
    run.rateCurve = { w: cw, wEff: cw.map((x) => x + offsets.W21), ei, direct };
  }
  return run;
}

/** The whole experiment on this thread: every unit in order, one metrics line and progress tick each. */
export function runEi(k: EiKernels, cfg: EiConfig, hooks: RunHooks<EiMetrics> = {}): EiRun {
  checkEiConfig(cfg);
  const t0 = performance.now();
  const units = eiUnits(cfg);
  const results = units.map((u, idx) => {
    const r = runEiUnit(k, cfg, u);
    hooks.onMetrics?.(eiMetrics(cfg, r));
    hooks.onProgress?.(idx + 1, units.length);
    return r;
  });
  return finishEi(cfg, results, (performance.now() - t0) / 1000);
}
