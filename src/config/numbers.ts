// The validated-number policy: one table of bounds, shared by the zod
// schemas of every experiment config and by the command-line option
// parsers, so that a flag and the config field it sets accept the same
// numbers, and `--help` shows the same table that the checks use.
//
// Every number must be finite. Values the kernels keep in f32 (weights,
// biases, potentials, amplitudes, learning rates that multiply into f32
// state) are bounded well inside the f32 range by what the model can
// represent; counts are bounded by the kernels' limits (2^30 - 1 steps per
// kernel run) or by what keeps a run's size sane. A bound says why.
import { z } from "zod";
import { OptionValueError } from "../errors.js";

export interface Bound {
  /** Short name of the quantity ("weight", "seed"), shown in --help and in errors. */
  name: string;
  int?: boolean;
  min: number;
  max: number;
  /** The minimum itself is excluded (a real > min). */
  gt?: boolean;
  /** The maximum itself is excluded (a real < max). */
  lt?: boolean;
  /** The kernels keep this value in f32. */
  f32?: boolean;
  /** Why these bounds (one line for --help). */
  why: string;
}

/** 2^30 - 1: the most steps one sampling-kernel run takes between restarts. */
export const MAX_RUN_STEPS = 2 ** 30 - 1;
/** 2^32 - 1: seeds are 32-bit. */
export const MAX_SEED = 2 ** 32 - 1;

const SAT = "sampling neurons fire with sigmoid(u - ln t_ref); beyond |u| = 20 a neuron is always on or off at f32 resolution";

/** The shared bounds; every command and config field takes its bound from here. */
export const B = {
  seed: { name: "seed", int: true, min: 0, max: MAX_SEED, why: "random streams are seeded from 32 bits" },
  weight: { name: "weight", min: -20, max: 20, f32: true, why: SAT },
  bias: { name: "bias", min: -20, max: 20, f32: true, why: SAT },
  weightScale: { name: "weight scale", min: 0, max: 20, f32: true, why: "a spread or range of weights: within the weight bound" },
  weightClip: { name: "weight clip", min: 0, max: 20, gt: true, f32: true, why: "clips weights and biases: within the weight bound" },
  input: {
    name: "input",
    min: -100,
    max: 100,
    f32: true,
    why: "inputs multiply into f32 potentials; beyond 100 x a weight the rate saturates",
  },
  rate: {
    name: "learning rate",
    min: 0,
    max: 100,
    f32: true,
    why: "one step moves a weight by rate x a statistic of order 1; above 100 a step crosses the whole weight range",
  },
  amplitude: { name: "STDP amplitude", min: -1000, max: 1000, f32: true, why: "STDP window amplitudes (signed), kept in f32" },
  noise: { name: "noise", min: 0, max: 10, why: "a standard deviation relative to unit amplitudes or weights" },
  coupling: { name: "coupling", min: 0, max: 100, f32: true, why: "dendritic coupling factor, kept in f32" },
  fraction: { name: "fraction", min: 0, max: 1, f32: true, why: "a mixing fraction" },
  tau: { name: "time constant", min: 0, max: 10_000, gt: true, f32: true, why: "steps; kept in f32" },
  tRef: { name: "t_ref", int: true, min: 1, max: 10_000, why: "refractory period in steps" },
  tauSyn: { name: "tau_syn", int: true, min: 1, max: 10_000, why: "PSP length in steps" },
  epochs: { name: "epochs", int: true, min: 1, max: 100_000_000, why: "a count of epochs" },
  every: { name: "interval", int: true, min: 1, max: 100_000_000, why: "in epochs" },
  everyOrNever: { name: "interval", int: true, min: 0, max: 100_000_000, why: "in epochs; 0 = never" },
  runSteps: { name: "steps", int: true, min: 1, max: MAX_RUN_STEPS, why: "steps of one kernel run (at most 2^30 - 1)" },
  patternSteps: { name: "pattern steps", int: true, min: 1, max: MAX_RUN_STEPS, why: "steps of one pattern (one kernel call)" },
  lagSteps: { name: "lag steps", int: true, min: 0, max: MAX_RUN_STEPS, why: "steps of one pattern without plasticity" },
  count: { name: "count", int: true, min: 1, max: 10_000, why: "a number of items" },
  dim: { name: "dim", int: true, min: 1, max: 64, why: "neurons of a sampling network (one v128 lane block per 4)" },
  layer: { name: "layer size", int: true, min: 1, max: 4096, why: "neurons per microcircuit layer" },
  shape: { name: "shape parameter", min: 0, max: 1000, gt: true, why: "a Beta distribution parameter" },
  // deep nets (train) and layered spiking networks (align, infer, the SAL / RDD phases)
  sgdRate: {
    name: "SGD learning rate",
    min: 0,
    max: 100,
    gt: true,
    f32: true,
    why: "an SGD step moves a weight by rate x its gradient (f32); above 100 one step leaves any useful range",
  },
  momentum: {
    name: "momentum",
    min: 0,
    max: 1,
    lt: true,
    f32: true,
    why: "the SGD velocity decays by this factor per step; at 1 it never decays",
  },
  batch: {
    name: "batch size",
    int: true,
    min: 1,
    max: 4096,
    why: "images per SGD or evaluation step; the network's buffers hold the larger batch",
  },
  fcSize: {
    name: "fc layer size",
    int: true,
    min: 1,
    max: 65536,
    why: "units of a fully connected layer (65536 x 65536 weights alone are 17 GB)",
  },
  channels: { name: "channels", int: true, min: 1, max: 4096, why: "output channels of a conv layer" },
  weightDecay: { name: "weight decay", min: 0, max: 1, f32: true, why: "a weight shrinks by lr x decay x itself per step" },
  bnEps: { name: "epsilon", min: 0, max: 1, gt: true, f32: true, why: "added to the batch variance before its square root" },
  samples: { name: "samples", int: true, min: 1, max: 1e9, why: "the first N samples of a set (more than it has: all)" },
  population: {
    name: "population size",
    int: true,
    min: 1,
    max: 2 ** 20,
    why: "neurons of one population of a layered spiking network (the salnet kernel's limit)",
  },
  copies: { name: "copies", int: true, min: 1, max: 4096, why: "independent copies of a spiking network, simulated side by side" },
  window: {
    name: "window length",
    int: true,
    min: 1,
    max: 2,
    why: "the SAL window in units of t_ref: it holds at most two spikes per neuron",
  },
  simSeconds: { name: "simulated seconds", min: 0.001, max: 1e5, why: "simulated time; 1e5 s is 1e8 steps of 1 ms" },
  stepMs: { name: "step (ms)", min: 0, max: 1000, gt: true, why: "simulated milliseconds of one step" },
  gridStep: { name: "grid step", min: 0, max: 40, gt: true, why: "the spacing of a weight grid: within the weight range" },
  threads: { name: "threads", int: true, min: 1, max: 1024, why: "worker threads, each with its own backend and memory" },
  runIndex: { name: "run index", int: true, min: 0, max: 1e9, why: "a run's position in its sweep" },
  waitSeconds: { name: "seconds", int: true, min: 1, max: 1e7, why: "a wait in wall seconds (1e7 s is 116 days)" },
} as const satisfies Record<string, Bound>;

/** A bound like `base` with other limits (e.g. the exact STDD chain's smaller t_ref). */
export function narrow(base: Bound, limits: Partial<Bound>): Bound {
  return { ...base, ...limits };
}

/** A number for messages: 2^k - 1 spelled out, powers of ten >= 1e6 as 1eN. */
export function fmtNum(x: number): string {
  if (Number.isInteger(x) && x >= 1e6 && x <= Number.MAX_SAFE_INTEGER) {
    const k = Math.log10(x);
    if (Number.isInteger(k)) return `1e${k}`;
    const b = Math.log2(x + 1);
    if (Number.isInteger(b)) return `2^${b}-1`;
  }
  return String(x);
}

/** "an integer in [1, 1e8]", "a finite number in (0, 20]", "a finite number >= 0" (infinite limits are no limits). */
export function allowed(b: Bound): string {
  const what = b.int ? "an integer" : "a finite number";
  const lo = Number.isFinite(b.min),
    hi = Number.isFinite(b.max);
  if (lo && hi) return `${what} in ${b.gt ? "(" : "["}${fmtNum(b.min)}, ${fmtNum(b.max)}${b.lt ? ")" : "]"}`;
  if (lo) return `${what} ${b.gt ? ">" : ">="} ${fmtNum(b.min)}`;
  if (hi) return `${what} ${b.lt ? "<" : "<="} ${fmtNum(b.max)}`;
  return what;
}

/** The range column of the --help table: "integer 1..1e8", "real -20..20 (f32)", "real (any)". */
export function rangeText(b: Bound): string {
  const lo = Number.isFinite(b.min) ? `${b.gt ? ">" : ""}${fmtNum(b.min)}` : "",
    hi = Number.isFinite(b.max) ? `${b.lt ? "<" : ""}${fmtNum(b.max)}` : "";
  const range = lo || hi ? ` ${lo}..${hi}` : " (any finite)";
  return `${b.int ? "integer" : "real"}${range}${b.f32 ? " (f32)" : ""}`;
}

/** Checks one number; returns the problem ("must be ...") or null. */
export function checkNumber(x: unknown, b: Bound): string | null {
  const ok =
    typeof x === "number" &&
    Number.isFinite(x) &&
    (!b.int || Number.isInteger(x)) &&
    (b.gt ? x > b.min : x >= b.min) &&
    (b.lt ? x < b.max : x <= b.max);
  return ok ? null : `must be ${allowed(b)} (${b.name})`;
}

/** The number in option text `v` within `b`, or an OptionValueError saying why not ("It must be ..."). */
export function parseBounded(v: string, b: Bound): number {
  const x = v.trim() === "" ? NaN : Number(v);
  const problem = checkNumber(x, b);
  if (problem) throw new OptionValueError(`It ${problem}.`);
  return x;
}

/** The zod schema of a bounded number: one message naming what is allowed. */
export function num(b: Bound): z.ZodType<number> {
  const message = `must be ${allowed(b)} (${b.name})`;
  return z.custom<number>((x) => checkNumber(x, b) === null, { error: message });
}

/** A list of bounded numbers, at most `maxLen` long. */
export function vec(b: Bound, maxLen = 100_000): z.ZodType<number[]> {
  return z.array(num(b)).max(maxLen, { error: `at most ${maxLen} values` });
}

/**
 * A matrix of bounded numbers (rows of equal length); a ragged one names the first row whose
 * length differs from row 0.
 */
export function matrix(b: Bound, maxRows = 10_000): z.ZodType<number[][]> {
  return z
    .array(vec(b))
    .max(maxRows, { error: `at most ${maxRows} rows` })
    .superRefine((rows, ctx) => {
      for (let i = 1; i < rows.length; i++) {
        if (rows[i].length !== rows[0].length) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `row ${i} has ${rows[i].length} values, row 0 has ${rows[0].length} (a matrix needs rows of equal length)`,
          });
          return;
        }
      }
    });
}

/** For a config-level refinement: an issue if `m` (when given) is not rows x cols. */
export function checkShape(
  ctx: z.RefinementCtx,
  m: number[][] | undefined,
  rows: number,
  cols: number,
  path: (string | number)[],
  why: string,
): void {
  if (!m) return;
  if (m.length !== rows) {
    ctx.addIssue({ code: "custom", path, message: `has ${m.length} rows; must be ${rows} x ${cols} (${why})` });
    return;
  }
  const bad = m.findIndex((r) => r.length !== cols);
  if (bad >= 0)
    ctx.addIssue({ code: "custom", path: [...path, bad], message: `row ${bad} has ${m[bad].length} values; must have ${cols} (${why})` });
}

/** For a config-level refinement: an issue if `v` (when given) does not have length n. */
export function checkLength(ctx: z.RefinementCtx, v: number[] | undefined, n: number, path: (string | number)[], why: string): void {
  if (v && v.length !== n) ctx.addIssue({ code: "custom", path, message: `has ${v.length} values; must have ${n} (${why})` });
}

/** A range of consecutive seeds s, s+1, ..., s+n-1 must stay 32-bit: the problem, or null. */
export function seedRangeProblem(seed: number, n: number): string | null {
  return seed + n - 1 > MAX_SEED
    ? `seed ${seed} with ${n} seeds runs up to seed ${seed + n - 1}; the last must be <= ${MAX_SEED} (2^32-1)`
    : null;
}

/** Largest finite f32. */
export const F32_MAX = 3.4028234663852886e38;

/**
 * The first number in `x` (numbers, arrays, typed arrays, plain objects) that is not finite, or
 * (with `f32`) lies beyond the f32 range, as "W[3] is NaN"; null if there is none.
 */
export function firstNonFinite(x: unknown, f32 = false, path = ""): string | null {
  const bad = (v: number) => !Number.isFinite(v) || (f32 && Math.abs(v) > F32_MAX);
  const say = (p: string, v: number) => `${p || "value"} is ${v}${Number.isFinite(v) ? " (beyond the f32 range)" : ""}`;
  if (typeof x === "number") return bad(x) ? say(path, x) : null;
  if (ArrayBuffer.isView(x)) {
    const a = x as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (typeof a[i] === "number" && bad(a[i])) return say(`${path}[${i}]`, a[i]);
    return null;
  }
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const r = firstNonFinite(x[i], f32, `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if (x !== null && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      const r = firstNonFinite(v, f32, path ? `${path}.${k}` : k);
      if (r) return r;
    }
  }
  return null;
}
