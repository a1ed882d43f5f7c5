// `spike-align align` end to end through the built CLI (npm test builds first).
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

describe("spike-align align", () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  });

  it("--json prints exactly the summary; B turns toward W^T in every layer; --out writes metrics per epoch and plots", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-align-")), "run");
    const r = run([
      "align",
      "--layers",
      "120,40,10",
      "--epochs",
      "6",
      "--steps-per-epoch",
      "5000",
      "--batch",
      "2",
      "--seed",
      "3",
      "--sal-lr",
      "0.05",
      "--out",
      dir,
      "--json",
      "--quiet",
    ]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(Object.keys(s)).toEqual(["command", "layers", "epochs", "batch", "final", "initial", "nsPerStep", "backend"]);
    expect(s).toMatchObject({ command: "align", layers: [120, 40, 10], epochs: 6, batch: 2, backend: "wasm" });
    expect(Object.keys(s.final)).toEqual(["angleDeg", "corrcoef"]);
    expect(s.nsPerStep).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(s);
    const rows = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((m) => m.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (let l = 0; l < 2; l++) {
      for (let e = 1; e < rows.length; e++) expect(rows[e].angleDeg[l]).toBeLessThan(rows[e - 1].angleDeg[l]);
      expect(rows[6].corrcoef[l]).toBeGreaterThan(rows[0].corrcoef[l] + 0.15);
      expect(rows[6].diffVar[l]).toBeLessThan(rows[0].diffVar[l]);
      expect(rows[6].diffVar[l]).toBeGreaterThan(0);
    }
    expect(rows[3].rates).toHaveLength(3);
    const files = readdirSync(dir);
    for (const f of ["config.json", "metrics.jsonl", "summary.json", "angle.svg", "corrcoef.svg"]) expect(files).toContain(f);
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
  });

  it("bad input: one line naming the option, exit 2", () => {
    for (const [args, msg] of [
      [["--layers", "100"], /--layers must list 2 to 8 population sizes/],
      [["--epochs", "0"], /--epochs <n>' argument '0' is invalid\. It must be an integer in \[1, 1e8\]/],
      [["--batch", "x"], /--batch <n>' argument 'x' is invalid\. It must be an integer/],
      [["--preset", "nope"], /--preset/],
    ] as [string[], RegExp][]) {
      const r = run(["align", ...args, "--epochs", args[0] === "--epochs" ? "0" : "1", "--steps-per-epoch", "10", "--quiet"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
