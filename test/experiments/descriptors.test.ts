// The descriptor list (src/experiments/index.ts): one entry per experiment, each with its own
// name, a default preset among its presets, and `files` naming exactly what `write` writes.
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackend } from "../../src/backend/index.js";
import { OutDir } from "../../src/io/out.js";
import { runConfig } from "../../src/experiments/session.js";
import { EXPERIMENT_LIST, EXPERIMENT_NAMES, EXPERIMENTS, experiment } from "../../src/experiments/index.js";
import { INPUT, SMALL } from "../helpers/small.js";

const k = await createBackend("wasm");

describe("the descriptor list", () => {
  it("has every experiment once, by its own name, with its default preset among its presets", () => {
    // the first eight in the order a sweep file's error lists them; more may follow
    expect(EXPERIMENT_NAMES.slice(0, 8)).toEqual(["ssn", "pair", "stdd", "microcircuit", "align", "infer", "ei", "train"]);
    expect(new Set(EXPERIMENT_NAMES).size).toBe(EXPERIMENT_NAMES.length);
    for (const e of EXPERIMENT_LIST) {
      expect(EXPERIMENTS[e.name]).toBe(e);
      expect(experiment(e.name)).toBe(e);
      expect(Object.keys(e.presets)).toContain(e.defaultPreset);
      expect(e.schema.safeParse({ ...(e.presets[e.defaultPreset] as object), preset: e.defaultPreset }).success).toBe(true);
    }
    expect(experiment("demo")).toBeUndefined();
    expect(experiment("toString")).toBeUndefined();
  });

  for (const name of EXPERIMENT_NAMES) {
    it(`${name}: files() names exactly what write() writes`, () => {
      const e = experiment(name)!;
      const cfg = runConfig(name, SMALL[name]);
      const r = e.run(k, cfg, {}, INPUT[name]);
      const summary = e.summary(cfg, r, k.name);
      const dir = mkdtempSync(join(tmpdir(), "descriptor-"));
      try {
        const written: string[] = [];
        e.write(new OutDir(dir, (f) => written.push(f)), cfg, r, summary);
        expect(written.length).toBeGreaterThan(1);
        expect(new Set(e.files(cfg, r))).toEqual(new Set(written));
        expect(e.files(cfg, r)).toHaveLength(written.length);
        expect(e.lines(cfg, r, summary, { backend: k.name, out: dir, seconds: 1 }).length).toBeGreaterThan(0);
        expect(Object.keys(e.finals(summary)).length).toBeGreaterThanOrEqual(name === "stdd" || name === "ei" ? 0 : 1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
