import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalJson, expandSweep, gridProduct, loadSweepFile, runId } from "../../src/cli/sweep/definition.js";
import { SWEEP_PRESETS } from "../../src/cli/sweep/presets.js";
import { gridRun } from "../../src/experiments/ssn/config.js";

describe("sweep definitions", () => {
  it("a grid is the product of its lists, the first path varying slowest", () => {
    expect(gridProduct({ a: [1, 2], b: ["x", "y", "z"] })).toEqual([
      { a: 1, b: "x" },
      { a: 1, b: "y" },
      { a: 1, b: "z" },
      { a: 2, b: "x" },
      { a: 2, b: "y" },
      { a: 2, b: "z" },
    ]);
    const s = expandSweep({ command: "ssn", grid: { initNoise: [0, 0.4], sal: [true, false], "seeds.init": [1, 2, 3] } }, ".", "t");
    expect(s.runs).toHaveLength(12);
    expect(s.paths).toEqual(["initNoise", "sal", "seeds.init"]);
    expect(s.runs[7].values).toEqual({ initNoise: 0.4, sal: true, "seeds.init": 2 });
    expect(s.runs[7].config).toMatchObject({ preset: "minimal", initNoise: 0.4, sal: true, seeds: { init: 2, distr: 4242, sim: 4444 } });
  });

  it("ids depend only on the command and the resolved config: key order and the way a value is given do not matter", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    const a = expandSweep({ command: "pair", runs: [{ epochs: 10, lr: 0.05 }] }, ".", "a").runs[0];
    const b = expandSweep({ command: "pair", preset: "fig2d", config: { lr: 0.05 }, runs: [{ epochs: 10 }] }, ".", "b").runs[0];
    expect(a.id).toMatch(/^[0-9a-f]{12}$/);
    expect(b.id).toBe(a.id);
    expect(runId("pair", { ...a.config, epochs: 11 })).not.toBe(a.id);
    expect(runId("ssn", a.config)).not.toBe(a.id);
  });

  it("bad definitions are usage errors naming the path, the run or the rule", () => {
    const bad: [unknown, RegExp][] = [
      [{ command: "ssn", grid: { initNoize: [0.2] } }, /unknown config path 'initNoize' for ssn; allowed: scenario, dim, seeds, /],
      [{ command: "ssn", grid: { "seeds.initt": [1] } }, /unknown config path 'seeds\.initt' for ssn; allowed in seeds: distr, init, sim/],
      [{ command: "ssn", grid: { sal: [] } }, /grid\.sal: got \[\]; a grid path needs at least one value/],
      [{ command: "ssn", grid: { sal: [true] }, runs: [{ sal: true }] }, /either `grid` or `runs`/],
      [{ command: "ssn" }, /either `grid` or `runs`/],
      [{ command: "gpu", grid: { a: [1] } }, /command: got "gpu"/],
      [{ command: "ssn", grid: { dim: [7, -1] } }, /run 1 \(\{"dim":-1\}\) dim: got -1/],
      [{ command: "ssn", grid: { dim: [7, 7] } }, /runs 0 and 1 have the same resolved config/],
      [{ command: "ssn", preset: "nope", grid: { dim: [7] } }, /preset: got "nope"; one of minimal, syn-noise/],
    ];
    for (const [def, re] of bad) expect(() => expandSweep(def, ".", "t"), JSON.stringify(def)).toThrow(re);
  });

  it("a sweep file may name a config file relative to itself, in the authors' layout too", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-"));
    writeFileSync(join(dir, "base.yaml"), "max_w: 3\nnum_epochs: 5\n");
    writeFileSync(join(dir, "s.yaml"), "command: ssn\nconfig: base.yaml\ngrid:\n  sal: [true, false]\n");
    const s = loadSweepFile(join(dir, "s.yaml"));
    expect(s.name).toBe("s");
    expect(s.runs.map((r) => [r.config.maxW, r.config.epochs, r.config.sal])).toEqual([
      [3, 5, true],
      [3, 5, false],
    ]);
  });

  it("the paper's SSN sweeps are the 120 runs of --run i, each with SAL on and off", () => {
    const s = expandSweep(SWEEP_PRESETS["ssn-syn-noise"].def(), ".", "x");
    expect(s.runs).toHaveLength(240);
    const g = gridRun("syn-noise", 85);
    expect(s.runs[2 * 85].config).toMatchObject({
      preset: "syn-noise",
      initNoise: g.noise,
      seeds: g.seeds,
      sal: true,
      salRate: 0.01,
      epochs: 20001,
    });
    expect(s.runs[2 * 85 + 1].config).toMatchObject({ sal: false, seeds: g.seeds });
    const p = expandSweep(SWEEP_PRESETS["ssn-plast-noise"].def(), ".", "x");
    expect(p.runs[0].config).toMatchObject({ stdpNoise: { ws: 0, sal: 0 }, initNoise: 0.2, epochs: 150001 });
    expect(p.runs[239].config).toMatchObject({ stdpNoise: { ws: 0.05, sal: 0.05 }, sal: false });
    const m = expandSweep(SWEEP_PRESETS["microcircuit-fig6"].def(), ".", "x");
    expect(m.runs).toHaveLength(60);
    expect(m.runs[20].config).toMatchObject({ feedback: "fa", seed: 354536, teacherSeed: 423433, seeds: 1 });
    expect(expandSweep(SWEEP_PRESETS["ssn-smoke"].def(), ".", "x").runs).toHaveLength(8);
    const d = expandSweep(SWEEP_PRESETS["deepnet-fig8"].def(), ".", "x");
    expect(d.runs.map((r) => r.config.method)).toEqual(["bp", "fa", "bp_w_fa", "kp", "scfa", "sal", "rdd"]);
    expect(d.runs[5].config).toMatchObject({ arch: "conv", dataset: "fmnist", epochs: 100 });
  });
});
