// What every command shares: the shared options, option parsers, config
// resolution (preset <- config file <- flags), error handling with exit
// codes (2 = bad input, 1 = internal), progress and the --json summary line.
import { Command, InvalidArgumentError, Option } from "commander";
import cliProgress from "cli-progress";
import type { z } from "zod";
import { UsageError, usage } from "../errors.js";
import { loadConfigFile, parseConfig } from "../config/load.js";
import { stringifyJson } from "../io/json.js";
import { createBackend } from "../backend/index.js";
import type { BackendName, Kernels } from "../backend/index.js";
import type { OutDir } from "../io/out.js";

export interface SharedOptions {
  config?: string;
  preset?: string;
  seed?: number;
  backend?: BackendName;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Integer option parser with optional bounds (commander `argParser`). */
export function intOpt(name: string, min = -Infinity, max = Infinity): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isInteger(x)) throw new InvalidArgumentError(`${name} must be an integer.`);
    if (x < min || x > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}].`);
    return x;
  };
}

/** Finite number option parser with optional bounds. */
export function floatOpt(name: string, min = -Infinity, max = Infinity): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a finite number.`);
    if (x < min || x > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}].`);
    return x;
  };
}

/** Adds --config, --preset, --seed, --backend, --out, --json, --quiet. */
export function addSharedOptions(cmd: Command, presets?: string[]): Command {
  cmd
    .option("--config <file>", "YAML or JSON config file (flags override it)")
    .addOption(presets ? new Option("--preset <name>", "named paper preset").choices(presets) : new Option("--preset <name>", "named preset"))
    .option("--seed <n>", "random seed (integer >= 0)", intOpt("--seed", 0, 2 ** 32 - 1))
    .addOption(new Option("--backend <name>", "kernel backend").choices(["wasm", "js"]))
    .option("--out <dir>", "write config.json, results, summary.json and SVG plots here")
    .option("--json", "print the summary JSON as the last stdout line")
    .option("--quiet", "no progress output");
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
  if (fileRaw !== undefined && !isPlainObject(fileRaw)) throw usage("--config", a.configPath ?? "config", "the file must hold a mapping of keys to values");
  const filePreset = fileRaw && typeof fileRaw.preset === "string" ? fileRaw.preset : undefined;
  const name = a.preset ?? filePreset ?? a.defaultPreset;
  if (!(name in a.presets)) throw usage("--preset", name, `one of ${Object.keys(a.presets).join(", ")}`);
  let merged = deepMerge(structuredClone(a.presets[name]) as Record<string, unknown>, fileRaw ?? {});
  merged = deepMerge(merged, expandDotted(a.overrides ?? {}));
  merged.preset = name;
  return parseConfig(a.schema, merged, a.configPath ? `config (${a.configPath})` : "config");
}

/** Creates the requested backend; the SIMD fallback warning goes to stderr unless --quiet. */
export async function backendFor(opts: SharedOptions): Promise<Kernels> {
  return createBackend(opts.backend ?? "wasm", { warn: (l) => { if (!opts.quiet) process.stderr.write(l + "\n"); } });
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
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {info}`, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
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
    process.stderr.write(`spike-align: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    const e = err as Error;
    process.stderr.write(`spike-align: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.SPIKE_ALIGN_DEBUG) process.stderr.write(`${e?.stack}\n`);
    process.exitCode = 1;
  }
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
  action(opts: O): Promise<void> | void;
}

/**
 * Registers a command the way every command does: name and description, the shared options
 * (--config, --preset, --seed, --backend, --out, --json, --quiet), then its own, then its help text;
 * the action runs under `runAction` (bad input exit 2, anything else exit 1).
 */
export function defineCommand<O extends SharedOptions>(spec: CommandSpec<O>): Register {
  return (program: Command) => {
    const cmd = program.command(spec.name).description(spec.description);
    addSharedOptions(cmd, spec.presets);
    spec.options?.(cmd);
    cmd.addHelpText("after", spec.help);
    cmd.action(runAction(async (opts: O) => spec.action(opts)));
  };
}

/**
 * Run hooks for the CLI: `onProgress` drives a progress bar (stderr; plain lines off a terminal;
 * nothing with --quiet) and `onMetrics` appends a line to metrics.jsonl in `out`. Call `stop()` when
 * the run ends.
 */
export function cliHooks<M>(opts: SharedOptions, out: OutDir | null, label: string, total: number): { onProgress(done: number, total: number, info?: string): void; onMetrics(row: M): void; stop(): void } {
  const bar = progress(opts, total, label);
  return {
    onProgress: (done, _total, info) => bar.tick(done, info),
    onMetrics: (row) => out?.appendJsonl("metrics.jsonl", row),
    stop: () => bar.stop(),
  };
}
