// SSN learning claims with fixed seeds, short runs and stated margins.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { createBackend } from "../../src/backend/index.js";
import { SSN_PRESETS, ssnConfigSchema, type SsnConfig } from "../../src/experiments/ssn/config.js";
import { asym, buildProblem, dkl, targetStats } from "../../src/experiments/ssn/problem.js";
import { runSsn, type SsnState } from "../../src/experiments/ssn/run.js";

function cfgOf(preset: string, over: Partial<SsnConfig>): SsnConfig {
  return ssnConfigSchema.parse({ ...SSN_PRESETS[preset], preset, ...over });
}

async function run(backend: "wasm" | "js", cfg: SsnConfig) {
  const k = await createBackend(backend);
  return runSsn(k, cfg).state;
}

const last = (s: SsnState) => s.metrics[s.metrics.length - 1];

describe("problem and metrics", () => {
  it("target statistics by enumeration match a two-neuron closed form", () => {
    const W = Float64Array.from([0, 0.7, 0.7, 0]),
      b = Float64Array.from([-0.3, 0.4]);
    const { p, m, C } = targetStats(W, b, 2);
    const w = [1, Math.exp(0.4), Math.exp(-0.3), Math.exp(-0.3 + 0.4 + 0.7)]; // states 00, 01, 10, 11 (neuron 0 = MSB)
    const Z = w.reduce((a, x) => a + x);
    w.forEach((x, s) => expect(p[s]).toBeCloseTo(x / Z, 12));
    expect(m[0]).toBeCloseTo((w[2] + w[3]) / Z, 12);
    expect(m[1]).toBeCloseTo((w[1] + w[3]) / Z, 12);
    expect(C[1]).toBeCloseTo(w[3] / Z, 12);
    expect(C[0]).toBe(0);
  });

  it("dkl floors q at 1e-10 and asym is the ddof-0 variance of the upper triangle of W - W^T", () => {
    expect(dkl(Float64Array.from([0.5, 0.5]), Float64Array.from([0.5, 0.5]))).toBe(0);
    expect(dkl(Float64Array.from([1, 0]), Float64Array.from([0, 1]))).toBeCloseTo(Math.log(1e10), 9);
    const W = Float64Array.from([0, 1, 2, 0, 0, 3, 0, 1, 0]); // upper diffs: 1, 2, 2 -> var 2/9
    expect(asym(W, 3)).toBeCloseTo(2 / 9, 12);
  });

  it("the target is symmetric with zero diagonal, in [-1, 1]; the same seed gives the same problem", () => {
    const c = cfgOf("minimal", {});
    const a = buildProblem(c, false),
      b = buildProblem(c, false);
    expect(Array.from(a.targetW)).toEqual(Array.from(b.targetW));
    expect(Array.from(a.ws.causal)).toEqual(Array.from(b.ws.causal));
    for (let i = 0; i < 7; i++) {
      expect(a.targetW[i * 7 + i]).toBe(0);
      for (let j = 0; j < 7; j++) {
        expect(a.targetW[i * 7 + j]).toBe(a.targetW[j * 7 + i]);
        expect(Math.abs(a.targetW[i * 7 + j])).toBeLessThanOrEqual(1);
        if (i !== j) {
          // amplitude noise sigma 0.05 truncated at 1.5 sigma; SAL causal negative
          expect(Math.abs(a.ws.causal[i * 7 + j] - 1)).toBeLessThanOrEqual(0.075 + 1e-7);
          expect(a.sal.causal[i * 7 + j]).toBeCloseTo(-a.sal.anti[i * 7 + j], 6);
        }
      }
    }
    const other = buildProblem(cfgOf("minimal", { seeds: { distr: 1, init: 4343, sim: 4444 } }), false);
    expect(Array.from(other.targetW)).not.toEqual(Array.from(a.targetW));
  });
});

describe("explicit arrays", () => {
  it("a config's target, init and amplitudes are used exactly; wrong shapes are usage errors", () => {
    const eye = (v: number) => [
      [0, v],
      [v, 0],
    ];
    const c = cfgOf("minimal", {
      dim: 2,
      target: { W: eye(0.5), b: [0.1, -0.2] },
      init: {
        W: [
          [0, 0.3],
          [-0.1, 0],
        ],
        b: [0, 0.05],
      },
      amplitudes: { ws: { causal: eye(1.1), anti: eye(0.9) }, sal: { causal: eye(-1.2), anti: eye(0.8) } },
    });
    const p = buildProblem(c, true);
    expect(Array.from(p.targetW)).toEqual([0, 0.5, 0.5, 0]);
    expect(Array.from(p.initW)).toEqual([0, 0.3, -0.1, 0]);
    expect(Array.from(p.initB)).toEqual([0, 0.05]);
    expect(Array.from(p.ws.anti)).toEqual([0, Math.fround(0.9), Math.fround(0.9), 0]);
    expect(Array.from(p.sal.causal)).toEqual([0, Math.fround(-1.2), Math.fround(-1.2), 0]);
    // shapes are checked by the schema (src/config/numbers.ts checkShape), naming the field
    expect(() =>
      parseConfig(ssnConfigSchema, { ...SSN_PRESETS.minimal, preset: "minimal", dim: 3, target: { W: eye(0.5), b: [0, 0, 0] } }),
    ).toThrow(/target\.W: got .*has 2 rows; must be 3 x 3 \(dim 3\)/);
    expect(() =>
      parseConfig(ssnConfigSchema, { ...SSN_PRESETS.minimal, preset: "minimal", dim: 2, init: { W: eye(0.1), b: [0] } }),
    ).toThrow(/init\.b: got \[0\]; has 1 values; must have 2 \(dim 2\)/);
  });
});

describe("learning (wasm, fixed seeds)", () => {
  it("DKL falls on a shortened minimal preset", async () => {
    const s = await run("wasm", cfgOf("minimal", { epochs: 301, dur: 200, valStep: 50, valFactor: 10 }));
    const d = s.metrics.map((m) => m.dkl!);
    expect(d[0]).toBeGreaterThan(0.6);
    expect(d[d.length - 1]).toBeLessThan(d[0] - 0.1);
  });

  it("without DKL the sampled coactivations are recorded and their error against the target falls", async () => {
    const s = await run(
      "wasm",
      cfgOf("minimal", { epochs: 301, dur: 200, valStep: 100, valFactor: 10, lr: { weight: 0.01, bias: 0.01 }, dkl: "off" }),
    );
    expect(s.metrics.every((m) => m.dkl === null && m.q === undefined && m.coactivation?.length === 7)).toBe(true);
    const first = s.metrics[0],
      end = last(s);
    // initial errors ~0.17 (marginals) and ~0.14 (coactivations) fall to ~0.03 by epoch 300 at lr 0.01
    // (three sim seeds: 0.028-0.030, 0.032-0.034); the claim is only a halving
    expect(end.marginalErr).toBeLessThan(first.marginalErr / 2);
    expect(end.corrErr).toBeLessThan(first.corrErr / 2);
    expect(end.coactivation![2][5]).toBeCloseTo(end.coactivation![5][2], 1);
  });

  it("synaptic noise 0.8: SAL ends with much lower ASYM and lower DKL than Hebbian learning alone", async () => {
    const short = { epochs: 601, dur: 200, valStep: 100, valFactor: 20 };
    const on = last(await run("wasm", cfgOf("syn-noise-sal", short)));
    const off = last(await run("wasm", cfgOf("syn-noise", short)));
    // measured: ASYM 0.11 vs 0.74, DKL 0.145 vs 0.197
    expect(on.asym).toBeLessThan(0.35 * off.asym);
    expect(off.asym).toBeGreaterThan(0.5);
    expect(on.dkl!).toBeLessThan(off.dkl! - 0.02);
  });

  it("without SAL and without amplitude noise, Hebbian learning leaves W - W^T unchanged (no clipping)", async () => {
    const s = await run("wasm", cfgOf("syn-noise", { epochs: 41, dur: 100, valStep: 20, valFactor: 2, initNoise: 0.3 }));
    const a = s.metrics.map((m) => m.asym);
    for (const x of a) expect(x).toBeCloseTo(a[0], 6);
  });

  it("plasticity noise: SAL ends with lower ASYM", async () => {
    const short = { epochs: 801, dur: 100, valStep: 200, valFactor: 10 };
    const on = last(await run("wasm", cfgOf("plast-noise-sal", short)));
    const off = last(await run("wasm", cfgOf("plast-noise", short)));
    expect(on.asym).toBeLessThan(0.8 * off.asym);
  });
});

describe("backends and checkpoints", () => {
  it("js and wasm give the same DKL curve for the same seed", async () => {
    const c = cfgOf("minimal", { epochs: 31, dur: 40, valStep: 10, valFactor: 5 });
    const a = await run("js", c),
      b = await run("wasm", c);
    expect(a.metrics.map((m) => m.dkl)).toEqual(b.metrics.map((m) => m.dkl));
    expect(a.W).toEqual(b.W);
  });

  it("a run resumed from a checkpoint ends exactly where the uninterrupted run ends", async () => {
    const c = cfgOf("minimal", { epochs: 10, dur: 40, valStep: 4, valFactor: 3, checkpointEvery: 3 });
    const k = await createBackend("wasm");
    const checkpoints: SsnState[] = [];
    const straight = runSsn(k, c, { onCheckpoint: (s) => checkpoints.push(structuredClone(s)) }).state;
    expect(checkpoints.map((s) => s.epoch)).toEqual([3, 6, 9]);
    const k2 = await createBackend("wasm"); // a fresh process would start from a fresh backend
    const resumed = runSsn(k2, c, {}, JSON.parse(JSON.stringify(checkpoints[1]))).state;
    expect(resumed.W).toEqual(straight.W);
    expect(resumed.b).toEqual(straight.b);
    expect(resumed.rng).toEqual(straight.rng);
    expect(resumed.metrics).toEqual(straight.metrics);
    expect(resumed.steps).toBe(straight.steps);
  });
});
