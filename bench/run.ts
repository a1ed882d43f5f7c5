// npm run bench [-- --json] [-- --filter SUBSTR] [-- --quick] [-- --no-write]
// Every case on both backends side by side (tinybench), a table, and
// bench/RESULTS.md with the date and machine (a --filter run prints only: it
// would replace the full record with a few rows; --write forces it). --json prints one object as
// the last stdout line.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Bench } from "tinybench";
import { createBackend } from "../src/backend/index.js";
import { writeFileAtomic } from "../src/io/out.js";
import { ALL_CASES } from "./cases/index.js";
import type { BenchRow } from "./types.js";
import {
  HEADER,
  NATIVE_HEADER,
  judgeTargets,
  spikingTargets,
  nativeRows,
  jsonSummary,
  resultsMarkdown,
  tableRows,
  textTable,
} from "./report.js";
import type { NativeResult } from "./report.js";
import { cpuMsPerBatch, nnTargets, runPytorch, TORCH_HEADER, torchRows } from "./pytorch.js";

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
}

function parseArgs(argv: string[]) {
  const a = { json: false, quick: false, filter: "", write: true, forceWrite: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") a.json = true;
    else if (argv[i] === "--quick") a.quick = true;
    else if (argv[i] === "--no-write") a.write = false;
    else if (argv[i] === "--write") a.forceWrite = true;
    else if (argv[i] === "--filter") a.filter = argv[++i] ?? "";
    else {
      process.stderr.write(`bench: unknown argument ${argv[i]}; use --json, --quick, --no-write, --write, --filter SUBSTR\n`);
      process.exit(2);
    }
  }
  return a;
}

/**
 * Native builds of bench/native/matvec.c: the machine's best (-march=native) and, on x86, a 128-bit no-FMA build like
 * baseline wasm SIMD.
 */
const NATIVE_BUILDS = [
  { flags: "-march=native", exe: "native-matvec" },
  { flags: "-msse4.2 -mno-avx", exe: "native-matvec-sse" },
];
const NATIVE_SIZES = [128, 512, 2048];

function runNative(root: string, log: (s: string) => void): NativeResult[] {
  const src = join(root, "bench/native/matvec.c");
  const out: NativeResult[] = [];
  for (const b of NATIVE_BUILDS) {
    const exe = join(root, "build", b.exe);
    try {
      mkdirSync(dirname(exe), { recursive: true });
      execFileSync("cc", ["-O3", ...b.flags.split(" "), "-o", exe, src], { stdio: "pipe" });
    } catch {
      log(`native reference (cc -O3 ${b.flags}) skipped: no C compiler, or the flags do not apply to this CPU`);
      continue;
    }
    for (const n of NATIVE_SIZES) {
      const line = execFileSync(exe, [String(n)], { encoding: "utf8" })
        .trim()
        .split("\n")
        .pop()!;
      const r = JSON.parse(line) as NativeResult & { sink?: number };
      out.push({ name: r.name, size: r.size, nsPerOp: r.nsPerOp, gflops: r.gflops, flags: b.flags });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string) => (args.json ? process.stderr : process.stdout).write(s + "\n");
  const root = projectRoot();
  const load = loadavg()[0];
  const wasm = await createBackend("wasm");
  const js = await createBackend("js");
  const cases = ALL_CASES.filter((c) => c.name.includes(args.filter));
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const bench = new Bench({ time: args.quick ? 50 : 400, warmupTime: args.quick ? 20 : 100, iterations: 3, warmupIterations: 1 });
    const mw = wasm.mark();
    bench.add("wasm", c.setup(wasm));
    bench.add("js", c.setup(js));
    await bench.run();
    wasm.release(mw);
    const ops = c.opsPerCall ?? 1;
    const ns = (name: string) => {
      const r = bench.getTask(name)!.result;
      if (r.state !== "completed") throw new Error(`bench ${c.name} ${name}: ${r.state}${"error" in r ? `: ${r.error.message}` : ""}`);
      return (r.latency.p50 * 1e6) / ops; // median: robust to other load on a shared machine
    };
    const w = ns("wasm"),
      j = ns("js");
    const row: BenchRow = { name: c.name, size: c.size, unit: c.unit ?? "op", wasmNsPerOp: w, jsNsPerOp: j, ratio: j / w };
    if (c.flops) {
      row.wasmGflops = c.flops / w;
      row.jsGflops = c.flops / j;
    }
    rows.push(row);
    log(`${c.name} ${c.size}: wasm ${w.toPrecision(4)} ns/${row.unit}, js ${j.toPrecision(4)} ns/${row.unit} (${row.ratio.toFixed(1)}x)`);
  }
  const natives = args.filter && !"matvec".includes(args.filter) && !args.filter.includes("matvec") ? [] : runNative(root, log);
  const torch = rows.some((r) => r.name.startsWith("nn-train")) ? runPytorch(root, log, args.quick) : [];
  const native = natives.find((n) => n.flags === NATIVE_BUILDS[0].flags && n.size === 512) ?? null;
  log("");
  log(textTable(HEADER, tableRows(rows)));
  if (natives.length) log("\nnative C matvec (bench/native/matvec.c)\n" + textTable(NATIVE_HEADER, nativeRows(rows, natives), 1));
  let cpu: Record<string, number> = {};
  if (torch.length) {
    cpu = {
      "nn-train-mlp": cpuMsPerBatch(wasm, "mlp", args.quick ? 10 : 40),
      "nn-train-conv": cpuMsPerBatch(wasm, "conv", args.quick ? 3 : 9),
    };
    log("\nPyTorch reference (bench/pytorch/nn_bench.py, one thread)\n" + textTable(TORCH_HEADER, torchRows(rows, torch, cpu), 1));
  }
  const targets = [...judgeTargets(rows, native), ...spikingTargets(rows), ...nnTargets(rows, torch, cpu)];
  log("");
  for (const t of targets) log(`${t.pass === null ? "-   " : t.pass ? "pass" : "FAIL"}  ${t.label}: ${t.detail}`);
  if (args.filter && args.write && !args.forceWrite) log("\nbench/RESULTS.md not written (a --filter run; --write writes it)");
  if (args.write && (!args.filter || args.forceWrite)) {
    const note = [
      args.quick ? "Quick mode (short timings): numbers are indicative only." : "",
      args.filter ? `Filtered to kernels containing "${args.filter}".` : "",
    ]
      .filter(Boolean)
      .join(" ");
    const machine = {
      date: new Date().toISOString().slice(0, 10),
      cpu: cpus()[0]?.model ?? "unknown CPU",
      cores: cpus().length,
      node: process.versions.node,
      v8: process.versions.v8,
      load,
    };
    writeFileAtomic(join(root, "bench/RESULTS.md"), resultsMarkdown(machine, rows, native, targets, note, natives));
    log("\nwrote bench/RESULTS.md");
  }
  if (args.json) process.stdout.write(jsonSummary(rows, native, natives) + "\n");
}

await main();
