import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeNpy } from "../../src/io/npy.js";
import { OutDir, toCsv, toJsonSafe } from "../../src/io/out.js";
import { barPlot, linePlot, niceTicks } from "../../src/report/svg.js";

describe("output writers", () => {
  it("npy header is numpy's v1.0 layout, 64-byte aligned, data follows", () => {
    const bytes = encodeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(Array.from(bytes.slice(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const hlen = bytes[8] + 256 * bytes[9];
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.slice(10, 10 + hlen));
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \}\s*\n$/);
    const data = new Float64Array(bytes.slice(10 + hlen).buffer);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => encodeNpy(new Float32Array(3), [2, 2])).toThrow(/holds 4 values/);
  });

  it("JSON: non-finite numbers become null, typed arrays plain arrays", () => {
    expect(toJsonSafe({ a: NaN, b: [1, Infinity], c: new Float32Array([0.5]) })).toEqual({ a: null, b: [1, null], c: [0.5] });
  });

  it("CSV quotes what needs quoting and leaves non-finite cells empty", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          [1, 'x,"y"'],
          [NaN, "z"],
        ],
      ),
    ).toBe('a,b\n1,"x,""y"""\n,z\n');
  });

  it("OutDir writes files atomically and leaves no temp files", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "sa-")), "run");
    const out = new OutDir(dir);
    out.writeJson("s.json", { x: 1 });
    out.appendJsonl("m.jsonl", { e: 0 });
    out.appendJsonl("m.jsonl", { e: 1 });
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toEqual({ x: 1 });
    expect(
      readFileSync(join(dir, "m.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).e),
    ).toEqual([0, 1]);
    expect(readdirSync(dir).sort()).toEqual(["m.jsonl", "s.json"]);
  });
});

describe("svg plots", () => {
  it("nice ticks cover the range with round steps", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-2, 2, 4)).toEqual([-2, -1, 0, 1, 2]);
  });

  it("a series of values that differ only in the last bit plots (it once grew the tick list without end)", () => {
    // the ASYM of a syn-noise run without SAL: the same value up to f64 rounding
    const y = [0.7398391724864165, 0.7398391724864164, 0.7398391724864165];
    expect(niceTicks(y[1], y[0])).toEqual([y[1]]);
    const svg = linePlot({ title: "asym", xLabel: "epoch", yLabel: "ASYM", series: [{ label: "off", x: [0, 10, 20], y }] });
    expect(svg).toContain("<svg");
    expect((svg.match(/<text/g) ?? []).length).toBeLessThan(40);
  });

  it("line plot draws one path per series, legend entries, dashed reference lines, log axis", () => {
    const svg = linePlot({
      title: "DKL",
      xLabel: "epoch",
      yLabel: "DKL",
      logY: true,
      series: [
        { label: "SAL", x: [0, 1, 2], y: [1, 0.1, 0.01] },
        { label: "no SAL", x: [0, 1, 2], y: [1, 0.5, 0.3], dashed: true },
      ],
      hLines: [{ y: 0.05, label: "target" }],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<path d="M/g)?.length).toBe(2);
    expect(svg).toContain(">SAL<");
    expect(svg).toContain(">target<");
    expect(svg.match(/stroke-dasharray/g)?.length).toBeGreaterThanOrEqual(3);
    expect(svg).toContain(">0.01<");
  });

  it("bar plot draws one rect per finite value", () => {
    const svg = barPlot({
      title: "p",
      yLabel: "p",
      labels: ["a", "b", "c"],
      groups: [
        { label: "target", values: [0.2, 0.3, 0.5] },
        { label: "sampled", values: [0.1, NaN, 0.6] },
      ],
    });
    expect(svg.match(/<rect x="[\d.]+" y/g)?.length).toBe(5 + 1);
  });
});
