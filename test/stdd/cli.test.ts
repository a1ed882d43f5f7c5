// The stdd command end to end through the built CLI (npm test builds first).
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "../../dist/src/cli/main.js");

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "stdd", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);

describe("spike-align stdd", () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  });

  it("fig2c --json: four pairs, the asymmetric ones shrink their difference, the symmetric ones do not move", () => {
    const r = run(["--preset", "fig2c", "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.command).toBe("stdd");
    expect(s.preset).toBe("fig2c");
    expect(s.method).toBe("exact");
    expect(s.results.map((x: { W01: number; W10: number }) => [x.W01, x.W10])).toEqual([
      [0.4, 0.8],
      [0.6, 0.6],
      [-0.4, -0.8],
      [-0.6, -0.6],
    ]);
    const [exc, excSym, inh, inhSym] = s.results.map((x: { expectedUpdate: { W01: number; W10: number } }) => x.expectedUpdate);
    expect(exc.W10).toBeLessThan(0);
    expect(exc.W01).toBeGreaterThan(0);
    expect(inh.W10).toBeGreaterThan(0);
    expect(inh.W01).toBeLessThan(0);
    expect(Math.abs(excSym.W10)).toBeLessThan(1e-12);
    expect(Math.abs(inhSym.W10)).toBeLessThan(1e-12);
  });

  it("--max-lag none keeps every lag: the STDD reaches beyond the preset's 101 lags", () => {
    const d = join(mkdtempSync(join(tmpdir(), "sa-stdd-")), "all");
    const r = run(["--preset", "fig2c", "--max-lag", "none", "--out", d, "--json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const dts = readFileSync(join(d, "stdd.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",")[3]));
    expect(Math.max(...dts)).toBeGreaterThan(101);
    expect(JSON.parse(readFileSync(join(d, "config.json"), "utf8")).maxLag).toBeNull();
  });

  it("fig2e --out writes config, results, CSV and SVG; the nullcline deviation is reported", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-stdd-")), "fig2e");
    const r = run(["--preset", "fig2e", "--out", dir, "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.results.length).toBe(17 * 17);
    expect(s.nullclineDeviation).toBeLessThan(1e-6);
    // the run manifest .spike-align-run.json sits beside the outputs (src/io/rundir.ts)
    expect(
      readdirSync(dir)
        .filter((f) => !f.startsWith("."))
        .sort(),
    ).toEqual(["config.json", "metrics.jsonl", "nullcline.csv", "phase.csv", "phase.svg", "results.json", "summary.json"]);
    const metrics = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(metrics).toHaveLength(17 * 17);
    expect(metrics[5]).toEqual({ W01: s.results[5].W01, W10: s.results[5].W10, expectedUpdate: s.results[5].expectedUpdate });
    expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).tRef).toBe(15);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(s);
    expect(readFileSync(join(dir, "phase.csv"), "utf8").split("\n")[0]).toBe("W01,W10,dW01,dW10");
    expect(readFileSync(join(dir, "phase.svg"), "utf8")).toContain("marker-end");
  });

  it("one pair from flags writes the STDD CSV and plot", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-stdd-")), "one");
    const r = run([
      "--w01",
      "0.5",
      "--w10",
      "1.5",
      "--t-ref",
      "10",
      "--tau-syn",
      "10",
      "--b0",
      "-0.5",
      "--b1",
      "-0.2",
      "--out",
      dir,
      "--json",
      "--quiet",
    ]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.results.length).toBe(1);
    expect(s.results[0].expectedUpdate.W10).toBeLessThan(0);
    expect(readdirSync(dir)).toContain("stdd-0.svg");
    const csv = readFileSync(join(dir, "stdd.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("pair,W01,W10,dt,p_exact,p_mc");
    const total = csv.slice(1).reduce((a, l) => a + Number(l.split(",")[4]), 0);
    expect(total).toBeCloseTo(1, 9);
  });

  it("--method both on the js backend: Monte-Carlo beside the exact STDD with TVD and noise floor", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-stdd-")), "both");
    const r = run([
      "--preset",
      "fig2c",
      "--t-ref",
      "10",
      "--tau-syn",
      "10",
      "--method",
      "both",
      "--steps",
      "200000",
      "--backend",
      "js",
      "--seed",
      "3",
      "--out",
      dir,
      "--json",
      "--quiet",
    ]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.backend).toBe("js");
    expect(s.steps).toBe(4 * (200000 + 1000));
    for (const x of s.results) {
      expect(x.tvd).toBeLessThan(1.5 * x.tvdNoise + 0.003);
      expect(Math.abs(x.expectedUpdateMc.W10 - x.expectedUpdate.W10)).toBeLessThan(4 * x.expectedUpdateSe.W10 + 1e-9);
    }
    expect(readFileSync(join(dir, "stdd-0.svg"), "utf8")).toContain("Monte-Carlo");
  });

  it.each([
    [["--t-ref", "0"], /--t-ref/],
    [["--w01", "0.5"], /--w10/],
    [["--max-lag", "-3"], /--max-lag/],
    [["--preset", "fig9"], /fig9/],
    [["--method", "magic"], /magic/],
    [["--b0", "NaN"], /--b0/],
    [["--t-ref", "5", "--tau-syn", "400"], /tauSyn/],
  ])("bad input %j -> one line, exit 2, no files", (args, pattern) => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-stdd-")), "bad");
    const r = run([...args, "--out", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n").length).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(dir)).toBe(false);
  });

  it("a config file with an unknown key or a bad value is a usage error naming the field", { tags: ["slow"] }, () => {
    const d = mkdtempSync(join(tmpdir(), "sa-stdd-"));
    writeFileSync(join(d, "a.yaml"), "tRef: 20\nbogus: 1\n");
    writeFileSync(join(d, "b.json"), JSON.stringify({ pairs: [{ W01: "x", W10: 1 }] }));
    const a = run(["--config", join(d, "a.yaml")]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/bogus/);
    const b = run(["--config", join(d, "b.json")]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/pairs\[0\]\.W01/);
  });
});
