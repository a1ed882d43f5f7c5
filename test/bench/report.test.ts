import { describe, expect, it } from "vitest";
import {
  judgeTargets,
  spikingTargets,
  jsonSummary,
  markdownTable,
  nativeRows,
  resultsMarkdown,
  tableRows,
  textTable,
  HEADER,
} from "../../bench/report.js";
import type { BenchRow } from "../../bench/types.js";

const rows: BenchRow[] = [
  { name: "matvec", size: 512, unit: "op", wasmNsPerOp: 40000, jsNsPerOp: 400000, ratio: 10, wasmGflops: 13.1, jsGflops: 1.31 },
  { name: "sampling-step-dense", size: 1000, unit: "step", wasmNsPerOp: 500, jsNsPerOp: 1500, ratio: 3 },
];
const perStepRows: BenchRow[] = [
  { name: "ssn-minimal", size: 7, unit: "step", wasmNsPerOp: 8.7, jsNsPerOp: 130.5, ratio: 15 },
  { name: "microcircuit-train", size: "1-1-1", unit: "step", wasmNsPerOp: 20, jsNsPerOp: 80, ratio: 4 },
  { name: "microcircuit-sal", size: "1-1-1", unit: "step", wasmNsPerOp: 31, jsNsPerOp: 93, ratio: 3 },
];

describe("bench report formatting (fake timings)", () => {
  it("judges the issue's targets from the rows", () => {
    const t = judgeTargets([...rows, ...perStepRows], { name: "matvec", size: 512, nsPerOp: 20000, gflops: 26.2 });
    expect(t.map((x) => x.pass)).toEqual([true, false, true, true, false, null]);
    expect(t[1].detail).toContain("3x");
    expect(t[3].detail).toContain("ssn-minimal: 8.7 ns (100x the authors' 870 ns; 15x js)");
    expect(t[5].detail).toContain("50 %");
    // every microcircuit 1-1-1 case must meet the bound
    expect(t[4].detail).toContain("microcircuit-sal: 31 ns");
    expect(judgeTargets([], null).map((x) => x.pass)).toEqual([null, null, null, null, null]);
  });

  it("judges issue 12's spiking targets: done bars, goals and the infer case scaled to 100 s", () => {
    const sp: BenchRow[] = [
      { name: "salnet-phase", size: "1024-384-192-10 x32", unit: "step", wasmNsPerOp: 800e3, jsNsPerOp: 8e6, ratio: 10 },
      { name: "salnet-align", size: "1600-384-192-10 x1", unit: "step", wasmNsPerOp: 34e3, jsNsPerOp: 340e3, ratio: 10 },
      { name: "infer-all", size: "10 s per method", unit: "run", wasmNsPerOp: 0.6e9, jsNsPerOp: 4e9, ratio: 6.7 },
    ];
    const t = spikingTargets(sp);
    expect(t.map((x) => x.pass)).toEqual([true, false, false]);
    expect(t[0].detail).toContain("800 us/step (250x the authors' 200000 us");
    expect(t[0].detail).toContain("goal 500 us not met");
    expect(t[2].detail).toMatch(/^6 s from the 10 s case x 10/);
    expect(spikingTargets([])).toEqual([]);
  });

  it("--json line has one entry per kernel with the required keys", () => {
    const j = JSON.parse(jsonSummary(rows, null));
    expect(j.kernels).toHaveLength(2);
    expect(Object.keys(j.kernels[0]).sort()).toEqual(["jsNsPerOp", "name", "ratio", "size", "wasmNsPerOp"]);
    expect(j.kernels[1]).toMatchObject({ name: "sampling-step-dense", size: 1000, ratio: 3 });
  });

  it("tables: aligned text and markdown with every row", () => {
    const tr = tableRows(rows);
    expect(tr[0]).toEqual(["matvec", "512", "op", "40000", "400000", "10x", "13.1", "1.31"]);
    const text = textTable(HEADER, tr).split("\n");
    expect(text).toHaveLength(4);
    expect(new Set(text.map((l) => l.length)).size).toBe(1);
    expect(markdownTable(["a", "b"], [["1", "2"]])).toBe("| a | b |\n|---|---|\n| 1 | 2 |");
    const md = resultsMarkdown(
      { date: "2026-11-22", cpu: "CPU", cores: 2, node: "20.20.2", v8: "11" },
      rows,
      null,
      judgeTargets(rows, null),
      "",
    );
    expect(md).toContain("2026-11-22");
    expect(md).toContain("| wasm >= 5x js on the 1000-neuron sampling step | FAIL | 3x (sampling-step-dense) |");
  });

  it("native runs sit beside the wasm matvec of the same size", () => {
    const natives = [
      { name: "matvec", size: 512, nsPerOp: 20000, gflops: 26.2, flags: "-march=native" },
      { name: "matvec", size: 2048, nsPerOp: 600000, gflops: 14, flags: "-msse4.2 -mno-avx" },
    ];
    expect(nativeRows(rows, natives)).toEqual([
      ["cc -O3 -march=native", "512", "20000", "26.2", "13.1", "50 %"],
      ["cc -O3 -msse4.2 -mno-avx", "2048", "600000", "14", "", ""],
    ]);
    const j = JSON.parse(jsonSummary(rows, natives[0], natives));
    expect(j.nativeRuns).toHaveLength(2);
    const md = resultsMarkdown(
      { date: "2026-11-22", cpu: "CPU", cores: 2, node: "20.20.2", v8: "11" },
      rows,
      natives[0],
      judgeTargets(rows, natives[0]),
      "",
      natives,
    );
    expect(md).toContain("| cc -O3 -march=native | 512 | 20000 | 26.2 | 13.1 | 50 % |");
  });
});
