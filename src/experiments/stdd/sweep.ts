// The bias sweep of the stdd experiment (preset psp-shapes; the paper's
// figure on non-rectangular PSPs): for each PSP shape and each pair of
// biases (b0, b1), the exact phase plane of the expected SAL update on the
// weight grid, the nullcline of dW10 and its relative deviation from the
// diagonal W01 = W10 (phase.ts). With a rectangular PSP that lasts exactly
// the refractory period (the authors' convention) the nullcline stays on the
// diagonal for every bias pair; shaped PSPs move it off the diagonal when the
// biases differ.
//
// Every (shape, b0, b1) is an independent unit of work (`runSweepUnit`, pure
// f64), so a caller may spread the units over threads and hand the results
// to `finishSweep` in any order: the outcome does not depend on it.
import { gridValues, type StddConfig } from "./config.js";
import { exactRawStdd } from "../../analysis/stdd/markov.js";
import { nullcline, relativeNullclineDeviation, upscaleField } from "../../analysis/stdd/phase.js";
import { finalizeStdd, type Stdd } from "../../analysis/stdd/stdd.js";
import { modelParams, salWindowOf, sweepModel } from "./model.js";
import type { StddRun } from "./run.js";
import { expectedSalUpdate } from "../../learning/sal.js";
import type { RunHooks } from "../types.js";

/** Shape `shape` of the sweep at b0 = biases[i], b1 = biases[j]. */
export interface SweepUnit {
  shape: number;
  i: number;
  j: number;
}

export interface SweepUnitResult extends SweepUnit {
  deviation: number;
  /** The nullcline (W01, W10) points the deviation integrates. */
  nullcline: [number, number][];
  /** Columns where dW10 had more than one zero (the one nearest the diagonal is kept). */
  multipleRootColumns: number;
}

/** A line of metrics.jsonl of a sweep: one shape and bias pair. */
export interface SweepMetrics {
  shape: string;
  b0: number;
  b1: number;
  deviation: number;
}

export interface SweepExample {
  shape: string;
  b0: number;
  b1: number;
  stdd: Stdd;
  expectedUpdate: { W01: number; W10: number };
}

export interface SweepRun {
  biases: number[];
  /** The weight grid (both axes). */
  w: number[];
  shapes: string[];
  /** deviation[shape][i][j] at b0 = biases[i], b1 = biases[j]. */
  deviation: Record<string, number[][]>;
  /** Nullclines of the bias pairs the authors draw: b0 = biases[i], b1 = biases[n - 1 - i]. */
  nullclines: Record<string, { b0: number; b1: number; points: [number, number][] }[]>;
  /** Bias pairs whose nullcline had several zeros in some column, per shape. */
  multipleRootPairs: Record<string, number>;
  examples: SweepExample[];
}

/** All units of the sweep: shapes, then b0, then b1. */
export function sweepUnits(cfg: StddConfig): SweepUnit[] {
  const sw = cfg.sweep!,
    n = sw.biases.length;
  const units: SweepUnit[] = [];
  for (let shape = 0; shape < sw.shapes.length; shape++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) units.push({ shape, i, j });
  return units;
}

/** Exact chains one unit solves (for size limits and progress). */
export function chainsPerUnit(cfg: StddConfig): number {
  return gridValues(cfg.grid!).length ** 2;
}

/** The exact phase plane of one unit, its nullcline (on the spline-upscaled field) and the nullcline's deviation. */
export function runSweepUnit(cfg: StddConfig, unit: SweepUnit): SweepUnitResult {
  const sw = cfg.sweep!;
  const w = gridValues(cfg.grid!),
    n = w.length;
  const model = modelParams(sweepModel(cfg, unit.shape));
  const win = salWindowOf(cfg);
  const b0 = sw.biases[unit.i],
    b1 = sw.biases[unit.j];
  const f = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < n; c++) {
      // only lags up to maxLag enter the STDD, so the chain need not be followed further
      const raw = exactRawStdd({ W01: w[a], W10: w[c], b0, b1, tRef: cfg.tRef, ...model }, { maxSteps: cfg.maxLag ?? undefined });
      f[a * n + c] = expectedSalUpdate(finalizeStdd(raw, { maxLag: cfg.maxLag, normalize: cfg.normalize }), win).W10;
    }
  }
  const fine = sw.upscale > 0 ? upscaleField(w, f, sw.upscale) : { w, f };
  const nc = nullcline(fine.w, fine.f);
  return { ...unit, deviation: relativeNullclineDeviation(nc.points), nullcline: nc.points, multipleRootColumns: nc.multiple };
}

/** The example STDDs: every shape at the examples' tRef and maxLag, for each example bias pair. */
export function sweepExamples(cfg: StddConfig): SweepExample[] {
  const sw = cfg.sweep!,
    ex = sw.examples;
  const win = { ...salWindowOf(cfg), tau: cfg.window.tau ?? ex.tRef };
  const out: SweepExample[] = [];
  sw.shapes.forEach((sh, s) => {
    const model = modelParams(sweepModel(cfg, s, true));
    for (const [b0, b1] of ex.biases) {
      const raw = exactRawStdd({ W01: ex.W01, W10: ex.W10, b0, b1, tRef: ex.tRef, ...model }, { maxSteps: ex.maxLag ?? undefined });
      const stdd = finalizeStdd(raw, { maxLag: ex.maxLag, normalize: cfg.normalize });
      out.push({ shape: sh.name, b0, b1, stdd, expectedUpdate: expectedSalUpdate(stdd, win) });
    }
  });
  return out;
}

/** Puts the units' results (any order) and the examples together. */
export function finishSweep(cfg: StddConfig, results: SweepUnitResult[], seconds: number): StddRun {
  const sw = cfg.sweep!,
    n = sw.biases.length;
  const deviation: Record<string, number[][]> = {};
  const nullclines: SweepRun["nullclines"] = {};
  const multipleRootPairs: Record<string, number> = {};
  for (const sh of sw.shapes) {
    deviation[sh.name] = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
    nullclines[sh.name] = [];
    multipleRootPairs[sh.name] = 0;
  }
  const sorted = [...results].sort((a, b) => a.shape - b.shape || a.i - b.i || a.j - b.j);
  for (const r of sorted) {
    const name = sw.shapes[r.shape].name;
    deviation[name][r.i][r.j] = r.deviation;
    if (r.multipleRootColumns > 0) multipleRootPairs[name]++;
    if (r.j === n - 1 - r.i) nullclines[name].push({ b0: sw.biases[r.i], b1: sw.biases[r.j], points: r.nullcline });
  }
  const sweep: SweepRun = {
    biases: [...sw.biases],
    w: gridValues(cfg.grid!),
    shapes: sw.shapes.map((s) => s.name),
    deviation,
    nullclines,
    multipleRootPairs,
    examples: sweepExamples(cfg),
  };
  return { pairs: [], phase: null, sweep, seconds };
}

/** The sweep on this thread: every unit in order, one metrics line and progress tick each. */
export function runSweep(cfg: StddConfig, hooks: RunHooks<SweepMetrics> = {}): StddRun {
  const t0 = performance.now();
  const units = sweepUnits(cfg);
  const results = units.map((u, k) => {
    const r = runSweepUnit(cfg, u);
    hooks.onMetrics?.(sweepMetrics(cfg, r));
    hooks.onProgress?.(k + 1, units.length);
    return r;
  });
  return finishSweep(cfg, results, (performance.now() - t0) / 1000);
}

/** The metrics.jsonl line of a unit's result. */
export function sweepMetrics(cfg: StddConfig, r: SweepUnitResult): SweepMetrics {
  const sw = cfg.sweep!;
  return { shape: sw.shapes[r.shape].name, b0: sw.biases[r.i], b1: sw.biases[r.j], deviation: r.deviation };
}
