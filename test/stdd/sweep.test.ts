// The bias sweep (preset psp-shapes): what the paper's figure on
// non-rectangular PSPs shows, on a reduced bias grid (fixed, exact: no seeds),
// the relative-deviation measure and the spline upscaling, and the command.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STDD_PRESETS, stddConfigSchema, type StddConfig } from "../../src/experiments/stdd/config.js";
import { notAKnotSpline, relativeNullclineDeviation, upscaleField } from "../../src/analysis/stdd/phase.js";
import { checkConfig, runStdd } from "../../src/experiments/stdd/run.js";
import { finishSweep, runSweepUnit, sweepUnits } from "../../src/experiments/stdd/sweep.js";
import { UsageError } from "../../src/errors.js";

const CLI = join(import.meta.dirname, "../../dist/src/cli/main.js");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, "stdd", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);

/** psp-shapes on biases -1, -0.5, 0, 0.5, 1 (the paper's grid has 9). */
function reduced(over: Partial<StddConfig> = {}): StddConfig {
  const p = structuredClone(STDD_PRESETS["psp-shapes"]);
  return stddConfigSchema.parse({ ...p, preset: "psp-shapes", sweep: { ...p.sweep!, biases: [-1, -0.5, 0, 0.5, 1] }, ...over });
}

describe("psp-shapes: the SAL nullcline and the biases", () => {
  let dev: Record<string, number[][]>;
  beforeAll(() => {
    dev = runStdd(null, reduced()).sweep!.deviation;
  });

  it("at equal biases every shape's nullcline is the diagonal (deviation 0 by symmetry)", () => {
    for (const name of ["rect", "alpha-short", "alpha-long"]) for (let i = 0; i < 5; i++) expect(dev[name][i][i]).toBeLessThan(1e-12);
  });

  it("alpha PSPs: the deviation grows with the bias difference, more for the long alpha PSP than for the short one", () => {
    for (const name of ["alpha-short", "alpha-long"]) {
      const d = dev[name];
      for (let i = 0; i < 5; i++) {
        // away from the diagonal along a row and along a column
        for (let j = i + 1; j + 1 < 5; j++) expect(d[i][j + 1]).toBeGreaterThan(d[i][j]);
        for (let j = i - 1; j > 0; j--) expect(d[i][j - 1]).toBeGreaterThan(d[i][j]);
      }
    }
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) if (i !== j) expect(dev["alpha-long"][i][j]).toBeGreaterThan(2 * dev["alpha-short"][i][j]);
    // the paper's corners (the authors' calculator gives 0.050 / 0.053 and 0.465 / 0.465)
    expect(dev["alpha-short"][0][4]).toBeGreaterThan(0.04);
    expect(dev["alpha-short"][0][4]).toBeLessThan(0.06);
    expect(dev["alpha-long"][0][4]).toBeGreaterThan(0.4);
    expect(dev["alpha-long"][0][4]).toBeLessThan(0.52);
  });

  it("the rectangle lasting the refractory period keeps the nullcline on the diagonal for every bias pair (up to the spline)", () => {
    for (const row of dev.rect) for (const v of row) expect(v).toBeLessThan(2e-4);
  });

  it("with the simulator's one step longer refractory period, the rectangle's nullcline leaves the diagonal too", () => {
    const cfg = reduced({ minIsi: 11 });
    const r = finishSweep(cfg, [runSweepUnit(cfg, { shape: 0, i: 0, j: 4 }), runSweepUnit(cfg, { shape: 0, i: 2, j: 2 })], 0).sweep!
      .deviation.rect;
    expect(r[0][4]).toBeGreaterThan(0.02);
    expect(r[2][2]).toBeLessThan(1e-12);
  });

  it("units computed in any order give the same result as the sequential run", () => {
    const cfg = reduced();
    const units = sweepUnits(cfg).filter((u) => u.shape === 2);
    const shuffled = [...units].reverse().map((u) => runSweepUnit(cfg, u));
    const seq = runStdd(null, reduced()).sweep!;
    expect(finishSweep(cfg, shuffled, 0).sweep!.deviation["alpha-long"]).toEqual(seq.deviation["alpha-long"]);
  });
});

describe("sweep tools", () => {
  it("relative deviation: d = |x - y| / |x + y| averaged over x (the authors' measure)", () => {
    expect(
      relativeNullclineDeviation([
        [-1, -1],
        [1, 1],
      ]),
    ).toBe(0);
    // y = 2x: |x - 2x| / |3x| = 1/3 everywhere
    expect(
      relativeNullclineDeviation([
        [0.5, 1],
        [1, 2],
        [1.5, 3],
      ]),
    ).toBeCloseTo(1 / 3, 14);
  });

  it("the not-a-knot spline reproduces cubics exactly and upscaling keeps a bilinear field", () => {
    const x = [0, 0.5, 1.5, 2, 3.5];
    const s = notAKnotSpline(
      x,
      x.map((v) => v ** 3 - 2 * v + 1),
    );
    for (const q of [0.1, 1.2, 2.7, 3.4]) expect(s(q)).toBeCloseTo(q ** 3 - 2 * q + 1, 10);
    const w = [-1, -0.5, 0, 0.5, 1];
    const f = new Float64Array(25);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) f[i * 5 + j] = w[i] - 2 * w[j] + w[i] * w[j];
    const up = upscaleField(w, f, 9);
    for (let i = 0; i < 9; i++)
      for (let j = 0; j < 9; j++) expect(up.f[i * 9 + j]).toBeCloseTo(up.w[i] - 2 * up.w[j] + up.w[i] * up.w[j], 12);
  });

  it("checks: exact method only, distinct shape names, rect needs an integer tauSyn, the chain's size", () => {
    expect(() => checkConfig({ ...reduced(), method: "mc" })).toThrow(/exact method/);
    const two = reduced();
    two.sweep!.shapes[1].name = "rect";
    expect(() => checkConfig(two)).toThrow(/distinct/);
    const cfg = stddConfigSchema.parse({ ...structuredClone(STDD_PRESETS.fig2c), preset: "fig2c", tauSyn: 2.5 });
    expect(() => checkConfig(cfg)).toThrow(UsageError);
    expect(() => checkConfig({ ...cfg, psp: "alpha", pspLength: 400 })).toThrow(/pspLength/);
    expect(() => checkConfig({ ...cfg, psp: "rect", tauSyn: 50, pspTail: "hold" })).toThrow(/pspTail/);
  });
});

describe("spike-align stdd --preset psp-shapes", () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  });

  it(
    "--json is { command, preset, deviation: { rect, alpha-short, alpha-long }, biases }; files; threads give the same numbers",
    { tags: ["slow"] },
    () => {
      const dir = join(mkdtempSync(join(tmpdir(), "sa-psp-")), "out");
      const a = run(["--preset", "psp-shapes", "--biases", "-1,0,1", "--out", dir, "--json", "--quiet", "--threads", "2"]);
      expect(a.code).toBe(0);
      const s = lastJson(a.stdout);
      expect(Object.keys(s)).toEqual(["command", "preset", "deviation", "biases"]);
      expect(s.command).toBe("stdd");
      expect(s.preset).toBe("psp-shapes");
      expect(s.biases).toEqual([-1, 0, 1]);
      expect(Object.keys(s.deviation)).toEqual(["rect", "alpha-short", "alpha-long"]);
      expect(s.deviation["alpha-long"][0][2]).toBeGreaterThan(s.deviation["alpha-short"][0][2]);
      // the run manifest .spike-align-run.json sits beside the outputs (src/io/rundir.ts)
      expect(
        readdirSync(dir)
          .filter((f) => !f.startsWith("."))
          .sort(),
      ).toEqual([
        "config.json",
        "deviation-alpha-long.svg",
        "deviation-alpha-short.svg",
        "deviation-rect.svg",
        "deviation.csv",
        "examples-alpha-long.svg",
        "examples-alpha-short.svg",
        "examples-rect.svg",
        "examples.csv",
        "metrics.jsonl",
        "nullclines-alpha-long.svg",
        "nullclines-alpha-short.svg",
        "nullclines-rect.svg",
        "results.json",
        "summary.json",
      ]);
      expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(s);
      const csv = readFileSync(join(dir, "deviation.csv"), "utf8").trim().split("\n");
      expect(csv[0]).toBe("shape,b0,b1,deviation");
      expect(csv.length).toBe(1 + 3 * 9);
      expect(readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(27);
      const ex = readFileSync(join(dir, "examples.csv"), "utf8").trim().split("\n");
      expect(ex.length).toBe(1 + 3 * 3 * 119); // three shapes, three bias pairs, dt = -59 .. 59
      const one = run(["--preset", "psp-shapes", "--biases", "-1,0,1", "--json", "--quiet", "--threads", "1"]);
      expect(lastJson(one.stdout)).toEqual(s);
    },
  );

  it.each([
    [["--psp", "gauss"], /gauss/],
    [["--psp", "alpha", "--tau-syn", "0"], /--tau-syn/],
    [["--psp", "alpha", "--tau-syn", "-2"], /--tau-syn/],
    [["--tau-syn", "2.5"], /tauSyn/],
    [["--psp", "alpha", "--tau-syn", "5", "--psp-length", "900"], /pspLength/],
    [["--biases", "0,1"], /--biases/],
    [["--preset", "psp-shapes", "--biases", "0,x"], /--biases/],
    [["--preset", "psp-shapes", "--method", "both"], /exact method/],
    [["--preset", "psp-shapes", "--biases", Array.from({ length: 30 }, (_, i) => (i / 15 - 1).toFixed(3)).join(",")], /--yes/],
  ])("bad input %j -> one line, exit 2, no files", (args, pattern) => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-psp-")), "bad");
    const r = run([...args, "--out", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n").length).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });

  it("a shaped PSP from flags: exact and Monte-Carlo side by side", () => {
    const r = run([
      "--psp",
      "alpha",
      "--tau-syn",
      "5",
      "--t-ref",
      "10",
      "--w01",
      "1",
      "--w10",
      "0.5",
      "--b0",
      "-0.5",
      "--b1",
      "0.5",
      "--method",
      "both",
      "--steps",
      "300000",
      "--json",
      "--quiet",
    ]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.results[0].tvd).toBeLessThan(1.5 * s.results[0].tvdNoise + 0.003);
    expect(s.results[0].expectedUpdate.W01).toBeLessThan(0); // the stronger synapse (W01 = 1) is depressed
  });

  it("a config file can set the sweep; an unknown key in it is named", () => {
    const d = mkdtempSync(join(tmpdir(), "sa-psp-"));
    writeFileSync(
      join(d, "s.yaml"),
      "preset: psp-shapes\nsweep:\n  biases: [0]\n  shapes: [{ name: a, psp: alpha, tauSynFactor: 0.5, width: 1 }]\n  upscale: 0\n" +
        "  examples: { tRef: 10, maxLag: 19, W01: 1, W10: 1, biases: [] }\n",
    );
    const r = run(["--config", join(d, "s.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/width/);
  });
});
