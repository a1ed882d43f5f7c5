import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { loadConfigFile, parseConfig } from "../../src/config/load.js";
import { deepMerge, expandDotted, resolveConfig } from "../../src/cli/config.js";
import { UsageError } from "../../src/errors.js";

const schema = z.strictObject({
  preset: z.string(),
  dim: z.number().int().min(1),
  lr: z.strictObject({ weight: z.number().finite() }),
});
const presets = { small: { dim: 3, lr: { weight: 0.1 } }, big: { dim: 30, lr: { weight: 0.01 } } };

describe("config resolution", () => {
  it("preset <- file <- flags, deep merged", () => {
    const dir = mkdtempSync(join(tmpdir(), "sa-"));
    const path = join(dir, "c.yaml");
    writeFileSync(path, "preset: big\nlr:\n  weight: 0.5\n");
    const c = resolveConfig({ schema, presets, defaultPreset: "small", configPath: path, overrides: { dim: 4, "lr.weight": undefined } });
    expect(c).toEqual({ preset: "big", dim: 4, lr: { weight: 0.5 } });
  });

  it("names the field, the value and what is allowed", () => {
    expect(() => parseConfig(schema, { preset: "x", dim: 0, lr: { weight: 1 } })).toThrow(/config dim: got 0; .*>=\s*1/);
    expect(() => parseConfig(schema, { preset: "x", dim: 2, lr: { weight: Number.NaN } })).toThrow(/lr\.weight: got NaN/);
    expect(() => parseConfig(schema, { preset: "x", dim: 2, lr: { weight: 1, wieght: 2 } })).toThrow(/unknown key 'wieght' in lr/);
    expect(() => resolveConfig({ schema, presets, defaultPreset: "nope" })).toThrow(UsageError);
    expect(() => resolveConfig({ schema, presets, defaultPreset: "small", preset: "huge" })).toThrow(
      /--preset: got "huge"; one of small, big/,
    );
  });

  it("unreadable and malformed files are usage errors", () => {
    expect(() => loadConfigFile("/nonexistent/x.yaml")).toThrow(
      /--config: got "\/nonexistent\/x.yaml"; cannot read the file \(ENOENT: no such file or directory\)/,
    );
    const dir = mkdtempSync(join(tmpdir(), "sa-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "a: [1, 2\n");
    expect(() => loadConfigFile(bad)).toThrow(/not valid YAML: /);
  });

  it("deepMerge replaces arrays and keeps untouched keys; expandDotted nests", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
    expect(expandDotted({ "a.b.c": 1, d: undefined, e: 2 })).toEqual({ a: { b: { c: 1 } }, e: 2 });
  });
});
