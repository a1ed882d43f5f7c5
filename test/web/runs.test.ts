// createRun (src/experiments/session.ts): every experiment advances a chunk at a time and gives
// exactly the metrics lines and summary of its command's run, whatever the chunks (train with its
// data handed in, as a page would).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createBackend, createRun, runConfig, RUN_NAMES, stdd, UsageError, type RunName } from "../../src/browser.js";
import { EXPERIMENT_NAMES, EXPERIMENTS } from "../../src/experiments/index.js";
import { INPUT, SMALL } from "../helpers/small.js";

const k = await createBackend("wasm");

/** The experiments whose runs simulate time steps. */
const SIMULATES: string[] = ["ssn", "pair", "ei", "microcircuit", "align", "infer"];

/** Wall-clock fields differ between two runs of the same config. */
function untimed(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (key, v) =>
      ["nsPerStep", "seconds", "simSeconds", "trainSeconds", "secondsPerEpoch"].includes(key) ? undefined : v,
    ),
  );
}

describe("createRun", () => {
  const STDD_PRESETS = stdd.STDD_PRESETS;

  it("covers every experiment of the list", () => {
    expect(RUN_NAMES).toEqual(EXPERIMENT_NAMES);
    expect(RUN_NAMES).toEqual(expect.arrayContaining(["align", "ei", "infer", "microcircuit", "pair", "ssn", "stdd", "train"]));
  });

  const cases: [RunName, string, Record<string, unknown>][] = [
    ...RUN_NAMES.map((n): [RunName, string, Record<string, unknown>] => [n, n, SMALL[n]]),
    [
      "stdd",
      "stdd (bias sweep)",
      {
        preset: "psp-shapes",
        grid: { min: -1, max: 1, step: 1 },
        sweep: { ...(STDD_PRESETS["psp-shapes"].sweep as object), biases: [-0.5, 0, 0.5], upscale: 0 },
      },
    ],
  ];
  for (const [name, title, small] of cases) {
    it(`${title}: chunks of 1 and 7 give the command's metrics lines and summary`, () => {
      const cfg = runConfig(name, small);
      const exp = EXPERIMENTS[name];
      const lines: unknown[] = [];
      const whole = exp.run(k, cfg as never, { onMetrics: (m: unknown) => lines.push(m) }, INPUT[name] as never);
      const expected = untimed(exp.summary(cfg as never, whole as never, k.name));
      for (const chunk of [1, 7]) {
        const run = createRun(k, name, small, { input: INPUT[name] as never });
        const rows: unknown[] = [];
        let calls = 0,
          last = -1;
        while (!run.done) {
          rows.push(...run.advance(chunk));
          calls++;
          expect(run.position).toBeGreaterThan(last);
          last = run.position;
        }
        expect(run.advance(chunk)).toEqual([]);
        expect(calls).toBeGreaterThan(name === "train" && chunk === 7 ? 0 : 1);
        expect(untimed(rows)).toEqual(untimed(lines));
        expect(untimed(run.summary())).toEqual(expected);
        // simulated steps (the exact stdd chain and train simulate none)
        expect(run.steps).toBeGreaterThan(SIMULATES.includes(name) ? 0 : -1);
        expect(run.position).toBe(run.total);
        run.dispose();
        expect(() => run.advance(1)).toThrow(/after dispose/);
      }
    });
  }

  it("a summary mid-run describes the epochs so far", () => {
    const run = createRun(k, "pair", SMALL.pair);
    const rows = run.advance(10);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const s = run.summary() as { final: { W01: number; W10: number }; epochs: number };
    expect(s.epochs).toBe(10);
    expect(s.final).toEqual({ W01: rows[9].W01, W10: rows[9].W10 });
    run.dispose();
  });

  it("bad configs are one UsageError naming the field", () => {
    expect(() => runConfig("ssn", { preset: "nope" })).toThrow(UsageError);
    expect(() => runConfig("ssn", { preset: "nope" })).toThrow(/ssn preset: got "nope"; one of minimal/);
    expect(() => runConfig("ssn", { dim: 0 })).toThrow(/ssn config dim: got 0/);
    expect(() => runConfig("pair", { stdp: { tau: -1 } })).toThrow(/pair config stdp\.tau: got -1/);
    expect(() => runConfig("ssn", { bogus: 1 })).toThrow(UsageError);
    expect(() => createRun(k, "nope" as RunName)).toThrow(/experiment: got "nope"/);
    expect(() => createRun(k, "pair", SMALL.pair).advance(0)).toThrow(/chunk: got 0/);
    // a run that reads files, without them and without loaders
    expect(() => createRun(k, "train", SMALL.train)).toThrow(/train run: give the data it reads as \{ input \}/);
  });
});

describe("docs/library.md: the browser API example", () => {
  it("is examples/browser.ts verbatim, and runs", { tags: ["slow"] }, () => {
    const page = readFileSync(new URL("../../docs/library.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../../examples/browser.ts", import.meta.url), "utf8");
    expect(page).toContain(example.trim());
    const out = execFileSync(process.execPath, [fileURLToPath(new URL("../../dist/examples/browser.js", import.meta.url))], {
      encoding: "utf8",
    });
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^epoch 0: DKL 0\.\d+, ASYM 0\.\d+$/);
    expect(lines).toHaveLength(17); // epochs 0, 20, ..., 300 (valStep 20), then the summary line
    const m = lines[16].match(/^94250000 steps on wasm: DKL ([\d.]+) -> ([\d.]+)$/);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1]) - 0.1);
  });
});
