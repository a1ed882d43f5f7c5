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
  /** 1-minute load average when the run started (other work on the machine skews timings). */
  load?: number;
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

/** The authors' Python code per time step on this kind of machine (issues 4 and 5). */
export const AUTHORS_NS = { ssn: 870, microcircuit: 63000 };

/** A per-step target over one or more cases (all must meet it), with the speed-up over the authors' code. */
function perStep(label: string, cases: BenchRow[], limit: number, authorsNs: number): Target {
  if (!cases.length) return { label, pass: null, detail: "not run" };
  const detail = cases
    .map(
      (r) =>
        `${r.name}: ${num(r.wasmNsPerOp)} ns (${num(authorsNs / r.wasmNsPerOp)}x the authors' ${num(authorsNs)} ns; ${num(r.ratio)}x js)`,
    )
    .join(", ");
  return { label, pass: cases.every((r) => r.wasmNsPerOp <= limit), detail };
}

/** The authors' code per time step for the spiking alignment phases (issue 12), and their Fig. 7 notebook per 100 s of each method. */
export const AUTHORS_PHASE_NS = { salPhase: 200e6, salAlign: 3.4e6, rddPhase: 1.7e6 };
export const AUTHORS_INFER_S = 174 + 17 + 34;

/**
 * Issue 12's per-step targets of the spiking phases (each: done bar, then the goal) and `infer --method all`, whose
 * bench case runs 10 s of simulated time per method (the command runs 100 s: ten times the case). Only the cases run.
 */
export function spikingTargets(rows: BenchRow[]): Target[] {
  const t: Target[] = [];
  const one = (name: string) => rows.find((r) => r.name === name);
  const phase = (name: string, label: string, bar: number, goal: number, authorsNs: number) => {
    const r = one(name);
    if (!r) return;
    const us = r.wasmNsPerOp / 1000;
    t.push({
      label,
      pass: r.wasmNsPerOp <= bar,
      detail:
        `${num(us)} us/step (${num(authorsNs / r.wasmNsPerOp)}x the authors' ${num(authorsNs / 1000)} us; ${num(r.ratio)}x js)` +
        `; goal ${num(goal / 1000)} us ${r.wasmNsPerOp <= goal ? "met" : "not met"}`,
    });
  };
  phase(
    "salnet-phase",
    "SAL phase 1024-384-192-10 x 32 copies <= 2 ms/step (issue 12; goal 0.5 ms)",
    2e6,
    0.5e6,
    AUTHORS_PHASE_NS.salPhase,
  );
  phase("salnet-align", "SAL align 1600-384-192-10 x 1 <= 30 us/step (issue 12)", 30e3, 30e3, AUTHORS_PHASE_NS.salAlign);
  phase("rdd-phase", "RDD phase <= 50 us/step (issue 12)", 50e3, 50e3, AUTHORS_PHASE_NS.rddPhase);
  const inf = one("infer-all");
  if (inf) {
    const s = (10 * inf.wasmNsPerOp) / 1e9;
    t.push({
      label: "infer --method all (100 s per method) < 5 s (issue 12)",
      pass: s < 5,
      detail: `${num(s)} s from the 10 s case x 10 (${num(AUTHORS_INFER_S / s)}x the authors' notebook, ${AUTHORS_INFER_S} s)`,
    });
  }
  return t;
}

/** The issues' targets, judged from the rows (null = the case was not run). */
export function judgeTargets(rows: BenchRow[], native: NativeResult | null): Target[] {
  const find = (pred: (r: BenchRow) => boolean) => rows.find(pred);
  const mv = find((r) => r.name === "matvec" && r.size === 512);
  const ss = find((r) => r.name.includes("sampling-step") && r.size === 1000);
  const gf = rows.filter((r) => /^(matvec|matmul)$/.test(r.name) && r.wasmGflops !== undefined);
  const bestGf = gf.length ? Math.max(...gf.map((r) => r.wasmGflops!)) : NaN;
  const t: Target[] = [
    { label: "wasm >= 5x js on matvec 512", pass: mv ? mv.ratio >= 5 : null, detail: mv ? `${num(mv.ratio)}x` : "not run" },
    {
      label: "wasm >= 5x js on the 1000-neuron sampling step",
      pass: ss ? ss.ratio >= 5 : null,
      detail: ss ? `${num(ss.ratio)}x (${ss.name})` : "not run",
    },
    {
      label: "matvec/matmul >= 10 GFLOP/s (wasm)",
      pass: gf.length ? bestGf >= 10 : null,
      detail: gf.length ? gf.map((r) => `${r.name} ${r.size}: ${num(r.wasmGflops!)}`).join(", ") : "not run",
    },
    perStep(
      "SSN minimal (dim 7, t_ref 50) <= 15 ns/step (issue 4; goal 5)",
      rows.filter((r) => r.name === "ssn-minimal"),
      15,
      AUTHORS_NS.ssn,
    ),
    perStep(
      "microcircuit 1-1-1 <= 30 ns/step (issue 5)",
      rows.filter((r) => r.name.startsWith("microcircuit") && r.size === "1-1-1"),
      30,
      AUTHORS_NS.microcircuit,
    ),
  ];
  if (native && mv?.wasmGflops)
    t.push({
      label: "native C matvec 512 (reference)",
      pass: null,
      detail: `${num(native.gflops)} GFLOP/s; wasm reaches ${num((100 * mv.wasmGflops) / native.gflops)} % of it`,
    });
  return t;
}

export const NATIVE_HEADER = ["build", "size", "native ns/op", "native GFLOP/s", "wasm GFLOP/s", "wasm / native"];

/** One row per native run, beside the wasm matvec of the same size. */
export function nativeRows(rows: BenchRow[], natives: NativeResult[]): string[][] {
  return natives.map((n) => {
    const w = rows.find((r) => r.name === "matvec" && r.size === n.size)?.wasmGflops;
    return [
      `cc -O3 ${n.flags ?? ""}`.trim(),
      String(n.size),
      num(n.nsPerOp),
      num(n.gflops),
      w !== undefined ? num(w) : "",
      w !== undefined ? `${num((100 * w) / n.gflops)} %` : "",
    ];
  });
}

export function resultsMarkdown(
  m: Machine,
  rows: BenchRow[],
  native: NativeResult | null,
  targets: Target[],
  note: string,
  natives: NativeResult[] = [],
): string {
  const mark = (p: boolean | null) => (p === null ? "-" : p ? "pass" : "FAIL");
  return [
    "# Benchmark results",
    "",
    `Measured by \`npm run bench\` on ${m.date}: ${m.cpu}, ${m.cores} cores` +
      `, Node ${m.node} (V8 ${m.v8})${m.load !== undefined ? `, load average ${m.load.toFixed(2)} at the start` : ""}.`,
    "Each kernel runs on both backends in one tinybench run; ns/op is the median time of one call divided by the ops it performs.",
    note ? `\n${note}\n` : "",
    markdownTable(HEADER, tableRows(rows)),
    "",
    "## Native reference",
    "",
    native
      ? `bench/native/matvec.c (cc -O3 -march=native), ${native.size}x${native.size}` +
        ` f32 matvec: ${num(native.nsPerOp)} ns/op, ${num(native.gflops)} GFLOP/s.`
      : "Not run (no C compiler found).",
    natives.length
      ? [
          "The native binary reports the best of 20 rounds of 200 calls; the wasm column is tinybench's median.",
          "The `-msse4.2 -mno-avx` build (x86 only) has what baseline wasm SIMD has: 128-bit vectors and no fused multiply-add.",
          "",
          markdownTable(NATIVE_HEADER, nativeRows(rows, natives)),
        ].join("\n")
      : "",
    "",
    "## Targets (issues 3-5, 11, 12)",
    "",
    markdownTable(
      ["target", "result", "measured"],
      targets.map((t) => [t.label, mark(t.pass), t.detail]),
    ),
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
