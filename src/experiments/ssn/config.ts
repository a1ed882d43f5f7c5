// SSN experiment configuration (docs/models/sampling-network.md#parameters): the schema, the paper
// presets, the 120-run grids of the noise scenarios
// (docs/models/sampling-network.md#noise-scenarios), and the mapping of the authors' YAML layout
// onto ours.
import { z } from "zod";
import { UsageError, showValue, usage } from "../../errors.js";
import { B, checkLength, checkShape, matrix, MAX_RUN_STEPS, narrow, num, vec, type Bound } from "../../config/numbers.js";

const seed = num(B.seed);
const rate = num(B.rate);
const noise = num(B.noise);

/** Bounds of the config fields that have no flag of their own (for --help). */
export const SSN_CONFIG_BOUNDS: [string, Bound][] = [
  ["seeds.distr, init, sim", B.seed],
  ["lr.weight, lr.bias, salRate", B.rate],
  ["initNoise, stdpNoise.ws, .sal", B.noise],
  ["weightInit, biasInit", B.weightScale],
  ["maxW, maxB", B.weightClip],
  ["distr.alpha, .beta", B.shape],
  ["target.W, init.W", B.weight],
  ["target.b, init.b", B.bias],
  ["amplitudes.*", B.amplitude],
];

/** Steps of a whole run: every epoch dur * tRef steps, validation epochs valFactor times as many. */
export function ssnTotalSteps(c: { epochs: number; valStep: number; valFactor: number; dur: number; tRef: number }): number {
  const T = c.dur * c.tRef;
  const vals = Math.floor((c.epochs - 1) / c.valStep) + 1 + ((c.epochs - 1) % c.valStep === 0 ? 0 : 1);
  return T * (c.epochs + vals * (c.valFactor - 1));
}

export const ssnConfigSchema = z
  .strictObject({
    preset: z.string(),
    /** Which noise `--noise` and `--run` vary: the asymmetric init (synaptic) or the STDP amplitudes (plasticity). */
    scenario: z.enum(["minimal", "syn-noise", "plast-noise"]),
    dim: num(B.dim),
    seeds: z.strictObject({ distr: seed, init: seed, sim: seed }),
    distr: z.strictObject({ alpha: num(B.shape), beta: num(B.shape) }),
    tRef: num(B.tRef),
    tauSyn: num(B.tauSyn),
    epochs: num(B.epochs),
    valStep: num(B.every),
    valFactor: num(narrow(B.count, { max: 100_000, name: "factor", why: "validation runs are this many times longer" })),
    /** Sleep run per epoch: dur * tRef steps. */
    dur: num(narrow(B.count, { max: 10_000_000, name: "duration", why: "sleep run per epoch in units of t_ref" })),
    lr: z.strictObject({ weight: rate, bias: rate }),
    /** SAL on the weights: rate salRate when sal is true. */
    sal: z.boolean(),
    salRate: rate,
    initNoise: noise,
    weightInit: num(B.weightScale),
    biasInit: num(B.weightScale),
    maxW: num(B.weightClip),
    maxB: num(B.weightClip),
    /** sigma of the truncated-normal (+-1.5 sigma) per-synapse STDP amplitude noise. */
    stdpNoise: z.strictObject({ ws: noise, sal: noise }),
    /** Exact DKL over 2^dim states: auto = when dim <= 20. */
    dkl: z.enum(["auto", "on", "off"]),
    checkpointEvery: num(B.everyOrNever),
    target: z.strictObject({ W: matrix(B.weight, 64), b: vec(B.bias, 64) }).optional(),
    init: z.strictObject({ W: matrix(B.weight, 64), b: vec(B.bias, 64) }).optional(),
    amplitudes: z
      .strictObject({
        ws: z.strictObject({ causal: matrix(B.amplitude, 64), anti: matrix(B.amplitude, 64) }),
        sal: z.strictObject({ causal: matrix(B.amplitude, 64), anti: matrix(B.amplitude, 64) }),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const n = c.dim,
      why = `dim ${n}`;
    checkShape(ctx, c.target?.W, n, n, ["target", "W"], why);
    checkLength(ctx, c.target?.b, n, ["target", "b"], why);
    checkShape(ctx, c.init?.W, n, n, ["init", "W"], why);
    checkLength(ctx, c.init?.b, n, ["init", "b"], why);
    for (const rule of ["ws", "sal"] as const)
      for (const side of ["causal", "anti"] as const) checkShape(ctx, c.amplitudes?.[rule][side], n, n, ["amplitudes", rule, side], why);
    if (c.dur * c.tRef * c.valFactor > MAX_RUN_STEPS) {
      ctx.addIssue({
        code: "custom",
        path: ["dur"],
        message: `dur x tRef x valFactor = ${c.dur * c.tRef * c.valFactor} steps in a validation epoch; at most 2^30-1 (one kernel run)`,
      });
    } else if (ssnTotalSteps(c) > Number.MAX_SAFE_INTEGER) {
      ctx.addIssue({ code: "custom", path: ["epochs"], message: "the run would take more than 2^53-1 steps (steps are counted exactly)" });
    }
  });

export type SsnConfig = z.output<typeof ssnConfigSchema>;
type Preset = Omit<SsnConfig, "preset">;

/** Sweep lists of the authors' unibe-cns/sal-code: scripts/ssn/*\/change_params.py, kept as written (note 4235). */
export const DISTR_SEEDS = [4321, 4322, 4323, 4324, 4235];
export const INIT_SEEDS = [9002, 9003, 9004, 9005];
export const SIM_SEED_BASE = 7654;
export const NOISE_LEVELS: Record<"syn-noise" | "plast-noise", number[]> = {
  "syn-noise": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
  "plast-noise": [0.0, 0.01, 0.02, 0.03, 0.04, 0.05],
};
/** The levels the paper's figures highlight (Fig. 4: init noise 0.8; Fig. 5: STDP noise 0.05). */
export const DEFAULT_NOISE = { "syn-noise": 0.8, "plast-noise": 0.05, minimal: 0.05 } as const;
/** The SAL rate `--sal on` uses per scenario. */
export const SAL_RATE = { minimal: 0.002, "syn-noise": 0.01, "plast-noise": 0.002 } as const;

const MINIMAL: Preset = {
  scenario: "minimal",
  dim: 7,
  seeds: { distr: 4242, init: 4343, sim: 4444 },
  distr: { alpha: 1, beta: 1 },
  tRef: 50,
  tauSyn: 50,
  epochs: 1501,
  valStep: 20,
  valFactor: 100,
  dur: 1000,
  lr: { weight: 0.001, bias: 0.001 },
  sal: true,
  salRate: SAL_RATE.minimal,
  initNoise: 0.2,
  weightInit: 0.2,
  biasInit: 0.2,
  maxW: 2,
  maxB: 2,
  stdpNoise: { ws: 0.05, sal: 0.05 },
  dkl: "auto",
  checkpointEvery: 0,
};

/** Run i of a scenario's 120-run grid (noise x distr seeds x init seeds, the authors' loop order). */
export function gridRun(scenario: "syn-noise" | "plast-noise", i: number): { noise: number; seeds: SsnConfig["seeds"] } {
  const levels = NOISE_LEVELS[scenario];
  const total = levels.length * DISTR_SEEDS.length * INIT_SEEDS.length;
  if (!Number.isInteger(i) || i < 0 || i >= total) throw usage("--run", i, `an integer in [0, ${total - 1}]`);
  const perNoise = DISTR_SEEDS.length * INIT_SEEDS.length;
  return {
    noise: levels[Math.floor(i / perNoise)],
    seeds: {
      distr: DISTR_SEEDS[Math.floor(i / INIT_SEEDS.length) % DISTR_SEEDS.length],
      init: INIT_SEEDS[i % INIT_SEEDS.length],
      sim: SIM_SEED_BASE + i,
    },
  };
}

/** Index of the grid run with the given noise level and the first seeds of the lists. */
function firstRunAt(scenario: "syn-noise" | "plast-noise", noise: number): number {
  return NOISE_LEVELS[scenario].indexOf(noise) * DISTR_SEEDS.length * INIT_SEEDS.length;
}

function scenarioPreset(scenario: "syn-noise" | "plast-noise", sal: boolean): Preset {
  const syn = scenario === "syn-noise";
  const noise = DEFAULT_NOISE[scenario];
  const run = gridRun(scenario, firstRunAt(scenario, noise));
  return {
    ...MINIMAL,
    scenario,
    seeds: run.seeds,
    epochs: syn ? 20001 : 150001,
    valStep: syn ? 500 : 2000,
    valFactor: 1000,
    lr: syn ? { weight: 0.01, bias: 0.01 } : { weight: 0.001, bias: 0.001 },
    sal,
    salRate: SAL_RATE[scenario],
    initNoise: syn ? noise : 0.2,
    stdpNoise: syn ? { ws: 0, sal: 0 } : { ws: noise, sal: noise },
  };
}

export const SSN_PRESETS: Record<string, Preset> = {
  minimal: MINIMAL,
  "syn-noise": scenarioPreset("syn-noise", false),
  "syn-noise-sal": scenarioPreset("syn-noise", true),
  "plast-noise": scenarioPreset("plast-noise", false),
  "plast-noise-sal": scenarioPreset("plast-noise", true),
};
export const SSN_PRESET_NAMES = Object.keys(SSN_PRESETS);

/** Applies --noise to the scenario's noise (init noise for syn-noise, STDP amplitude noise otherwise). */
export function noiseOverride(scenario: SsnConfig["scenario"], noise: number): Record<string, unknown> {
  return scenario === "syn-noise" ? { initNoise: noise } : { stdpNoise: { ws: noise, sal: noise } };
}

// ---- the authors' YAML layout (unibe-cns/sal-code: scripts/ssn/*.yaml) ----

const AUTHOR_KEYS = new Set([
  "dim",
  "seed",
  "distr",
  "sim_params",
  "num_epochs",
  "val_step",
  "val_factor",
  "lr",
  "dur",
  "init_noise",
  "weight_init",
  "bias_init",
  "max_w",
  "max_b",
  "stdp",
]);

/** Keys only the authors' layout has (dim, distr, lr and dur are spelled the same in both). */
const AUTHOR_ONLY_KEYS = [
  "seed",
  "sim_params",
  "num_epochs",
  "val_step",
  "val_factor",
  "init_noise",
  "weight_init",
  "bias_init",
  "max_w",
  "max_b",
  "stdp",
];

/**
 * True when a config object uses the authors' layout: it has any key only that layout has (so a partial file such as
 * `max_w: 3` maps too).
 */
export function isAuthorLayout(raw: unknown): raw is Record<string, unknown> {
  return raw !== null && typeof raw === "object" && !Array.isArray(raw) && AUTHOR_ONLY_KEYS.some((k) => k in raw);
}

function obj(x: unknown, field: string): Record<string, unknown> {
  if (x === undefined) return {};
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw usage(field, x, "a mapping");
  return x as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) throw new UsageError(`config: unknown key '${where}${k}'; allowed here: ${allowed.join(", ")}`);
}

/**
 * Maps the authors' YAML (dim, seed.distr/init/sim, distr.alpha/beta, sim_params.t_ref/tau_syn,
 * num_epochs, val_step, val_factor, lr.bias/weight/symm, dur, init_noise, weight_init, bias_init,
 * max_w, max_b, stdp.ws/sal.*) onto our schema. Unknown keys are errors naming the key. STDP
 * amplitudes other than 1 and time constants other than t_ref are not modelled and are rejected.
 */
export function fromAuthorLayout(raw: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(raw))
    if (!AUTHOR_KEYS.has(k))
      throw new UsageError(`config: unknown key '${k}' in the authors' layout; allowed: ${[...AUTHOR_KEYS].join(", ")}`);
  const out: Record<string, unknown> = {};
  const set = (key: string, v: unknown) => {
    if (v !== undefined) out[key] = v;
  };
  set("dim", raw.dim);
  const seed = obj(raw.seed, "seed");
  onlyKeys(seed, ["distr", "init", "sim"], "seed.");
  if (Object.keys(seed).length) out.seeds = { ...seed };
  const distr = obj(raw.distr, "distr");
  onlyKeys(distr, ["alpha", "beta"], "distr.");
  if (Object.keys(distr).length) out.distr = { ...distr };
  const sim = obj(raw.sim_params, "sim_params");
  onlyKeys(sim, ["t_ref", "tau_syn", "num_last_spikes"], "sim_params.");
  set("tRef", sim.t_ref);
  set("tauSyn", sim.tau_syn);
  if (sim.num_last_spikes !== undefined && sim.num_last_spikes !== 1)
    throw usage("sim_params.num_last_spikes", sim.num_last_spikes, "only 1 (nearest-neighbour) is supported");
  set("epochs", raw.num_epochs);
  set("valStep", raw.val_step);
  set("valFactor", raw.val_factor);
  const lr = obj(raw.lr, "lr");
  onlyKeys(lr, ["bias", "weight", "symm"], "lr.");
  if (lr.bias !== undefined || lr.weight !== undefined)
    out.lr = { ...(lr.weight !== undefined && { weight: lr.weight }), ...(lr.bias !== undefined && { bias: lr.bias }) };
  if (lr.symm !== undefined) {
    if (typeof lr.symm !== "number" || !Number.isFinite(lr.symm) || lr.symm < 0) throw usage("lr.symm", lr.symm, "a finite number >= 0");
    out.sal = lr.symm > 0;
    if (lr.symm > 0) out.salRate = lr.symm;
  }
  set("dur", raw.dur);
  set("initNoise", raw.init_noise);
  set("weightInit", raw.weight_init);
  set("biasInit", raw.bias_init);
  set("maxW", raw.max_w);
  set("maxB", raw.max_b);
  const stdp = obj(raw.stdp, "stdp");
  onlyKeys(stdp, ["num_last_spikes", "ws", "sal"], "stdp.");
  if (stdp.num_last_spikes !== undefined && stdp.num_last_spikes !== 1)
    throw usage("stdp.num_last_spikes", stdp.num_last_spikes, "only 1 (nearest-neighbour) is supported");
  const noise: Record<string, unknown> = {};
  for (const rule of ["ws", "sal"] as const) {
    const r = obj(stdp[rule], `stdp.${rule}`);
    onlyKeys(r, ["a_plus", "a_minus", "tau_plus", "tau_minus", "noise"], `stdp.${rule}.`);
    for (const a of ["a_plus", "a_minus"])
      if (r[a] !== undefined && r[a] !== 1) throw usage(`stdp.${rule}.${a}`, r[a], "only 1 is supported (amplitude noise is stdp.*.noise)");
    const tRef = sim.t_ref;
    for (const t of ["tau_plus", "tau_minus"])
      if (r[t] !== undefined && tRef !== undefined && r[t] !== tRef)
        throw usage(`stdp.${rule}.${t}`, r[t], `must equal sim_params.t_ref (${showValue(tRef)})`);
    if (r.noise !== undefined) noise[rule] = r.noise;
  }
  // train_bm.py draws all four amplitude-noise matrices (ws and SAL) with sigma = stdp.ws.noise;
  // stdp.sal.noise is read by nothing there (their sweeps always set both to the same value).
  if (noise.ws !== undefined) noise.sal = noise.ws;
  if (Object.keys(noise).length) out.stdpNoise = noise;
  return out;
}

// ---- resources: a rough estimate of the first epoch's time ----

/**
 * Rough ns per simulation step, fitted on a 2-core EPYC VM (wasm: about 7 ns up to dim 8, then about
 * 10 ns per neuron; js: 150 + 50 per neuron).
 */
export function ssnNsPerStep(dim: number, backend: "wasm" | "js"): number {
  return backend === "js" ? 150 + 50 * dim : Math.max(8, 10 * dim);
}

/** The first epoch (a validation epoch, after the sampled target statistics when dim > 20): its steps and seconds. */
export function ssnFirstEpoch(cfg: SsnConfig, backend: "wasm" | "js"): { steps: number; seconds: number } {
  const val = cfg.dur * cfg.tRef * cfg.valFactor;
  const steps = cfg.dim > 20 ? 2 * val : val;
  return { steps, seconds: (steps * ssnNsPerStep(cfg.dim, backend)) / 1e9 };
}
