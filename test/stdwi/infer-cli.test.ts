// `spike-align infer` end to end through the built CLI: SAL, RDD and STDWI all
// infer a positively correlated B; the JSON line and the files.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "../../dist/src/cli/main.js");
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);

describe("spike-align infer", () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  });

  it("--method all: every method correlates positively with W; summary and files", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-infer-")), "run");
    const r = run(["infer", "--seconds", "20", "--out", dir, "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(Object.keys(s)).toEqual(["command", "methods", "seconds"]);
    expect(Object.keys(s.methods)).toEqual(["sal", "rdd", "stdwi"]);
    for (const m of ["sal", "rdd", "stdwi"]) {
      expect(Object.keys(s.methods[m])).toEqual(["angleDeg", "corrcoef"]);
      expect(s.methods[m].corrcoef).toBeGreaterThan(0.15);
      expect(s.methods[m].angleDeg).toBeLessThan(85);
    }
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(s);
    const files = readdirSync(dir);
    for (const f of [
      "config.json",
      "metrics.jsonl",
      "results.json",
      "W.npy",
      "B_init.npy",
      "B_sal.npy",
      "B_rdd.npy",
      "B_stdwi.npy",
      "scatter.svg",
      "angle.svg",
    ])
      expect(files).toContain(f);
    expect(readFileSync(join(dir, "B_sal.npy")).toString("latin1")).toContain("'shape': (50, 50)");
    const svg = readFileSync(join(dir, "scatter.svg"), "utf8");
    expect(svg.match(/<svg /g)).toHaveLength(4); // three panels in one figure
  });

  it("--method sal alone; bad --method exits 2", () => {
    const r = run(["infer", "--method", "sal", "--seconds", "3", "--n", "20", "--json", "--quiet"]);
    expect(r.code).toBe(0);
    expect(Object.keys(lastJson(r.stdout).methods)).toEqual(["sal"]);
    const bad = run(["infer", "--method", "bp", "--quiet"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--method/);
  });
});
