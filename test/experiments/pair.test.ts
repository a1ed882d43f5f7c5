import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { createBackend } from "../../src/backend/index.js";
import { PAIR_PRESETS, pairConfigSchema, runPair } from "../../src/experiments/pair/index.js";
import type { PairConfig } from "../../src/experiments/pair/index.js";
import { register } from "../../src/cli/commands/pair.js";

const cfg = (over: Partial<PairConfig> = {}): PairConfig => pairConfigSchema.parse({ preset: "quick", ...PAIR_PRESETS.quick, ...over });

describe("pair experiment (Fig. 2d)", () => {
  it("both weights plastic: 300 epochs pull 1.5 / 0.5 towards each other, their sum is conserved", async () => {
    const k = await createBackend("wasm");
    const r = runPair(k, cfg());
    const gap = (e: number) => r.W01[e] - r.W10[e];
    // the sign of the SAL window: the stronger synapse (W01, 1 -> 0) loses, the weaker one gains
    expect(r.W01[300]).toBeLessThan(1.3);
    expect(r.W10[300]).toBeGreaterThan(0.7);
    // the full run meets at ~1.0 after ~600 epochs; after 300 the gap has shrunk to ~0.2
    expect(gap(300)).toBeLessThan(0.45);
    expect(gap(300)).toBeGreaterThan(-0.1);
    expect(gap(150)).toBeLessThan(0.8);
    // SAL with a+ = -a-: every pair moves the two weights by opposite amounts
    expect(r.W01[300] + r.W10[300]).toBeCloseTo(2, 9);
  });

  it("--freeze 01: W01 stays, W10 climbs towards it", async () => {
    const k = await createBackend("wasm");
    const r = runPair(k, cfg({ freeze: "01" }));
    expect(r.W01[300]).toBe(1.5);
    expect(r.W10[300]).toBeGreaterThan(0.85);
    expect(r.W10[300]).toBeLessThan(1.5);
  });

  it("js and wasm give identical weights for the same seed, and agree statistically across seeds", async () => {
    const js = await createBackend("js"),
      wasm = await createBackend("wasm");
    const a = runPair(js, cfg({ epochs: 60 })),
      b = runPair(wasm, cfg({ epochs: 60 }));
    expect(Array.from(b.W01)).toEqual(Array.from(a.W01));
    expect(Array.from(b.W10)).toEqual(Array.from(a.W10));
    // different seeds on the two backends: the learning curves stay close (margin 0.15 at 200 epochs)
    const c = runPair(js, cfg({ epochs: 200, seed: 1 })),
      d = runPair(wasm, cfg({ epochs: 200, seed: 2 }));
    expect(Math.abs(c.W10[200] - d.W10[200])).toBeLessThan(0.15);
    expect(c.W10[200]).toBeGreaterThan(0.6);
  });
});

describe("pair command", () => {
  async function cli(args: string[]): Promise<{ out: string; code: number | undefined }> {
    const program = new Command().exitOverride();
    register(program);
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    const errSpy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const before = process.exitCode;
    process.exitCode = undefined;
    try {
      await program.parseAsync(["node", "spike-align", "pair", ...args]);
    } finally {
      spy.mockRestore();
      errSpy.mockRestore();
    }
    const code = process.exitCode as number | undefined;
    process.exitCode = before;
    return { out, code };
  }

  it("--json prints the summary as the last line and --out writes the files", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pair-")), "run");
    const { out, code } = await cli(["--preset", "quick", "--epochs", "40", "--freeze", "01", "--json", "--quiet", "--out", dir]);
    expect(code).toBeUndefined();
    const last = JSON.parse(out.trim().split("\n").pop()!);
    expect(last).toMatchObject({ command: "pair", preset: "quick", seed: 45, backend: "wasm", frozen: "01", steps: 40 * 1500 });
    expect(last.final.W01).toBe(1.5);
    expect(last.nsPerStep).toBeGreaterThan(0);
    for (const f of ["config.json", "metrics.jsonl", "results.json", "weights.csv", "weights.svg", "summary.json"])
      expect(existsSync(join(dir, f))).toBe(true);
    const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(40);
    expect(lines[39]).toEqual({ epoch: 40, W01: 1.5, W10: last.final.W10 });
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(last);
    expect(readFileSync(join(dir, "weights.csv"), "utf8").trim().split("\n")).toHaveLength(42);
    expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).epochs).toBe(40);
  });

  it("bad config values exit 2 without writing files", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pair-")), "run");
    const { code } = await cli(["--steps-per-epoch", "1500", "--seed", "3", "--config", "/nonexistent.yaml", "--out", dir, "--quiet"]);
    expect(code).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});
