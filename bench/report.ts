// Pure formatting of benchmark results: the console table, bench/RESULTS.md
// and the --json line. No timing here, so it is unit-tested.
import type { BenchRow } from "./types.js";

export interface NativeResult {
  name: string;
  size: number;
  nsPerOp: number;
  gflops: number;
  /** Compiler flags of the build that produced it (after -O3). */
  flags?: string;
}

export interface Target {
  label: string;
  pass: boolean | null;
  detail: string;
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  node: string;
  v8: string;
}

const num = (x: number, digits = 3) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : +x.toPrecision(digits) + "") : "n/a");

export function tableRows(rows: BenchRow[]): string[][] {
  return rows.map((r) => [
    r.name,
    String(r.size),
    r.unit,
    num(r.wasmNsPerOp),
    num(r.jsNsPerOp),
    num(r.ratio) + "x",
    r.wasmGflops !== undefined ? num(r.wasmGflops) : "",
    r.jsGflops !== undefined ? num(r.jsGflops) : "",
  ]);
}

export const HEADER = ["kernel", "size", "op", "wasm ns/op", "js ns/op", "wasm speed-up", "wasm GFLOP/s", "js GFLOP/s"];

/** Fixed-width text table; the first `left` columns are left-aligned, the rest right-aligned. */
export function textTable(header: string[], rows: string[][], left = 3): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < left ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  return [line(header), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/** The targets, judged from the rows (null = the case was not run). */
export function judgeTargets(rows: BenchRow[], native: NativeResult | null): Target[] {
  const find = (pred: (r: BenchRow) => boolean) => rows.find(pred);
  const mv = find((r) => r.name === "matvec" && r.size === 512);
  const ss = find((r) => r.name.includes("sampling-step") && r.size === 1000);
  const gf = rows.filter((r) => /^(matvec|matmul)$/.test(r.name) && r.wasmGflops !== undefined);
  const bestGf = gf.length ? Math.max(...gf.map((r) => r.wasmGflops!)) : NaN;
  const t: Target[] = [
    { label: "wasm >= 5x js on matvec 512", pass: mv ? mv.ratio >= 5 : null, detail: mv ? `${num(mv.ratio)}x` : "not run" },
    { label: "wasm >= 5x js on the 1000-neuron sampling step", pass: ss ? ss.ratio >= 5 : null, detail: ss ? `${num(ss.ratio)}x (${ss.name})` : "not run" },
    { label: "matvec/matmul >= 10 GFLOP/s (wasm)", pass: gf.length ? bestGf >= 10 : null, detail: gf.length ? gf.map((r) => `${r.name} ${r.size}: ${num(r.wasmGflops!)}`).join(", ") : "not run" },
  ];
  if (native && mv?.wasmGflops) t.push({ label: "native C matvec 512 (reference)", pass: null, detail: `${num(native.gflops)} GFLOP/s; wasm reaches ${num((100 * mv.wasmGflops) / native.gflops)} % of it` });
  return t;
}

export const NATIVE_HEADER = ["build", "size", "native ns/op", "native GFLOP/s", "wasm GFLOP/s", "wasm / native"];

/** One row per native run, beside the wasm matvec of the same size. */
export function nativeRows(rows: BenchRow[], natives: NativeResult[]): string[][] {
  return natives.map((n) => {
    const w = rows.find((r) => r.name === "matvec" && r.size === n.size)?.wasmGflops;
    return [`cc -O3 ${n.flags ?? ""}`.trim(), String(n.size), num(n.nsPerOp), num(n.gflops), w !== undefined ? num(w) : "", w !== undefined ? `${num((100 * w) / n.gflops)} %` : ""];
  });
}

export function resultsMarkdown(m: Machine, rows: BenchRow[], native: NativeResult | null, targets: Target[], note: string, natives: NativeResult[] = []): string {
  const mark = (p: boolean | null) => (p === null ? "-" : p ? "pass" : "FAIL");
  return [
    "# Benchmark results",
    "",
    `Measured by \`npm run bench\` on ${m.date}: ${m.cpu}, ${m.cores} cores, Node ${m.node} (V8 ${m.v8}).`,
    "Each kernel runs on both backends in one tinybench run; ns/op is the mean time of one call divided by the ops it performs.",
    note ? `\n${note}\n` : "",
    markdownTable(HEADER, tableRows(rows)),
    "",
    "## Native reference",
    "",
    native ? `bench/native/matvec.c (cc -O3 -march=native), ${native.size}x${native.size} f32 matvec: ${num(native.nsPerOp)} ns/op, ${num(native.gflops)} GFLOP/s.` : "Not run (no C compiler found).",
    natives.length
      ? [
          "The native binary reports the best of 20 rounds of 200 calls; the wasm column is tinybench's mean.",
          "The `-msse4.2 -mno-avx` build (x86 only) has what baseline wasm SIMD has: 128-bit vectors and no fused multiply-add.",
          "",
          markdownTable(NATIVE_HEADER, nativeRows(rows, natives)),
        ].join("\n")
      : "",
    "",
    "## Targets (issue 3)",
    "",
    markdownTable(["target", "result", "measured"], targets.map((t) => [t.label, mark(t.pass), t.detail])),
    "",
  ].join("\n");
}

export function jsonSummary(rows: BenchRow[], native: NativeResult | null, natives: NativeResult[] = []): string {
  return JSON.stringify({
    kernels: rows.map((r) => ({ name: r.name, size: r.size, wasmNsPerOp: r.wasmNsPerOp, jsNsPerOp: r.jsNsPerOp, ratio: r.ratio })),
    native,
    nativeRuns: natives,
  });
}
