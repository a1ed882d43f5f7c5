// What every command shares: the shared options, option parsers, config
// resolution (preset <- config file <- flags), error handling with exit
// codes (2 = bad input, 1 = internal), progress and the --json summary line.
//
// The hardening mechanisms a command gets from here (README "Bad input"):
// - numbers: `numOption(flags, description, bound)` parses a flag with a
//   bound of src/config/numbers.ts (the same bound its config field's
//   schema uses); defineCommand lists every such flag in --help's table;
// - paths: `pathArg` refuses empty strings (--config, --out, --resume);
// - the output directory: `openRunDir` (RunDir: checked before the run,
//   locked, fresh unless --force or --resume);
// - resume: `ctx.onlyWithResume` rejects flags that would change the run;
// - resources: `guardResources` refuses (exit 2) what will not fit or
//   would take hours, unless --yes, and prints the estimate;
// - state: `cliHooks(opts, out, label, total, guard)` stops a run whose
//   metrics turn non-finite (exit 2, naming the quantity and the epoch);
//   `Checkpointer` (src/checkpoint/files.ts) does the same for checkpoints.
import { totalmem } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import cliProgress from "cli-progress";
import type { z } from "zod";
import { UsageError, usage } from "../errors.js";
import { fmtBytes, loadConfigFile, MAX_CONFIG_BYTES, parseConfig, parseConfigText, readRegularFile } from "../config/load.js";
import { B, checkNumber, rangeText, type Bound } from "../config/numbers.js";
import { stringifyJson } from "../io/json.js";
import { fmtSeconds } from "../report/format.js";

export { fmtSeconds };
import { createBackend } from "../backend/index.js";
import type { BackendName, Kernels } from "../backend/index.js";
import type { OutDir } from "../io/out.js";
import { RunDir, type RunDirOptions } from "../io/rundir.js";
import { stateError, type Checkpointer } from "../checkpoint/files.js";

export interface SharedOptions {
  config?: string;
  preset?: string;
  seed?: number;
  backend?: BackendName;
  out?: string;
  /** Replace an earlier run's outputs in --out (the files its manifest lists). */
  force?: boolean;
  /** Run sizes that guardResources would refuse. */
  yes?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** Bounds of the options made by numOption / numArg, for the --help table. */
const OPTION_BOUNDS = new WeakMap<(v: string) => number, Bound>();

/** A commander parser for a number within `b` (the bound its config field uses). */
export function numArg(flag: string, b: Bound): (v: string) => number {
  const parse = (v: string): number => {
    const x = v.trim() === "" ? NaN : Number(v);
    const problem = checkNumber(x, b);
    if (problem) throw new InvalidArgumentError(`It ${problem}.`);
    return x;
  };
  OPTION_BOUNDS.set(parse, b);
  return parse;
}

/** An option taking one number within `b`, e.g. numOption("--w01 <x>", "initial W01", B.weight). */
export function numOption(flags: string, description: string, b: Bound): Option {
  const o = new Option(flags, description);
  return o.argParser(numArg(o.long ?? o.short ?? flags, b));
}

/**
 * Integer option parser with bounds (its messages as before; --help lists it). Prefer numOption with
 * a bound of src/config/numbers.ts, so that the flag and its config field share one bound.
 */
export function intOpt(name: string, min = -Infinity, max = Infinity): (v: string) => number {
  const parse = (v: string) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isInteger(x)) throw new InvalidArgumentError(`${name} must be an integer.`);
    if (x < min || x > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}].`);
    return x;
  };
  OPTION_BOUNDS.set(parse, { name: name.replace(/^--/, ""), int: true, min, max, why: "bounds of this option" });
  return parse;
}

/** Finite number option parser with bounds (see intOpt). */
export function floatOpt(name: string, min = -Infinity, max = Infinity): (v: string) => number {
  const parse = (v: string) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a finite number.`);
    if (x < min || x > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}].`);
    return x;
  };
  OPTION_BOUNDS.set(parse, { name: name.replace(/^--/, ""), min, max, why: "bounds of this option" });
  return parse;
}

/** A commander parser for a path: not empty. */
export function pathArg(flag: string): (v: string) => string {
  return (v: string) => {
    if (v === "") throw new InvalidArgumentError(`An empty string is not a path; give one (or leave ${flag} out).`);
    if (v.includes("\0")) throw new InvalidArgumentError("A path cannot contain a NUL character.");
    return v;
  };
}

/** The --help section listing every bounded flag of `cmd` (and config-only `extra` fields), one row per bound. */
export function boundsHelp(cmd: Command, extra: [string, Bound][] = []): string {
  const rows = new Map<string, { names: string[]; b: Bound }>();
  const add = (name: string, b: Bound) => {
    const key = `${rangeText(b)}|${b.name}`;
    const r = rows.get(key);
    if (r) r.names.push(name);
    else rows.set(key, { names: [name], b });
  };
  for (const o of cmd.options) {
    const parse = (o as unknown as { parseArg?: (v: string) => number }).parseArg;
    const b = parse && OPTION_BOUNDS.get(parse);
    if (b) add(o.long ?? o.flags, b);
  }
  for (const [n, b] of extra) add(n, b);
  if (!rows.size) return "";
  const W = 40;
  // names wrap onto continuation lines at W characters
  const wrap = (names: string[]): string[] => {
    const out = [""];
    for (const n of names) {
      const last = out[out.length - 1];
      if (last && last.length + 2 + n.length > W) {
        out[out.length - 1] += ",";
        out.push(n);
      } else out[out.length - 1] = last ? `${last}, ${n}` : n;
    }
    return out;
  };
  const list = [...rows.values()].map(({ names, b }) => [wrap(names), rangeText(b), b.name] as const);
  const w = Math.max(...list.flatMap(([n]) => n.map((x) => x.length)));
  const rw = Math.max(...list.map(([, r]) => r.length));
  const lines = list.flatMap(([n, r, name]) => [`  ${n[0].padEnd(w)}  ${r.padEnd(rw)}  ${name}`, ...n.slice(1).map((x) => `    ${x}`)]);
  const why = new Map<string, string[]>();
  for (const { b } of rows.values()) {
    const names = why.get(b.why) ?? [];
    if (!names.includes(b.name)) names.push(b.name);
    why.set(b.why, names);
  }
  const whyLines = [...why].map(([y, names]) => `  ${names.join(", ")}: ${y}`);
  return `\nBounds (--flags and the config fields they set; names without -- are config fields; every number finite; f32 = kept in f32 by the kernels):\n${lines.join("\n")}\nWhy:\n${whyLines.join("\n")}`;
}

export interface SharedOptionsSpec {
  /** --force (for commands that open --out with openRunDir). */
  force?: boolean;
  /** --yes (for commands that call guardResources). */
  yes?: boolean;
}

/** Adds --config, --preset, --seed, --backend, --out, --json, --quiet (and --force, --yes when asked). */
export function addSharedOptions(cmd: Command, presets?: string[], extra: SharedOptionsSpec = {}): Command {
  cmd
    .option("--config <file>", "YAML or JSON config file (flags override it; .json is read as JSON, else YAML)", pathArg("--config"))
    .addOption(
      presets ? new Option("--preset <name>", "named paper preset").choices(presets) : new Option("--preset <name>", "named preset"),
    )
    .addOption(numOption("--seed <n>", "random seed", B.seed))
    .addOption(new Option("--backend <name>", "kernel backend").choices(["wasm", "js"]))
    .option(
      "--out <dir>",
      "write config.json, results, summary.json and SVG plots here (a new or empty directory, or use --force)",
      pathArg("--out"),
    );
  if (extra.force) cmd.option("--force", "--out may hold an earlier run's outputs: remove them first (only the files that run listed)");
  if (extra.yes) cmd.option("--yes", "run even if the estimated memory exceeds the machine's or the first epoch takes over an hour");
  cmd.option("--json", "print the summary JSON as the last stdout line").option("--quiet", "no progress output");
  return cmd;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Deep merge: objects merge key by key, everything else (arrays too) replaces; undefined never overrides. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) out[k] = deepMerge(out[k], v);
  return out as T;
}

/** Expands {"a.b": 1} into {a: {b: 1}}; drops undefined values. */
export function expandDotted(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(flat)) {
    if (v === undefined) continue;
    const parts = key.split(".");
    let o = out;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts[parts.length - 1]] = v;
  }
  return out;
}

export interface ResolveArgs<S extends z.ZodType> {
  schema: S;
  presets: Record<string, unknown>;
  defaultPreset: string;
  preset?: string;
  /** Raw config-file content (already loaded/translated), or a path to load. */
  config?: unknown;
  configPath?: string;
  /** Flag values by (dotted) config key; undefined = flag not given. */
  overrides?: Record<string, unknown>;
}

/** preset <- config file <- flags, then validated by the schema. */
export function resolveConfig<S extends z.ZodType>(a: ResolveArgs<S>): z.output<S> {
  const fileRaw = a.config ?? (a.configPath ? loadConfigFile(a.configPath) : undefined);
  if (fileRaw !== undefined && !isPlainObject(fileRaw))
    throw usage("--config", a.configPath ?? "config", "the file must hold a mapping of keys to values");
  const filePreset = fileRaw && typeof fileRaw.preset === "string" ? fileRaw.preset : undefined;
  const name = a.preset ?? filePreset ?? a.defaultPreset;
  if (!(name in a.presets)) throw usage("--preset", name, `one of ${Object.keys(a.presets).join(", ")}`);
  let merged = deepMerge(structuredClone(a.presets[name]) as Record<string, unknown>, fileRaw ?? {});
  merged = deepMerge(merged, expandDotted(a.overrides ?? {}));
  merged.preset = name;
  return parseConfig(a.schema, merged, a.configPath ? `config (${a.configPath})` : "config");
}

/**
 * Opens `dir` (default --out) as the run directory of `command`: checked, created and locked before
 * the run; an earlier run's outputs there need --force (or `resume`). Null when there is no directory.
 */
export function openRunDir(
  opts: SharedOptions,
  command: string,
  o: Omit<RunDirOptions, "command" | "force"> & { dir?: string } = {},
): RunDir | null {
  const dir = o.dir ?? opts.out;
  if (dir === undefined) return null;
  return RunDir.open(dir, { ...o, command, force: opts.force });
}

/** The config.json of a run directory (for --resume), validated by `schema`; its `backend` key is dropped. */
export function readRunConfig<S extends z.ZodType>(dir: string, schema: S, flag = "--resume"): z.output<S> {
  const path = join(dir, "config.json");
  const raw = parseConfigText(readRegularFile(path, flag, MAX_CONFIG_BYTES), path, flag);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw usage(flag, path, "config.json must hold a mapping of keys to values");
  const { backend: _backend, ...rest } = raw as Record<string, unknown>;
  return parseConfig(schema, rest, `${flag} ${path}`);
}

/** An estimate of a run's needs, for guardResources. */
export interface Estimate {
  /** The run in a few words ("dims 4096,4096,4096"). */
  what: string;
  /** Peak memory (bytes). */
  bytes: number;
  /** Of that, wasm linear memory (bytes; wasm32 holds at most 4 GiB). */
  wasmBytes?: number;
  /** Wall time of the first epoch (seconds). */
  firstEpochSeconds: number;
  /** What firstEpochSeconds covers (default "the first epoch"). */
  span?: string;
  /** Time per progress unit, shown when the first epoch is slow ("2.3 s per pattern"). */
  unit?: { seconds: number; name: string };
}

/** wasm32 linear memory limit. */
export const WASM_MAX_BYTES = 4 * 1024 ** 3;

/**
 * Refuses (exit 2) a run whose estimated memory exceeds the machine's or whose first epoch (or
 * `span`) takes over an hour, unless --yes; wasm runs beyond wasm32's 4 GiB are refused either way.
 * When that time is over 10 s the estimate is printed (stderr, unless --quiet).
 */
export function guardResources(opts: SharedOptions, label: string, e: Estimate, backend: BackendName = opts.backend ?? "wasm"): void {
  const mem = totalmem();
  const span = e.span ?? "the first epoch";
  const est =
    e.bytes > 0
      ? `${e.what}: about ${fmtBytes(e.bytes)} of memory and ${fmtSeconds(e.firstEpochSeconds)} for ${span} (estimated; this machine has ${fmtBytes(mem)})`
      : `${e.what}: about ${fmtSeconds(e.firstEpochSeconds)} for ${span} (estimated)`;
  if (backend === "wasm" && (e.wasmBytes ?? 0) > WASM_MAX_BYTES) {
    throw new UsageError(
      `${label}: ${e.what} needs about ${fmtBytes(e.wasmBytes!)} of wasm memory, more than wasm32's 4 GB; use --backend js or a smaller size`,
    );
  }
  if (!opts.yes && (e.bytes > mem || e.firstEpochSeconds > 3600)) {
    throw new UsageError(`${label}: ${est}; add --yes to run it anyway, or choose a smaller size`);
  }
  if (!opts.quiet && e.firstEpochSeconds > 10) {
    const unit = e.unit ? `, ${fmtSeconds(e.unit.seconds)} per ${e.unit.name}` : "";
    process.stderr.write(
      `${label}: ${e.what}: about ${fmtSeconds(e.firstEpochSeconds)} for ${span}${unit} (estimated); progress follows\n`,
    );
  }
}

/** Creates the requested backend; the SIMD fallback warning goes to stderr unless --quiet. */
export async function backendFor(opts: SharedOptions): Promise<Kernels> {
  return createBackend(opts.backend ?? "wasm", {
    warn: (l) => {
      if (!opts.quiet) process.stderr.write(l + "\n");
    },
  });
}

/** Prints the summary as the last stdout line when --json is given. */
export function printSummary(summary: unknown, opts: SharedOptions): void {
  if (opts.json) process.stdout.write(stringifyJson(summary) + "\n");
}

/** Prints human-readable lines to stdout unless --json or --quiet. */
export function say(opts: SharedOptions, text: string): void {
  if (!opts.json && !opts.quiet) process.stdout.write(text + "\n");
}

export interface Progress {
  tick(done: number, info?: string): void;
  stop(): void;
}

/** A progress bar on a TTY (stderr), plain lines at most every 5 s otherwise, nothing with --quiet. */
export function progress(opts: SharedOptions, total: number, label: string): Progress {
  if (opts.quiet || total <= 0) return { tick: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {info}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: "" });
    return { tick: (d, info = "") => bar.update(d, { info }), stop: () => bar.stop() };
  }
  const start = Date.now();
  let last = 0;
  return {
    tick(d, info = "") {
      const now = Date.now();
      if (now - last < 5000 && d < total) return;
      last = now;
      const s = ((now - start) / 1000).toFixed(1);
      process.stderr.write(`${label}: ${d}/${total} (${Math.round((100 * d) / total)}%) ${s}s ${info}\n`);
    },
    stop: () => undefined,
  };
}

/** Wraps a command action: UsageError -> one line, exit code 2; anything else -> exit code 1. */
export function runAction<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
    }
  };
}

export function reportError(err: unknown): void {
  if (err instanceof UsageError) {
    process.stderr.write(`spike-align: ${err.message.split("\n")[0]}\n`);
    process.exitCode = 2;
  } else if (err instanceof RangeError && /\bis (NaN|-?Infinity); must be finite/.test(err.message)) {
    // a kernel's state guard met a non-finite weight or bias that no per-epoch check saw first
    process.stderr.write(
      `spike-align: the run's state became non-finite (${err.message.split("\n")[0]}); the run stops (a checkpoint, if any, is the last good state); lower the learning rates or check the inputs\n`,
    );
    process.exitCode = 2;
  } else if (isOutOfMemory(err)) {
    process.stderr.write(
      `spike-align: out of memory (${(err as Error).message.split("\n")[0]}); choose a smaller size, or --backend js if the wasm memory is the limit\n`,
    );
    process.exitCode = 2;
  } else {
    const e = err as Error;
    process.stderr.write(`spike-align: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.SPIKE_ALIGN_DEBUG) process.stderr.write(`${e?.stack}\n`);
    process.exitCode = 1;
  }
}

/** A RangeError of an allocation that did not fit (wasm memory growth, a typed array too large). */
function isOutOfMemory(err: unknown): boolean {
  return (
    err instanceof RangeError &&
    /out of memory|could not allocate|cannot allocate|array buffer allocation failed|invalid typed array length|invalid array buffer length/i.test(
      err.message,
    )
  );
}

/** Option names (camelCase, as in opts) that were given on the command line. */
export function givenOptions(cmd: Command): Set<string> {
  const given = new Set<string>();
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (cmd.getOptionValueSource(key) === "cli") given.add(key);
  }
  return given;
}

/** What defineCommand hands an action besides its options. */
export interface CommandContext {
  /** Option names (camelCase) given on the command line. */
  given: Set<string>;
  /**
   * With --resume, rejects every other option given except `allowed` (camelCase names; --resume,
   * --json and --quiet are always allowed): the resumed run keeps the config it was started with.
   */
  onlyWithResume(allowed: string[]): void;
}

/**
 * With --resume, rejects every other option given on the command line except `allowed` (camelCase
 * names; --resume, --json and --quiet are always allowed). For commands registered by hand.
 */
export function onlyWithResume(cmd: Command, allowed: string[], given = givenOptions(cmd)): void {
  const ok = new Set(["resume", "json", "quiet", ...allowed]);
  for (const key of given) {
    if (ok.has(key)) continue;
    const o = cmd.options.find((x) => x.attributeName() === key)!;
    const also = allowed.map((a) => cmd.options.find((x) => x.attributeName() === a)?.long).filter(Boolean);
    throw new UsageError(
      `${o.long}: cannot be combined with --resume (the run continues with the config in its directory)${also.length ? `; allowed with --resume: ${also.join(", ")}` : ""}`,
    );
  }
}

function contextOf(cmd: Command): CommandContext {
  const given = givenOptions(cmd);
  return { given, onlyWithResume: (allowed) => onlyWithResume(cmd, allowed, given) };
}

/** Commands register through this type. */
export type Register = (program: Command) => void;

export interface CommandSpec<O extends SharedOptions> {
  name: string;
  description: string;
  /** Preset names for --preset (omitted: the command has none). */
  presets?: string[];
  /** The command's own options, added after the shared ones. */
  options?(cmd: Command): void;
  /** Help text after the options: examples first. */
  help: string;
  /** Config fields without a flag and their bounds, for the --help table (flags made by numOption are listed anyway). */
  bounds?: [string, Bound][];
  /** Adds --force: the action opens --out with openRunDir (the output protocol). */
  runDir?: boolean;
  /** Adds --yes: the action calls guardResources. */
  yes?: boolean;
  action(opts: O, ctx: CommandContext): Promise<void> | void;
}

/**
 * Registers a command the way every command does: name and description, the shared options
 * (--config, --preset, --seed, --backend, --out, --json, --quiet), then its own, then its help text;
 * the action runs under `runAction` (bad input exit 2, anything else exit 1).
 */
export function defineCommand<O extends SharedOptions>(spec: CommandSpec<O>): Register {
  return (program: Command) => {
    const cmd = program.command(spec.name).description(spec.description);
    addSharedOptions(cmd, spec.presets, { force: spec.runDir, yes: spec.yes });
    spec.options?.(cmd);
    cmd.addHelpText("after", spec.help + "\n" + boundsHelp(cmd, spec.bounds));
    cmd.action(runAction(async (opts: O) => spec.action(opts, contextOf(cmd))));
  };
}

export interface HookGuard<M> {
  /** What is wrong with a metrics row ("W01 is NaN"), or null; a problem stops the run with exit 2. */
  check(row: M): string | null;
  /** The epoch a row belongs to (for the message). */
  epoch(row: M): number;
  /** The whole message, instead of "<label>: <problem> at epoch <epoch>; the run stops ...". */
  message?(row: M): string;
  /** The run's checkpointer, so that the message names the checkpoint that is kept. */
  checkpoint?: Pick<Checkpointer<object>, "stop"> | null;
}

/**
 * Run hooks for the CLI: `onProgress` drives a progress bar (stderr; plain lines off a terminal;
 * nothing with --quiet) and `onMetrics` appends a line to metrics.jsonl in `out`, after `guard`
 * (if given) found it sound. Call `stop()` when the run ends.
 */
export function cliHooks<M>(
  opts: SharedOptions,
  out: OutDir | null,
  label: string,
  total: number,
  guard?: HookGuard<M>,
): { onProgress(done: number, total: number, info?: string): void; onMetrics(row: M): void; stop(): void } {
  const bar = progress(opts, total, label);
  return {
    onProgress: (done, _total, info) => bar.tick(done, info),
    onMetrics: (row) => {
      const problem = guard?.check(row);
      if (problem) {
        bar.stop();
        if (guard!.message) throw new UsageError(guard!.message(row));
        throw guard!.checkpoint ? guard!.checkpoint.stop(problem, guard!.epoch(row)) : stateError(label, problem, guard!.epoch(row), null);
      }
      out?.appendJsonl("metrics.jsonl", row);
    },
    stop: () => bar.stop(),
  };
}
