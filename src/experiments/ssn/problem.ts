// The learning problem of a sampling network
// (docs/models/sampling-network.md#target-distribution-dkl-and-asym): target
// Boltzmann distribution, initial weights, per-synapse STDP amplitude noise
// (docs/models/sampling-network.md#noise-scenarios), exact target statistics by
// enumeration, and the metrics DKL and ASYM
// (docs/models/alignment-metrics.md#recurrent-asymmetry-and-sampling-quality).
// TS-side draws use named seedrandom streams, so a seed gives the same problem
// on every backend (not numpy's numbers).
import { tsRandom } from "../../rng/seeds.js";
import { usage } from "../../errors.js";
import type { SsnConfig } from "./config.js";
import { wsAmplitudes } from "../../learning/boltzmann.js";
import { salAmplitudes } from "../../learning/sal.js";

export interface Problem {
  n: number;
  /** Target W* (symmetric, zero diagonal) and b*, W[post * n + pre]. */
  targetW: Float64Array;
  targetB: Float64Array;
  initW: Float64Array;
  initB: Float64Array;
  /** Amplitudes [post * n + pre]: ws causal/anti, SAL causal/anti (SAL causal negative). */
  ws: { causal: Float32Array; anti: Float32Array };
  sal: { causal: Float32Array; anti: Float32Array };
  /** Exact target statistics (null when dim is too large to enumerate): p*, marginals, coactivations (zero diagonal). */
  p: Float64Array | null;
  marginals: Float64Array | null;
  coactivation: Float64Array | null;
}

/** Symmetric n x n matrix with zero diagonal from `draw()` for every entry of a full matrix, upper triangle mirrored. */
function symmetricFrom(n: number, draw: () => number): Float64Array {
  const full = Array.from({ length: n * n }, draw);
  const W = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let j = k + 1; j < n; j++) W[k * n + j] = W[j * n + k] = full[k * n + j];
  return W;
}

/** Fills off-diagonal entries: upper triangle from `fwd`, lower from `bwd` (i.i.d. per ordered pair). */
function byDirection(n: number, fwd: number[], bwd: number[]): Float64Array {
  const eta = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) if (k !== j) eta[k * n + j] = k < j ? fwd[k * n + j] : bwd[k * n + j];
  return eta;
}

function flat(m: number[][], n: number, field: string, square = true): Float64Array {
  if (m.length !== n || (square && m.some((r) => r.length !== n)))
    throw usage(field, `${m.length}x${m[0]?.length ?? 0}`, `a ${n}x${n} matrix (dim ${n})`);
  return Float64Array.from(m.flat());
}

function vec(v: number[], n: number, field: string): Float64Array {
  if (v.length !== n) throw usage(field, `length ${v.length}`, `a vector of length ${n} (dim)`);
  return Float64Array.from(v);
}

/** Builds the problem from the config: explicit arrays where given, seeded draws otherwise. */
export function buildProblem(cfg: SsnConfig, withStats: boolean): Problem {
  const n = cfg.dim;
  let targetW: Float64Array, targetB: Float64Array;
  if (cfg.target) {
    targetW = flat(cfg.target.W, n, "target.W");
    targetB = vec(cfg.target.b, n, "target.b");
    for (let k = 0; k < n; k++) {
      if (targetW[k * n + k] !== 0) throw usage(`target.W[${k}][${k}]`, targetW[k * n + k], "the diagonal must be 0");
      for (let j = k + 1; j < n; j++)
        if (targetW[k * n + j] !== targetW[j * n + k])
          throw usage(`target.W[${k}][${j}]`, targetW[k * n + j], `must equal target.W[${j}][${k}] = ${targetW[j * n + k]} (symmetric)`);
    }
  } else {
    const r = tsRandom(cfg.seeds.distr, "ssn-target");
    const beta = () => 2 * r.beta(cfg.distr.alpha, cfg.distr.beta) - 1;
    targetW = symmetricFrom(n, beta);
    targetB = Float64Array.from({ length: n }, beta);
  }
  const ri = tsRandom(cfg.seeds.init, "ssn-init");
  let initW: Float64Array, initB: Float64Array;
  if (cfg.init) {
    initW = flat(cfg.init.W, n, "init.W");
    initB = vec(cfg.init.b, n, "init.b");
  } else {
    initW = symmetricFrom(n, () => ri.normal(0, cfg.weightInit));
    for (let i = 0; i < n * n; i++) initW[i] += ri.normal(0, cfg.initNoise);
    initB = Float64Array.from({ length: n }, () => ri.normal(0, cfg.biasInit));
  }
  const ra = tsRandom(cfg.seeds.init, "ssn-amplitudes");
  const noiseMat = (sd: number) => Array.from({ length: n * n }, () => ra.truncNormal(sd, 1.5));
  const etaWs = byDirection(n, noiseMat(cfg.stdpNoise.ws), noiseMat(cfg.stdpNoise.ws));
  const etaSal = byDirection(n, noiseMat(cfg.stdpNoise.sal), noiseMat(cfg.stdpNoise.sal));
  let ws = wsAmplitudes(etaWs);
  let sal = salAmplitudes(etaSal);
  if (cfg.amplitudes) {
    const a = cfg.amplitudes;
    const m = (x: number[][], f: string) => Float32Array.from(flat(x, n, f));
    ws = { causal: m(a.ws.causal, "amplitudes.ws.causal"), anti: m(a.ws.anti, "amplitudes.ws.anti") };
    sal = { causal: m(a.sal.causal, "amplitudes.sal.causal"), anti: m(a.sal.anti, "amplitudes.sal.anti") };
  }
  for (const M of [ws.causal, ws.anti, sal.causal, sal.anti]) for (let k = 0; k < n; k++) M[k * n + k] = 0;
  const stats = withStats ? targetStats(targetW, targetB, n) : null;
  return { n, targetW, targetB, initW, initB, ws, sal, p: stats?.p ?? null, marginals: stats?.m ?? null, coactivation: stats?.C ?? null };
}

/**
 * p*(z) ~ exp(z^T W z / 2 + b^T z) over all 2^n states (neuron 0 = most significant bit), with its
 * marginals E[z_k] and coactivations E[z_k z_j] (k != j; diagonal 0), by enumeration.
 */
export function targetStats(W: Float64Array, b: Float64Array, n: number): { p: Float64Array; m: Float64Array; C: Float64Array } {
  const S = 1 << n;
  const logp = new Float64Array(S);
  let max = -Infinity;
  const on: number[] = [];
  for (let s = 0; s < S; s++) {
    on.length = 0;
    for (let k = 0; k < n; k++) if ((s >>> (n - 1 - k)) & 1) on.push(k);
    let e = 0;
    for (let a = 0; a < on.length; a++) {
      const k = on[a];
      e += b[k];
      for (let c = a + 1; c < on.length; c++) e += W[k * n + on[c]];
    }
    logp[s] = e;
    if (e > max) max = e;
  }
  let Z = 0;
  for (let s = 0; s < S; s++) Z += logp[s] = Math.exp(logp[s] - max);
  const p = logp;
  const m = new Float64Array(n),
    C = new Float64Array(n * n);
  for (let s = 0; s < S; s++) {
    const ps = (p[s] /= Z);
    on.length = 0;
    for (let k = 0; k < n; k++) if ((s >>> (n - 1 - k)) & 1) on.push(k);
    for (let a = 0; a < on.length; a++) {
      m[on[a]] += ps;
      for (let c = a + 1; c < on.length; c++) {
        C[on[a] * n + on[c]] += ps;
        C[on[c] * n + on[a]] += ps;
      }
    }
  }
  return { p, m, C };
}

/**
 * DKL(p* || q) = sum p* ln(p* / q), natural log, q floored at 1e-10
 * (docs/models/alignment-metrics.md#recurrent-asymmetry-and-sampling-quality).
 */
export function dkl(p: Float64Array, q: Float64Array): number {
  let d = 0;
  for (let s = 0; s < p.length; s++) if (p[s] > 0) d += p[s] * Math.log(p[s] / Math.max(q[s], 1e-10));
  return d;
}

/** ASYM: population variance (ddof 0) of the strict upper triangle of W - W^T. */
export function asym(W: Float64Array, n: number): number {
  const d: number[] = [];
  for (let k = 0; k < n; k++) for (let j = k + 1; j < n; j++) d.push(W[k * n + j] - W[j * n + k]);
  if (!d.length) return 0;
  const mean = d.reduce((a, x) => a + x, 0) / d.length;
  return d.reduce((a, x) => a + (x - mean) ** 2, 0) / d.length;
}
