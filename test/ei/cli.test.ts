// The ei command end to end through the built CLI (npm test builds first).
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "../../dist/src/cli/main.js");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, "ei", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);

describe("spike-align ei", () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  });

  it("--json is { command, preset, grid { w, dW12, dW21 }, effective, nullclineDeviation }; files; threads give the same numbers", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-ei-")), "out");
    const args = ["--grid", "0,2,0.5", "--steps", "100000", "--json", "--quiet"];
    const a = run([...args, "--out", dir, "--threads", "2"]);
    expect(a.code).toBe(0);
    const s = lastJson(a.stdout);
    expect(Object.keys(s)).toEqual(["command", "preset", "grid", "effective", "nullclineDeviation"]);
    expect(s.command).toBe("ei");
    expect(s.preset).toBe("paper");
    expect(s.grid.w).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(s.grid.dW21).toHaveLength(5);
    expect(s.grid.dW21[0]).toHaveLength(5);
    // above the diagonal (W21 = 2, W12 = 0) W21 is depressed, below it potentiated
    expect(s.grid.dW21[0][4]).toBeLessThan(0);
    expect(s.grid.dW21[4][0]).toBeGreaterThan(0);
    expect(s.effective.offset.W21).toBeCloseTo(-0.8973, 4);
    expect(s.effective.W21[0]).toBeCloseTo(-0.8973, 4);
    expect(typeof s.nullclineDeviation).toBe("number");
    expect(
      readdirSync(dir)
        .filter((f) => !f.startsWith("."))
        .sort(),
    ).toEqual([
      "config.json",
      "metrics.jsonl",
      "nullcline.csv",
      "phase.csv",
      "phase.svg",
      "rates.csv",
      "rates.svg",
      "results.json",
      "summary.json",
    ]);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(s);
    expect(readFileSync(join(dir, "phase.csv"), "utf8").split("\n")[0]).toBe("W12,W21,W12_eff,W21_eff,dW12,dW21,rate_e1,rate_e2");
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n").length).toBe(25 + 2 * 9 + 1);
    expect(readFileSync(join(dir, "phase.svg"), "utf8")).toContain("W12_eff = W21_eff");
    const one = run([...args, "--threads", "1"]);
    expect(lastJson(one.stdout)).toEqual(s);
  });

  it("one simulation: --grid none with --w12 / --w21", () => {
    const r = run(["--preset", "symmetric", "--grid", "none", "--w12", "0.5", "--w21", "1.5", "--steps", "200000", "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.grid).toBeNull();
    expect(s.point.W12).toBe(0.5);
    expect(s.point.dW21).toBeLessThan(0);
    expect(s.point.rates.e2).toBeGreaterThan(s.point.rates.e1);
  });

  it.each([
    [["--grid", "0,2"], /--grid/],
    [["--grid", "0,2,-1"], /--grid/],
    [["--grid", "2,0,0.5"], /grid\.max/],
    [["--w12", "1"], /--grid none/],
    [["--w-ei", "NaN"], /--w-ei/],
    [["--b-e", "1e9"], /--b-e/],
    [["--preset", "dale"], /dale/],
    [["--steps", "100000000"], /--yes/],
  ])("bad input %j -> one line, exit 2, no files", (args, pattern) => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-ei-")), "bad");
    const r = run([...args, "--out", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n").length).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });
});
