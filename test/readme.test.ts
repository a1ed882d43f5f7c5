import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("quick start is two commands: install + run, and npm test", () => {
    const block = readme.split("## Quick start")[1].split("```sh")[1].split("```")[0].trim().split("\n");
    expect(block).toHaveLength(2);
    expect(block[0]).toMatch(/^npm install && npx spike-align \w+/);
    expect(block[1]).toBe("npm test");
  });

  it("the library example is examples/library.ts verbatim and runs", () => {
    const example = readFileSync(new URL("../examples/library.ts", import.meta.url), "utf8");
    expect(readme).toContain(example.trim());
    const out = execFileSync(process.execPath, [new URL("../dist/examples/library.js", import.meta.url).pathname], { encoding: "utf8" });
    const m = out.match(/W01 1\.5 -> ([\d.]+), W10 0\.5 -> ([\d.]+)/);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]) - Number(m![2]))).toBeLessThan(0.3);
    expect(out).toMatch(/expected SAL update \{ W01: 0\.02\d+, W10: -0\.02\d+ \}/);
  });
});
