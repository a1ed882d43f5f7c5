// SSN config resolution without the built CLI: the paper's run grid, the authors' YAML mapping
// (full and partial files), and which noise the authors' amplitude draws use.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromAuthorLayout, gridRun, isAuthorLayout } from "../../src/experiments/ssn/config.js";
import { resolveSsnConfig } from "../../src/cli/commands/ssn.js";
import { UsageError } from "../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "sa-ssn-cfg-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("ssn config", () => {
  it("grid run i follows the authors' product(noise, distr seeds, init seeds) order", () => {
    expect(gridRun("syn-noise", 0)).toEqual({ noise: 0, seeds: { distr: 4321, init: 9002, sim: 7654 } });
    expect(gridRun("syn-noise", 5)).toEqual({ noise: 0, seeds: { distr: 4322, init: 9003, sim: 7659 } });
    // 4235 (sic) is the fifth target seed in the authors' lists
    expect(gridRun("plast-noise", 119)).toEqual({ noise: 0.05, seeds: { distr: 4235, init: 9005, sim: 7773 } });
    expect(gridRun("syn-noise", 85).noise).toBe(0.8);
    expect(() => gridRun("syn-noise", 120)).toThrow(UsageError);
  });

  it("a partial authors' file (only max_w) is recognised and mapped, not rejected as unknown", () => {
    expect(isAuthorLayout({ max_w: 3 })).toBe(true);
    expect(isAuthorLayout({ dim: 5, lr: { weight: 0.1 } })).toBe(false);
    const cfg = resolveSsnConfig({ config: file("partial.yaml", "max_w: 3\nmax_b: 1.5\n") });
    expect(cfg.maxW).toBe(3);
    expect(cfg.maxB).toBe(1.5);
    expect(() => resolveSsnConfig({ config: file("zero.yaml", "max_w: 0\n") })).toThrow(/maxW/);
  });

  it("the authors' ws noise sets the SAL amplitude noise too (train_bm.py reads only stdp.ws.noise)", () => {
    const m = fromAuthorLayout({ stdp: { ws: { noise: 0.03 }, sal: { noise: 0.5 } } });
    expect(m.stdpNoise).toEqual({ ws: 0.03, sal: 0.03 });
  });

  it("the authors' syn-noise file with --preset syn-noise --run keeps the grid's seeds and noise", () => {
    const p = file(
      "syn.yaml",
      "dim: 7\nseed: {distr: 1, init: 2, sim: 3}\nnum_epochs: 20001\nval_step: 500\nval_factor: 1000\n" +
        "lr: {bias: 0.01, weight: 0.01, symm: 0.0}\ninit_noise: 0.0\n",
    );
    const cfg = resolveSsnConfig({ config: p, preset: "syn-noise", run: 85 });
    expect(cfg.seeds).toEqual({ distr: 4322, init: 9003, sim: 7654 + 85 });
    expect(cfg.initNoise).toBe(0.8);
    expect(cfg.sal).toBe(false);
    expect(cfg.lr).toEqual({ weight: 0.01, bias: 0.01 });
  });

  it("unknown authors' keys name the key", () => {
    expect(() => resolveSsnConfig({ config: file("unk.yaml", "num_epochs: 3\nbogus: 1\n") })).toThrow(/'bogus'/);
    expect(() => resolveSsnConfig({ config: file("unk2.yaml", "stdp: {ws: {noize: 1}}\n") })).toThrow(/stdp\.ws\.noize/);
  });
});
